// Words that mean the same in a support question ("anular" and "cancelar"), from the sets in
// synonyms/<language>.txt (synonyms/README.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chamado::search {

// The other words (or phrases) of every set `word` belongs to, matched by stem in
// `language` (a desk language or its base subtag); empty when it belongs to none.
std::vector<std::string> SynonymsOf(std::string_view language, std::string_view word);

// One term for every one-word entry of a set, so that texts saying the same with different
// words share terms: the term of the set's first entry ("anul" -> "cancel" in Portuguese);
// `term` itself when it is in no set (or only in sets headed by a phrase).
std::string CanonicalTerm(std::string_view language, const std::string& term);

}  // namespace chamado::search
