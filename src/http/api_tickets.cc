// Tickets, messages, attachments, the queue and the audit trail.
#include "core/text.h"
#include "http/api_impl.h"
#include "http/multipart.h"
#include "store/commands.h"
#include "store/service_level.h"

namespace chamado::http {
using core::Role;
using store::Repo;

namespace {

bool IsMultipart(const Request& req) { return IsMultipartForm(req.Header("content-type")); }

Result<std::optional<Id>> OptionalIdField(const std::vector<FormPart>& parts, std::string_view name) {
  for (const auto& p : parts) {
    if (p.is_file || p.name != name || p.data.empty()) continue;
    auto v = ParseId(p.data);
    if (!v) return Error::InvalidSaid(std::string(name), "field.not_number", {{"field", std::string(name)}});
    return std::optional<Id>(*v);
  }
  return std::optional<Id>();
}

Error UnknownStatus(const std::string& name) {
  return Error::InvalidSaid("status", "ticket.status_unknown", {{"value", name}, {"accepted", core::StatusNames()}});
}

}  // namespace

static Result<core::Channel> ChannelFor(const Caller& who, const std::optional<std::string>& requested) {
  const core::Channel fallback = who.via_session ? core::Channel::kWeb : core::Channel::kApi;
  if (!requested) return fallback;
  auto ch = core::ParseChannel(*requested);
  if (!ch) return Error::InvalidSaid("channel", "ticket.channel_unknown", {{"value", *requested}, {"accepted", core::ChannelNames()}});
  if (!who.staff() && *ch != fallback && *ch != core::Channel::kWeb)
    return Error::Said(ErrorCode::kPermissionDenied, "ticket.customer_channel");
  return *ch;
}

// A new ticket from a multipart form (the web UI, with files): its fields and uploads.
static Result<store::OpenTicketRequest> TicketFromForm(Api::Impl& I, const Caller& who, const Request& req) {
  store::OpenTicketRequest in;
  CHAMADO_ASSIGN_OR_RETURN(auto parts, ParseMultipart(req.Header("content-type"), req.body));
  in.ticket.subject = FormField(parts, "subject").value_or("");
  in.ticket.description = FormField(parts, "description").value_or("");
  in.requester_email = FormField(parts, "requester_email").value_or("");
  in.requester_name = FormField(parts, "requester_name").value_or("");
  if (auto p = FormField(parts, "priority"); p && !p->empty()) in.ticket.priority = *p;
  in.ticket.category = FormField(parts, "category").value_or("");
  if (auto t = FormField(parts, "tags")) in.ticket.tags = SplitList(*t);
  CHAMADO_ASSIGN_OR_RETURN(in.ticket.channel, ChannelFor(who, FormField(parts, "channel")));
  CHAMADO_ASSIGN_OR_RETURN(in.group_id, OptionalIdField(parts, "group_id"));
  CHAMADO_ASSIGN_OR_RETURN(in.assignee_id, OptionalIdField(parts, "assignee_id"));
  CHAMADO_ASSIGN_OR_RETURN(in.ticket.attachments, I.StoreUploads(parts));
  // The category's details (core/details.h): text as "custom_fields.KEY", files as "detail.KEY".
  constexpr std::string_view kField = "custom_fields.", kFile = "detail.";
  for (const auto& p : parts) {
    const std::string_view name = p.name;
    if (!p.is_file && name.starts_with(kField) && !Trim(p.data).empty())
      in.ticket.custom_fields.push_back({std::string(name.substr(kField.size())), std::string(p.data)});
    else if (p.is_file && name.starts_with(kFile) && !p.data.empty())
      in.ticket.detail_files.emplace_back(name.substr(kFile.size()));
  }
  return in;
}

// A new ticket from a JSON body (the API): unknown fields are refused, every problem named.
static Result<store::OpenTicketRequest> TicketFromJson(const Caller& who, const Request& req) {
  store::OpenTicketRequest in;
  CHAMADO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req));
  Fields f(body, {"subject", "description", "requester", "priority", "channel", "category", "tags", "custom_fields",
                  "group_id", "assignee_id"});
  f.Require("subject", "a short summary of the request");
  f.Require("description", "what happened and what you need");
  in.ticket.subject = f.Str("subject", 4000).value_or("");
  in.ticket.description = f.Str("description", SIZE_MAX).value_or("");
  if (const auto* r = f.Raw("requester"); r && !r->is_null()) {
    if (!r->is_object()) {
      f.Fail("requester", "requester must be an object like {\"email\": \"ana@example.com\", \"name\": \"Ana\"}.");
    } else {
      Fields rf(r->as_object(), {"email", "name"}, "requester");
      in.requester_email = rf.Str("email", 320).value_or("");
      in.requester_name = rf.Str("name", 200).value_or("");
      CHAMADO_TRY(rf.Finish());
    }
  }
  in.ticket.priority = f.Str("priority", 64);
  in.ticket.category = f.Str("category", 64).value_or("");
  in.ticket.tags = f.StrList("tags", 50).value_or(std::vector<std::string>{});
  auto channel_name = f.Str("channel", 32);
  in.group_id = f.Int("group_id");
  in.assignee_id = f.Int("assignee_id");
  if (const auto* cf = f.Raw("custom_fields"); cf && !cf->is_null()) {
    CHAMADO_ASSIGN_OR_RETURN(in.ticket.custom_fields, ParseCustomFields(*cf));
  }
  CHAMADO_TRY(f.Finish());
  CHAMADO_ASSIGN_OR_RETURN(in.ticket.channel, ChannelFor(who, channel_name));
  return in;
}

