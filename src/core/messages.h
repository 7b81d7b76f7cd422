// Server messages in the reader's language: the sentences Chamado says to people (an error's
// message, a label written into a ticket), each known by a stable id and written once per
// desk language in templates/messages/<tag>.txt, compiled into the binary.
//
// A catalog line is `id = text`; `{name}` in the text is replaced by the parameter of that
// name, and a language may leave a parameter out (a German sentence need not repeat an
// English hint). English has every id (messages_test holds the other languages to it); an id
// missing in a language is said in English. Pure: no I/O, safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chamado::core {

// A sentence's parameters, by name.
using TextArgs = std::vector<std::pair<std::string, std::string>>;

// The sentence `id` in `language` (a desk language tag; any other is English), its
// parameters filled in. An unknown id is returned as it is (messages_test finds them).
std::string Say(std::string_view id, const TextArgs& args = {}, std::string_view language = "en");

// `text` with each `{name}` that `args` names replaced by its value; any other `{...}` stays.
// Say fills catalog sentences with it; the chatbot fills a flow's own texts ({when}, {number}).
std::string FillParameters(std::string_view text, const TextArgs& args);

// Whether the English catalog has `id`.
bool IsTextId(std::string_view id);

// The catalog of one language as read from its file, in file order: {id, text}. Empty for a
// language without a file.
std::vector<std::pair<std::string, std::string>> CatalogOf(std::string_view language);

// The first desk language an Accept-Language header names (RFC 9110 §12.5.4; entries in
// the order given, weights of 0 refused, "pt-PT" or "de-AT" taken as the desk's "pt-BR" or
// "de"); empty when it names none.
std::string LanguageOfAcceptLanguage(std::string_view header);

}  // namespace chamado::core
