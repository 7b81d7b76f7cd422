// Words that carry no meaning of their own in a language ("como", "uma", "the"), from
// Snowball's lists (stopwords/README.md).
#pragma once

#include <string_view>

namespace chamado::search {

// `language`: a desk language or its base subtag; `word`: as typed (case and accents do not
// matter). False for a language without a list.
bool IsStopword(std::string_view language, std::string_view word);

}  // namespace chamado::search
