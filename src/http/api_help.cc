// The help center's reading side, public: products and modules, article lists, one article
// rendered (with its translations, fallback and related articles), readers' votes and
// deflections; and for crawlers, the /help/... pages with their title and description filled in
// on the server, /sitemap.xml and /robots.txt. docs/help-center.md.
#include <algorithm>
#include <map>
#include <set>

#include "auth/credentials.h"
#include "core/languages.h"
#include "help/article.h"
#include "help/catalog.h"
#include "help/page.h"
#include "help/render.h"
#include "http/api_impl.h"
#include "search/query.h"

namespace chamado::http {
namespace {

using help::Article;
using store::Repo;

constexpr std::string_view kReaderCookie = "chamado_reader";
constexpr int kRelated = 5;

// The reader's address of an article: in the reader's language, whichever translation is served
// there (/help/pt-BR/... for an English article a Portuguese reader is offered).
std::string ReaderPath(const Article& a, std::string_view reader) {
  return "/help/" + std::string(reader) + "/" + help::Slug(help::ProductOf(a)) + "/" + help::Slug(help::ModuleOf(a)) + "/" +
         a.slug;
}

json::array Strings(const std::vector<std::string>& v) {
  json::array out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

json::object FeedbackJson(const store::ArticleRepo::Feedback& f) {
  return json::object{{"helpful", f.helpful}, {"unhelpful", f.unhelpful}, {"deflections", f.deflections}};
}

// An article as lists show it. `body` is there when a description is wanted.
json::object SummaryJson(const Article& a, std::string_view reader) {
  json::object o{{"key", a.key},
                 {"language", a.language},
                 {"title", a.title},
                 {"product", help::ProductOf(a)},
                 {"product_slug", help::Slug(help::ProductOf(a))},
                 {"module", help::ModuleOf(a)},
                 {"module_slug", help::Slug(help::ModuleOf(a))},
                 {"slug", a.slug},
                 {"path", ReaderPath(a, reader)},
                 {"updated_at", InstantJson(a.updated_at)},
                 {"tags", Strings(a.tags)},
                 {"description", help::Description(a.body)},
                 {"fallback", a.language != reader}};
  return o;
}

Result<std::string> ReaderLanguageOf(const Request& req) {
  std::string language(req.Query("language").value_or("en"));
  if (!core::IsDeskLanguage(language))
    return Error::InvalidSaid("language", "article.language", {{"languages", core::DeskLanguageList()}});
  return language;
}

// The reader's cookie: theirs when it looks like one we set, else a new one (set on the answer).
std::pair<std::string, bool> ReaderOf(const Request& req) {
  std::string token = req.Cookie(kReaderCookie);
  const bool valid = token.size() >= 20 && token.size() <= 100 && std::all_of(token.begin(), token.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                     });
  if (valid) return {token, false};
  return {auth::NewToken(), true};
}

std::string ReaderCookie(const std::string& token, bool secure) {
  std::string c = std::string(kReaderCookie) + "=" + token + "; Path=/api/v1/help; HttpOnly; SameSite=Lax; Max-Age=31536000";
  if (secure) c += "; Secure";
  return c;
}

}  // namespace

Result<bool> Api::Impl::DraftsWanted(const Request& req) {
  if (req.Query("drafts") != "true") return false;
  // A public route: credentials are read only to let agents see drafts.
  auto who = Authenticate(req);
  if (!who.ok() || !who->staff()) return Error::Said(ErrorCode::kPermissionDenied, "article.drafts_agents_only");
  return true;
}

std::string Api::Impl::PublicBase(const Request& req) const {
  std::string base = options.public_url;
  if (base.empty()) {
    const std::string_view host = req.Header("host");
    base = std::string(options.cookie_secure ? "https://" : "http://") + std::string(host.empty() ? "localhost" : host);
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

Result<int64_t> Api::Impl::HelpRevision() {
  return store.ReadOne<int64_t>([](Repo& repo) { return repo.ArticleRevision(); });
}

void Api::Impl::HelpProducts(Call c) {
  auto language = ReaderLanguageOf(c.req);
  if (!language.ok()) return Fail(c, language.error());
  auto heads = Read<std::vector<Article>>([](Repo& repo) { return repo.ArticleHeads(false); });
  if (!heads.ok()) return Fail(c, heads.error());
  json::array items;
  for (const auto& p : help::Catalog(help::ForReader(std::move(*heads), *language))) {
    json::array modules;
    for (const auto& m : p.modules) modules.push_back(json::object{{"name", m.name}, {"slug", m.slug}, {"articles", m.articles}});
    items.push_back(json::object{{"name", p.name}, {"slug", p.slug}, {"articles", p.articles}, {"modules", std::move(modules)}});
  }
  Json(c, 200, json::object{{"language", *language}, {"items", std::move(items)}});
}

void Api::Impl::HelpArticles(Call c) {
  auto language = ReaderLanguageOf(c.req);
  if (!language.ok()) return Fail(c, language.error());
  auto drafts = DraftsWanted(c.req);
  if (!drafts.ok()) return Fail(c, drafts.error());
  const std::string product(c.req.Query("product").value_or(""));
  const std::string module(c.req.Query("module").value_or(""));
  const std::string slug(c.req.Query("slug").value_or(""));
  if (!module.empty() && product.empty()) return Fail(c, Error::InvalidSaid("module", "article.module_needs_product"));
  struct Listed {
    std::vector<Article> articles;
    std::map<std::string, store::ArticleRepo::Feedback> feedback;
  };
  const bool with_drafts = *drafts;
  const std::string reader = *language;
  auto r = Read<Listed>([&](Repo& repo) -> Result<Listed> {
    // One article's page: only the translations with its slug are read.
    std::vector<Article> heads;
    if (!slug.empty()) {
      CHAMADO_ASSIGN_OR_RETURN(heads, repo.ArticlesWithSlug(slug, with_drafts));
    } else {
      CHAMADO_ASSIGN_OR_RETURN(heads, repo.ArticleHeads(with_drafts));
    }
    std::vector<Article> shown = help::ForReader(std::move(heads), reader);
    auto keep = [&](auto&& pred) { std::erase_if(shown, [&](const Article& a) { return !pred(a); }); };
    if (!product.empty()) {
      keep([&](const Article& a) { return help::NamesPlace(product, help::ProductOf(a)); });
      if (shown.empty()) return Error::Said(ErrorCode::kNotFound, "article.no_product", {{"product", product}});
    }
    if (!module.empty()) {
      keep([&](const Article& a) { return help::NamesPlace(module, help::ModuleOf(a)); });
      if (shown.empty()) return Error::Said(ErrorCode::kNotFound, "article.no_module", {{"product", product}, {"module", module}});
    }
    // The bodies of the articles listed, for their descriptions (a slug's are read already).
    if (slug.empty()) {
      std::vector<core::Id> ids;
      for (const auto& a : shown) ids.push_back(a.id);
      CHAMADO_ASSIGN_OR_RETURN(auto full, repo.ArticlesWithIds(ids));
      std::map<core::Id, std::string> bodies;
      for (auto& a : full) bodies[a.id] = std::move(a.body);
      for (auto& a : shown) a.body = std::move(bodies[a.id]);
    }
    Listed out{std::move(shown), {}};
    if (with_drafts) {
      std::vector<std::string> keys;
      for (const auto& a : out.articles) keys.push_back(a.key);
      CHAMADO_ASSIGN_OR_RETURN(out.feedback, repo.FeedbackOf(keys));
    }
    return out;
  });
  if (!r.ok()) return Fail(c, r.error());
  json::array items;
  for (const auto& a : r->articles) {
    json::object o = SummaryJson(a, reader);
    if (with_drafts) {
      o["status"] = a.published ? "published" : "draft";
      auto f = r->feedback.find(a.key);
      o["feedback"] = FeedbackJson(f == r->feedback.end() ? store::ArticleRepo::Feedback{} : f->second);
    }
    items.push_back(std::move(o));
  }
  Json(c, 200, json::object{{"language", reader}, {"items", std::move(items)}});
}

Result<std::vector<Article>> Api::Impl::RelatedArticles(const Article& a) {
  std::string words = a.title;
  for (const auto& t : a.tags) words += " " + t;
  store::ArticleSearch s;
  s.words = search::ParseQuestion(words);
  s.language = a.language;
  s.limit = 20;
  CHAMADO_ASSIGN_OR_RETURN(auto anywhere, store.SearchArticles(s));
  s.product = a.product;
  s.module = a.module;
  CHAMADO_ASSIGN_OR_RETURN(auto near, store.SearchArticles(s));
  // The search's score, raised for the same module and for each tag in common.
  std::map<std::string, std::pair<double, Article>> best;
  auto consider = [&](store::ArticleHit& h, double factor) {
    if (h.article.key == a.key || h.article.language != a.language) return;
    int shared = 0;
    for (const auto& t : h.article.tags) shared += std::count(a.tags.begin(), a.tags.end(), t) > 0;
    const double score = h.score * factor * (1.0 + 0.25 * shared);
    auto it = best.find(h.article.key);
    if (it == best.end() || it->second.first < score) best[h.article.key] = {score, std::move(h.article)};
  };
  for (auto& h : anywhere) consider(h, 1.0);
  for (auto& h : near) consider(h, 1.5);
  std::vector<std::pair<double, Article>> ranked;
  for (auto& [key, v] : best) ranked.push_back(std::move(v));
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  std::vector<Article> out;
  for (auto& [score, article] : ranked) {
    if (int(out.size()) == kRelated) break;
    out.push_back(std::move(article));
  }
  return out;
}

void Api::Impl::HelpArticle(Call c) {
  const std::string key = c.params.at(0);
  auto language = ReaderLanguageOf(c.req);
  if (!language.ok()) return Fail(c, language.error());
  auto drafts = DraftsWanted(c.req);
  if (!drafts.ok()) return Fail(c, drafts.error());
  const std::string reader = *language;
  const std::string cache_key = "article:" + key + ":" + reader;
  auto revision = HelpRevision();
  if (!revision.ok()) return Fail(c, revision.error());
  if (!*drafts)
    if (auto hit = help_cache.Get(cache_key, *revision)) {
      Response r = JsonResponse(200, nullptr);
      r.body = std::move(*hit);
      return c.reply(std::move(r));
    }
  const bool with_drafts = *drafts;
  struct Found {
    std::vector<store::ArticleRepo::Revised> translations;
    store::ArticleRepo::Feedback feedback;
  };
  auto found = Read<Found>([&](Repo& repo) -> Result<Found> {
    Found out;
    if (!help::IsArticleKey(key)) return out;
    CHAMADO_ASSIGN_OR_RETURN(out.translations, repo.TranslationsOf(key, with_drafts));
    if (with_drafts) {
      CHAMADO_ASSIGN_OR_RETURN(auto f, repo.FeedbackOf({key}));
      if (f.contains(key)) out.feedback = f[key];
    }
    return out;
  });
  if (!found.ok()) return Fail(c, found.error());
  std::vector<Article> translations;
  for (auto& t : found->translations) translations.push_back(std::move(t.article));
  const Article* served = help::PickTranslation(translations, reader);
  if (!served)
    return Fail(c, Error::Said(ErrorCode::kNotFound, "article.not_published_search", {{"key", key}}));
  auto related = RelatedArticles(*served);
  if (!related.ok()) return Fail(c, related.error());

  json::object o = SummaryJson(*served, reader);
  o["requested_language"] = reader;
  o["canonical_path"] = help::ArticlePath(*served);
  o["html"] = help::RenderMarkdown(served->body);
  json::array others;
  for (const auto& t : translations)
    if (t.language != served->language)
      others.push_back(json::object{{"language", t.language}, {"title", t.title}, {"path", help::ArticlePath(t)}});
  o["translations"] = std::move(others);
  json::array near;
  for (const auto& r : *related) near.push_back(SummaryJson(r, reader));
  o["related"] = std::move(near);
  const std::string product_path = "/help/" + reader + "/" + help::Slug(help::ProductOf(*served));
  o["breadcrumbs"] = json::array{
      json::object{{"name", help::HelpCenterName(reader)}, {"path", "/help/" + reader}},
      json::object{{"name", help::ProductOf(*served)}, {"path", product_path}},
      json::object{{"name", help::ModuleOf(*served)}, {"path", product_path + "/" + help::Slug(help::ModuleOf(*served))}}};
  if (with_drafts) {
    o["status"] = served->published ? "published" : "draft";
    o["feedback"] = FeedbackJson(found->feedback);
  }
  Response r = JsonResponse(200, o);
  if (!with_drafts) help_cache.Put(cache_key, *revision, r.body);
  c.reply(std::move(r));
}

void Api::Impl::RecordFeedback(Call c, bool vote) {
  const std::string key = c.params.at(0);
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, vote ? std::initializer_list<std::string_view>{"language", "helpful"}
                       : std::initializer_list<std::string_view>{"language"});
  f.Require("language", "the language the article was read in");
  if (vote) f.Require("helpful", "true when the article helped, false when it did not");
  const auto language = f.Str("language", 10);
  const auto helpful = vote ? f.Bool("helpful") : std::optional<bool>(true);
  if (language && !core::IsDeskLanguage(*language))
    f.Say("language", "article.language", {{"languages", core::DeskLanguageList()}});
  if (auto r = f.Finish(); !r.ok()) return Fail(c, r.error());
  const Instant now = clock.Now();
  const std::string address = "h:" + ClientAddress(c.req, options.trusted_proxies);
  if (!feedback_by_address.Allow(address, now)) {
    const auto wait = std::max(feedback_by_address.RetryAfter(address, now), std::chrono::seconds(1));
    Response r = ProblemResponse(Error::Said(ErrorCode::kRateLimited, "article.too_many_votes", {{"seconds", std::to_string(wait.count())}}),
                                 c.req.path, LanguageOf(c));
    r.Set("Retry-After", std::to_string(wait.count()));
    return c.reply(std::move(r));
  }
  const auto [reader, fresh] = ReaderOf(c.req);
  const std::string reader_hash = auth::TokenHash(reader);
  const bool secure = options.cookie_secure;
  WriteThen<bool>(
      std::move(c),
      [key, reader_hash, language = *language, helpful = *helpful, vote, now](Repo& repo) -> Result<bool> {
        const auto missing = Error::Said(ErrorCode::kNotFound, "article.not_published", {{"key", key}});
        if (!help::IsArticleKey(key)) return missing;
        CHAMADO_ASSIGN_OR_RETURN(auto published, repo.TranslationsOf(key, false));
        if (published.empty()) return missing;
        if (!vote) return repo.PutDeflection(key, reader_hash, language, now);
        CHAMADO_TRY(repo.PutVote(key, reader_hash, language, helpful, now));
        return true;
      },
      [key, language = *language, helpful = *helpful, vote, reader = reader, fresh = fresh, secure](bool& counted) {
        json::object o{{"key", key}, {"language", language}};
        if (vote) o["helpful"] = helpful;
        else o["counted"] = counted;
        Response r = JsonResponse(200, o);
        if (fresh) r.Set("Set-Cookie", ReaderCookie(reader, secure));
        return r;
      });
}

void Api::Impl::VoteArticle(Call c) { RecordFeedback(std::move(c), true); }
void Api::Impl::DeflectArticle(Call c) { RecordFeedback(std::move(c), false); }

// ---- pages for crawlers ----

std::optional<Response> Api::Impl::HelpPage(const Request& req) {
  auto shell = statics.Serve("/", "");
  if (!shell) return std::nullopt;
  auto revision = HelpRevision();
  const std::string base = PublicBase(req);
  const std::string cache_key = "page:" + base + req.path;
  if (revision.ok())
    if (auto hit = help_cache.Get(cache_key, *revision)) {
      const int status = hit->front() == '4' ? 404 : 200;
      shell->status = status;
      shell->body = hit->substr(1);
      return shell;
    }
  auto where = help::ParsePagePath(req.path);
  const std::string language = where && core::IsDeskLanguage(where->language) ? where->language : "en";
  help::PageMeta meta{language, std::string(help::HelpCenterName(language)), "", ""};
  // /help alone is the app's way to the reader's language: a page, not a miss.
  const bool bare = !where && (req.path == "/help" || req.path == "/help/");
  bool found = bare || (where && core::IsDeskLanguage(where->language));
  if (where && found && !where->slug.empty()) {
    // An article's page: only the translations with its slug are read.
    auto same = Read<std::vector<Article>>([&](Repo& repo) { return repo.ArticlesWithSlug(where->slug, false); });
    if (!same.ok()) return std::nullopt;
    std::erase_if(*same, [&](const Article& a) {
      return help::Slug(help::ProductOf(a)) != where->product || help::Slug(help::ModuleOf(a)) != where->module;
    });
    const Article* a = help::PickTranslation(*same, language);
    found = a != nullptr;
    if (found) {
      meta.title = a->title + " · " + help::ModuleOf(*a) + " · " + meta.title;
      meta.description = help::Description(a->body);
      meta.canonical = base + help::ArticlePath(*a);
    }
  } else if (where && found) {
    meta.canonical = base + "/help/" + language;
    auto heads = Read<std::vector<Article>>([](Repo& repo) { return repo.ArticleHeads(false); });
    if (!heads.ok()) return std::nullopt;
    const auto shown = help::ForReader(std::move(*heads), language);
    std::vector<std::string> names;
    if (where->search) {
      meta.canonical += "/search";
    } else if (where->product.empty()) {
      for (const auto& p : help::Catalog(shown)) names.push_back(p.name);
    } else {
      std::vector<const Article*> here;
      for (const auto& a : shown)
        if (help::Slug(help::ProductOf(a)) == where->product && (where->module.empty() || help::Slug(help::ModuleOf(a)) == where->module))
          here.push_back(&a);
      found = !here.empty();
      if (found && !where->module.empty()) {
        meta.title = help::ModuleOf(*here.front()) + " · " + help::ProductOf(*here.front()) + " · " + meta.title;
        for (const auto* a : here) names.push_back(a->title);
        meta.canonical = base + "/help/" + language + "/" + where->product + "/" + where->module;
      } else if (found) {
        meta.title = help::ProductOf(*here.front()) + " · " + meta.title;
        for (const auto& p : help::Catalog(shown))
          if (p.slug == where->product)
            for (const auto& m : p.modules) names.push_back(m.name);
        meta.canonical = base + "/help/" + language + "/" + where->product;
      }
    }
    if (meta.description.empty() && !names.empty()) {
      std::string joined;
      for (const auto& n : names) joined += (joined.empty() ? "" : " · ") + n;
      meta.description = help::Description(joined);
    }
  }
  if (!found) meta.canonical.clear();
  if (meta.description.empty()) meta.description = meta.title;
  shell->status = found ? 200 : 404;
  shell->body = help::FillPage(shell->body, meta);
  if (revision.ok()) help_cache.Put(cache_key, *revision, (found ? "2" : "4") + shell->body);
  return shell;
}

Response Api::Impl::SitemapResponse(const Request& req) {
  Response r;
  auto heads = Read<std::vector<Article>>([](Repo& repo) { return repo.ArticleHeads(false); });
  if (!heads.ok()) return ProblemResponse(heads.error(), req.path);
  const std::string base = PublicBase(req);
  std::vector<help::SitemapEntry> entries;
  std::set<std::string> languages;
  for (const auto& a : *heads) languages.insert(a.language);
  for (const auto& language : languages) {
    entries.push_back({base + "/help/" + language, std::nullopt});
    for (const auto& p : help::Catalog(help::ForReader(*heads, language))) {
      entries.push_back({base + "/help/" + language + "/" + p.slug, std::nullopt});
      for (const auto& m : p.modules) entries.push_back({base + "/help/" + language + "/" + p.slug + "/" + m.slug, std::nullopt});
    }
  }
  for (const auto& a : *heads) entries.push_back({base + help::ArticlePath(a), a.updated_at});
  r.Set("Content-Type", "application/xml; charset=utf-8");
  r.Set("Cache-Control", "no-cache");
  r.body = help::Sitemap(entries);
  return r;
}

Response Api::Impl::RobotsResponse(const Request& req) {
  Response r;
  r.Set("Content-Type", "text/plain; charset=utf-8");
  r.Set("Cache-Control", "no-cache");
  r.body = "User-agent: *\nAllow: /help/\nDisallow: /agent\nDisallow: /portal\nDisallow: /login\nDisallow: /survey\nDisallow: /api/\n"
           "Sitemap: " +
           PublicBase(req) + "/sitemap.xml\n";
  return r;
}

}  // namespace chamado::http
