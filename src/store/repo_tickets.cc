#include "store/repo_tickets.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "store/repo_rows.h"

namespace chamado::store {
namespace json = boost::json;
using namespace core;

namespace {

std::string FieldsToJson(const std::vector<CustomField>& fields) {
  json::object o;
  for (const auto& f : fields) {
    std::visit([&](const auto& v) { o[f.key] = v; }, f.value);
  }
  return json::serialize(o);
}

std::vector<CustomField> FieldsFromJson(std::string_view text) {
  std::vector<CustomField> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [k, val] : v.as_object()) {
    if (val.is_bool()) out.push_back({std::string(k), val.as_bool()});
    else if (val.is_int64()) out.push_back({std::string(k), val.as_int64()});
    else if (val.is_uint64()) out.push_back({std::string(k), int64_t(val.as_uint64())});
    else if (val.is_double()) out.push_back({std::string(k), val.as_double()});
    else if (val.is_string()) out.push_back({std::string(k), std::string(val.as_string())});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return out;
}

constexpr std::string_view kTicketColumns =
    "number, subject, requester_id, organization_id, channel, status, priority, group_id, assignee_id, category, "
    "custom_fields, resolution, created_at, updated_at, first_response_at, solved_at, closed_at, priority_rank, "
    "escalation_level, sla_due_at, resolution_summary";

Ticket ReadTicket(const RowView& r) {
  Ticket t;
  t.number = r.Int(0);
  t.subject = r.Str(1);
  t.requester_id = r.Int(2);
  t.organization_id = r.OptInt(3);
  t.channel = ParseChannel(r.Text(4)).value_or(Channel::kWeb);
  t.status = ParseStatus(r.Text(5)).value_or(Status::kOpen);
  t.priority = r.Str(6);
  t.group_id = r.OptInt(7);
  t.assignee_id = r.OptInt(8);
  t.category = r.Str(9);
  t.custom_fields = FieldsFromJson(r.Text(10));
  if (!r.IsNull(11)) t.resolution = ParseResolution(r.Text(11));
  t.created_at = FromUnixMillis(r.Int(12));
  t.updated_at = FromUnixMillis(r.Int(13));
  t.first_response_at = OptInstant(r, 14);
  t.solved_at = OptInstant(r, 15);
  t.closed_at = OptInstant(r, 16);
  t.escalation_level = int(r.Int(18));
  t.resolution_summary = r.Str(20);
  return t;
}

}  // namespace

std::string_view Name(TicketLinkKind k) {
  switch (k) {
    case TicketLinkKind::kFollowUp: return "follow_up";
    case TicketLinkKind::kAnswered: return "answered";
    case TicketLinkKind::kMerged: return "merged";
    case TicketLinkKind::kSplit: return "split";
  }
  return "?";
}

std::optional<TicketLinkKind> ParseTicketLinkKind(std::string_view s) { return ParseIn(kTicketLinkKinds, s); }

// ---- tickets ----

Result<Ticket> TicketRepo::InsertTicket(Ticket t, const Catalog& catalog, std::optional<Instant> sla_due) {
  constexpr int64_t kNoDue = 253402300799000;  // see V003
  const int rank = catalog.priorities.Rank(t.priority).value_or(int(catalog.priorities.levels.size()));
  CHAMADO_TRY(c_.Run(
      "INSERT INTO tickets (subject, requester_id, organization_id, channel, status, priority, priority_rank, group_id, "
      "assignee_id, category, custom_fields, resolution, created_at, updated_at, first_response_at, solved_at, closed_at, "
      "escalation_level, sla_due_at, resolution_summary) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING number",
      {t.subject, t.requester_id, t.organization_id, Name(t.channel), Name(t.status), t.priority, rank, t.group_id,
       t.assignee_id, t.category, FieldsToJson(t.custom_fields),
       t.resolution ? Param(Name(*t.resolution)) : Param(nullptr), ToUnixMillis(t.created_at),
       ToUnixMillis(t.updated_at), OptMillis(t.first_response_at), OptMillis(t.solved_at), OptMillis(t.closed_at),
       t.escalation_level, sla_due ? ToUnixMillis(*sla_due) : kNoDue, t.resolution_summary},
      [&](const RowView& r) { t.number = r.Int(0); }));
  for (const auto& tag : t.tags)  // a new ticket has no stored tags to compare with
    CHAMADO_TRY(c_.Run("INSERT INTO ticket_tags (ticket_number, tag) VALUES ($1, $2)", {t.number, tag}));
  return t;
}

namespace {

// Whether a stored column holds `p` (the types Chamado binds: null, integers and text).
bool Holds(const RowView& r, int col, const Param& p) {
  switch (p.kind()) {
    case Param::Kind::kNull: return r.IsNull(col);
    case Param::Kind::kInt: return !r.IsNull(col) && r.Int(col) == p.integer();
    case Param::Kind::kText: return !r.IsNull(col) && r.Text(col) == p.text();
    case Param::Kind::kReal:
    case Param::Kind::kBlob: return false;
  }
  return false;
}

}  // namespace

Result<void> TicketRepo::UpdateTicket(const Ticket& t, const Catalog& catalog) {
  const int rank = catalog.priorities.Rank(t.priority).value_or(int(catalog.priorities.levels.size()));
  static constexpr std::string_view kColumns[] = {
      "subject",  "requester_id",  "organization_id", "channel",    "status",           "priority",  "priority_rank",
      "group_id", "assignee_id",   "category",        "custom_fields", "resolution",    "updated_at", "first_response_at",
      "solved_at", "closed_at",    "escalation_level", "resolution_summary"};
  const std::string fields = FieldsToJson(t.custom_fields);
  const Param values[] = {t.subject, t.requester_id, t.organization_id, Name(t.channel), Name(t.status), t.priority, rank,
                          t.group_id, t.assignee_id, t.category, fields,
                          t.resolution ? Param(Name(*t.resolution)) : Param(nullptr), ToUnixMillis(t.updated_at),
                          OptMillis(t.first_response_at), OptMillis(t.solved_at), OptMillis(t.closed_at), t.escalation_level,
                          t.resolution_summary};
  static_assert(std::size(kColumns) == std::size(values));
  // Only the columns whose value changes are written. SQLite rewrites every index on a column
  // named in SET, changed or not, and a ticket has a dozen: a scheduler pass raising the
  // escalation level of a thousand tickets (a column no index holds) rewrote them all, and
  // the dirty pages overflowed the writer's cache into the log mid-transaction.
  static const std::string kSelect = [] {
    std::string sql = "SELECT ";
    for (const auto c : kColumns) sql += std::string(c) + (c == kColumns[std::size(kColumns) - 1] ? " " : ", ");
    return sql + "FROM tickets WHERE number = $1";
  }();
  std::vector<size_t> changed;
  CHAMADO_TRY(c_.Run(kSelect, {t.number}, [&](const RowView& r) {
    for (size_t i = 0; i < std::size(values); ++i)
      if (!Holds(r, int(i), values[i])) changed.push_back(i);
  }));
  if (!changed.empty()) {
    std::string sql = "UPDATE tickets SET ";
    std::vector<Param> params;
    for (const size_t i : changed) {
      params.push_back(values[i]);
      sql += (params.size() > 1 ? ", " : "") + std::string(kColumns[i]) + " = $" + std::to_string(params.size());
    }
    params.push_back(t.number);
    sql += " WHERE number = $" + std::to_string(params.size());
    CHAMADO_TRY(c_.RunDynamic(sql, params));
  }
  return WriteTags(t);
}

Result<void> TicketRepo::WriteTags(const Ticket& t) {
  std::vector<std::string> stored;
  CHAMADO_TRY(c_.Run("SELECT tag FROM ticket_tags WHERE ticket_number = $1 ORDER BY tag", {t.number},
                     [&](const RowView& r) { stored.push_back(r.Str(0)); }));
  if (stored == t.tags) return Ok();
  CHAMADO_TRY(c_.Run("DELETE FROM ticket_tags WHERE ticket_number = $1", {t.number}));
  for (const auto& tag : t.tags)
    CHAMADO_TRY(c_.Run("INSERT INTO ticket_tags (ticket_number, tag) VALUES ($1, $2)", {t.number, tag}));
  return Ok();
}

Result<void> TicketRepo::LoadTags(std::vector<Ticket>& tickets) {
  if (tickets.empty()) return Ok();
  std::map<Id, Ticket*> by_number;
  std::string sql = "SELECT ticket_number, tag FROM ticket_tags WHERE ticket_number IN (";
  std::vector<Param> params;
  params.reserve(tickets.size());
  for (auto& t : tickets) {
    by_number[t.number] = &t;
    if (!params.empty()) sql += ", ";
    params.emplace_back(t.number);
    sql += "$" + std::to_string(params.size());
  }
  sql += ") ORDER BY ticket_number, tag";
  CHAMADO_TRY(c_.RunDynamic(sql, params, [&](const RowView& r) {
    auto it = by_number.find(r.Int(0));
    if (it != by_number.end()) it->second->tags.push_back(r.Str(1));
  }));
  return Ok();
}

Result<std::optional<Ticket>> TicketRepo::GetTicket(Id number) {
  return One(c_, Sql(Sql("SELECT ", kTicketColumns, " FROM tickets WHERE number = $1"), ForUpdate(c_)), {number}, ReadTicket,
             [this](auto& found) { return LoadTags(found); });
}

Result<Paged<Ticket>> TicketRepo::TicketQuery(const TicketFilter& f, const Page& page, Order order) {
  const bool queue = order != Order::kNewest;
  std::string sql = Sql("SELECT ", kTicketColumns, " FROM tickets WHERE 1 = 1");
  std::vector<Param> params;
  std::vector<std::string> status_names;  // keeps the text alive for the params
  auto next = [&]() { return "$" + std::to_string(params.size()); };
  if (queue) {
    sql += " AND in_queue = 1";  // the index tickets_queue
  } else if (!f.statuses.empty()) {
    for (auto s : f.statuses) status_names.emplace_back(Name(s));
    // One status: the (status, number) index gives the order. Several: an IN over that index
    // would sort every match, so walk the primary key newest first and filter instead (an
    // expression, not the column, keeps the planner off that index).
    sql += status_names.size() == 1 ? " AND status IN (" : " AND (status || '') IN (";
    for (size_t i = 0; i < status_names.size(); ++i) {
      if (i) sql += ", ";
      params.emplace_back(status_names[i]);
      sql += next();
    }
    sql += ")";
  }
  auto eq = [&](const char* col, const std::optional<Id>& v) {
    if (!v) return;
    params.emplace_back(*v);
    sql += std::string(" AND ") + col + " = " + next();
  };
  eq("organization_id", f.organization_id);
  eq("requester_id", f.requester_id);
  eq("assignee_id", f.assignee_id);
  eq("group_id", f.group_id);
  if (f.unassigned) sql += " AND assignee_id IS NULL";
  if (f.priority) {
    params.emplace_back(*f.priority);
    sql += " AND priority = " + next();
  }
  if (f.tag) {
    params.emplace_back(*f.tag);
    sql += " AND number IN (SELECT ticket_number FROM ticket_tags WHERE tag = " + next() + ")";
  }
  if (f.visible_organization_id) {
    params.emplace_back(*f.visible_organization_id);
    sql += " AND organization_id = " + next();
  } else if (f.visible_requester_id) {
    params.emplace_back(*f.visible_requester_id);
    sql += " AND requester_id = " + next();
  }
  if (!page.after.empty()) {
    auto k = DecodeCursor(page.after, order == Order::kQueue ? 3 : order == Order::kDue ? 2 : 1);
    if (!k) return BadCursor();
    if (order == Order::kDue) {
      params.emplace_back((*k)[0]);
      const std::string a = next();
      params.emplace_back((*k)[1]);
      sql += " AND (sla_due_at, number) > (" + a + ", " + next() + ")";
    } else if (queue) {
      params.emplace_back((*k)[0]);
      const std::string a = next();
      params.emplace_back((*k)[1]);
      const std::string b = next();
      params.emplace_back((*k)[2]);
      sql += " AND (priority_rank, created_at, number) > (" + a + ", " + b + ", " + next() + ")";
    } else {
      params.emplace_back((*k)[0]);
      sql += " AND number < " + next();
    }
  }
  const int limit = Limit(page);
  params.emplace_back(limit + 1);
  sql += order == Order::kDue     ? " ORDER BY sla_due_at, number LIMIT " + next()
         : order == Order::kQueue ? " ORDER BY priority_rank, created_at, number LIMIT " + next()
                                  : " ORDER BY number DESC LIMIT " + next();

  Paged<Ticket> out;
  std::vector<int64_t> last_key;
  CHAMADO_TRY(c_.RunDynamic(sql, params, [&](const RowView& r) {
    out.items.push_back(ReadTicket(r));
    if (int(out.items.size()) == limit)
      last_key = order == Order::kDue ? std::vector<int64_t>{r.Int(19), r.Int(0)} : std::vector<int64_t>{r.Int(17), r.Int(12), r.Int(0)};
  }));
  if (int(out.items.size()) > limit) {
    out.items.pop_back();
    out.next = queue ? EncodeCursor(last_key) : EncodeCursor({out.items.back().number});
  }
  CHAMADO_TRY(LoadTags(out.items));
  return out;
}

Result<Paged<Ticket>> TicketRepo::ListTickets(const TicketFilter& f, const Page& page) { return TicketQuery(f, page, Order::kNewest); }
Result<Paged<Ticket>> TicketRepo::Queue(const TicketFilter& f, const Page& page) { return TicketQuery(f, page, Order::kQueue); }
Result<Paged<Ticket>> TicketRepo::QueueByDue(const TicketFilter& f, const Page& page) { return TicketQuery(f, page, Order::kDue); }

Result<void> TicketRepo::SetSlaDue(Id ticket_number, std::optional<Instant> due) {
  constexpr int64_t kNone = 253402300799000;  // see V003
  CHAMADO_TRY(c_.Run("UPDATE tickets SET sla_due_at = $1 WHERE number = $2 AND sla_due_at <> $1",
                     {due ? ToUnixMillis(*due) : kNone, ticket_number}));
  return Ok();
}

Result<std::vector<Id>> TicketRepo::ActiveTicketsAfter(Id after, int limit) {
  std::vector<Id> out;
  CHAMADO_TRY(c_.Run("SELECT number FROM tickets WHERE number > $1 AND status NOT IN ('solved', 'closed') ORDER BY number LIMIT $2",
                     {after, limit}, [&](const RowView& r) { out.push_back(r.Int(0)); }));
  return out;
}

Result<std::vector<Id>> TicketRepo::ActiveTicketsOf(Id organization_id) {
  std::vector<Id> out;
  CHAMADO_TRY(c_.Run("SELECT number FROM tickets WHERE organization_id = $1 AND status NOT IN ('solved', 'closed') ORDER BY number",
                     {organization_id}, [&](const RowView& r) { out.push_back(r.Int(0)); }));
  return out;
}

Result<int64_t> TicketRepo::CountTickets() {
  int64_t n = 0;
  CHAMADO_TRY(c_.Run("SELECT count(*) FROM tickets", {}, [&](const RowView& r) { n = r.Int(0); }));
  return n;
}

// ---- priorities (when a policy changes the scale) ----

Result<std::vector<std::pair<std::string, int64_t>>> TicketRepo::PrioritiesOutside(const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, int64_t>> used, out;
  CHAMADO_TRY(c_.Run("SELECT priority, count(*) FROM tickets GROUP BY priority ORDER BY priority", {},
                     [&](const RowView& r) { used.emplace_back(r.Str(0), r.Int(1)); }));
  for (auto& [p, n] : used)
    if (std::find(names.begin(), names.end(), p) == names.end()) out.emplace_back(p, n);
  return out;
}

Result<void> TicketRepo::SetPriorityRanks(const PriorityScale& scale) {
  for (size_t i = 0; i < scale.levels.size(); ++i)
    CHAMADO_TRY(c_.Run("UPDATE tickets SET priority_rank = $1 WHERE priority = $2 AND priority_rank <> $1",
                       {int64_t(i), scale.levels[i].name}));
  return Ok();
}

// ---- status history ----

Result<void> TicketRepo::InsertStatusChange(Id ticket_number, Instant at, Status status) {
  CHAMADO_TRY(c_.Run("INSERT INTO status_changes (ticket_number, at, status) VALUES ($1, $2, $3)",
                     {ticket_number, ToUnixMillis(at), Name(status)}));
  return Ok();
}

Result<std::vector<TicketRepo::StatusAt>> TicketRepo::StatusHistory(Id ticket_number) {
  std::vector<StatusAt> out;
  CHAMADO_TRY(c_.Run("SELECT at, status FROM status_changes WHERE ticket_number = $1 ORDER BY at, id", {ticket_number},
                     [&](const RowView& r) {
                       out.push_back({FromUnixMillis(r.Int(0)), ParseStatus(r.Text(1)).value_or(Status::kOpen)});
                     }));
  return out;
}

// ---- events ----

Result<void> TicketRepo::InsertEvents(const std::vector<Event>& events, Id ticket_number, Id message_id) {
  if (events.empty()) return Ok();
  // One statement for all of them (a command records two or three).
  std::vector<std::string> data;
  data.reserve(events.size());
  for (const auto& e : events) {
    json::array changes;
    for (const auto& c : e.changes) changes.push_back(json::object{{"field", c.field}, {"before", c.before}, {"after", c.after}});
    data.push_back(json::serialize(json::object{{"changes", std::move(changes)}}));
  }
  std::string sql = "INSERT INTO events (ticket_number, kind, actor_id, at, message_id, data) VALUES ";
  std::vector<Param> params;
  params.reserve(events.size() * 6);
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    const Id mid = e.kind == "message.added" ? message_id : 0;
    sql += i ? ", (" : "(";
    for (int k = 0; k < 6; ++k) sql += (k ? ", $" : "$") + std::to_string(params.size() + size_t(k) + 1);
    sql += ")";
    params.emplace_back(ticket_number ? Param(ticket_number) : Param(nullptr));
    params.emplace_back(e.kind);
    params.emplace_back(e.actor_id);
    params.emplace_back(ToUnixMillis(e.at));
    params.emplace_back(mid ? Param(mid) : Param(nullptr));
    params.emplace_back(data[i]);
  }
  CHAMADO_TRY(c_.RunDynamic(sql, params));
  return Ok();
}