namespace {
// What every response that carries a ticket adds beside its fields and clocks, so the ticket
// as GET shows it and the copies the writes return (create, change, reply, escalation
// request) are one view: a portal that renders the reply's copy keeps its escalation button.
struct TicketExtras {
  bool escalation_allowed = false;
  bool with_specialists = false;  // in a group the policy's [routing] calls specialists
  std::string language;           // the ticket's, as routing decided it when it opened
  json::array links;
  std::optional<core::SurveyAnswer> survey;  // the customer's answer, once given
  std::optional<Id> merged_into;             // the survivor, while this ticket is merged
  std::vector<Id> merged_from;               // tickets merged into this one, the caller may see
};

Result<TicketExtras> ExtrasOf(Repo& repo, const sla::Policy& policy, const core::Ticket& t, const core::Actor& actor) {
  TicketExtras x;
  // Linked tickets (a reply from someone else, a follow-up after closing): those the caller may see.
  CHAMADO_ASSIGN_OR_RETURN(auto links, repo.TicketLinks(t.number));
  for (const auto& l : links) {
    CHAMADO_ASSIGN_OR_RETURN(auto other, repo.GetTicket(l.ticket_number));
    if (!other || !core::CanSee(actor, *other)) continue;
    x.links.push_back(json::object{{"ticket", l.ticket_number}, {"subject", other->subject}, {"status", core::Name(other->status)},
                                   {"kind", store::Name(l.kind)}, {"direction", l.outgoing ? "to" : "from"}});
  }
  if (actor.role == core::Role::kCustomer) {
    CHAMADO_ASSIGN_OR_RETURN(x.escalation_allowed, store::EscalationAvailable(repo, policy, t));
  }
  if (t.group_id && !policy.routing.specialists.empty()) {
    CHAMADO_ASSIGN_OR_RETURN(auto group, repo.GetGroup(*t.group_id));
    x.with_specialists = group && policy.routing.IsSpecialist(group->name);
  }
  CHAMADO_ASSIGN_OR_RETURN(x.language, repo.TicketLanguage(t.number));
  CHAMADO_ASSIGN_OR_RETURN(x.survey, repo.GetSurveyAnswer(t.number));
  CHAMADO_ASSIGN_OR_RETURN(auto merge, repo.GetMerge(t.number));
  if (merge) x.merged_into = merge->into;
  CHAMADO_ASSIGN_OR_RETURN(auto merged, repo.MergedInto(t.number));
  for (Id n : merged) {
    CHAMADO_ASSIGN_OR_RETURN(auto other, repo.GetTicket(n));
    if (other && core::CanSee(actor, *other)) x.merged_from.push_back(n);
  }
  return x;
}

void AddExtras(json::object& o, TicketExtras& x, bool staff) {
  o["can_request_escalation"] = !staff && x.escalation_allowed;
  // Customers never see the group; a specialist group is told to them as "with our specialists".
  o["with_specialists"] = x.with_specialists;
  o["language"] = x.language.empty() ? json::value(nullptr) : json::value(x.language);
  o["links"] = std::move(x.links);
  o["survey"] = x.survey ? json::value(SurveyAnswerJson(*x.survey)) : json::value(nullptr);
  o["merged_into"] = x.merged_into ? json::value(*x.merged_into) : json::value(nullptr);
  json::array from;
  for (Id n : x.merged_from) from.push_back(n);
  o["merged_from"] = std::move(from);
}
}  // namespace

