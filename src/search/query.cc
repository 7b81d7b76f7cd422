#include "search/query.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace chamado::search {
namespace {

// One whitespace-separated piece of the query, with its quotes already read.
struct Piece {
  std::string text;       // quotes removed
  bool quoted = false;    // the whole piece (or its value, after "field:") was in quotes
  bool negated = false;   // a leading '-'
  std::string field;      // "status" in status:open; empty for text
  std::string op;         // ":", ">", ">=", "<", "<="
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Reads a run up to whitespace, or a quoted run up to the closing quote (an unclosed quote
// runs to the end: the person is still typing).
std::string ReadRun(std::string_view s, size_t& i, bool& quoted) {
  std::string out;
  quoted = i < s.size() && s[i] == '"';
  if (quoted) {
    ++i;
    while (i < s.size() && s[i] != '"') out += s[i++];
    if (i < s.size()) ++i;
    return out;
  }
  while (i < s.size() && !IsSpace(s[i])) out += s[i++];
  return out;
}

constexpr std::array<std::string_view, 9> kFields = {"status", "priority",  "group", "assignee", "org",
                                                      "organization", "requester", "tag",  "channel"};
constexpr std::array<std::string_view, 2> kDateFields = {"created", "updated"};

bool Known(std::string_view field) {
  return std::find(kFields.begin(), kFields.end(), field) != kFields.end() ||
         std::find(kDateFields.begin(), kDateFields.end(), field) != kDateFields.end();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "field:value", "field>=value", ... when field is a known one; otherwise empty field.
void SplitField(Piece& p, std::string_view s, size_t& i) {
  size_t name_end = i;
  while (name_end < s.size() && (std::isalpha(static_cast<unsigned char>(s[name_end])))) ++name_end;
  const std::string name = Lower(s.substr(i, name_end - i));
  if (name.empty() || name_end >= s.size() || !Known(name)) return;
  std::string op;
  if (s.substr(name_end, 2) == ">=" || s.substr(name_end, 2) == "<=") op = std::string(s.substr(name_end, 2));
  else if (s[name_end] == ':' || s[name_end] == '>' || s[name_end] == '<') op = std::string(1, s[name_end]);
  if (op.empty()) return;
  const size_t value = name_end + op.size();
  if (value >= s.size() || IsSpace(s[value])) return;  // "status:" alone is text
  p.field = name == "organization" ? "org" : name;
  p.op = op;
  i = value;
}

std::vector<Piece> Split(std::string_view s) {
  std::vector<Piece> out;
  size_t i = 0;
  while (true) {
    while (i < s.size() && IsSpace(s[i])) ++i;
    if (i >= s.size()) break;
    Piece p;
    if (s[i] == '-' && i + 1 < s.size() && !IsSpace(s[i + 1])) {
      p.negated = true;
      ++i;
    }
    SplitField(p, s, i);
    p.text = ReadRun(s, i, p.quoted);
    // A quote opened in the middle of a run ("erro"x) is text; so is what follows.
    if (!p.quoted) p.text.erase(std::remove(p.text.begin(), p.text.end(), '"'), p.text.end());
    out.push_back(std::move(p));
  }
  return out;
}

bool HasWordCharacter(std::string_view s) {
  // Any letter or digit, including non-ASCII ones (every byte >= 0x80 belongs to one).
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || std::isalnum(u);
  });
}

Result<date::sys_days> ParseDay(std::string_view clause, std::string_view v) {
  int y = 0;
  unsigned m = 0, d = 0;
  auto bad = [&] {
    return Error::InvalidSaid("q", "search.date_format", {{"clause", std::string(clause)}});
  };
  if (v.size() != 10 || v[4] != '-' || v[7] != '-') return bad();
  auto num = [&](size_t at, size_t n, auto& out) {
    return std::from_chars(v.data() + at, v.data() + at + n, out).ptr == v.data() + at + n;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return bad();
  const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok())
    return Error::InvalidSaid("q", "search.date_not_day", {{"clause", std::string(clause)}, {"value", std::string(v)}});
  return date::sys_days(ymd);
}

Result<void> AddDate(DayRange& range, const Piece& p) {
  const std::string clause = p.field + p.op + p.text;
  auto day = ParseDay(clause, p.text);
  if (!day) return day.error();
  const date::sys_days d = *day;
  const date::sys_days next = d + date::days{1};
  auto later = [](std::optional<date::sys_days>& bound, date::sys_days v) { bound = bound ? std::max(*bound, v) : v; };
  auto earlier = [](std::optional<date::sys_days>& bound, date::sys_days v) { bound = bound ? std::min(*bound, v) : v; };
  if (p.op == ":") {
    later(range.from, d);
    earlier(range.to, next);
  } else if (p.op == ">=") {
    later(range.from, d);
  } else if (p.op == ">") {
    later(range.from, next);
  } else if (p.op == "<") {
    earlier(range.to, d);
  } else {
    earlier(range.to, next);
  }
  return Ok();
}

std::vector<std::string>* ListOf(TicketQuery& q, std::string_view field) {
  if (field == "status") return &q.statuses;
  if (field == "priority") return &q.priorities;
  if (field == "group") return &q.groups;
  if (field == "assignee") return &q.assignees;
  if (field == "org") return &q.organizations;
  if (field == "requester") return &q.requesters;
  if (field == "tag") return &q.tags;
  if (field == "channel") return &q.channels;
  return nullptr;
}

Result<void> AddFilter(TicketQuery& q, const Piece& p) {
  const std::string clause = (p.negated ? "-" : "") + p.field + p.op + p.text;
  if (p.negated)
    return Error::InvalidSaid("q", "search.filter_excluded", {{"clause", clause}});
  if (p.field == "created") return AddDate(q.created, p);
  if (p.field == "updated") return AddDate(q.updated, p);
  if (p.op != ":") return Error::InvalidSaid("q", "search.filter_operator", {{"clause", clause}, {"filter", p.field}});
  auto* list = ListOf(q, p.field);
  size_t start = 0;
  const std::string_view v = p.text;
  while (start <= v.size()) {
    const size_t comma = p.quoted ? std::string_view::npos : v.find(',', start);
    const std::string_view one = v.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (!one.empty() && std::find(list->begin(), list->end(), one) == list->end()) list->emplace_back(one);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (list->empty()) return Error::InvalidSaid("q", "search.filter_empty", {{"clause", clause}, {"filter", p.field}});
  return Ok();
}

Clause ClauseOf(const Piece& p) {
  if (p.quoted) return {Clause::Kind::kPhrase, p.text};
  if (p.text.size() > 1 && p.text.back() == '*') {
    std::string stem = p.text;
    while (!stem.empty() && stem.back() == '*') stem.pop_back();
    return {Clause::Kind::kPrefix, stem};
  }
  return {Clause::Kind::kWord, p.text};
}

}  // namespace

bool TicketQuery::HasFilters() const {
  return !statuses.empty() || !priorities.empty() || !groups.empty() || !assignees.empty() || !organizations.empty() ||
         !requesters.empty() || !tags.empty() || !channels.empty() || created.from || created.to || updated.from ||
         updated.to;
}

Result<TicketQuery> ParseTicketQuery(std::string_view text) {
  TicketQuery q;
  bool join_next = false;  // the previous piece was OR
  for (const Piece& p : Split(text)) {
    if (!p.field.empty()) {
      if (auto r = AddFilter(q, p); !r) return r.error();
      join_next = false;
      continue;
    }
    if (!p.quoted && !p.negated && p.text == "OR") {
      join_next = !q.all.empty();
      continue;
    }
    const Clause c = ClauseOf(p);
    if (!HasWordCharacter(c.text)) continue;
    if (p.negated) {
      q.none.push_back(c);
    } else if (join_next) {
      q.all.back().push_back(c);
    } else {
      q.all.push_back({c});
    }
    join_next = false;
  }
  return q;
}

std::vector<Clause> ParseQuestion(std::string_view text) {
  std::vector<Clause> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    const size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    std::string word(text.substr(start, i - start));
    word.erase(std::remove_if(word.begin(), word.end(), [](char c) { return c == '"' || c == '*'; }), word.end());
    while (!word.empty() && word.front() == '-') word.erase(word.begin());
    if (HasWordCharacter(word) && word != "OR") out.push_back({Clause::Kind::kWord, std::move(word)});
  }
  return out;
}

}  // namespace chamado::search
