#include "store/tsvector.h"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <vector>

namespace chamado::store {
namespace {

struct Term {
  std::string text;
  std::vector<std::pair<int, char>> positions;  // position, weight ('D' is written as none)
};

}  // namespace

std::string TsLexeme(std::string_view term) {
  std::string out = "'";
  for (char c : term) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

std::string TsVectorLiteral(const search::Analyzer& analyzer, const TicketText& text) {
  const std::array<std::pair<const std::string*, char>, 4> parts = {
      {{&text.subject, 'A'}, {&text.people, 'B'}, {&text.internal, 'C'}, {&text.conversation, 'D'}}};
  std::vector<Term> terms;  // in the order first seen
  std::unordered_map<std::string, size_t> index;
  index.reserve(1024);
  terms.reserve(1024);
  int position = 0;
  for (const auto& [part, weight] : parts) {
    for (const auto& token : analyzer.Tokenize(*part)) {
      position = std::min(position + 1, kMaxTsPosition);
      if (token.term.empty() || token.term.size() > kMaxTsLexemeBytes) continue;
      auto it = index.find(token.term);
      if (it == index.end()) {
        it = index.emplace(token.term, terms.size()).first;
        terms.push_back({token.term, {}});
      }
      auto& positions = terms[it->second].positions;
      if (positions.size() >= kMaxTsPositions || (!positions.empty() && positions.back().first == position)) continue;
      positions.push_back({position, weight});
    }
    position = std::min(position + 1, kMaxTsPosition);  // the gap between parts
  }
  std::string out;
  std::string entry;
  for (const auto& t : terms) {
    entry = TsLexeme(t.text);
    for (size_t i = 0; i < t.positions.size(); ++i) {
      entry += (i == 0 ? ':' : ',') + std::to_string(t.positions[i].first);
      if (t.positions[i].second != 'D') entry += t.positions[i].second;
    }
    if (out.size() + 1 + entry.size() > kMaxTsVectorBytes) break;
    if (!out.empty()) out += ' ';
    out += entry;
  }
  return out;
}

std::string TsQueryClause(const search::Analyzer& analyzer, const search::Clause& clause) {
  if (clause.text.size() > 1 && clause.text[0] == '\x01') return TsLexeme(std::string_view(clause.text).substr(1));
  std::string out;
  int distance = 1;  // to the next term kept: a term the document leaves out still takes its position
  for (const auto& token : analyzer.Tokenize(clause.text)) {
    if (token.term.empty() || token.term.size() > kMaxTsLexemeBytes) {
      if (!out.empty()) ++distance;
      continue;
    }
    if (!out.empty()) out += distance == 1 ? " <-> " : " <" + std::to_string(distance) + "> ";
    out += TsLexeme(token.term);
    distance = 1;
  }
  if (!out.empty() && clause.kind == search::Clause::Kind::kPrefix) out += ":*";
  return out;
}

}  // namespace chamado::store
