#include "search/snippet.h"

#include <algorithm>

namespace chamado::search {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Characters (code points) in text[begin, end).
size_t Chars(std::string_view text, size_t begin, size_t end) {
  size_t n = 0;
  for (size_t i = begin; i < end; ++i) n += !IsContinuation(static_cast<unsigned char>(text[i]));
  return n;
}

// The byte offset `chars` characters after `from`, or the end.
size_t Advance(std::string_view text, size_t from, size_t chars) {
  size_t i = from;
  while (i < text.size() && chars > 0) {
    ++i;
    while (i < text.size() && IsContinuation(static_cast<unsigned char>(text[i]))) ++i;
    --chars;
  }
  return i;
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v'; }

void AppendEscaped(std::string& out, std::string_view text) {
  bool space = false;
  for (char c : text) {
    if (IsSpace(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty() && out.back() != ' ' && !out.ends_with("<mark>")) out += ' ';
    space = false;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  if (space && !out.empty() && out.back() != ' ') out += ' ';
}

// text[begin, end) escaped, with the matched tokens inside it marked.
std::string Render(std::string_view text, size_t begin, size_t end, const std::vector<Token>& matched) {
  std::string out;
  size_t at = begin;
  for (const auto& t : matched) {
    if (t.begin < at || t.end > end) continue;
    AppendEscaped(out, text.substr(at, t.begin - at));
    out += "<mark>";
    AppendEscaped(out, text.substr(t.begin, t.end - t.begin));
    out += "</mark>";
    at = t.end;
  }
  AppendEscaped(out, text.substr(at, end - at));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  while (!out.empty() && out.front() == ' ') out.erase(out.begin());
  return out;
}

std::vector<Token> MatchedTokens(std::string_view text, const Analyzer& analyzer, const Matcher& matcher) {
  std::vector<Token> out;
  if (matcher.empty()) return out;
  for (auto& t : analyzer.Tokenize(text)) {
    if (!matcher.Matches(t)) continue;
    // A code and its parts are separate tokens over the same bytes: keep the outermost.
    if (!out.empty() && t.begin < out.back().end) continue;
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

Matcher::Matcher(const Analyzer& analyzer, const std::vector<Clause>& clauses) {
  for (const auto& c : clauses) {
    for (const auto& t : analyzer.Tokenize(c.text)) {
      auto& into = c.kind == Clause::Kind::kPrefix ? prefixes_ : terms_;
      if (std::find(into.begin(), into.end(), t.term) == into.end()) into.push_back(t.term);
    }
  }
}

bool Matcher::Matches(const Token& t) const {
  if (std::find(terms_.begin(), terms_.end(), t.term) != terms_.end()) return true;
  return std::any_of(prefixes_.begin(), prefixes_.end(), [&](const std::string& p) { return t.term.starts_with(p); });
}

Snippet MakeSnippet(std::string_view text, const Analyzer& analyzer, const Matcher& matcher, size_t max_chars) {
  const auto matched = MatchedTokens(text, analyzer, matcher);
  Snippet out;
  out.matches = int(matched.size());
  // The window opening at a match that holds the most matches; it starts a little before.
  size_t best = 0, best_count = 0;
  for (size_t i = 0; i < matched.size(); ++i) {
    const size_t limit = Advance(text, matched[i].begin, max_chars * 3 / 4);
    size_t count = 0;
    for (size_t j = i; j < matched.size() && matched[j].end <= limit; ++j) ++count;
    if (count > best_count) best = i, best_count = count;
  }
  size_t begin = 0;
  if (!matched.empty()) {
    const size_t lead = max_chars / 4;
    const size_t at = matched[best].begin;
    if (Chars(text, 0, at) > lead) {
      begin = at;
      for (size_t back = 0; back < lead && begin > 0;) {
        --begin;
        if (!IsContinuation(static_cast<unsigned char>(text[begin]))) ++back;
      }
      while (begin < at && !IsSpace(text[begin])) ++begin;  // start on a word
    }
  }
  size_t end = Advance(text, begin, max_chars);
  if (end < text.size()) {
    size_t cut = end;
    while (cut > begin && !IsSpace(text[cut])) --cut;
    if (cut > begin) end = cut;
  }
  std::string body = Render(text, begin, end, matched);
  out.html = (begin > 0 ? "…" : "") + body + (end < text.size() ? "…" : "");
  return out;
}

std::string Highlight(std::string_view text, const Analyzer& analyzer, const Matcher& matcher) {
  return Render(text, 0, text.size(), MatchedTokens(text, analyzer, matcher));
}

std::vector<Clause> Flatten(const std::vector<std::vector<Clause>>& groups) {
  std::vector<Clause> out;
  for (const auto& g : groups) out.insert(out.end(), g.begin(), g.end());
  return out;
}

}  // namespace chamado::search
