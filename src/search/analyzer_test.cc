#include "search/analyzer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace chamado::search {
namespace {

// Snowball's own vocabularies (tests/search/stemmer, from snowballstem/snowball-data): every
// word through the stemming step of Chamado's analyzer gives the stem Snowball lists.
struct Vocabulary {
  const char* folder;
  const char* language;
  size_t words;
};

class Stemming : public ::testing::TestWithParam<Vocabulary> {};

TEST_P(Stemming, EveryWordOfSnowballsVocabulary) {
  const Vocabulary v = GetParam();
  const std::string dir = std::string(CHAMADO_STEMMER_TESTDATA) + "/" + v.folder;
  std::ifstream voc(dir + "/voc.txt"), expected(dir + "/output.txt");
  ASSERT_TRUE(voc && expected) << dir;
  Analyzer analyzer(v.language);
  std::string word, stem;
  size_t lines = 0, wrong = 0;
  std::string first_wrong;
  while (std::getline(voc, word)) {
    ASSERT_TRUE(std::getline(expected, stem)) << "output.txt is shorter than voc.txt at line " << lines + 1;
    ++lines;
    const std::string got = analyzer.Stem(word);
    if (got != stem && wrong++ == 0) first_wrong = word + " -> " + got + " (expected " + stem + ")";
  }
  EXPECT_EQ(lines, v.words);
  EXPECT_EQ(wrong, 0u) << "first: " << first_wrong;
}

INSTANTIATE_TEST_SUITE_P(Snowball, Stemming,
                         ::testing::Values(Vocabulary{"portuguese", "pt-BR", 32016}, Vocabulary{"spanish", "es", 28377},
                                           Vocabulary{"english", "en", 42603}),
                         [](const auto& info) { return std::string(info.param.folder); });

std::vector<std::string> Terms(const Analyzer& a, std::string_view text) {
  std::vector<std::string> out;
  for (const auto& t : a.Tokenize(text)) out.push_back(t.term);
  return out;
}

TEST(Analyzer, AccentsAndCaseMeetWhicheverWayTheyAreTyped) {
  Analyzer pt("pt-BR");
  const std::string term = pt.Term("configuração");
  for (const char* w : {"Configuração", "configuracao", "CONFIGURAÇÕES", "Configuracoes", "configurar"})
    EXPECT_EQ(pt.Term(w), term) << w;
  EXPECT_EQ(pt.Term("impressão"), pt.Term("impressao"));
  EXPECT_EQ(pt.Term("impressão"), "impressa");  // stemmed with its accent, then folded
  EXPECT_EQ(pt.Term("Nota"), pt.Term("notas"));
  // Plurals in -ais and -éis, which Snowball stems apart from their singular.
  EXPECT_EQ(pt.Term("fiscais"), pt.Term("fiscal"));
  EXPECT_EQ(pt.Term("Papéis"), pt.Term("papel"));
  EXPECT_EQ(pt.Term("reais"), pt.Term("real"));
  EXPECT_EQ(pt.Term("Emissões"), pt.Term("emissão"));
  EXPECT_EQ(pt.Term("emissoes"), pt.Term("emissao"));
  EXPECT_EQ(pt.Term("botões"), pt.Term("botão"));
  EXPECT_NE(pt.Term("mais"), pt.Term("mal"));
  Analyzer es("es");
  EXPECT_EQ(es.Term("configuración"), es.Term("configuracion"));
  Analyzer de("de");
  EXPECT_EQ(de.Term("Straße"), de.Term("strasse"));
  Analyzer ru("ru");
  EXPECT_EQ(ru.Term("Ошибки"), ru.Term("ошибка"));
  Analyzer none("fr");
  EXPECT_EQ(none.Term("Déjà"), "deja");  // no stemmer: folded only
}

TEST(Analyzer, WhatSupportTextCarriesIsKeptWhole) {
  Analyzer en("en");
  struct Row {
    const char* text;
    std::vector<std::string> terms;
  };
  const Row rows[] = {
      {"See #1234 and #99.", {"see", "#1234", "and", "#99"}},
      {"Mail Ana.Souza@Acme.com.br now", {"mail", "ana.souza@acme.com.br", "now"}},
      {"Broken since 2.4.1, fine in 2.3", {"broken", "sinc", "2.4.1", "fine", "in", "2.3"}},
      {"Got ERR_CONN_REFUSED again", {"got", "err_conn_refused", "err", "conn", "refus", "again"}},
      {"Open https://status.example.com/incidents/42?x=1. Thanks", {"open", "https://status.example.com/incidents/42?x=1", "thank"}},
      {"the e-mail log.txt", {"the", "e", "mail", "log", "txt"}},
      {"", {}},
  };
  for (const auto& r : rows) EXPECT_EQ(Terms(en, r.text), r.terms) << r.text;
}

TEST(Fold, CaseAndMarksGo) {
  EXPECT_EQ(Fold("Ação"), "acao");
  EXPECT_EQ(Fold("ÉRRO Ü"), "erro u");
  EXPECT_EQ(FoldCase("AÇÃO"), "ação");
  EXPECT_EQ(Fold("Ёлка"), "елка");
}

TEST(Analyzer, OffsetsPointIntoTheOriginalText) {
  Analyzer pt("pt-BR");
  const std::string text = "Emissão da nota fiscal falhou (#77)";
  for (const auto& t : pt.Tokenize(text)) {
    ASSERT_LE(t.end, text.size());
    ASSERT_LT(t.begin, t.end);
  }
  const auto tokens = pt.Tokenize(text);
  ASSERT_EQ(tokens.size(), 6u);
  EXPECT_EQ(text.substr(tokens[0].begin, tokens[0].end - tokens[0].begin), "Emissão");
  EXPECT_EQ(tokens[5].kind, Token::Kind::kTicketRef);
  EXPECT_EQ(text.substr(tokens[5].begin, tokens[5].end - tokens[5].begin), "#77");
}

TEST(Analyzer, InvalidUtf8IsSkippedNotFatal) {
  Analyzer en("en");
  const std::string bad = std::string("ok \xff\xfe broken") + '\0' + "end";
  const auto terms = Terms(en, bad);
  EXPECT_EQ(terms.front(), "ok");
  EXPECT_EQ(terms.back(), "end");
}

}  // namespace
}  // namespace chamado::search
