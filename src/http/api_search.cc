// GET /api/v1/search/tickets: the search box of the desk and of the portal.
#include <date/tz.h>

#include <map>

#include "core/languages.h"
#include "core/text.h"
#include "core/ticket.h"
#include "help/article.h"
#include "help/catalog.h"
#include "http/api_impl.h"
#include "search/similar.h"
#include "search/snippet.h"
#include "search/stopwords.h"
#include "search/synonyms.h"

namespace chamado::http {
namespace {

using store::Repo;

// How many of a question's best matches the help search's facets count.
constexpr int kFacetDepth = 50;

// The first instant of `day` in `zone` (where midnight is skipped by a clock change, the
// instant the day's clocks start).
Instant StartOfDay(date::sys_days day, const date::time_zone* zone) {
  const date::local_seconds local{day.time_since_epoch()};
  return std::chrono::time_point_cast<std::chrono::milliseconds>(zone->to_sys(local, date::choose::earliest));
}

const date::time_zone* ZoneOf(const std::string& name) {
  try {
    return date::locate_zone(name.empty() ? "UTC" : name);
  } catch (const std::exception&) {
    return date::locate_zone("UTC");
  }
}

// The parameters of a filter of the query that names nothing ("field:value: why"): the filter and its
// value as written, and `more`.
core::TextArgs FilterArgs(std::string_view field, std::string_view value, core::TextArgs more = {}) {
  more.emplace_back("filter", std::string(field));
  more.emplace_back("value", std::string(value));
  return more;
}

// Turns the names written in the query into what the index filters on.
Result<search::TicketSearch> Resolve(Repo& repo, const search::TicketQuery& q, const Caller& who) {
  search::TicketSearch s;
  s.all = q.all;
  s.none = q.none;
  s.internal = who.staff();
  if (!who.staff()) {
    for (auto [field, used] : {std::pair{"group", !q.groups.empty()}, std::pair{"assignee", !q.assignees.empty()},
                               std::pair{"org", !q.organizations.empty()}}) {
      if (used) return Error::InvalidSaid("q", "search.filter_agents_only", {{"filter", field}});
    }
    if (who.user.organization_id) s.visible_organization_id = who.user.organization_id;
    else s.visible_requester_id = who.user.id;
  }
  for (const auto& name : q.statuses) {
    const std::string v = name == "pending" ? "pending_customer" : name == "hold" ? "on_hold" : AsciiLower(name);
    if (!core::ParseStatus(v))
      return Error::InvalidSaid("q", "search.status_unknown", FilterArgs("status", name, {{"accepted", core::StatusNames()}}));
    s.statuses.push_back(v);
  }
  for (const auto& name : q.channels) {
    if (!core::ParseChannel(AsciiLower(name)))
      return Error::InvalidSaid("q", "search.channel_unknown", FilterArgs("channel", name, {{"accepted", core::ChannelNames()}}));
    s.channels.push_back(AsciiLower(name));
  }
  for (const auto& p : q.priorities) s.priorities.push_back(p);
  for (const auto& t : q.tags) s.tags.push_back(AsciiLower(t));
  for (const auto& name : q.groups) {
    std::optional<core::Group> g;
    if (auto id = ParseId(name)) {
      CHAMADO_ASSIGN_OR_RETURN(g, repo.GetGroup(*id));
    } else {
      CHAMADO_ASSIGN_OR_RETURN(g, repo.FindGroupByName(name));
    }
    if (!g) return Error::InvalidSaid("q", "search.group_unknown", FilterArgs("group", name));
    s.group_ids.push_back(g->id);
  }
  for (const auto& name : q.organizations) {
    CHAMADO_ASSIGN_OR_RETURN(auto org, repo.FindOrganizationByName(name));
    std::optional<Id> id = org ? std::optional<Id>(org->id) : std::nullopt;
    if (!id) {
      CHAMADO_ASSIGN_OR_RETURN(id, repo.OrganizationForDomain(AsciiLower(name)));
    }
    if (!id) return Error::InvalidSaid("q", "search.organization_unknown", FilterArgs("org", name));
    s.organization_ids.push_back(*id);
  }
  // A person: "me", an email address or a name.
  auto people = [&](std::string_view field, const std::string& name, std::vector<int64_t>& into) -> Result<void> {
    if (name == "me") {
      into.push_back(who.user.id);
      return Ok();
    }
    if (name.find('@') != std::string::npos) {
      CHAMADO_ASSIGN_OR_RETURN(auto u, repo.FindUserByEmail(AsciiLower(name)));
      if (!u) return Error::InvalidSaid("q", "search.email_unknown", FilterArgs(field, name));
      into.push_back(u->id);
      return Ok();
    }
    CHAMADO_ASSIGN_OR_RETURN(auto ids, repo.PeopleNamed(name));
    if (ids.empty()) return Error::InvalidSaid("q", "search.name_unknown", FilterArgs(field, name));
    into.insert(into.end(), ids.begin(), ids.end());
    return Ok();
  };
  for (const auto& name : q.assignees) {
    if (name == "none") s.unassigned = true;
    else CHAMADO_TRY(people("assignee", name, s.assignee_ids));
  }
  for (const auto& name : q.requesters) CHAMADO_TRY(people("requester", name, s.requester_ids));
  const auto* zone = ZoneOf(who.user.time_zone);
  auto instant = [&](const std::optional<date::sys_days>& d) {
    return d ? std::optional<Instant>(StartOfDay(*d, zone)) : std::nullopt;
  };
  s.created_from = instant(q.created.from);
  s.created_to = instant(q.created.to);
  s.updated_from = instant(q.updated.from);
  s.updated_to = instant(q.updated.to);
  return s;
}

// "1234" or "#1234", nothing else: the number.
std::optional<Id> TicketNumberOnly(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && text.front() == '#') text.remove_prefix(1);
  if (text.empty() || text.size() > 15 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return ParseId(text);
}

struct Found {
  search::TicketHits hits;
  std::vector<core::Ticket> tickets;  // in the order of hits
  std::vector<std::string> languages;
  std::vector<std::vector<core::Message>> conversations;
  Names names;
  std::vector<Repo::ClockRow> clocks;
};

}  // namespace

void Api::Impl::SearchTickets(Call c) {
  const std::string text(c.req.Query("q").value_or(""));
  if (text.size() > 1000) return Fail(c, Error::InvalidSaid("q", "search.query_too_long"));
  auto query = search::ParseTicketQuery(text);
  if (!query.ok()) return Fail(c, query.error());
  int offset = 0, limit = 25;
  if (auto v = c.req.Query("offset")) {
    auto n = ParseId(*v);
    if (!n && *v != "0") return Fail(c, Error::InvalidSaid("offset", "search.offset_number"));
    if (n && *n >= search::kMaxResults)
      return Fail(c, Error::InvalidSaid("offset", "search.offset_max"));
    offset = n ? int(*n) : 0;
  }
  if (auto v = c.req.Query("limit")) {
    auto n = ParseId(*v);
    if (!n || *n > 100) return Fail(c, Error::InvalidSaid("limit", "search.limit_range", {{"max", "100"}}));
    limit = int(*n);
  }
  const Caller& who = c.who();
  const bool staff = who.staff();
  auto r = Read<Found>([&](Repo& repo) -> Result<Found> {
    CHAMADO_ASSIGN_OR_RETURN(auto s, Resolve(repo, *query, who));
    s.offset = offset;
    s.limit = limit;
    Found out;
    CHAMADO_ASSIGN_OR_RETURN(out.hits, repo.SearchTickets(s));
    // A ticket's number alone ("1234", "#1234") also means that ticket: first, when it exists
    // and the searcher may see it.
    if (offset == 0) {
      if (auto n = TicketNumberOnly(text)) {
        CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(*n));
        if (t && core::CanSee(who.actor(), *t)) {
          auto& items = out.hits.items;
          std::erase_if(items, [&](const search::TicketHit& h) { return h.number == *n; });
          items.insert(items.begin(), search::TicketHit{*n, 0});
          if (int(items.size()) > limit) items.pop_back();
          out.hits.total = std::max<int64_t>(out.hits.total, int64_t(items.size()));
        }
      }
    }
    std::vector<Id> numbers;
    for (const auto& h : out.hits.items) {
      CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(h.number));
      if (!t) return Error::Internal("Ticket #" + std::to_string(h.number) + " was found but cannot be read.");
      CHAMADO_ASSIGN_OR_RETURN(auto language, repo.IndexedLanguage(h.number));
      out.languages.push_back(language.value_or("en"));
      if (query->HasText()) {
        CHAMADO_ASSIGN_OR_RETURN(auto conversation, repo.ListMessages(h.number, staff, store::Page{200, ""}));
        out.conversations.push_back(std::move(conversation.items));
      } else {
        out.conversations.emplace_back();
      }
      numbers.push_back(t->number);
      out.tickets.push_back(std::move(*t));
    }
    CHAMADO_TRY(out.names.AddTickets(repo, out.tickets));
    CHAMADO_ASSIGN_OR_RETURN(out.clocks, repo.ClockRowsFor(numbers));
    return out;
  });
  if (!r.ok()) return Fail(c, r.error());

  auto policy = store.policy();
  const Instant now = clock.Now();
  const auto clauses = search::Flatten(query->all);
  std::map<std::string, std::unique_ptr<search::Analyzer>> analyzers;
  json::array items;
  for (size_t i = 0; i < r->tickets.size(); ++i) {
    const auto& t = r->tickets[i];
    json::object ticket = TicketJson(t, r->names, policy->catalog, staff, who.user.language);
    AddClocks(ticket, ClocksOf(r->clocks, t.number), staff, now, *policy);

    json::object item{{"ticket", std::move(ticket)}, {"score", r->hits.items[i].score}};
    auto& analyzer = analyzers[r->languages[i]];
    if (!analyzer) analyzer = std::make_unique<search::Analyzer>(r->languages[i]);
    const search::Matcher matcher(*analyzer, clauses);
    item["subject"] = search::Highlight(t.subject, *analyzer, matcher);
    // The message that matched most; the conversation's start when only the subject did.
    const core::Message* best = nullptr;
    search::Snippet snippet;
    for (const auto& m : r->conversations[i]) {
      if (m.kind == core::MessageKind::kSystemNotice) continue;
      auto s = search::MakeSnippet(m.body, *analyzer, matcher);
      if (!best || s.matches > snippet.matches) best = &m, snippet = std::move(s);
    }
    item["snippet"] = best ? json::value(snippet.html) : json::value(nullptr);
    item["message"] = best && snippet.matches > 0
                          ? json::value(json::object{{"id", best->id},
                                                     {"kind", std::string(core::Name(best->kind))},
                                                     {"created_at", InstantJson(best->created_at)}})
                          : json::value(nullptr);
    items.push_back(std::move(item));
  }
  const auto& hits = r->hits;
  Json(c, 200,
       json::object{{"items", std::move(items)},
                    {"next", hits.more ? json::value(std::to_string(offset + limit)) : json::value(nullptr)},
                    {"total", hits.total},
                    {"total_is_estimate", hits.total_capped},
                    {"ranked_recent", hits.windowed}});
}

