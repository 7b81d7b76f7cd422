// The help center's authoring side, for agents: an article translation as stored (Markdown),
// saving it as a new revision (with base_revision, two agents editing at once get 409
// instead of one overwriting the other), its revisions with a line diff and restore, the
// editor's list, and images (uploaded by agents, served to everybody).
#include <algorithm>

#include "core/languages.h"
#include "core/text.h"
#include "help/article.h"
#include "help/diff.h"
#include "help/images.h"
#include "http/api_impl.h"
#include "http/multipart.h"
#include "search/analyzer.h"

namespace chamado::http {
namespace {

using store::TranslationRevision;
using store::Repo;

constexpr size_t kMaxBodyBytes = 1 << 20;  // as a file of `chamado help import`
constexpr size_t kMaxPlaceBytes = 200;
constexpr size_t kMaxTags = 30;

// The translation named by the path's {key} and {language}.
struct Translation {
  std::string key;
  std::string language;
  std::string Name() const { return key + " (" + language + ")"; }
};

Result<Translation> TranslationOf(const Call& c) {
  Translation t{c.params.at(0), c.params.at(1)};
  std::vector<FieldError> problems;
  if (!help::IsArticleKey(t.key))
    problems.push_back(FieldError::Said("key", "article.key_invalid", {{"key", t.key}}));
  if (!core::IsDeskLanguage(t.language))
    problems.push_back(FieldError::Said("language", "article.language_unknown", {{"value", t.language}, {"languages", core::DeskLanguageList()}}));
  if (!problems.empty()) return Error::Invalid(std::move(problems));
  return t;
}

Error NoSuchTranslation(const Translation& t) {
  return Error::Said(ErrorCode::kNotFound, "article.not_found_put", {{"article", t.Name()}});
}

json::value AuthorJson(const TranslationRevision& r) {
  if (!r.author_id) return nullptr;
  return json::object{{"id", *r.author_id}, {"name", r.author_name}};
}

json::array TagsJson(const std::vector<std::string>& tags) {
  json::array out;
  for (const auto& t : tags) out.emplace_back(t);
  return out;
}

json::object ArticleJson(const help::Article& a, const std::optional<TranslationRevision>& latest, bool with_body) {
  json::object o{{"key", a.key},
                 {"language", a.language},
                 {"title", a.title},
                 {"product", a.product},
                 {"module", a.module},
                 {"status", a.published ? "published" : "draft"},
                 {"tags", TagsJson(a.tags)},
                 {"slug", a.slug},
                 {"path", help::ArticlePath(a)},
                 {"revision", latest ? latest->number : 0},
                 {"created_at", InstantJson(a.created_at)},
                 {"updated_at", InstantJson(a.updated_at)},
                 {"updated_by", latest ? AuthorJson(*latest) : json::value(nullptr)}};
  if (with_body) o["body"] = a.body;
  return o;
}

json::object RevisionJson(const TranslationRevision& r) {
  return json::object{{"number", r.number},
                      {"author", AuthorJson(r)},
                      {"created_at", InstantJson(r.created_at)},
                      {"status", r.content.published ? "published" : "draft"},
                      {"title", r.content.title},
                      {"restored_from", r.restored_from ? json::value(*r.restored_from) : json::value(nullptr)}};
}

// The translation and its latest revision, or NotFound.
struct Stored {
  help::Article article;
  std::optional<TranslationRevision> latest;
};
Result<Stored> ReadStored(Repo& repo, const Translation& t) {
  CHAMADO_ASSIGN_OR_RETURN(auto a, repo.GetArticle(t.key, t.language));
  if (!a) return NoSuchTranslation(t);
  CHAMADO_ASSIGN_OR_RETURN(auto latest, repo.LatestArticleRevision(a->id));
  return Stored{std::move(*a), std::move(latest)};
}

const char* SavedName(store::ArticleRepo::Put p) {
  switch (p) {
    case store::ArticleRepo::Put::kCreated: return "created";
    case store::ArticleRepo::Put::kUpdated: return "updated";
    case store::ArticleRepo::Put::kUnchanged: return "unchanged";
  }
  return "unchanged";
}

// Saves `a` (or its content unchanged) and answers with the stored translation.
struct Saved {
  store::ArticleRepo::Put put = store::ArticleRepo::Put::kUnchanged;
  Stored stored;
};
Result<Saved> SaveAndRead(Repo& repo, const help::Article& a, Instant now, const store::ArticleSave& save) {
  Saved out;
  CHAMADO_ASSIGN_OR_RETURN(out.put, repo.PutArticle(a, now, save));
  CHAMADO_ASSIGN_OR_RETURN(out.stored, ReadStored(repo, {a.key, a.language}));
  return out;
}

Response SavedResponse(Saved& s) {
  json::object o = ArticleJson(s.stored.article, s.stored.latest, true);
  o["saved"] = SavedName(s.put);
  return Api::Impl::JsonResponse(s.put == store::ArticleRepo::Put::kCreated ? 201 : 200, o);
}

Result<int64_t> RevisionNumberOf(const Call& c) {
  auto n = ParseId(c.params.at(2));
  if (!n || *n < 1) return Error::Said(ErrorCode::kNotFound, "article.revision_number", {{"value", c.params.at(2)}});
  return *n;
}

}  // namespace

void Api::Impl::ListEditedArticles(Call c) {
  auto page = PageOf(c.req);
  if (!page.ok()) return Fail(c, page.error());
  store::EditorFilter f;
  f.key = std::string(c.req.Query("key").value_or(""));
  f.product = std::string(c.req.Query("product").value_or(""));
  f.module = std::string(c.req.Query("module").value_or(""));
  f.language = std::string(c.req.Query("language").value_or(""));
  f.status = std::string(c.req.Query("status").value_or(""));
  if (!f.language.empty() && !core::IsDeskLanguage(f.language))
    return Fail(c, Error::InvalidSaid("language", "article.language", {{"languages", core::DeskLanguageList()}}));
  if (!f.status.empty() && f.status != "draft" && f.status != "published")
    return Fail(c, Error::InvalidSaid("status", "article.status"));
  struct Listed {
    store::Paged<store::EditedArticle> page;
    std::vector<store::ArticleRepo::Place> places;
  };
  auto r = Read<Listed>([&](Repo& repo) -> Result<Listed> {
    Listed out;
    CHAMADO_ASSIGN_OR_RETURN(out.page, repo.ListEditedArticles(f, *page));
    CHAMADO_ASSIGN_OR_RETURN(out.places, repo.ArticlePlaces());
    return out;
  });
  if (!r.ok()) return Fail(c, r.error());
  json::array items, places;
  for (const auto& e : r->page.items)
    items.push_back(ArticleJson(e.article, e.latest.number ? std::optional(e.latest) : std::nullopt, false));
  for (const auto& p : r->places)
    places.push_back(json::object{{"product", p.product}, {"module", p.module}, {"articles", p.articles}});
  Json(c, 200,
       json::object{{"items", std::move(items)},
                    {"next", r->page.next.empty() ? json::value(nullptr) : json::value(r->page.next)},
                    {"places", std::move(places)}});
}

void Api::Impl::GetArticleSource(Call c) {
  auto t = TranslationOf(c);
  if (!t.ok()) return Fail(c, t.error());
  auto r = Read<Stored>([&](Repo& repo) { return ReadStored(repo, *t); });
  if (!r.ok()) return Fail(c, r.error());
  Json(c, 200, ArticleJson(r->article, r->latest, true));
}

void Api::Impl::PutArticleSource(Call c) {
  auto t = TranslationOf(c);
  if (!t.ok()) return Fail(c, t.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"title", "body", "product", "module", "status", "tags", "base_revision"});
  f.Require("title", "the article's title, such as \"How to issue an invoice\"");
  f.Require("body", "the article's text in Markdown");
  help::Article a;
  a.key = t->key;
  a.language = t->language;
  if (auto v = f.Str("title", 4 * 300)) {
    a.title = std::string(Trim(*v));
    if (a.title.empty()) f.Say("title", "article.title_empty");
    else if (Utf8Length(a.title) > 300) f.Say("title", "article.title_too_long");
    else if (HasControlChars(a.title, false)) f.Say("title", "article.title_one_line");
  }
  if (auto v = f.Str("body", SIZE_MAX)) {
    a.body = *v;
    if (a.body.size() > kMaxBodyBytes) f.Say("body", "article.body_too_long");
  }
  for (auto [field, into] : {std::pair{"product", &a.product}, std::pair{"module", &a.module}}) {
    if (auto v = f.Str(field, 4 * kMaxPlaceBytes)) {
      *into = std::string(Trim(*v));
      if (into->size() > kMaxPlaceBytes || HasControlChars(*into, false))
        f.Say(field, "article.place_one_line");
    }
  }
  a.published = false;
  if (auto v = f.Str("status", 32)) {
    if (*v == "published") a.published = true;
    else if (*v != "draft") f.Say("status", "article.status");
  }
  if (auto tags = f.StrList("tags", kMaxTags)) {
    for (size_t i = 0; i < tags->size(); ++i) {
      std::string tag = search::Fold(Trim((*tags)[i]));
      if (tag.empty()) continue;
      if (tag.size() > 64 || tag.find('\n') != std::string::npos) {
        f.Say("tags", "article.tag_invalid", {{"tag", (*tags)[i]}});
        continue;
      }
      if (std::find(a.tags.begin(), a.tags.end(), tag) == a.tags.end()) a.tags.push_back(std::move(tag));
    }
  }
  store::ArticleSave save;
  save.author = c.who().user.id;
  save.base_revision = f.Int("base_revision");
  if (save.base_revision && *save.base_revision < 0) f.Say("base_revision", "article.base_revision");
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  a.slug = help::Slug(a.title);
  const Instant now = clock.Now();
  WriteThen<Saved>(
      std::move(c), [a, now, save](Repo& repo) { return SaveAndRead(repo, a, now, save); }, SavedResponse);
}

