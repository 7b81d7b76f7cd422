// Text analysis shared by every search index in Chamado (tickets, help-center articles,
// duplicate hints): UTF-8 text in, the terms to index or match out.
//
//   - Words are case-folded, stemmed with Snowball (libstemmer) in the text's language, then
//     stripped of accents, so "Configurações", "configuração" and "configuracao" meet. (Stem
//     first, then fold: Snowball's Portuguese and Spanish rules need the accents. A word typed
//     without them gets its accented suffix back first: "configuracao" is stemmed as
//     "configuração".)
//   - What support text carries is kept whole: ticket references (#1234), email addresses,
//     version numbers (2.4.1), error codes (ERR_CONN_REFUSED, whose parts are words too) and
//     URLs.
//
// An Analyzer holds a Snowball stemmer and a cache of the terms it made, neither
// thread-safe: one per thread.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sb_stemmer;

namespace chamado::search {

// Changes whenever a word would become a different term (a new rule, a new stemmer): indexes
// built under another version are rebuilt (store: SearchRepo::MatchAnalyzer).
inline constexpr int kAnalyzerVersion = 1;

struct Token {
  enum class Kind { kWord, kTicketRef, kEmail, kVersion, kCode, kUrl };
  Kind kind = Kind::kWord;
  std::string term;       // what is indexed and matched
  size_t begin = 0;       // byte offsets in the analysed text, for snippets
  size_t end = 0;
};

class Analyzer {
 public:
  // `language`: one of the desk's languages ("pt-BR", "en", "es", "de", "ru", or their base
  // subtag); any other: words are folded but not stemmed.
  explicit Analyzer(std::string_view language);
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  std::vector<Token> Tokenize(std::string_view text) const;
  // The base subtag it analyses: "pt".
  const std::string& language() const { return language_; }

  // The stemming step alone: a lower-case word in, its Snowball stem out (unchanged without a
  // stemmer for the language).
  std::string Stem(std::string_view lowercase_word) const;

  // The term a single word becomes: folded case, accents restored where typed without them,
  // stemmed, accents stripped.
  std::string Term(std::string_view word) const;

 private:
  std::string language_;  // the base subtag: "pt"
  sb_stemmer* stemmer_ = nullptr;
  // Word -> term, as words repeat: most of a text is words seen before. Emptied when full.
  mutable std::unordered_map<std::string, std::string> terms_;
};

// The term that stands for two adjacent terms in an index of word pairs (the ticket indexes):
// a phrase of common words ("nota fiscal") is then matched through its pairs' own, short
// lists instead of both words' long ones. The leading \x02 sorts every pair before the
// words, so a prefix ("nota*") or a range of words never takes a pair in.
inline std::string PairTerm(std::string_view first, std::string_view second) {
  std::string out = "\x02";
  out.append(first).append(1, '\x1f').append(second);
  return out;
}

// This thread's analyzer of `language` (made on first use, kept for the thread's life): an
// Analyzer is not thread-safe, and making one opens a stemmer.
const Analyzer& ThreadAnalyzer(std::string_view language);

// The language of a word list named after its Snowball stemmer ("portuguese.txt" -> "pt");
// empty for any other name. Stop words and synonyms are kept in such files.
std::string_view LanguageOfListFile(std::string_view file);

// Case-folded (Unicode), as a stemmer wants its input: "AÇÃO" -> "ação".
std::string FoldCase(std::string_view text);
// Case-folded and without accents or other combining marks: "Ação" -> "acao".
std::string Fold(std::string_view text);

}  // namespace chamado::search
