#include "search/analyzer.h"

#include <libstemmer.h>
#include <utf8proc.h>

#include <cctype>
#include <cstdlib>
#include <map>
#include <memory>

namespace chamado::search {
namespace {

std::string Map(std::string_view text, int options) {
  utf8proc_uint8_t* out = nullptr;
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()), utf8proc_ssize_t(text.size()), &out,
                              utf8proc_option_t(options));
  if (n < 0) return std::string(text);  // not valid UTF-8: left as it is
  std::string s(reinterpret_cast<char*>(out), size_t(n));
  std::free(out);
  return s;
}

struct Snowball {
  std::string_view base, name;
};
constexpr Snowball kSnowball[] = {{"pt", "portuguese"}, {"en", "english"}, {"es", "spanish"}, {"de", "german"}, {"ru", "russian"}};

const char* SnowballName(std::string_view base) {
  for (const auto& s : kSnowball)
    if (s.base == base) return s.name.data();  // the literals end in '\0'
  return nullptr;
}

bool IsAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// Words typed without accents get the accented suffix Snowball's rules expect, so that
// "configuracao" and "configuração" share a stem (hand-written: Snowball has no such step).
std::string RestoreAccents(std::string word, std::string_view language) {
  if (!IsAscii(word)) return word;
  struct Suffix {
    std::string_view plain, accented;
  };
  static constexpr Suffix kPortuguese[] = {{"coes", "ções"}, {"cao", "ção"}, {"soes", "sões"}, {"sao", "são"}};
  static constexpr Suffix kSpanish[] = {{"cion", "ción"}, {"sion", "sión"}};
  auto apply = [&](const auto& table) {
    for (const auto& s : table)
      if (word.size() > s.plain.size() + 2 && word.ends_with(s.plain))
        return word.substr(0, word.size() - s.plain.size()) + std::string(s.accented);
    return word;
  };
  if (language == "pt") return apply(kPortuguese);
  if (language == "es") return apply(kSpanish);
  return word;
}

// Portuguese plurals in -ais, -éis and -ões meet their singular: Snowball stems "fiscais" as
// "fisc" but "fiscal" as "fiscal", and "emissões" apart from "emissão", so "notas fiscais"
// would miss "nota fiscal" (hand-written, like the step above). Words that only look like
// such plurals are left alone.
std::string SingularOf(std::string word, std::string_view language) {
  if (language != "pt") return word;
  static constexpr std::string_view kNotPlurals[] = {"mais", "demais", "jamais", "ademais", "pais", "cais", "vais", "sais", "trais"};
  for (auto w : kNotPlurals)
    if (word == w) return word;
  if (word.size() > 4 && word.ends_with("ais")) return word.substr(0, word.size() - 3) + "al";
  if (word.size() > 5 && word.ends_with("éis")) return word.substr(0, word.size() - 4) + "el";
  if (word.size() > 6 && word.ends_with("ões")) return word.substr(0, word.size() - 4) + "ão";
  return word;
}

// One code point at `at`; its length in `len` (1 for a byte that is not valid UTF-8).
utf8proc_int32_t CodePoint(std::string_view text, size_t at, size_t& len) {
  utf8proc_int32_t cp = 0;
  const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + at), utf8proc_ssize_t(text.size() - at), &cp);
  if (n <= 0) {
    len = 1;
    return -1;
  }
  len = size_t(n);
  return cp;
}

bool IsWordChar(utf8proc_int32_t cp) {
  if (cp < 0) return false;
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND:
      return true;
    default:
      return cp == '_';
  }
}

bool AllDigitsAndDots(std::string_view s) {
  bool digit = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') digit = true;
    else if (c != '.') return false;
  }
  return digit && s.find('.') != std::string_view::npos && s.front() != '.' && s.back() != '.';
}

}  // namespace

std::string_view LanguageOfListFile(std::string_view file) {
  for (const auto& s : kSnowball)
    if (file.size() == s.name.size() + 4 && file.starts_with(s.name) && file.ends_with(".txt")) return s.base;
  return {};
}

std::string FoldCase(std::string_view text) { return Map(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD); }