void Api::Impl::ListArticleRevisions(Call c) {
  auto t = TranslationOf(c);
  if (!t.ok()) return Fail(c, t.error());
  auto r = Read<std::vector<TranslationRevision>>([&](Repo& repo) -> Result<std::vector<TranslationRevision>> {
    CHAMADO_ASSIGN_OR_RETURN(auto stored, ReadStored(repo, *t));
    return repo.ListArticleRevisions(stored.article.id);
  });
  if (!r.ok()) return Fail(c, r.error());
  json::array items;
  for (const auto& rev : *r) items.push_back(RevisionJson(rev));
  Json(c, 200, json::object{{"items", std::move(items)}});
}

void Api::Impl::GetArticleRevision(Call c) {
  auto t = TranslationOf(c);
  if (!t.ok()) return Fail(c, t.error());
  auto number = RevisionNumberOf(c);
  if (!number.ok()) return Fail(c, number.error());
  struct Pair {
    TranslationRevision revision;
    std::optional<TranslationRevision> previous;
  };
  auto r = Read<Pair>([&](Repo& repo) -> Result<Pair> {
    CHAMADO_ASSIGN_OR_RETURN(auto stored, ReadStored(repo, *t));
    CHAMADO_ASSIGN_OR_RETURN(auto rev, repo.GetArticleRevision(stored.article.id, *number));
    if (!rev) return Error::Said(ErrorCode::kNotFound, "article.no_revision", {{"article", t->Name()}, {"number", std::to_string(*number)}});
    Pair out{std::move(*rev), std::nullopt};
    if (*number > 1) {
      CHAMADO_ASSIGN_OR_RETURN(out.previous, repo.GetArticleRevision(stored.article.id, *number - 1));
    }
    return out;
  });
  if (!r.ok()) return Fail(c, r.error());
  const auto& rev = r->revision;
  json::object o = RevisionJson(rev);
  o["body"] = rev.content.body;
  o["product"] = rev.content.product;
  o["module"] = rev.content.module;
  o["tags"] = TagsJson(rev.content.tags);
  o["previous"] = r->previous ? json::value(r->previous->number) : json::value(nullptr);
  json::array diff;
  for (const auto& line : help::LineDiff(r->previous ? r->previous->content.body : "", rev.content.body)) {
    diff.push_back(json::object{{"op", help::OpName(line.op)},
                                {"text", line.text},
                                {"before", line.before ? json::value(line.before) : json::value(nullptr)},
                                {"after", line.after ? json::value(line.after) : json::value(nullptr)}});
  }
  o["diff"] = std::move(diff);
  Json(c, 200, o);
}