// Renders duplicate hints: each ticket as lists show it, its score, whether it is likely the
// same case.
void Api::Impl::RenderSimilar(Call c, const std::function<Result<store::SimilarQuery>(Repo&)>& query) {
  struct Similar {
    std::vector<store::SimilarHit> hits;
    std::vector<core::Ticket> tickets;
    Names names;
    std::vector<Repo::ClockRow> clocks;
  };
  const Caller& who = c.who();
  auto r = Read<Similar>([&](Repo& repo) -> Result<Similar> {
    CHAMADO_ASSIGN_OR_RETURN(auto q, query(repo));
    Similar out;
    CHAMADO_ASSIGN_OR_RETURN(out.hits, repo.SimilarTickets(q));
    std::vector<Id> numbers;
    for (const auto& h : out.hits) {
      CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(h.number));
      if (!t || !core::CanSee(who.actor(), *t)) return Error::Internal("A similar ticket cannot be read.");
      numbers.push_back(t->number);
      out.tickets.push_back(std::move(*t));
    }
    CHAMADO_TRY(out.names.AddTickets(repo, out.tickets));
    CHAMADO_ASSIGN_OR_RETURN(out.clocks, repo.ClockRowsFor(numbers));
    return out;
  });
  if (!r.ok()) return Fail(c, r.error());
  auto policy = store.policy();
  const Instant now = clock.Now();
  json::array items;
  for (size_t i = 0; i < r->tickets.size(); ++i) {
    const auto& t = r->tickets[i];
    json::object ticket = TicketJson(t, r->names, policy->catalog, who.staff(), who.user.language);
    AddClocks(ticket, ClocksOf(r->clocks, t.number), who.staff(), now, *policy);
    const double score = r->hits[i].score;
    items.push_back(json::object{{"ticket", std::move(ticket)}, {"score", score}, {"likely", score >= search::kLikelySameCase}});
  }
  Json(c, 200, json::object{{"items", std::move(items)}});
}

