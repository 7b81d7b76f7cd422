#include "help/article.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace chamado::help {
namespace {

constexpr const char* kFile = R"(---
key: invoices-issue-nfe        # same for every translation of one article
language: pt-BR
title: Como emitir uma nota fiscal
product: Financeiro
module: "Notas fiscais # e NFS-e"
status: published
tags: [nfe, Faturamento]
---

Vá em **Financeiro > Notas fiscais**.
)";

TEST(ArticleFile, ReadsTheFrontMatterAndTheBody) {
  auto a = ParseArticleFile(kFile);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->key, "invoices-issue-nfe");
  EXPECT_EQ(a->language, "pt-BR");
  EXPECT_EQ(a->title, "Como emitir uma nota fiscal");
  EXPECT_EQ(a->product, "Financeiro");
  EXPECT_EQ(a->module, "Notas fiscais # e NFS-e");
  EXPECT_TRUE(a->published);
  EXPECT_EQ(a->tags, (std::vector<std::string>{"nfe", "faturamento"}));
  EXPECT_EQ(a->body, "Vá em **Financeiro > Notas fiscais**.\n");
  EXPECT_EQ(a->slug, "como-emitir-uma-nota-fiscal");
}

TEST(ArticleFile, WritingAndReadingGivesTheSameArticle) {
  auto a = ParseArticleFile(kFile);
  ASSERT_TRUE(a.ok());
  a->title = "O botão \"Salvar\" #2 não responde";
  a->published = false;
  auto b = ParseArticleFile(FormatArticleFile(*a));
  ASSERT_TRUE(b.ok()) << b.error().message << "\n" << FormatArticleFile(*a);
  EXPECT_EQ(b->title, a->title);
  EXPECT_EQ(b->module, a->module);
  EXPECT_EQ(b->tags, a->tags);
  EXPECT_EQ(b->body, a->body);
  EXPECT_FALSE(b->published);
}

TEST(ArticleFile, MistakesNameTheLine) {
  struct Case {
    std::string text;
    const char* says;
  };
  const std::string ok_head = "---\nkey: k\nlanguage: en\ntitle: T\n";
  for (const auto& c : std::vector<Case>{
           {"# Title\n", "line 1: an article starts with front matter"},
           {"---\nkey: k\n", "the front matter is not closed"},
           {ok_head + "colour: red\n---\n", "line 5: unknown field \"colour\""},
           {ok_head + "key: again\n---\n", "line 5: key is given twice"},
           {ok_head + "tags: nfe\n---\n", "line 5: tags are a list in brackets"},
           {ok_head + "product: \"open\n---\n", "line 5: the quote opened here is not closed"},
           {ok_head + "status: live\n---\n", "status \"live\": use published or draft"},
           {"---\nkey: Bad Key\nlanguage: en\ntitle: T\n---\n", "key \"Bad Key\""},
           {"---\nkey: k\nlanguage: fr\ntitle: T\n---\n", "language \"fr\": use one of en, pt-BR"},
           {"---\nkey: k\nlanguage: en\n---\n", "lacks title"},
       }) {
    auto a = ParseArticleFile(c.text);
    ASSERT_FALSE(a.ok()) << c.text;
    EXPECT_NE(a.error().message.find(c.says), std::string::npos) << a.error().message;
  }
}

TEST(ArticleFile, TheEvaluationSetParses) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(CHAMADO_EVAL_ARTICLES)) {
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    auto a = ParseArticleFile(ss.str());
    ASSERT_TRUE(a.ok()) << e.path() << ": " << a.error().message;
    EXPECT_TRUE(e.path().filename().string().starts_with(a->key + "." + a->language)) << e.path();
    ++n;
  }
  EXPECT_GE(n, 140);
}

TEST(PlainText, WhatAReaderSeesOfTheMarkdown) {
  EXPECT_EQ(PlainText("## Passo a passo\n1. Vá em **Financeiro > Notas**.\n- Clique em [Nova](/help/x) ![tela](a.png)\n"
                      "> Dica: use `F2`.\n| a | b |\n<script>x</script>"),
            " Passo a passo\n Vá em Financeiro > Notas.\n Clique em Nova tela\n Dica: use F2.\n a   b  \nx");
}

TEST(Slug, AsciiWordsJoinedByDashes) {
  EXPECT_EQ(Slug("Emissão de NF-e: passo a passo!"), "emissao-de-nf-e-passo-a-passo");
  EXPECT_EQ(Slug("  ¿Cómo?  "), "como");
  EXPECT_EQ(Slug("Ошибка"), "article");  // nothing ASCII is left
}

}  // namespace
}  // namespace chamado::help