struct WrittenTicket {
  core::Ticket ticket;
  Names names;
  std::vector<Repo::ClockRow> clocks;
  TicketExtras extras;
};

Result<std::shared_ptr<WrittenTicket>> GatherTicket(Repo& repo, const sla::Policy& policy, core::Ticket t,
                                                    const core::Actor& actor) {
  auto out = std::make_shared<WrittenTicket>();
  out->ticket = std::move(t);
  CHAMADO_TRY(out->names.AddTickets(repo, {out->ticket}));
  CHAMADO_ASSIGN_OR_RETURN(out->clocks, repo.ClockRows(out->ticket.number));
  CHAMADO_ASSIGN_OR_RETURN(out->extras, ExtrasOf(repo, policy, out->ticket, actor));
  return out;
}

json::object RenderTicket(WrittenTicket& w, const sla::Policy& policy, bool staff, std::string_view language, Instant now) {
  json::object o = TicketJson(w.ticket, w.names, policy.catalog, staff, language);
  AddClocks(o, w.clocks, staff, now, policy);
  AddExtras(o, w.extras, staff);
  return o;
}

void Api::Impl::CreateTicket(Call c) {
  const Caller& who = c.who();
  auto parsed = IsMultipart(c.req) ? TicketFromForm(*this, who, c.req) : TicketFromJson(who, c.req);
  if (!parsed.ok()) return Fail(c, parsed.error());
  store::OpenTicketRequest in = std::move(*parsed);
  auto policy = store.policy();
  const Instant now = clock.Now();
  const core::User actor = who.user;
  const bool staff = who.staff();
  struct Created {
    core::Ticket ticket;
    Names names;
    std::vector<Repo::ClockRow> clocks;
    TicketExtras extras;
  };
  const std::string language = who.user.language;
  WriteThen<Created>(
      std::move(c),
      [policy, masker = options.masker, actor, in = std::move(in), now](Repo& repo) -> Result<Created> {
        CHAMADO_ASSIGN_OR_RETURN(auto opened, store::OpenTicketCommand(repo, *policy, *masker, actor, in, now));
        Created out{std::move(opened.ticket), {}, std::move(opened.clocks), {}};
        // What the response names is mostly at hand already: the writer reads no more than it must.
        out.names.Put(actor);
        if (out.ticket.organization_id) out.names.PutOrganization(*out.ticket.organization_id, opened.organization_name);
        CHAMADO_TRY(out.names.AddTickets(repo, {out.ticket}));
        CHAMADO_ASSIGN_OR_RETURN(out.extras, ExtrasOf(repo, *policy, out.ticket, store::ActorOf(actor)));
        return out;
      },
      [policy, staff, language, now](Created& cr) {
        json::object o = TicketJson(cr.ticket, cr.names, policy->catalog, staff, language);
        AddClocks(o, cr.clocks, staff, now, *policy);
        AddExtras(o, cr.extras, staff);
        Response r = JsonResponse(201, o);
        r.Set("Location", "/api/v1/tickets/" + std::to_string(cr.ticket.number));
        return r;
      });
}