void Api::Impl::SimilarToTicket(Call c) {
  auto number = PathId(c, 0, "Ticket");
  if (!number.ok()) return Fail(c, number.error());
  const core::Actor actor = c.who().actor();  // c moves below
  RenderSimilar(std::move(c), [actor, n = *number](Repo& repo) -> Result<store::SimilarQuery> {
    CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(n));
    if (!t || !core::CanSee(actor, *t)) return core::NoSuchTicket(n);
    CHAMADO_ASSIGN_OR_RETURN(auto first, repo.ListMessages(n, false, store::Page{1, ""}));
    CHAMADO_ASSIGN_OR_RETURN(auto language, repo.IndexedLanguage(n));
    store::SimilarQuery q;
    q.subject = t->subject;
    q.body = first.items.empty() ? "" : first.items[0].body;
    q.language = language.value_or("en");
    q.exclude = n;
    q.organization_id = t->organization_id;
    if (!t->organization_id) q.requester_id = t->requester_id;
    return q;
  });
}

void Api::Impl::SimilarToText(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"subject", "description", "organization_id", "requester_email"});
  store::SimilarQuery q;
  q.subject = f.Str("subject", 4000).value_or("");
  q.body = f.Str("description", 100000).value_or("");
  const auto organization_id = f.Int("organization_id");
  const auto requester_email = f.Str("requester_email", 320);
  if (auto r = f.Finish(); !r.ok()) return Fail(c, r.error());
  if (q.subject.empty() && q.body.empty()) return Fail(c, Error::InvalidSaid("subject", "search.similar_empty"));
  const Caller who = c.who();  // a copy: c moves below
  RenderSimilar(std::move(c), [who, q, organization_id, requester_email](Repo& repo) mutable -> Result<store::SimilarQuery> {
    if (!who.staff()) {
      if (organization_id || requester_email)
        return Error::InvalidSaid("organization_id", "search.similar_own_organization");
      q.language = who.user.language;
      q.organization_id = who.user.organization_id;
      if (!q.organization_id) q.requester_id = who.user.id;
      return q;
    }
    // Agents name whose tickets: an organization, or a requester (and so their organization).
    std::optional<core::User> requester;
    if (requester_email) {
      CHAMADO_ASSIGN_OR_RETURN(requester, repo.FindUserByEmail(AsciiLower(*requester_email)));
      if (!requester) return Error::InvalidSaid("requester_email", "search.similar_no_requester", {{"email", *requester_email}});
    }
    q.organization_id = organization_id ? organization_id : requester ? requester->organization_id : std::nullopt;
    if (!q.organization_id && !requester)
      return Error::InvalidSaid("organization_id", "search.similar_whose");
    if (!q.organization_id) q.requester_id = requester->id;
    q.language = requester ? requester->language : who.user.language;
    if (organization_id) {
      CHAMADO_ASSIGN_OR_RETURN(auto org, repo.GetOrganization(*organization_id));
      if (!org) return Error::InvalidSaid("organization_id", "search.similar_no_organization", {{"id", std::to_string(*organization_id)}});
      if (!requester) q.language = org->language;
    }
    return q;
  });
}

