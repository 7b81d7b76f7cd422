// How alike two tickets read: cosine similarity of their TF-IDF term vectors (Chamado's
// analyzer, stop words dropped, subject words counting double), 0 (nothing shared) to 1
// (the same words in the same proportions). Used for duplicate hints: the index finds the
// candidates, this scores them on one scale, so one threshold means the same everywhere.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "search/analyzer.h"

namespace chamado::search {

using TermVector = std::map<std::string, double>;

// `document_frequency(term)`: in how many of `documents` indexed tickets the term occurs.
TermVector Vectorize(const Analyzer& analyzer, std::string_view subject, std::string_view body,
                     const std::function<int64_t(const std::string&)>& document_frequency, int64_t documents);

double Cosine(const TermVector& a, const TermVector& b);

// Damerau-Levenshtein distance (a transposition counts one), in bytes, stopping above `max`
// (then max + 1).
int EditDistance(std::string_view a, std::string_view b, int max);

// A score from which two tickets are shown as probably the same case.
inline constexpr double kLikelySameCase = 0.35;

}  // namespace chamado::search