void Api::Impl::GetTicket(Call c) {
  auto number = PathId(c, 0, "Ticket");
  if (!number.ok()) return Fail(c, number.error());
  const auto actor = c.who().actor();
  const auto policy = store.policy();
  const Instant now = clock.Now();
  struct Found {
    core::Ticket ticket;
    Names names;
    std::vector<sla::Clock> clocks;
    TicketExtras extras;
  };
  auto r = Read<Found>([&](Repo& repo) -> Result<Found> {
    CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(*number));
    if (!t || !core::CanSee(actor, *t)) return core::NoSuchTicket(*number);
    Found f{std::move(*t), {}, {}, {}};
    CHAMADO_TRY(f.names.AddTickets(repo, {f.ticket}));
    CHAMADO_ASSIGN_OR_RETURN(f.clocks, store::ComputeTicketClocks(repo, *policy, f.ticket, now));
    CHAMADO_ASSIGN_OR_RETURN(f.extras, ExtrasOf(repo, *policy, f.ticket, actor));
    return f;
  });
  if (!r.ok()) return Fail(c, r.error());
  json::object o = TicketJson(r->ticket, r->names, policy->catalog, c.who().staff(), c.who().user.language);
  AddClocks(o, r->clocks, c.who().staff(), *policy);
  AddExtras(o, r->extras, c.who().staff());
  Json(c, 200, o);
}

void Api::Impl::PatchTicket(Call c) {
  auto number = PathId(c, 0, "Ticket");
  if (!number.ok()) return Fail(c, number.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"subject", "status", "priority", "group_id", "assignee_id", "tags", "add_tags", "remove_tags",
                   "category", "custom_fields", "resolution", "resolution_summary"});
  store::ChangeTicketRequest req;
  auto& p = req.patch;
  p.subject = f.Str("subject", 4000);
  if (auto s = f.Str("status", 32)) {
    p.status = core::ParseStatus(*s);
    if (!p.status) f.Fail("status", "Unknown status \"" + *s + "\"; use one of " + core::StatusNames() + ".");
  }
  p.priority = f.Str("priority", 64);
  req.group_id = f.NullableInt("group_id");
  req.assignee_id = f.NullableInt("assignee_id");
  p.tags = f.StrList("tags", 50);
  p.add_tags = f.StrList("add_tags", 50).value_or(std::vector<std::string>{});
  p.remove_tags = f.StrList("remove_tags", 50).value_or(std::vector<std::string>{});
  if (f.Has("category")) p.category = f.NullableStr("category", 64).value_or(std::nullopt).value_or("");
  if (auto res = f.NullableStr("resolution", 32)) {
    if (!*res) {
      p.resolution = std::optional<core::Resolution>();
    } else if (auto parsed = core::ParseResolution(**res)) {
      p.resolution = std::optional<core::Resolution>(*parsed);
    } else {
      f.Fail("resolution", "Unknown resolution \"" + **res + "\"; use one of " + core::ResolutionNames() + ".");
    }
  }
  p.resolution_summary = f.Str("resolution_summary", SIZE_MAX);
  if (const auto* cf = f.Raw("custom_fields"); cf && !cf->is_null()) {
    if (!cf->is_object()) {
      f.Fail("custom_fields", "custom_fields must be an object of name: value (null removes a field).");
    } else {
      for (const auto& kv : cf->as_object()) {
        if (kv.value().is_null()) {
          p.custom_fields.emplace_back(std::string(kv.key()), std::nullopt);
          continue;
        }
        json::object one{{kv.key(), kv.value()}};
        auto parsed = ParseCustomFields(one);
        if (!parsed.ok()) return Fail(c, parsed.error());
        p.custom_fields.emplace_back(std::string(kv.key()), parsed->at(0).value);
      }
    }
  }
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());

  auto policy = store.policy();
  const Instant now = clock.Now();
  const core::User actor = c.who().user;
  const bool staff = c.who().staff();
  const Id n = *number;
  struct Changed {
    core::Ticket ticket;
    Names names;
    std::vector<Repo::ClockRow> clocks;
    TicketExtras extras;
  };
  const std::string language = c.who().user.language;
  WriteThen<Changed>(
      std::move(c),
      [policy, masker = options.masker, actor, req = std::move(req), now, n](Repo& repo) -> Result<Changed> {
        CHAMADO_ASSIGN_OR_RETURN(auto t, store::ChangeTicketCommand(repo, *policy, *masker, actor, n, req, now));
        Changed out{std::move(t), {}, {}, {}};
        CHAMADO_TRY(out.names.AddTickets(repo, {out.ticket}));
        CHAMADO_ASSIGN_OR_RETURN(out.clocks, repo.ClockRows(n));
        CHAMADO_ASSIGN_OR_RETURN(out.extras, ExtrasOf(repo, *policy, out.ticket, store::ActorOf(actor)));
        return out;
      },
      [policy, staff, language, now](Changed& ch) {
        json::object o = TicketJson(ch.ticket, ch.names, policy->catalog, staff, language);
        AddClocks(o, ch.clocks, staff, now, *policy);
        AddExtras(o, ch.extras, staff);
        return JsonResponse(200, o);
      });
}