void Api::Impl::SearchHelp(Call c) {
  const std::string text(c.req.Query("q").value_or(""));
  if (text.size() > 500) return Fail(c, Error::InvalidSaid("q", "search.question_too_long"));
  std::string language(c.req.Query("language").value_or("en"));
  if (!core::IsDeskLanguage(language))
    return Fail(c, Error::InvalidSaid("language", "search.language", {{"languages", core::DeskLanguageList()}}));
  int limit = 10;
  if (auto v = c.req.Query("limit")) {
    auto n = ParseId(*v);
    if (!n || *n > 50) return Fail(c, Error::InvalidSaid("limit", "search.limit_range", {{"max", "50"}}));
    limit = int(*n);
  }
  store::ArticleSearch s;
  s.words = search::ParseQuestion(text);
  s.language = language;
  s.product = std::string(c.req.Query("product").value_or(""));
  s.module = std::string(c.req.Query("module").value_or(""));
  if (c.req.Query("drafts") == "true") {
    // A public route: credentials are read only to let agents see drafts.
    auto who = Authenticate(c.req);
    if (!who.ok() || !who->staff()) return Fail(c, Error::Said(ErrorCode::kPermissionDenied, "search.drafts_agents_only"));
    s.drafts = true;
  }
  s.limit = limit;
  auto r = store.SearchArticles(s);
  if (!r.ok()) return Fail(c, r.error());
  std::map<std::string, std::unique_ptr<search::Analyzer>> analyzers;
  json::array items;
  for (const auto& hit : *r) {
    const auto& a = hit.article;
    auto& analyzer = analyzers[a.language];
    if (!analyzer) analyzer = std::make_unique<search::Analyzer>(a.language);
    // What is marked: the question's words but its stop words, and their synonyms.
    std::vector<search::Clause> marked;
    for (const auto& w : s.words) {
      if (search::IsStopword(a.language, w.text)) continue;
      marked.push_back(w);
      for (auto& syn : search::SynonymsOf(a.language, w.text)) marked.push_back({search::Clause::Kind::kWord, std::move(syn)});
    }
    const search::Matcher matcher(*analyzer, marked);
    json::object item{{"key", a.key},
                      {"title", a.title},
                      {"title_html", search::Highlight(a.title, *analyzer, matcher)},
                      {"language", a.language},
                      {"product", help::ProductOf(a)},
                      {"product_slug", help::Slug(help::ProductOf(a))},
                      {"module", help::ModuleOf(a)},
                      {"module_slug", help::Slug(help::ModuleOf(a))},
                      {"snippet", search::MakeSnippet(help::PlainText(a.body), *analyzer, matcher).html},
                      {"url", help::ArticlePath(a)},
                      {"score", hit.score},
                      {"updated_at", InstantJson(a.updated_at)}};
    if (!a.published) item["status"] = "draft";
    items.push_back(std::move(item));
  }
  // Facets: how the best matches, whatever product and module were asked for, spread over the
  // products and modules, so a reader can narrow them down.
  json::array products;
  if (!s.words.empty()) {
    store::ArticleSearch wide = s;
    wide.product.clear();
    wide.module.clear();
    wide.limit = kFacetDepth;
    auto all = store.SearchArticles(wide);
    if (!all.ok()) return Fail(c, all.error());
    std::map<std::string, std::map<std::string, int>> counts;
    for (const auto& hit : *all) ++counts[help::ProductOf(hit.article)][help::ModuleOf(hit.article)];
    for (const auto& [product, modules] : counts) {
      json::array ms;
      int total = 0;
      for (const auto& [module, n] : modules) {
        ms.push_back(json::object{{"name", module}, {"slug", help::Slug(module)}, {"count", n}});
        total += n;
      }
      products.push_back(json::object{{"name", product}, {"slug", help::Slug(product)}, {"count", total}, {"modules", std::move(ms)}});
    }
  }
  Json(c, 200, json::object{{"items", std::move(items)}, {"facets", json::object{{"products", std::move(products)}}}});
}

}  // namespace chamado::http
