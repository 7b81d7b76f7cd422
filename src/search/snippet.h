// Highlighted snippets: where in a text the words of a search are, shown as a short excerpt.
//
// A snippet is HTML of a strict, small shape: the text HTML-escaped, whitespace runs made
// one space, matched words in <mark>…</mark>, an ellipsis where the excerpt is cut. Nothing
// else, so a client may split it on the two tags and render the rest as text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "search/analyzer.h"
#include "search/query.h"

namespace chamado::search {

// Which tokens a search's clauses match, in one language.
class Matcher {
 public:
  Matcher(const Analyzer& analyzer, const std::vector<Clause>& clauses);
  bool Matches(const Token& t) const;
  bool empty() const { return terms_.empty() && prefixes_.empty(); }

 private:
  std::vector<std::string> terms_;
  std::vector<std::string> prefixes_;
};

struct Snippet {
  std::string html;
  int matches = 0;  // matched words in the whole text (0: the excerpt is its beginning)
};

// The excerpt of about `max_chars` characters with the most matches, or the beginning of the
// text when nothing matches.
Snippet MakeSnippet(std::string_view text, const Analyzer& analyzer, const Matcher& matcher, size_t max_chars = 180);

// The whole text, escaped, with its matches marked (a subject, a title).
std::string Highlight(std::string_view text, const Analyzer& analyzer, const Matcher& matcher);

// Every clause of a query, for a Matcher: its groups flattened.
std::vector<Clause> Flatten(const std::vector<std::vector<Clause>>& groups);

}  // namespace chamado::search
