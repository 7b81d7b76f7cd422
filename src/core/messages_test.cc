#include "core/messages.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/languages.h"
#include "core/result.h"

namespace chamado::core {
namespace {

std::set<std::string> Placeholders(const std::string& text) {
  std::set<std::string> out;
  static const std::regex kName(R"(\{([a-z_]+)\})");
  for (std::sregex_iterator it(text.begin(), text.end(), kName), end; it != end; ++it) out.insert((*it)[1]);
  return out;
}

TEST(Messages, SayFillsParametersInTheLanguageAsked) {
  EXPECT_EQ(Say("ticket.not_found", {{"number", "42"}}), "Ticket #42 does not exist.");
  EXPECT_EQ(Say("ticket.not_found", {{"number", "42"}}, "pt-BR"), "O chamado #42 não existe.");
  EXPECT_EQ(Say("ticket.not_found", {{"number", "42"}}, "de"), "Ticket #42 existiert nicht.");
  // A language may leave a parameter out: pt-BR does not repeat the English hint.
  EXPECT_EQ(Say("field.required", {{"field", "subject"}, {"what", "a few words"}}, "pt-BR"), "O campo \"subject\" é obrigatório.");
  EXPECT_EQ(Say("field.required", {{"field", "subject"}, {"what", "a few words"}}), "The field \"subject\" is required: a few words.");
}

TEST(Messages, FillParametersReplacesEveryNamedOneAndLeavesTheRest) {
  EXPECT_EQ(FillParameters("Back {when}; again {when}.", {{"when", "at 13:00"}}), "Back at 13:00; again at 13:00.");
  EXPECT_EQ(FillParameters("Ticket #{number} {unknown} {", {{"number", "7"}}), "Ticket #7 {unknown} {");
  EXPECT_EQ(FillParameters("", {{"number", "7"}}), "");
}

TEST(Messages, AnUnknownLanguageIsEnglishAndAnUnknownIdIsItself) {
  EXPECT_EQ(Say("ticket.not_found", {{"number", "1"}}, "fr"), "Ticket #1 does not exist.");
  EXPECT_EQ(Say("no.such.id"), "no.such.id");
  EXPECT_FALSE(IsTextId("no.such.id"));
  EXPECT_TRUE(IsTextId("auth.wrong_password"));
}

TEST(Messages, EveryLanguageSaysEveryEnglishSentenceWithItsParameters) {
  const auto english = CatalogOf("en");
  ASSERT_GT(english.size(), 50u);
  std::map<std::string, std::string> en(english.begin(), english.end());
  ASSERT_EQ(en.size(), english.size()) << "an id is given twice in en.txt";
  for (std::string_view language : kLanguages) {
    if (language == "en") continue;
    const auto catalog = CatalogOf(language);
    std::map<std::string, std::string> said(catalog.begin(), catalog.end());
    EXPECT_EQ(said.size(), catalog.size()) << language << ": an id is given twice";
    for (const auto& [id, text] : en) {
      auto it = said.find(id);
      if (it == said.end()) {
        ADD_FAILURE() << language << " lacks " << id;
        continue;
      }
      // Words a language spells as English does (Spanish "No").
      static const std::set<std::pair<std::string_view, std::string_view>> kSpelledAlike = {{"es", "bot.no"}};
      if (!kSpelledAlike.count({language, id})) EXPECT_NE(it->second, text) << language << " says " << id << " in English";
      const auto theirs = Placeholders(it->second), ours = Placeholders(text);
      for (const auto& p : theirs) EXPECT_TRUE(ours.count(p)) << language << " " << id << " names {" << p << "}, which English does not give";
    }
    for (const auto& [id, text] : said) EXPECT_TRUE(en.count(id)) << language << " has " << id << ", which en.txt does not";
  }
}

TEST(Messages, EveryIdTheSourceSaysIsInTheCatalog) {
  static const std::regex kSaid(R"re((?:Said|Say)\((?:[^;\n]*?,\s*)?"([a-z_]+\.[a-z_.]+)")re");
  int found = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(CHAMADO_SOURCE_DIR) + "/src")) {
    if (entry.path().extension() != ".cc" || entry.path().filename().string().ends_with("_test.cc")) continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    for (std::sregex_iterator it(s.begin(), s.end(), kSaid), end; it != end; ++it) {
      ++found;
      EXPECT_TRUE(IsTextId((*it)[1].str())) << entry.path() << " says " << (*it)[1] << ", which en.txt does not have";
    }
  }
  EXPECT_GT(found, 30);
}

TEST(Messages, AcceptLanguagePicksTheFirstDeskLanguageByWeight) {
  struct Case {
    std::string header, language;
  };
  const std::vector<Case> cases = {
      {"pt-BR,pt;q=0.9,en;q=0.8", "pt-BR"},
      {"de-AT", "de"},
      {"fr-FR, ru;q=0.5, en;q=0.4", "ru"},
      {"en;q=0.2, es;q=0.9", "es"},
      {"es;q=0, de", "de"},
      {"fr, it", ""},
      {"", ""},
      {"*", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(LanguageOfAcceptLanguage(c.header), c.language) << c.header;
}

TEST(Messages, ErrorsCarryTheirIdAndAreSaidInTheReadersLanguage) {
  Error e = Error::Said(ErrorCode::kNotFound, "ticket.not_found", {{"number", "7"}});
  EXPECT_EQ(e.message, "Ticket #7 does not exist.");
  EXPECT_EQ(e.MessageIn("es"), "El ticket #7 no existe.");
  Error several = Error::Invalid({{"subject", "The subject is empty.", "ticket.subject_empty"}, {"body", "x", "text.empty", {{"field", "body"}}}});
  EXPECT_EQ(several.MessageIn("pt-BR"),
            "O assunto está vazio; diga em poucas palavras do que se trata o pedido. (e mais 1 problema(s), listados em errors)");
  EXPECT_EQ(several.fields[1].MessageIn("ru"), "Поле \"body\" пусто; напишите, что вам нужно.");
  // A first problem without an id keeps the whole sentence English, not half of it.
  Error mixed = Error::Invalid({{"details.x", "Project number is required."}, {"body", "x", "text.empty", {{"field", "body"}}}});
  EXPECT_EQ(mixed.MessageIn("pt-BR"), "Project number is required. (and 1 more problem(s), listed in errors)");
  // Without an id, the English sentence is all there is.
  EXPECT_EQ(Error::Conflict("Plain.").MessageIn("de"), "Plain.");
}

}  // namespace
}  // namespace chamado::core