Result<std::optional<Instant>> TicketRepo::LastEventAt(Id ticket_number, std::string_view kind) {
  std::optional<Instant> out;
  CHAMADO_TRY(c_.Run("SELECT max(at) FROM events WHERE ticket_number = $1 AND kind = $2", {ticket_number, kind},
                     [&](const RowView& r) { out = OptInstant(r, 0); }));
  return out;
}

namespace {
// An event row from `first` on: id, kind, actor_id, at, message_id, data.
StoredEvent EventFromRow(const RowView& r, int first, Id ticket_number) {
  StoredEvent se;
  se.id = r.Int(first);
  se.event.kind = r.Str(first + 1);
  se.event.ticket_number = ticket_number;
  se.event.actor_id = r.Int(first + 2);
  se.event.at = FromUnixMillis(r.Int(first + 3));
  se.event.message_id = r.IsNull(first + 4) ? 0 : r.Int(first + 4);
  boost::system::error_code ec;
  json::value v = json::parse(r.Text(first + 5), ec);
  if (!ec && v.is_object()) {
    if (const auto* arr = v.as_object().if_contains("changes"); arr && arr->is_array()) {
      for (const auto& c : arr->as_array()) {
        if (!c.is_object()) continue;
        const auto& o = c.as_object();
        auto str = [&](const char* k) {
          const auto* p = o.if_contains(k);
          return p && p->is_string() ? std::string(p->as_string()) : std::string();
        };
        se.event.changes.push_back({str("field"), str("before"), str("after")});
      }
    }
  }
  return se;
}
}  // namespace