std::string Fold(std::string_view text) {
  return Map(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
}

Analyzer::Analyzer(std::string_view language) : language_(language.substr(0, language.find('-'))) {
  if (const char* name = SnowballName(language_)) stemmer_ = sb_stemmer_new(name, "UTF_8");
}

const Analyzer& ThreadAnalyzer(std::string_view language) {
  thread_local std::map<std::string, std::unique_ptr<Analyzer>, std::less<>> analyzers;
  auto it = analyzers.find(language);
  if (it == analyzers.end()) it = analyzers.emplace(std::string(language), std::make_unique<Analyzer>(language)).first;
  return *it->second;
}

Analyzer::~Analyzer() {
  if (stemmer_) sb_stemmer_delete(stemmer_);
}

std::string Analyzer::Stem(std::string_view word) const {
  if (!stemmer_ || word.empty()) return std::string(word);
  const sb_symbol* s = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()), int(word.size()));
  if (!s) return std::string(word);
  return std::string(reinterpret_cast<const char*>(s), size_t(sb_stemmer_length(stemmer_)));
}

std::string Analyzer::Term(std::string_view word) const {
  constexpr size_t kCached = 100000;
  if (auto it = terms_.find(std::string(word)); it != terms_.end()) return it->second;
  std::string term = Fold(Stem(SingularOf(RestoreAccents(FoldCase(word), language_), language_)));
  if (terms_.size() >= kCached) terms_.clear();
  terms_.emplace(word, term);
  return term;
}

std::vector<Token> Analyzer::Tokenize(std::string_view text) const {
  std::vector<Token> out;
  size_t i = 0;
  while (i < text.size()) {
    // URLs, whole, without the punctuation that ends a sentence after them.
    if (text.compare(i, 7, "http://") == 0 || text.compare(i, 8, "https://") == 0) {
      size_t j = i;
      while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])) && text[j] != '<' && text[j] != '>' && text[j] != '"') ++j;
      while (j > i && std::string_view(".,;:!?)]'").find(text[j - 1]) != std::string_view::npos) --j;
      out.push_back({Token::Kind::kUrl, FoldCase(text.substr(i, j - i)), i, j});
      i = j;
      continue;
    }
    // A ticket reference: #1234.
    if (text[i] == '#' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      size_t j = i + 1;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      out.push_back({Token::Kind::kTicketRef, std::string(text.substr(i, j - i)), i, j});
      i = j;
      continue;
    }
    size_t len = 0;
    const auto cp = CodePoint(text, i, len);
    if (!IsWordChar(cp)) {
      i += len;
      continue;
    }
    // A chunk: word characters joined by . - @ + (an address, a version, a file name).
    size_t j = i;
    while (j < text.size()) {
      size_t l = 0;
      const auto c = CodePoint(text, j, l);
      if (IsWordChar(c)) {
        j += l;
        continue;
      }
      if ((c == '.' || c == '-' || c == '@' || c == '+') && j + 1 < text.size()) {
        size_t l2 = 0;
        if (IsWordChar(CodePoint(text, j + 1, l2))) {
          j += 1;
          continue;
        }
      }
      break;
    }
    const std::string_view chunk = text.substr(i, j - i);
    const size_t at = chunk.find('@');
    if (at != std::string_view::npos && at > 0 && chunk.find('.', at) != std::string_view::npos) {
      out.push_back({Token::Kind::kEmail, FoldCase(chunk), i, j});
    } else if (AllDigitsAndDots(chunk)) {
      out.push_back({Token::Kind::kVersion, std::string(chunk), i, j});
    } else {
      // Words, split at the joiners; an identifier with underscores is also kept whole.
      if (chunk.find('_') != std::string_view::npos && chunk.front() != '_')
        out.push_back({Token::Kind::kCode, FoldCase(chunk), i, j});
      size_t k = 0;
      while (k < chunk.size()) {
        size_t e = chunk.find_first_of(".-@+_", k);
        if (e == std::string_view::npos) e = chunk.size();
        if (e > k) out.push_back({Token::Kind::kWord, Term(chunk.substr(k, e - k)), i + k, i + e});
        k = e + 1;
      }
    }
    i = j;
  }
  return out;
}

}  // namespace chamado::search
