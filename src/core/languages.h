// The desk's languages: the languages the web UI and customer mail are translated into, and
// the only values a person's or an organization's `language` may take. BCP 47 tags, in the
// order people are offered them. English comes first and is the fallback: a text or mail
// template missing in another language is taken from English, so English has everything.
//
// This list is the one source. languages_test holds the other places to it: the mail template
// folders (templates/mail/<tag>/), the web UI's list (web/src/languages.json) and locale files
// (web/src/locales/<tag>.json), and the API document (docs/openapi.json). To add a language,
// add it here and there, with its templates/mail/<tag>/labels.toml.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace chamado::core {

// Each tag has its own primary subtag, so a Content-Language or browser tag ("pt-PT", "de-AT")
// maps onto at most one of them.
inline constexpr std::array<std::string_view, 5> kLanguages = {"en", "pt-BR", "es", "de", "ru"};

inline bool IsDeskLanguage(std::string_view tag) {
  for (auto l : kLanguages)
    if (l == tag) return true;
  return false;
}

// "en, pt-BR, es, de, ru", for messages.
inline std::string DeskLanguageList() {
  std::string s;
  for (auto l : kLanguages) s += (s.empty() ? "" : ", ") + std::string(l);
  return s;
}

}  // namespace chamado::core