Result<Paged<StoredEvent>> TicketRepo::ListEvents(Id ticket_number, const Page& page) {
  CHAMADO_ASSIGN_OR_RETURN(const int64_t after, AfterKey(page, 0));
  const int limit = Limit(page);
  Paged<StoredEvent> out;
  CHAMADO_TRY(c_.Run(
      "SELECT id, kind, actor_id, at, message_id, data FROM events WHERE ticket_number = $1 AND id > $2 ORDER BY id LIMIT $3",
      {ticket_number, after, limit + 1}, [&](const RowView& r) { out.items.push_back(EventFromRow(r, 0, ticket_number)); }));
  EndPage(out, limit);
  return out;
}

Result<Id> TicketRepo::LastEventId() {
  Id out = 0;
  CHAMADO_TRY(c_.Run("SELECT coalesce(max(id), 0) FROM events", {}, [&](const RowView& r) { out = r.Int(0); }));
  return out;
}

Result<std::vector<Id>> TicketRepo::EventIdsAfter(Id after, Id upto, int limit) {
  std::vector<Id> out;
  CHAMADO_TRY(c_.Run("SELECT id FROM events WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3", {after, upto, limit},
                     [&](const RowView& r) { out.push_back(r.Int(0)); }));
  return out;
}

Result<std::vector<TicketActivity>> TicketRepo::TicketActivityAfter(Id after, Id upto, int limit) {
  std::vector<TicketActivity> out;
  CHAMADO_TRY(c_.Run(
      "SELECT e.id, e.kind, e.actor_id, e.at, e.message_id, e.data, e.ticket_number, t.requester_id, t.organization_id, "
      "u.role FROM events e JOIN tickets t ON t.number = e.ticket_number LEFT JOIN users u ON u.id = e.actor_id "
      "WHERE e.id > $1 AND e.id <= $3 AND e.kind IN ('ticket.created', 'message.added', 'ticket.updated', 'ticket.merged', "
      "'ticket.unmerged', 'ticket.split') ORDER BY e.id LIMIT $2",
      {after, limit, upto}, [&](const RowView& r) {
        TicketActivity a;
        a.stored = EventFromRow(r, 0, r.Int(6));
        a.requester_id = r.Int(7);
        a.organization_id = r.IsNull(8) ? 0 : r.Int(8);
        a.actor_role = r.IsNull(9) ? std::string() : r.Str(9);
        out.push_back(std::move(a));
      }));
  return out;
}

