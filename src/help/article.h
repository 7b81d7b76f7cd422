// Help-center articles: what one translation of an article is, and the Markdown file with
// front matter that teams keep them in (import, export).
//
//   ---
//   key: invoices-issue-nfe        # same for every translation of one article
//   language: pt-BR                # pt-BR, en, es, de, ru
//   title: Como emitir uma nota fiscal
//   product: Financeiro
//   module: Notas fiscais
//   status: published              # or draft
//   tags: [nfe, faturamento]       # optional
//   ---
//   Markdown body...
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "core/time.h"

namespace chamado::help {

struct Article {
  core::Id id = 0;
  std::string key;       // shared by the translations of one article
  std::string language;  // a desk language: pt-BR, en, es, de, ru
  std::string title;
  std::string body;      // Markdown
  std::string product;
  std::string module;
  std::string slug;      // from the title: "como-emitir-uma-nota-fiscal"
  bool published = false;
  std::vector<std::string> tags;
  Instant created_at{};
  Instant updated_at{};
};

// Parses one file. Errors name the line ("line 4: ...") and what to write instead; `slug`
// is derived from the title.
Result<Article> ParseArticleFile(std::string_view text);

// The file for an article: front matter, a blank line, the body. Parsing it gives the same
// article back.
std::string FormatArticleFile(const Article& a);

// Lower-case ASCII words joined by '-', accents dropped: "Emissão de NF-e" -> "emissao-de-nf-e".
std::string Slug(std::string_view text);

// The text a reader sees of a Markdown body, roughly, for snippets: emphasis, headings,
// quotes, list and table marks, code fences and HTML tags dropped, links and images reduced
// to their text.
std::string PlainText(std::string_view markdown);

// The public address of an article: /help/{language}/{product}/{module}/{slug}.
std::string ArticlePath(const Article& a);

// Whether `key` is a valid article key: 1 to 100 characters of a-z, 0-9, '-', '_' and '.'.
bool IsArticleKey(std::string_view key);

}  // namespace chamado::help
