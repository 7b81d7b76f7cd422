#include "core/languages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/mail.h"
#include "core/text.h"

namespace chamado::core {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path kSource = CHAMADO_SOURCE_DIR;

std::vector<std::string> Listed() { return {kLanguages.begin(), kLanguages.end()}; }

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

json::value ReadJson(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return json::parse(s.str());
}

std::vector<std::string> Folders(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_directory()) out.push_back(entry.path().filename().string());
  return out;
}

// The names, without the extension, of the files in `dir` that have it.
std::vector<std::string> Stems(const fs::path& dir, std::string_view extension) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == extension) out.push_back(entry.path().stem().string());
  return out;
}

// The enums of the document that hold "pt-BR": its lists of languages, with where they are.
void LanguageEnums(const json::value& v, const std::string& path, std::vector<std::pair<std::string, json::array>>& out) {
  if (const auto* o = v.if_object()) {
    for (const auto& kv : *o) {
      const std::string at = path + "." + std::string(kv.key());
      const auto* list = kv.value().if_array();
      if (kv.key() == "enum" && list && std::find(list->begin(), list->end(), json::value("pt-BR")) != list->end())
        out.emplace_back(at, *list);
      else
        LanguageEnums(kv.value(), at, out);
    }
  } else if (const auto* a = v.if_array()) {
    for (const auto& item : *a) LanguageEnums(item, path, out);
  }
}

TEST(Languages, EnglishComesFirst) { EXPECT_EQ(kLanguages.front(), "en"); }

// DeskLanguage and the web's matchLanguage map a tag by its primary subtag.
TEST(Languages, EachHasItsOwnPrimarySubtag) {
  for (std::string_view language : kLanguages) {
    SCOPED_TRACE(language);
    EXPECT_EQ(DeskLanguage(language), language);
    EXPECT_EQ(DeskLanguage(AsciiLower(language.substr(0, language.find('-')))), language);
  }
}

TEST(Languages, EachHasMailTemplatesAndNoOtherHas) {
  EXPECT_EQ(Sorted(Folders(kSource / "templates/mail")), Sorted(Listed())) << "templates/mail/ has one folder per language of src/core/languages.h";
}

TEST(Languages, EachHasAWebLocaleAndNoOtherHas) {
  EXPECT_EQ(Sorted(Stems(kSource / "web/src/locales", ".json")), Sorted(Listed())) << "web/src/locales/ has one file per language of src/core/languages.h";
}

TEST(Languages, TheWebOffersThemInTheSameOrder) {
  const json::value web = ReadJson(kSource / "web/src/languages.json");
  std::vector<std::string> offered;
  for (const auto& l : web.as_array())
    offered.emplace_back(l.at("code").as_string());
  EXPECT_EQ(offered, Listed()) << "web/src/languages.json lists the languages of src/core/languages.h, in order";
}

TEST(Languages, TheApiDocumentListsThem) {
  std::vector<std::pair<std::string, json::array>> enums;
  LanguageEnums(ReadJson(kSource / "docs/openapi.json"), "", enums);
  ASSERT_FALSE(enums.empty()) << "docs/openapi.json has no enum of languages";
  for (const auto& [path, values] : enums) {
    std::vector<std::string> listed;
    for (const auto& v : values) listed.emplace_back(v.as_string());
    EXPECT_EQ(listed, Listed()) << path << " in docs/openapi.json (written by docs/openapi.py)";
  }
}

}  // namespace
}  // namespace chamado::core
