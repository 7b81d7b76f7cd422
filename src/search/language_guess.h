// Which desk language a text is written in, from the Snowball stop words of each language
// (stopwords.h): the short words every sentence needs ("não", "the", "und", "что") tell the
// languages apart where the content words cannot. Used to route a ticket to an agent who
// reads it when the text says more than the contact's preference.
#pragma once

#include <string>
#include <string_view>

namespace chamado::search {

// The desk language tag ("pt-BR", "en", "es", "de", "ru") of `text`, or empty when the text
// does not say clearly. Only stop words of a single language count (Portuguese and Spanish
// share many); the best language needs 2 of them and twice as many as the second. Reads at
// most the first 300 words.
std::string GuessLanguage(std::string_view text);

}  // namespace chamado::search
