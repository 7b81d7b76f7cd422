// What a person types into a search box, parsed: the text to match and the filters written
// with it.
//
//   status:open org:acme "nota fiscal" -teste configur* created>=2026-01-01
//
// Grammar (whitespace separates clauses; a value with spaces is quoted):
//   word            a term every result contains (stemmed and folded by the index)
//   "a phrase"      the words in that order
//   prefix*         any word that starts with it (stemmed and folded as a word is)
//   -word -"a b"    results must not contain it
//   a OR b          either (binds the clauses beside it)
//   field:value     a filter; several values with commas (status:open,pending) or repeated
//                   fields mean any of them; fields: status, priority, group, assignee,
//                   org (organization), requester, tag, channel
//   created>=DATE   and >, <, <=, : (that day) on created and updated; DATE is YYYY-MM-DD in
//                   the searcher's time zone
// Anything else (a colon in "erro:" or "https://...") is text. The parser knows nothing of
// the desk: names in filters are resolved, and dates put in a time zone, by the caller.
#pragma once

#include <date/date.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace chamado::search {

struct Clause {
  enum class Kind { kWord, kPhrase, kPrefix };
  Kind kind = Kind::kWord;
  std::string text;  // as typed, without quotes or the trailing '*'
  friend bool operator==(const Clause&, const Clause&) = default;
};

// A civil day range in the searcher's time zone: [from, to), either end open.
struct DayRange {
  std::optional<date::sys_days> from;
  std::optional<date::sys_days> to;
  friend bool operator==(const DayRange&, const DayRange&) = default;
};

struct TicketQuery {
  // Every group must match; a group matches when any of its clauses does.
  std::vector<std::vector<Clause>> all;
  // No result matches any of these.
  std::vector<Clause> none;

  std::vector<std::string> statuses;
  std::vector<std::string> priorities;
  std::vector<std::string> groups;
  std::vector<std::string> assignees;
  std::vector<std::string> organizations;
  std::vector<std::string> requesters;
  std::vector<std::string> tags;
  std::vector<std::string> channels;
  DayRange created;
  DayRange updated;

  bool HasText() const { return !all.empty(); }
  bool HasFilters() const;
  bool Empty() const { return !HasText() && none.empty() && !HasFilters(); }
};

// Errors name the clause and what to write instead ("created>=2026-13-01: ...").
Result<TicketQuery> ParseTicketQuery(std::string_view text);

// The words of a natural-language question ("como cancelo uma nota?"), for searches that rank
// by how many of them a document has rather than requiring all: quotes and operators are
// read as text, and only clauses with a letter or digit are kept.
std::vector<Clause> ParseQuestion(std::string_view text);

}  // namespace chamado::search
