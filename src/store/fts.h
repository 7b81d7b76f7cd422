// What the SQLite full-text indexes share (V009-V011): the languages with an index of their
// own, and how a text becomes an FTS5 string.
#pragma once

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

namespace chamado::store {

// ticket_fts_<l>, article_fts_<l>, ticket_vocab_<l>, article_vocab_<l>.
inline constexpr std::array<std::string_view, 5> kIndexLanguages = {"pt", "en", "es", "de", "ru"};

// The index a language goes to: its base subtag when it has one, else en (V009's and V010's
// SQL say the same).
inline std::string IndexLanguage(std::string_view language) {
  std::string base(language.substr(0, 2));
  for (auto& c : base) c = char(std::tolower(static_cast<unsigned char>(c)));
  return std::find(kIndexLanguages.begin(), kIndexLanguages.end(), base) != kIndexLanguages.end() ? base : "en";
}

// An FTS5 string: a phrase of whatever tokens the index's tokenizer finds in `text`.
inline std::string FtsString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace chamado::store