void Api::Impl::ListTickets(Call c) {
  auto page = PageOf(c.req);
  if (!page.ok()) return Fail(c, page.error());
  store::TicketFilter f;
  for (auto s : c.req.QueryAll("status")) {
    for (const auto& name : SplitList(s)) {
      auto st = core::ParseStatus(name);
      if (!st) return Fail(c, UnknownStatus(name));
      f.statuses.push_back(*st);
    }
  }
  auto id_param = [&](const char* name, std::optional<Id>& out) -> Result<void> {
    auto v = c.req.Query(name);
    if (!v) return Ok();
    out = ParseId(*v);
    if (!out) return Error::InvalidSaid(name, "field.not_number", {{"field", name}});
    return Ok();
  };
  for (auto [name, slot] : {std::pair{"organization_id", &f.organization_id}, std::pair{"requester_id", &f.requester_id},
                            std::pair{"group_id", &f.group_id}}) {
    if (auto r = id_param(name, *slot); !r.ok()) return Fail(c, r.error());
  }
  if (auto r = AssigneeFilter(c, f); !r.ok()) return Fail(c, r.error());
  if (auto p = c.req.Query("priority")) f.priority = std::string(*p);
  if (auto t = c.req.Query("tag")) f.tag = AsciiLower(*t);
  const Caller& who = c.who();
  if (!who.staff()) {
    if (who.user.organization_id) f.visible_organization_id = who.user.organization_id;
    else f.visible_requester_id = who.user.id;
  }
  RenderTicketPage(std::move(c), [f](Repo& repo, const store::Page& p) { return repo.ListTickets(f, p); }, *page);
}

void Api::Impl::Queue(Call c) {
  auto page = PageOf(c.req);
  if (!page.ok()) return Fail(c, page.error());
  store::TicketFilter f;
  if (auto g = c.req.Query("group_id")) {
    f.group_id = ParseId(*g);
    if (!f.group_id) return Fail(c, Error::InvalidSaid("group_id", "field.not_number", {{"field", "group_id"}}));
  }
  if (auto r = AssigneeFilter(c, f); !r.ok()) return Fail(c, r.error());
  if (auto p = c.req.Query("priority")) f.priority = std::string(*p);
  if (auto t = c.req.Query("tag")) f.tag = AsciiLower(*t);
  const auto order = c.req.Query("order").value_or("priority");
  if (order != "priority" && order != "due")
    return Fail(c, Error::InvalidSaid("order", "ticket.queue_order"));
  if (order == "due") return RenderTicketPage(std::move(c), [f](Repo& repo, const store::Page& p) { return repo.QueueByDue(f, p); }, *page);
  RenderTicketPage(std::move(c), [f](Repo& repo, const store::Page& p) { return repo.Queue(f, p); }, *page);
}

