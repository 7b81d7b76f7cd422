// The literals PostgreSQL's ticket search is fed with: Chamado's terms, quoted, positioned and
// weighted as V028 says, within PostgreSQL's limits.
#include "store/tsvector.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace chamado::store {
namespace {

using search::Clause;

// The literal read back: lexeme -> its positions as written ("1A", "7").
std::map<std::string, std::vector<std::string>> Parse(const std::string& literal) {
  std::map<std::string, std::vector<std::string>> out;
  size_t i = 0;
  while (i < literal.size()) {
    EXPECT_EQ(literal[i], '\'') << literal.substr(i, 40);
    std::string lexeme;
    for (++i; i < literal.size(); ++i) {
      if ((literal[i] == '\'' || literal[i] == '\\') && i + 1 < literal.size() && literal[i + 1] == literal[i]) {
        lexeme += literal[i++];
        continue;
      }
      if (literal[i] == '\'') break;
      EXPECT_NE(literal[i], '\\') << "a lone backslash in " << literal;
      lexeme += literal[i];
    }
    ++i;
    auto& positions = out[lexeme];
    EXPECT_EQ(literal[i], ':') << lexeme;
    std::string p;
    for (++i; i < literal.size() && literal[i] != ' '; ++i) {
      if (literal[i] == ',') positions.push_back(std::move(p)), p.clear();
      else p += literal[i];
    }
    positions.push_back(p);
    ++i;
  }
  return out;
}

TEST(TsVectorLiteralTest, PartsArePositionedInOrderWithAGapAndWeighted) {
  const search::Analyzer pt("pt");
  const auto doc = Parse(TsVectorLiteral(pt, {"Notas fiscais", "Ana Souza", "conferir nota", "A nota fiscal"}));
  // subject 1-2, gap 3, people 4-5, gap 6, internal 7-8, gap 9, conversation 10-12.
  EXPECT_EQ(doc.at(pt.Term("nota")), (std::vector<std::string>{"1A", "8C", "11"}));
  EXPECT_EQ(doc.at(pt.Term("fiscais")), (std::vector<std::string>{"2A", "12"}));
  EXPECT_EQ(doc.at(pt.Term("souza")), std::vector<std::string>{"5B"});
  EXPECT_EQ(doc.at(pt.Term("conferir")), std::vector<std::string>{"7C"});
  EXPECT_EQ(pt.Term("fiscais"), pt.Term("fiscal"));  // the analyzer's stems, not PostgreSQL's
}

TEST(TsVectorLiteralTest, AccentsAreFoldedAfterStemming) {
  const search::Analyzer pt("pt");
  const auto doc = Parse(TsVectorLiteral(pt, {"Configurações", "", "", "emissão"}));
  EXPECT_TRUE(doc.count(pt.Term("configuracao"))) << TsVectorLiteral(pt, {"Configurações", "", "", ""});
  EXPECT_TRUE(doc.count(pt.Term("emissao")));
  for (const auto& [lexeme, _] : doc) EXPECT_EQ(lexeme, search::Fold(lexeme));
}

TEST(TsVectorLiteralTest, QuotesAndBackslashesAreEscaped) {
  EXPECT_EQ(TsLexeme("it's"), "'it''s'");
  EXPECT_EQ(TsLexeme("a\\b"), "'a\\\\b'");
  EXPECT_EQ(TsLexeme("''"), "''''''");
  const search::Analyzer en("en");
  // Whatever the analyzer keeps of quotes and backslashes reads back as its terms.
  const std::string text = "C:\\Users\\ana's files 'quoted' O'Brien \\\\server\\share \\' '\\";
  const auto doc = Parse(TsVectorLiteral(en, {text, "", "", ""}));
  for (const auto& t : en.Tokenize(text)) EXPECT_TRUE(doc.count(t.term)) << t.term;
}

TEST(TsVectorLiteralTest, CodesVersionsAndEmailsAreKeptWholeWithTheirParts) {
  const search::Analyzer en("en");
  const auto doc = Parse(TsVectorLiteral(en, {"", "Bob bob@globex.example", "", "ERR_CONN_REFUSED since 2.4.1, see #1234"}));
  for (const std::string& term : {std::string("err_conn_refused"), en.Term("conn"), en.Term("refused"), std::string("2.4.1"),
                                  std::string("bob@globex.example"), std::string("#1234")})
    EXPECT_TRUE(doc.count(term)) << term;
  // A phrase of the code is its tokens in a row, in the document as in the query.
  const std::string phrase = TsQueryClause(en, {Clause::Kind::kWord, "ERR_CONN_REFUSED"});
  std::string expected;
  for (const auto& t : en.Tokenize("ERR_CONN_REFUSED")) expected += (expected.empty() ? "" : " <-> ") + TsLexeme(t.term);
  EXPECT_EQ(phrase, expected);
  EXPECT_NE(phrase.find("'err_conn_refused'"), std::string::npos);
}

TEST(TsVectorLiteralTest, LongTextsStayWithinPostgresLimits) {
  const search::Analyzer en("en");
  std::string text;
  for (int i = 0; i < 300000; ++i) text += "word" + std::to_string(i) + " printer ";
  const std::string literal = TsVectorLiteral(en, {"Printer", "", "", text});
  EXPECT_LE(literal.size(), kMaxTsVectorBytes);
  const auto doc = Parse(literal);
  const auto& printer = doc.at(en.Term("printer"));
  EXPECT_EQ(printer.size(), kMaxTsPositions);
  EXPECT_EQ(printer.front(), "1A");
  for (const auto& [lexeme, positions] : doc) {
    EXPECT_LE(positions.size(), kMaxTsPositions);
    for (const auto& p : positions) EXPECT_LE(std::stoi(p), kMaxTsPosition) << lexeme;
  }
  EXPECT_TRUE(doc.count("word0"));  // the earliest terms are the ones kept
  EXPECT_FALSE(doc.count("word299999"));
  // A term longer than a lexeme may be is left out; the words beside it stay.
  const auto url = Parse(TsVectorLiteral(en, {"see http://example.com/" + std::string(3000, 'a') + " now", "", "", ""}));
  for (const auto& [lexeme, _] : url) EXPECT_LE(lexeme.size(), kMaxTsLexemeBytes);
  EXPECT_TRUE(url.count("now"));
}

TEST(TsVectorLiteralTest, EmptyTextsGiveEmptyLiterals) {
  const search::Analyzer ru("ru");
  EXPECT_EQ(TsVectorLiteral(ru, {"", "", "", ""}), "");
  EXPECT_EQ(TsVectorLiteral(ru, {"!!!", " -- ", "...", "?"}), "");
}

TEST(TsQueryClauseTest, ClausesAsFts5ReadsThemQuoted) {
  const search::Analyzer pt("pt");
  const std::string nota = TsLexeme(pt.Term("nota")), fiscal = TsLexeme(pt.Term("fiscal"));
  EXPECT_EQ(TsQueryClause(pt, {Clause::Kind::kWord, "Nota"}), nota);
  EXPECT_EQ(TsQueryClause(pt, {Clause::Kind::kPhrase, "notas fiscais"}), nota + " <-> " + fiscal);
  EXPECT_EQ(TsQueryClause(pt, {Clause::Kind::kPrefix, "nota fisc"}), nota + " <-> " + TsLexeme(pt.Term("fisc")) + ":*");
  EXPECT_EQ(TsQueryClause(pt, {Clause::Kind::kWord, "\x01" "it's"}), "'it''s'");  // an index term as it is
  EXPECT_EQ(TsQueryClause(pt, {Clause::Kind::kPhrase, "!!! ..."}), "");
  EXPECT_EQ(TsQueryClause(pt, {Clause::Kind::kPrefix, "*"}), "");
  // A term PostgreSQL cannot hold keeps its place in the phrase.
  const std::string long_term = "http://example.com/" + std::string(3000, 'a');
  const std::string q = TsQueryClause(pt, {Clause::Kind::kPhrase, "nota " + long_term + " fiscal"});
  EXPECT_EQ(q.substr(0, nota.size()), nota);
  EXPECT_NE(q.find(" <2> " + fiscal), std::string::npos) << q;
}

}  // namespace
}  // namespace chamado::store