// ---- links ----

Result<void> TicketRepo::InsertTicketLink(Id from, Id to, TicketLinkKind kind, Instant now) {
  CHAMADO_TRY(c_.Run("INSERT INTO ticket_links (ticket_number, linked_number, kind, created_at) VALUES ($1, $2, $3, $4) "
                     "ON CONFLICT (ticket_number, linked_number) DO NOTHING",
                     {from, to, Name(kind), ToUnixMillis(now)}));
  return Ok();
}

Result<std::vector<TicketRepo::TicketLink>> TicketRepo::TicketLinks(Id number) {
  return All(c_,
             "SELECT linked_number, kind, 1 FROM ticket_links WHERE ticket_number = $1 "
             "UNION ALL SELECT ticket_number, kind, 0 FROM ticket_links WHERE linked_number = $1 ORDER BY 1",
             {number}, [](const RowView& r) -> Result<TicketLink> {
               CHAMADO_ASSIGN_OR_RETURN(auto kind, StoredName(r, 1, "ticket_links.kind", ParseTicketLinkKind));
               return TicketLink{r.Int(0), kind, r.Int(2) == 1};
             });
}

Result<void> TicketRepo::DeleteTicketLink(Id from, Id to, TicketLinkKind kind) {
  CHAMADO_TRY(c_.Run("DELETE FROM ticket_links WHERE ticket_number = $1 AND linked_number = $2 AND kind = $3", {from, to, Name(kind)}));
  return Ok();
}