void Api::Impl::RenderTicketPage(Call c, const std::function<Result<store::Paged<core::Ticket>>(Repo&, const store::Page&)>& query,
                                 const store::Page& page) {
  struct Listed {
    store::Paged<core::Ticket> page;
    Names names;
    std::vector<Repo::ClockRow> clocks;
  };
  auto r = Read<Listed>([&](Repo& repo) -> Result<Listed> {
    CHAMADO_ASSIGN_OR_RETURN(auto p, query(repo, page));
    Listed out{std::move(p), {}, {}};
    CHAMADO_TRY(out.names.AddTickets(repo, out.page.items));
    std::vector<Id> numbers;
    for (const auto& t : out.page.items) numbers.push_back(t.number);
    CHAMADO_ASSIGN_OR_RETURN(out.clocks, repo.ClockRowsFor(numbers));
    return out;
  });
  if (!r.ok()) return Fail(c, r.error());
  auto policy = store.policy();
  const auto& catalog = &policy->catalog;
  const Instant now = clock.Now();
  const bool staff = c.who().staff();
  // The page is built in one arena and dropped whole: a page of 50 tickets is some 2,000 JSON
  // values, and allocating and freeing them one by one was a fifth of the page's time.
  json::monotonic_resource arena(64 * 1024);
  const json::storage_ptr sp(&arena);
  json::array items(sp);
  items.reserve(r->page.items.size());
  for (const auto& t : r->page.items) {
    json::object o = TicketJson(t, r->names, *catalog, staff, c.who().user.language, sp);
    AddClocks(o, ClocksOf(r->clocks, t.number), staff, now, *policy);
    items.push_back(std::move(o));
  }
  json::object out(sp);
  out["items"] = std::move(items);
  out["next"] = r->page.next.empty() ? json::value(nullptr) : json::value(r->page.next);
  Json(c, 200, out);
}

void Api::Impl::ListMessages(Call c) {
  auto number = PathId(c, 0, "Ticket");
  if (!number.ok()) return Fail(c, number.error());
  auto page = PageOf(c.req);
  if (!page.ok()) return Fail(c, page.error());
  const auto actor = c.who().actor();
  const bool staff = c.who().staff();
  struct Listed {
    store::Paged<core::Message> page;
    Names names;
  };
  auto r = Read<Listed>([&](Repo& repo) -> Result<Listed> {
    CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(*number));
    if (!t || !core::CanSee(actor, *t)) return core::NoSuchTicket(*number);
    CHAMADO_ASSIGN_OR_RETURN(auto p, repo.ListMessages(*number, staff, *page));
    Listed out{std::move(p), {}};
    for (const auto& m : out.page.items) CHAMADO_TRY(out.names.AddUser(repo, m.author_id));
    return out;
  });
  if (!r.ok()) return Fail(c, r.error());
  json::array items;
  for (const auto& m : r->page.items) items.push_back(MessageJson(m, r->names, staff));
  Json(c, 200, json::object{{"items", std::move(items)}, {"next", r->page.next.empty() ? json::value(nullptr) : json::value(r->page.next)}});
}

