#include "search/synonyms.h"

#include <algorithm>
#include <map>
#include <memory>
#include <utility>

#include "core/text.h"
#include "search/analyzer.h"

namespace chamado::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& synonyms();
}

namespace chamado::search {
namespace {

struct Sets {
  std::vector<std::vector<std::string>> sets;
  std::multimap<std::string, size_t> by_term;  // the analysed form of a one-word entry -> its sets
  std::map<std::string, std::string, std::less<>> canonical;  // one-word entry's term -> its first set's head term
};

std::map<std::string, Sets, std::less<>> Load() {
  std::map<std::string, Sets, std::less<>> out;
  for (const auto& [file, contents] : embedded::synonyms()) {
    const auto language = LanguageOfListFile(file);
    if (language.empty()) continue;
    const Analyzer analyzer(language);
    auto& sets = out[std::string(language)];
    size_t at = 0;
    while (at < contents.size()) {
      size_t end = contents.find('\n', at);
      if (end == std::string_view::npos) end = contents.size();
      std::string_view line = contents.substr(at, end - at);
      at = end + 1;
      if (const size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
      std::vector<std::string> set;
      while (!line.empty()) {
        const size_t comma = line.find(',');
        const auto entry = Trim(line.substr(0, comma));
        if (!entry.empty()) set.emplace_back(entry);
        if (comma == std::string_view::npos) break;
        line.remove_prefix(comma + 1);
      }
      if (set.size() < 2) continue;
      const auto head = analyzer.Tokenize(set.front());
      for (const auto& entry : set) {
        const auto tokens = analyzer.Tokenize(entry);
        if (tokens.size() != 1) continue;
        sets.by_term.emplace(tokens[0].term, sets.sets.size());
        if (head.size() == 1) sets.canonical.try_emplace(tokens[0].term, head[0].term);
      }
      sets.sets.push_back(std::move(set));
    }
  }
  return out;
}

}  // namespace

namespace {
const std::map<std::string, Sets, std::less<>>& Loaded() {
  static const auto all = Load();
  return all;
}
}  // namespace

std::vector<std::string> SynonymsOf(std::string_view language, std::string_view word) {
  static const auto& all = Loaded();
  const auto base = language.substr(0, language.find('-'));
  const auto it = all.find(base);
  if (it == all.end()) return {};
  const Analyzer* analyzer = &ThreadAnalyzer(base);
  const auto tokens = analyzer->Tokenize(word);
  if (tokens.size() != 1) return {};
  std::vector<std::string> out;
  const auto [from, to] = it->second.by_term.equal_range(tokens[0].term);
  for (auto s = from; s != to; ++s)
    for (const auto& entry : it->second.sets[s->second]) {
      const auto t = analyzer->Tokenize(entry);
      const bool same = t.size() == 1 && t[0].term == tokens[0].term;
      if (!same && std::find(out.begin(), out.end(), entry) == out.end()) out.push_back(entry);
    }
  return out;
}

std::string CanonicalTerm(std::string_view language, const std::string& term) {
  static const auto& all = Loaded();
  const auto it = all.find(language.substr(0, language.find('-')));
  if (it == all.end()) return term;
  const auto c = it->second.canonical.find(term);
  return c == it->second.canonical.end() ? term : c->second;
}

}  // namespace chamado::search
