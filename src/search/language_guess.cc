#include "search/language_guess.h"

#include <array>

#include "core/languages.h"
#include "search/stopwords.h"

namespace chamado::search {

std::string GuessLanguage(std::string_view text) {
  std::array<int, core::kLanguages.size()> hits{};
  int words = 0;
  size_t i = 0;
  // Words are runs of letters: ASCII letters and any byte of a multi-byte UTF-8 sequence
  // (accented Latin and Cyrillic letters; the rare non-letter among them only costs a miss).
  auto letter = [](unsigned char c) { return c >= 0x80 || (c | 0x20) - 'a' < 26u; };
  while (i < text.size() && words < 300) {
    while (i < text.size() && !letter(static_cast<unsigned char>(text[i]))) ++i;
    const size_t start = i;
    while (i < text.size() && letter(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) break;
    ++words;
    // Only a word of one language's list tells: Portuguese and Spanish share "de", "que", "a",
    // "o", "e", and English has "a" too.
    const std::string_view word = text.substr(start, i - start);
    int only = -1;
    for (size_t l = 0; l < core::kLanguages.size() && only != -2; ++l)
      if (IsStopword(core::kLanguages[l], word)) only = only == -1 ? int(l) : -2;
    if (only >= 0) ++hits[size_t(only)];
  }
  size_t best = 0, second = 1;
  if (hits[second] > hits[best]) std::swap(best, second);
  for (size_t l = 2; l < hits.size(); ++l) {
    if (hits[l] > hits[best]) {
      second = best;
      best = l;
    } else if (hits[l] > hits[second]) {
      second = l;
    }
  }
  if (hits[best] < 2 || 2 * hits[second] > hits[best]) return {};
  return std::string(core::kLanguages[best]);
}

}  // namespace chamado::search