void Api::Impl::CreateMessage(Call c) {
  auto number = PathId(c, 0, "Ticket");
  if (!number.ok()) return Fail(c, number.error());
  const Caller& who = c.who();
  core::NewMessage m;
  m.kind = who.staff() ? core::MessageKind::kPublicReply : core::MessageKind::kCustomerMessage;
  m.channel = who.via_session ? core::Channel::kWeb : core::Channel::kApi;
  std::optional<std::string> kind, status, resolution;
  if (IsMultipart(c.req)) {
    auto parts = ParseMultipart(c.req.Header("content-type"), c.req.body);
    if (!parts.ok()) return Fail(c, parts.error());
    m.body = FormField(*parts, "body").value_or("");
    kind = FormField(*parts, "kind");
    status = FormField(*parts, "status");
    resolution = FormField(*parts, "resolution");
    if (kind && kind->empty()) kind.reset();
    if (status && status->empty()) status.reset();
    if (resolution && resolution->empty()) resolution.reset();
    auto files = StoreUploads(*parts);
    if (!files.ok()) return Fail(c, files.error());
    m.attachments = std::move(*files);
  } else {
    auto body = ParseJsonObject(c.req);
    if (!body.ok()) return Fail(c, body.error());
    Fields f(*body, {"body", "kind", "status", "resolution"});
    f.Require("body", "the text of the message");
    m.body = f.Str("body", SIZE_MAX).value_or("");
    kind = f.Str("kind", 32);
    status = f.Str("status", 32);
    resolution = f.Str("resolution", 32);
    if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  }
  if (kind) {
    auto k = core::ParseMessageKind(*kind);
    if (!k)
      return Fail(c, Error::InvalidSaid("kind", "ticket.kind_unknown", {{"value", *kind}}));
    m.kind = *k;
  }
  if (status) {
    auto s = core::ParseStatus(*status);
    if (!s) return Fail(c, UnknownStatus(*status));
    m.status = s;
  }
  if (resolution) {
    auto r = core::ParseResolution(*resolution);
    if (!r)
      return Fail(c, Error::InvalidSaid("resolution", "ticket.resolution_unknown",
                                        {{"value", *resolution}, {"accepted", core::ResolutionNames()}}));
    m.resolution = r;
  }

  auto policy = store.policy();
  const Instant now = clock.Now();
  const core::User actor = who.user;
  const bool staff = who.staff();
  const Id n = *number;
  struct Posted {
    store::MessagePosted posted;
    Names names;
    std::vector<Repo::ClockRow> clocks;
    TicketExtras extras;
  };
  const std::string language = who.user.language;
  WriteThen<Posted>(
      std::move(c),
      [policy, masker = options.masker, actor, m = std::move(m), now, n](Repo& repo) -> Result<Posted> {
        CHAMADO_ASSIGN_OR_RETURN(auto posted, store::AddMessageCommand(repo, *policy, *masker, actor, n, m, now));
        Posted out{std::move(posted), {}, {}, {}};
        CHAMADO_TRY(out.names.AddTickets(repo, {out.posted.ticket}));
        CHAMADO_TRY(out.names.AddUser(repo, out.posted.message.author_id));
        CHAMADO_ASSIGN_OR_RETURN(out.clocks, repo.ClockRows(out.posted.ticket.number));
        CHAMADO_ASSIGN_OR_RETURN(out.extras, ExtrasOf(repo, *policy, out.posted.ticket, store::ActorOf(actor)));
        return out;
      },
      [policy, staff, language, now](Posted& p) {
        json::object t = TicketJson(p.posted.ticket, p.names, policy->catalog, staff, language);
        AddClocks(t, p.clocks, staff, now, *policy);
        AddExtras(t, p.extras, staff);
        // A customer's word on a closed ticket opened a follow-up: `ticket` is that new one.
        const json::value follow_up_of = p.posted.follow_up_of ? json::value(*p.posted.follow_up_of) : json::value(nullptr);
        return JsonResponse(201, json::object{{"message", MessageJson(p.posted.message, p.names, staff)},
                                              {"ticket", std::move(t)},
                                              {"follow_up_of", follow_up_of}});
      });
}

void Api::Impl::ListEvents(Call c) {
  auto number = PathId(c, 0, "Ticket");
  if (!number.ok()) return Fail(c, number.error());
  auto page = PageOf(c.req);
  if (!page.ok()) return Fail(c, page.error());
  struct Listed {
    store::Paged<store::StoredEvent> page;
    Names names;
  };
  const auto actor = c.who().actor();
  const bool staff = c.who().staff();
  auto r = Read<Listed>([&](Repo& repo) -> Result<Listed> {
    CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(*number));
    // Like every ticket endpoint: a ticket the caller may not see does not exist.
    if (!t || !core::CanSee(actor, *t)) return core::NoSuchTicket(*number);
    if (!staff) return Error::Said(ErrorCode::kPermissionDenied, "ticket.audit_staff_only");
    CHAMADO_ASSIGN_OR_RETURN(auto p, repo.ListEvents(*number, *page));
    Listed out{std::move(p), {}};
    for (const auto& e : out.page.items) CHAMADO_TRY(out.names.AddUser(repo, e.event.actor_id));
    return out;
  });
  if (!r.ok()) return Fail(c, r.error());
  json::array items;
  for (const auto& e : r->page.items) items.push_back(EventJson(e, r->names));
  Json(c, 200, json::object{{"items", std::move(items)}, {"next", r->page.next.empty() ? json::value(nullptr) : json::value(r->page.next)}});
}