void Api::Impl::RestoreArticleRevision(Call c) {
  auto t = TranslationOf(c);
  if (!t.ok()) return Fail(c, t.error());
  auto number = RevisionNumberOf(c);
  if (!number.ok()) return Fail(c, number.error());
  const Id author = c.who().user.id;
  const Instant now = clock.Now();
  WriteThen<Saved>(
      std::move(c),
      [t = *t, n = *number, author, now](Repo& repo) -> Result<Saved> {
        CHAMADO_ASSIGN_OR_RETURN(auto stored, ReadStored(repo, t));
        CHAMADO_ASSIGN_OR_RETURN(auto rev, repo.GetArticleRevision(stored.article.id, n));
        if (!rev) return Error::Said(ErrorCode::kNotFound, "article.no_revision", {{"article", t.Name()}, {"number", std::to_string(n)}});
        return SaveAndRead(repo, rev->content, now, {author, std::nullopt, n});
      },
      SavedResponse);
}

void Api::Impl::UploadHelpImage(Call c) {
  if (!IsMultipartForm(c.req.Header("content-type")))
    return Fail(c, Error::Said(ErrorCode::kUnsupportedMediaType, "article.image_multipart"));
  auto parts = ParseMultipart(c.req.Header("content-type"), c.req.body);
  if (!parts.ok()) return Fail(c, parts.error());
  const FormPart* file = nullptr;
  for (const auto& p : *parts) {
    if (!p.is_file) continue;
    if (file) return Fail(c, Error::InvalidSaid("file", "article.image_one"));
    file = &p;
  }
  if (!file || file->data.empty()) return Fail(c, Error::InvalidSaid("file", "article.image_missing"));
  if (file->data.size() > options.max_attachment_bytes)
    return Fail(c, Error::Said(ErrorCode::kTooLarge, "article.image_too_large",
                               {{"file", file->filename}, {"mib", std::to_string(options.max_attachment_bytes / (1024 * 1024))}}));
  const std::string_view type = help::SniffImageType(file->data);
  if (type.empty())
    return Fail(c, Error::Said(ErrorCode::kUnsupportedMediaType, "article.image_type", {{"file", file->filename}}));
  auto sha = blobs.Put(file->data);
  if (!sha.ok()) return Fail(c, sha.error());
  store::HelpImage image{0, *sha, help::ImageFileName(file->filename, type), std::string(type), int64_t(file->data.size()), {}};
  const Id by = c.who().user.id;
  const Instant now = clock.Now();
  WriteThen<store::HelpImage>(
      std::move(c), [image, by, now](Repo& repo) { return repo.AddHelpImage(image, by, now); },
      [](store::HelpImage& img) {
        return JsonResponse(201, json::object{{"id", img.id},
                                              {"url", help::ImageUrl(img.id, img.filename)},
                                              {"filename", img.filename},
                                              {"content_type", img.content_type},
                                              {"size", img.size}});
      });
}

void Api::Impl::GetHelpImage(Call c) {
  auto id = PathId(c, 0, "Image");
  if (!id.ok()) return Fail(c, id.error());
  auto r = Read<std::optional<store::HelpImage>>([&](Repo& repo) { return repo.GetHelpImage(*id); });
  if (!r.ok()) return Fail(c, r.error());
  // The name is part of the address: another name is another (missing) image.
  if (!*r || (*r)->filename != c.params.at(1))
    return Fail(c, Error::Said(ErrorCode::kNotFound, "article.no_image", {{"image", c.params.at(0) + "/" + c.params.at(1)}}));
  auto data = blobs.Get((*r)->sha256);
  if (!data.ok()) return Fail(c, data.error());
  Response res;
  res.body = std::move(*data);
  res.Set("Content-Type", (*r)->content_type);
  res.Set("Cache-Control", "public, max-age=31536000, immutable");
  res.Set("Content-Security-Policy", "default-src 'none'; sandbox");
  res.Set("ETag", "\"" + (*r)->sha256 + "\"");
  c.reply(std::move(res));
}

}  // namespace chamado::http