// ---- merges ----

Result<void> TicketRepo::InsertMerge(const MergeRow& m) {
  CHAMADO_TRY(c_.Run("INSERT INTO ticket_merges (merged_number, into_number, previous_status, merged_by, merged_at) "
                     "VALUES ($1, $2, $3, $4, $5)",
                     {m.merged, m.into, Name(m.previous), m.merged_by, ToUnixMillis(m.merged_at)}));
  return Ok();
}

Result<std::optional<TicketRepo::MergeRow>> TicketRepo::GetMerge(Id merged) {
  CHAMADO_ASSIGN_OR_RETURN(
      auto rows, All(c_,
                     "SELECT merged_number, into_number, previous_status, merged_by, merged_at FROM ticket_merges "
                     "WHERE merged_number = $1",
                     {merged}, [](const RowView& r) -> Result<MergeRow> {
                       CHAMADO_ASSIGN_OR_RETURN(auto previous, StoredName(r, 2, "ticket_merges.previous_status", ParseStatus));
                       return MergeRow{r.Int(0), r.Int(1), previous, r.Int(3), FromUnixMillis(r.Int(4))};
                     }));
  if (rows.empty()) return std::optional<MergeRow>();
  return std::optional<MergeRow>(rows.front());
}

Result<void> TicketRepo::DeleteMerge(Id merged) {
  CHAMADO_TRY(c_.Run("DELETE FROM ticket_merges WHERE merged_number = $1", {merged}));
  return Ok();
}

Result<std::vector<Id>> TicketRepo::MergedInto(Id into) {
  return All(c_, "SELECT merged_number FROM ticket_merges WHERE into_number = $1 ORDER BY merged_number", {into},
             [](const RowView& r) -> Result<Id> { return r.Int(0); });
}

}  // namespace chamado::store