void Api::Impl::RequestEscalation(Call c) {
  auto number = PathId(c, 0, "Ticket");
  if (!number.ok()) return Fail(c, number.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"impact"});
  f.Require("impact", "what the problem stops your business from doing");
  auto impact = f.Str("impact", core::kMaxBodyBytes);
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  auto policy = store.policy();
  const Instant now = clock.Now();
  const core::User actor = c.who().user;
  const Id n = *number;
  struct Done {
    store::MessagePosted posted;
    Names names;
    std::vector<Repo::ClockRow> clocks;
    TicketExtras extras;
  };
  WriteThen<Done>(
      std::move(c),
      [policy, masker = options.masker, actor, impact = std::move(*impact), now, n](Repo& repo) -> Result<Done> {
        CHAMADO_ASSIGN_OR_RETURN(auto posted, store::RequestEscalationCommand(repo, *policy, *masker, actor, n, impact, now));
        Done out{std::move(posted), {}, {}, {}};
        out.names.Put(actor);
        CHAMADO_TRY(out.names.AddTickets(repo, {out.posted.ticket}));
        CHAMADO_ASSIGN_OR_RETURN(out.clocks, repo.ClockRows(n));
        CHAMADO_ASSIGN_OR_RETURN(out.extras, ExtrasOf(repo, *policy, out.posted.ticket, store::ActorOf(actor)));
        return out;
      },
      [this, policy, actor, now](Done& d) {
        json::object t = TicketJson(d.posted.ticket, d.names, policy->catalog, false, actor.language);
        AddClocks(t, d.clocks, false, now, *policy);
        AddExtras(t, d.extras, false);
        return JsonResponse(201, json::object{{"message", MessageJson(d.posted.message, d.names, false)}, {"ticket", std::move(t)}});
      });
}

void Api::Impl::GetAttachment(Call c) {
  auto id = PathId(c, 0, "Attachment");
  if (!id.ok()) return Fail(c, id.error());
  const auto actor = c.who().actor();
  const bool staff = c.who().staff();
  auto r = Read<store::AttachmentRef>([&](Repo& repo) -> Result<store::AttachmentRef> {
    auto missing = Error::Said(ErrorCode::kNotFound, "ticket.attachment_not_found", {{"id", std::to_string(*id)}});
    CHAMADO_ASSIGN_OR_RETURN(auto a, repo.GetAttachment(*id));
    if (!a) return missing;
    if (!staff && !core::IsPublic(a->message_kind)) return missing;
    CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(a->ticket_number));
    if (!t || !core::CanSee(actor, *t)) return missing;
    return *a;
  });
  if (!r.ok()) return Fail(c, r.error());
  auto res = AttachmentResponse(r->attachment);
  if (!res.ok()) return Fail(c, res.error());
  c.reply(std::move(*res));
}

void Api::Impl::MarkPresence(Call c) {
  constexpr auto kPresenceTtl = std::chrono::seconds(30);
  auto number = PathId(c, 0, "Ticket");
  if (!number.ok()) return Fail(c, number.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"state"});
  f.Require("state", "viewing, replying, or left");
  const std::string state = f.Str("state", 16).value_or("");
  if (!state.empty() && state != "viewing" && state != "replying" && state != "left")
    f.Fail("state", "state is viewing, replying or left.");
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  auto exists = Read<bool>([n = *number](Repo& repo) -> Result<bool> {
    CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(n));
    return t.has_value();
  });
  if (!exists.ok()) return Fail(c, exists.error());
  if (!*exists) return Fail(c, core::NoSuchTicket(*number));
  const auto& me = c.who().user;
  const auto now = std::chrono::steady_clock::now();
  json::array others;
  {
    std::lock_guard lock(presence_mu);
    // Marks past their time go, everywhere, as they are met: the map holds open tickets only.
    for (auto it = presence.begin(); it != presence.end();) {
      std::erase_if(it->second, [&](const Presence& p) { return p.until <= now || (it->first == *number && p.agent == me.id); });
      it = it->second.empty() ? presence.erase(it) : std::next(it);
    }
    if (state != "left") presence[*number].push_back({me.id, me.name.empty() ? me.email : me.name, state, now + kPresenceTtl});
    if (auto it = presence.find(*number); it != presence.end())
      for (const auto& p : it->second)
        if (p.agent != me.id) others.push_back(json::object{{"id", p.agent}, {"name", p.name}, {"state", p.state}});
  }
  Json(c, 200, json::object{{"others", std::move(others)}});
}

}  // namespace chamado::http
