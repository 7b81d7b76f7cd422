#include "store/repo.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <boost/json.hpp>
#include <map>
#include <type_traits>

namespace chamado::store {
namespace json = boost::json;
using namespace core;

namespace {

std::optional<Instant> OptInstant(const RowView& r, int c) {
  if (r.IsNull(c)) return std::nullopt;
  return FromUnixMillis(r.Int(c));
}
std::optional<int64_t> OptMillis(const std::optional<Instant>& t) {
  return t ? std::optional<int64_t>(ToUnixMillis(*t)) : std::nullopt;
}

std::vector<std::string> SplitSpaces(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}
std::string JoinSpaces(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

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
    "escalation_level, sla_due_at";

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
  return t;
}

constexpr std::string_view kUserColumns =
    "id, email, name, role, organization_id, language, time_zone, languages, active, created_at";

User ReadUser(const RowView& r) {
  User u;
  u.id = r.Int(0);
  u.email = r.Str(1);
  u.name = r.Str(2);
  u.role = ParseRole(r.Text(3)).value_or(Role::kCustomer);
  u.organization_id = r.OptInt(4);
  u.language = r.Str(5);
  u.time_zone = r.Str(6);
  u.languages = SplitSpaces(r.Text(7));
  u.active = r.Int(8) != 0;
  u.created_at = FromUnixMillis(r.Int(9));
  return u;
}

Organization ReadOrganization(const RowView& r) {
  Organization o;
  o.id = r.Int(0);
  o.name = r.Str(1);
  o.plan = r.Str(2);
  o.language = r.Str(3);
  o.time_zone = r.Str(4);
  o.notes = r.Str(5);
  o.created_at = FromUnixMillis(r.Int(6));
  return o;
}
constexpr std::string_view kOrganizationColumns = "id, name, plan, language, time_zone, notes, created_at";

int Limit(const Page& p) { return std::clamp(p.limit, 1, 200); }

std::string Sql(std::string_view a, std::string_view b, std::string_view c = {}) {
  std::string s;
  s.reserve(a.size() + b.size() + c.size());
  s += a;
  s += b;
  s += c;
  return s;
}

Error BadCursor() { return Error::Invalid("after", "The page cursor is not valid; start again from the first page."); }

// The enum stored as its name in column `col`. A name this version never writes (a newer
// version's data, a hand edit) fails the read rather than being guessed.
template <class Parse>
auto StoredName(const RowView& r, int col, std::string_view column, Parse parse)
    -> Result<typename decltype(parse(std::string_view()))::value_type> {
  if (auto v = parse(r.Text(col))) return *v;
  return Error::Internal("The database holds \"" + r.Str(col) + "\" in " + std::string(column) +
                         ", which this version of Chamado does not know.");
}

// Queries whose rows map through `map`, which returns a T, or a Result<T> when it can refuse
// a row: the first refusal fails the query once the statement has run (a RowFn cannot
// return it).
template <class T>
struct Unwrapped {
  using type = T;
};
template <class T>
struct Unwrapped<Result<T>> {
  using type = T;
};
template <class Map>
using Mapped = typename Unwrapped<std::invoke_result_t<Map&, const RowView&>>::type;

template <class Map>
RowFn Collect(Map& map, std::vector<Mapped<Map>>& out, std::optional<Error>& refused) {
  return [&map, &out, &refused](const RowView& r) {
    if (refused) return;
    Result<Mapped<Map>> row = map(r);
    if (row.ok()) out.push_back(std::move(row).value());
    else refused = std::move(row).error();
  };
}

template <class Map>
Result<std::vector<Mapped<Map>>> All(Connection& c, std::string_view sql, std::initializer_list<Param> params, Map map) {
  std::vector<Mapped<Map>> out;
  std::optional<Error> refused;
  CHAMADO_TRY(c.Run(sql, params, Collect(map, out, refused)));
  if (refused) return std::move(*refused);
  return out;
}

template <class Map>
Result<std::vector<Mapped<Map>>> All(Connection& c, std::string_view sql, const std::vector<Param>& params, Map map) {
  std::vector<Mapped<Map>> out;
  std::optional<Error> refused;
  CHAMADO_TRY(c.RunDynamic(sql, params, Collect(map, out, refused)));
  if (refused) return std::move(*refused);
  return out;
}

// A query expected to yield at most one row.
template <class Map>
Result<std::optional<Mapped<Map>>> One(Connection& c, std::string_view sql, std::initializer_list<Param> params, Map map) {
  CHAMADO_ASSIGN_OR_RETURN(auto rows, All(c, sql, params, std::move(map)));
  if (rows.empty()) return std::optional<Mapped<Map>>();
  return std::optional<Mapped<Map>>(std::move(rows[0]));
}

}  // namespace

std::string_view Name(MailDirection d) {
  switch (d) {
    case MailDirection::kIn: return "in";
    case MailDirection::kOut: return "out";
  }
  return "?";
}

std::string_view Name(MailOutcome o) {
  switch (o) {
    case MailOutcome::kOpened: return "opened";
    case MailOutcome::kAppended: return "appended";
    case MailOutcome::kIgnored: return "ignored";
    case MailOutcome::kSent: return "sent";
  }
  return "?";
}

std::string_view Name(TicketLinkKind k) {
  switch (k) {
    case TicketLinkKind::kFollowUp: return "follow_up";
    case TicketLinkKind::kAnswered: return "answered";
  }
  return "?";
}

std::string_view Name(OutboxKind k) {
  switch (k) {
    case OutboxKind::kEmail: return "email";
    case OutboxKind::kWebhook: return "webhook";
  }
  return "?";
}

namespace {
template <class E, size_t N>
std::optional<E> ParseIn(const E (&values)[N], std::string_view s) {
  for (E e : values)
    if (Name(e) == s) return e;
  return std::nullopt;
}
}  // namespace

std::optional<MailDirection> ParseMailDirection(std::string_view s) { return ParseIn(kMailDirections, s); }
std::optional<MailOutcome> ParseMailOutcome(std::string_view s) { return ParseIn(kMailOutcomes, s); }
std::optional<TicketLinkKind> ParseTicketLinkKind(std::string_view s) { return ParseIn(kTicketLinkKinds, s); }
std::optional<OutboxKind> ParseOutboxKind(std::string_view s) { return ParseIn(kOutboxKinds, s); }

std::string EncodeCursor(const std::vector<int64_t>& keys) {
  std::string plain;
  for (auto k : keys) {
    if (!plain.empty()) plain += '.';
    plain += std::to_string(k);
  }
  std::string out(sodium_base64_encoded_len(plain.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::vector<int64_t>> DecodeCursor(std::string_view cursor, size_t expected) {
  if (cursor.size() > 200) return std::nullopt;
  std::string bin(cursor.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), cursor.data(), cursor.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return std::nullopt;
  bin.resize(len);
  std::vector<int64_t> keys;
  size_t i = 0;
  while (i <= bin.size()) {
    size_t j = bin.find('.', i);
    if (j == std::string::npos) j = bin.size();
    std::string_view part(bin.data() + i, j - i);
    if (part.empty() || part.size() > 19) return std::nullopt;
    int64_t v = 0;
    bool neg = part[0] == '-';
    for (size_t k = neg ? 1 : 0; k < part.size(); ++k) {
      if (part[k] < '0' || part[k] > '9') return std::nullopt;
      v = v * 10 + (part[k] - '0');
    }
    keys.push_back(neg ? -v : v);
    i = j + 1;
  }
  if (keys.size() != expected) return std::nullopt;
  return keys;
}

// ---- catalog ----

Result<std::optional<Repo::StoredPolicy>> Repo::LatestPolicy() {
  std::optional<StoredPolicy> out;
  CHAMADO_TRY(c_.Run("SELECT version, name, source, files, applied_at, applied_by FROM policies ORDER BY version DESC LIMIT 1",
                     {}, [&](const RowView& r) {
                       StoredPolicy p;
                       p.version = r.Int(0);
                       p.name = r.Str(1);
                       p.source = r.Str(2);
                       boost::system::error_code ec;
                       json::value files = json::parse(r.Text(3), ec);
                       if (!ec && files.is_object())
                         for (const auto& kv : files.as_object())
                           if (kv.value().is_string()) p.files.emplace_back(std::string(kv.key()), std::string(kv.value().as_string()));
                       p.applied_at = FromUnixMillis(r.Int(4));
                       p.applied_by = r.OptInt(5);
                       out = std::move(p);
                     }));
  return out;
}

Result<int64_t> Repo::PolicyVersion() {
  int64_t v = 0;
  CHAMADO_TRY(c_.Run("SELECT coalesce(max(version), 0) FROM policies", {}, [&](const RowView& r) { v = r.Int(0); }));
  return v;
}

Result<int64_t> Repo::InsertPolicy(const StoredPolicy& p) {
  json::object files;
  for (const auto& [path, text] : p.files) files[path] = text;
  int64_t version = 0;
  CHAMADO_TRY(c_.Run("INSERT INTO policies (name, source, files, applied_at, applied_by) VALUES ($1, $2, $3, $4, $5) RETURNING version",
                     {p.name, p.source, json::serialize(files), ToUnixMillis(p.applied_at), p.applied_by},
                     [&](const RowView& r) { version = r.Int(0); }));
  return version;
}

Result<std::vector<std::pair<std::string, int64_t>>> Repo::PrioritiesOutside(const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, int64_t>> used, out;
  CHAMADO_TRY(c_.Run("SELECT priority, count(*) FROM tickets GROUP BY priority ORDER BY priority", {},
                     [&](const RowView& r) { used.emplace_back(r.Str(0), r.Int(1)); }));
  for (auto& [p, n] : used)
    if (std::find(names.begin(), names.end(), p) == names.end()) out.emplace_back(p, n);
  return out;
}

Result<void> Repo::SetPriorityRanks(const PriorityScale& scale) {
  for (size_t i = 0; i < scale.levels.size(); ++i)
    CHAMADO_TRY(c_.Run("UPDATE tickets SET priority_rank = $1 WHERE priority = $2 AND priority_rank <> $1",
                       {int64_t(i), scale.levels[i].name}));
  return Ok();
}

Result<void> Repo::InsertStatusChange(Id ticket_number, Instant at, Status status) {
  CHAMADO_TRY(c_.Run("INSERT INTO status_changes (ticket_number, at, status) VALUES ($1, $2, $3)",
                     {ticket_number, ToUnixMillis(at), Name(status)}));
  return Ok();
}

Result<std::vector<Repo::StatusAt>> Repo::StatusHistory(Id ticket_number) {
  std::vector<StatusAt> out;
  CHAMADO_TRY(c_.Run("SELECT at, status FROM status_changes WHERE ticket_number = $1 ORDER BY at, id", {ticket_number},
                     [&](const RowView& r) {
                       out.push_back({FromUnixMillis(r.Int(0)), ParseStatus(r.Text(1)).value_or(Status::kOpen)});
                     }));
  return out;
}

Result<std::vector<Repo::PublicMessageAt>> Repo::PublicMessages(Id ticket_number) {
  std::vector<PublicMessageAt> out;
  CHAMADO_TRY(c_.Run("SELECT created_at, kind, automatic FROM messages WHERE ticket_number = $1 "
                     "AND kind IN ('customer_message', 'public_reply') ORDER BY id",
                     {ticket_number}, [&](const RowView& r) {
                       out.push_back({FromUnixMillis(r.Int(0)), r.Text(1) == "public_reply", r.Int(2) != 0});
                     }));
  return out;
}

// ---- organizations ----

Result<Organization> Repo::InsertOrganization(Organization o) {
  auto r = c_.Run(
      "INSERT INTO organizations (name, plan, language, time_zone, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
      "RETURNING id",
      {o.name, o.plan, o.language, o.time_zone, o.notes, ToUnixMillis(o.created_at)},
      [&](const RowView& row) { o.id = row.Int(0); });
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict)
      return Error::Conflict("An organization named \"" + o.name + "\" already exists.");
    return std::move(r).error();
  }
  CHAMADO_TRY(WriteDomains(o));
  return o;
}

Result<void> Repo::UpdateOrganization(const Organization& o) {
  auto r = c_.Run("UPDATE organizations SET name = $1, plan = $2, language = $3, time_zone = $4, notes = $5 WHERE id = $6",
                  {o.name, o.plan, o.language, o.time_zone, o.notes, o.id});
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict)
      return Error::Conflict("An organization named \"" + o.name + "\" already exists.");
    return std::move(r).error();
  }
  return WriteDomains(o);
}

Result<void> Repo::WriteDomains(const Organization& o) {
  CHAMADO_TRY(c_.Run("DELETE FROM organization_domains WHERE organization_id = $1", {o.id}));
  for (const auto& d : o.domains) {
    auto r = c_.Run("INSERT INTO organization_domains (domain, organization_id) VALUES ($1, $2)", {d, o.id});
    if (!r.ok()) {
      if (r.error().code == ErrorCode::kConflict)
        return Error::Invalid("domains", "The domain " + d + " already belongs to another organization.");
      return std::move(r).error();
    }
  }
  return Ok();
}

Result<std::optional<Organization>> Repo::GetOrganization(Id id) {
  std::optional<Organization> out;
  CHAMADO_TRY(c_.Run(Sql("SELECT ", kOrganizationColumns, " FROM organizations WHERE id = $1"), {id},
                     [&](const RowView& r) { out = ReadOrganization(r); }));
  if (out) {
    CHAMADO_TRY(c_.Run("SELECT domain FROM organization_domains WHERE organization_id = $1 ORDER BY domain", {id},
                       [&](const RowView& r) { out->domains.push_back(r.Str(0)); }));
  }
  return out;
}

Result<std::optional<std::string>> Repo::OrganizationName(Id id) {
  std::optional<std::string> out;
  CHAMADO_TRY(c_.Run("SELECT name FROM organizations WHERE id = $1", {id}, [&](const RowView& r) { out = r.Str(0); }));
  return out;
}

Result<std::optional<std::pair<std::string, std::string>>> Repo::OrganizationPlanAndName(Id id) {
  std::optional<std::pair<std::string, std::string>> out;
  CHAMADO_TRY(c_.Run("SELECT plan, name FROM organizations WHERE id = $1", {id},
                     [&](const RowView& r) { out = std::make_pair(r.Str(0), r.Str(1)); }));
  return out;
}

Result<std::optional<Organization>> Repo::FindOrganizationByName(std::string_view name) {
  std::optional<Id> id;
  CHAMADO_TRY(c_.Run("SELECT id FROM organizations WHERE lower(name) = lower($1)", {name},
                     [&](const RowView& r) { id = r.Int(0); }));
  if (!id) return std::optional<Organization>();
  return GetOrganization(*id);
}

Result<std::optional<Id>> Repo::OrganizationForDomain(std::string_view domain) {
  std::optional<Id> out;
  CHAMADO_TRY(c_.Run("SELECT organization_id FROM organization_domains WHERE domain = $1", {domain},
                     [&](const RowView& r) { out = r.Int(0); }));
  return out;
}

Result<Paged<Organization>> Repo::ListOrganizations(const Page& page) {
  int64_t after = 0;
  if (!page.after.empty()) {
    auto k = DecodeCursor(page.after, 1);
    if (!k) return BadCursor();
    after = (*k)[0];
  }
  Paged<Organization> out;
  const int limit = Limit(page);
  CHAMADO_TRY(c_.Run(Sql("SELECT ", kOrganizationColumns, " FROM organizations WHERE id > $1 ORDER BY id LIMIT $2"),
                     {after, limit + 1}, [&](const RowView& r) { out.items.push_back(ReadOrganization(r)); }));
  if (int(out.items.size()) > limit) {
    out.items.pop_back();
    out.next = EncodeCursor({out.items.back().id});
  }
  for (auto& o : out.items) {
    CHAMADO_TRY(c_.Run("SELECT domain FROM organization_domains WHERE organization_id = $1 ORDER BY domain", {o.id},
                       [&](const RowView& r) { o.domains.push_back(r.Str(0)); }));
  }
  return out;
}

// ---- users ----

Result<User> Repo::InsertUser(User u, std::string_view password_hash) {
  const int64_t now = ToUnixMillis(u.created_at);
  auto r = c_.Run(
      "INSERT INTO users (email, name, role, organization_id, language, time_zone, languages, password_hash, active, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
      {u.email, u.name, Name(u.role), u.organization_id, u.language, u.time_zone, JoinSpaces(u.languages),
       password_hash.empty() ? Param(nullptr) : Param(password_hash), u.active, now},
      [&](const RowView& row) { u.id = row.Int(0); });
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict) return Error::Conflict("A user with the email " + u.email + " already exists.");
    return std::move(r).error();
  }
  CHAMADO_TRY(WriteGroups(u));
  return u;
}

Result<void> Repo::UpdateUser(const User& u) {
  auto r = c_.Run(
      "UPDATE users SET email = $1, name = $2, role = $3, organization_id = $4, language = $5, time_zone = $6, "
      "languages = $7, active = $8 WHERE id = $9",
      {u.email, u.name, Name(u.role), u.organization_id, u.language, u.time_zone, JoinSpaces(u.languages), u.active, u.id});
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict) return Error::Conflict("A user with the email " + u.email + " already exists.");
    return std::move(r).error();
  }
  return WriteGroups(u);
}

Result<void> Repo::WriteGroups(const User& u) {
  CHAMADO_TRY(c_.Run("DELETE FROM group_members WHERE user_id = $1", {u.id}));
  for (Id g : u.group_ids) {
    auto r = c_.Run("INSERT INTO group_members (group_id, user_id) VALUES ($1, $2)", {g, u.id});
    if (!r.ok()) {
      if (r.error().code == ErrorCode::kConflict) return Error::Invalid("group_ids", "Group " + std::to_string(g) + " does not exist.");
      return std::move(r).error();
    }
  }
  return Ok();
}

Result<void> Repo::SetPasswordHash(Id user_id, std::string_view hash) {
  CHAMADO_TRY(c_.Run("UPDATE users SET password_hash = $1 WHERE id = $2", {hash, user_id}));
  return Ok();
}

Result<void> Repo::LoadUserExtras(std::vector<User>& users) {
  for (auto& u : users) {
    if (u.role == Role::kCustomer) continue;
    CHAMADO_TRY(c_.Run("SELECT group_id FROM group_members WHERE user_id = $1 ORDER BY group_id", {u.id},
                       [&](const RowView& r) { u.group_ids.push_back(r.Int(0)); }));
  }
  return Ok();
}

Result<std::optional<User>> Repo::GetUser(Id id) {
  std::vector<User> found;
  CHAMADO_TRY(c_.Run(Sql("SELECT ", kUserColumns, " FROM users WHERE id = $1"), {id},
                     [&](const RowView& r) { found.push_back(ReadUser(r)); }));
  if (found.empty()) return std::optional<User>();
  CHAMADO_TRY(LoadUserExtras(found));
  return std::optional<User>(std::move(found[0]));
}

Result<std::optional<User>> Repo::FindUserByEmail(std::string_view email) {
  std::vector<User> found;
  CHAMADO_TRY(c_.Run(Sql("SELECT ", kUserColumns, " FROM users WHERE email = $1"), {email},
                     [&](const RowView& r) { found.push_back(ReadUser(r)); }));
  if (found.empty()) return std::optional<User>();
  CHAMADO_TRY(LoadUserExtras(found));
  return std::optional<User>(std::move(found[0]));
}

Result<std::optional<std::string>> Repo::PasswordHash(Id user_id) {
  std::optional<std::string> out;
  CHAMADO_TRY(c_.Run("SELECT password_hash FROM users WHERE id = $1", {user_id}, [&](const RowView& r) {
    if (!r.IsNull(0)) out = r.Str(0);
  }));
  return out;
}

Result<Paged<User>> Repo::ListUsers(const UserFilter& f, const Page& page) {
  std::string sql = Sql("SELECT ", kUserColumns, " FROM users WHERE id > $1");
  int64_t after = 0;
  if (!page.after.empty()) {
    auto k = DecodeCursor(page.after, 1);
    if (!k) return BadCursor();
    after = (*k)[0];
  }
  std::vector<Param> params{after};
  std::vector<std::string> role_names;
  for (auto r : f.roles) role_names.emplace_back(Name(r));
  if (!role_names.empty()) {
    sql += " AND role IN (";
    for (size_t i = 0; i < role_names.size(); ++i) {
      if (i) sql += ", ";
      params.emplace_back(role_names[i]);
      sql += "$" + std::to_string(params.size());
    }
    sql += ")";
  }
  if (f.organization_id) {
    params.emplace_back(*f.organization_id);
    sql += " AND organization_id = $" + std::to_string(params.size());
  }
  if (f.group_id) {
    params.emplace_back(*f.group_id);
    sql += " AND id IN (SELECT user_id FROM group_members WHERE group_id = $" + std::to_string(params.size()) + ")";
  }
  std::string prefix_hi;
  if (!f.email_prefix.empty()) {
    // A range scan on the unique email index: prefix <= email < prefix + U+10FFFF.
    prefix_hi = f.email_prefix + "\xF4\x8F\xBF\xBF";
    params.emplace_back(f.email_prefix);
    sql += " AND email >= $" + std::to_string(params.size());
    params.emplace_back(prefix_hi);
    sql += " AND email < $" + std::to_string(params.size());
  }
  const int limit = Limit(page);
  params.emplace_back(limit + 1);
  sql += " ORDER BY id LIMIT $" + std::to_string(params.size());
  Paged<User> out;
  CHAMADO_TRY(c_.RunDynamic(sql, params, [&](const RowView& r) { out.items.push_back(ReadUser(r)); }));
  if (int(out.items.size()) > limit) {
    out.items.pop_back();
    out.next = EncodeCursor({out.items.back().id});
  }
  CHAMADO_TRY(LoadUserExtras(out.items));
  return out;
}

// ---- groups ----

Result<Group> Repo::InsertGroup(Group g) {
  auto r = c_.Run("INSERT INTO agent_groups (name, description, created_at) VALUES ($1, $2, $3) RETURNING id",
                  {g.name, g.description, ToUnixMillis(g.created_at)}, [&](const RowView& row) { g.id = row.Int(0); });
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict) return Error::Conflict("A group named \"" + g.name + "\" already exists.");
    return std::move(r).error();
  }
  return g;
}

Result<void> Repo::UpdateGroup(const Group& g) {
  auto r = c_.Run("UPDATE agent_groups SET name = $1, description = $2 WHERE id = $3", {g.name, g.description, g.id});
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict) return Error::Conflict("A group named \"" + g.name + "\" already exists.");
    return std::move(r).error();
  }
  return Ok();
}

Result<std::optional<Group>> Repo::GetGroup(Id id) {
  std::optional<Group> out;
  CHAMADO_TRY(c_.Run("SELECT id, name, description, created_at FROM agent_groups WHERE id = $1", {id},
                     [&](const RowView& r) { out = Group{r.Int(0), r.Str(1), r.Str(2), FromUnixMillis(r.Int(3))}; }));
  return out;
}

Result<std::vector<Group>> Repo::ListGroups() {
  std::vector<Group> out;
  CHAMADO_TRY(c_.Run("SELECT id, name, description, created_at FROM agent_groups ORDER BY name", {},
                     [&](const RowView& r) { out.push_back({r.Int(0), r.Str(1), r.Str(2), FromUnixMillis(r.Int(3))}); }));
  return out;
}

Result<std::vector<Id>> Repo::GroupMembers(Id group_id) {
  std::vector<Id> out;
  CHAMADO_TRY(c_.Run("SELECT user_id FROM group_members WHERE group_id = $1 ORDER BY user_id", {group_id},
                     [&](const RowView& r) { out.push_back(r.Int(0)); }));
  return out;
}

Result<std::optional<Group>> Repo::FindGroupByName(std::string_view name) {
  std::optional<Group> out;
  CHAMADO_TRY(c_.Run("SELECT id, name, description, created_at FROM agent_groups WHERE lower(name) = lower($1)", {name},
                     [&](const RowView& r) { out = Group{r.Int(0), r.Str(1), r.Str(2), FromUnixMillis(r.Int(3))}; }));
  return out;
}

// ---- tickets ----

Result<Ticket> Repo::InsertTicket(Ticket t, const Catalog& catalog, std::optional<Instant> sla_due) {
  constexpr int64_t kNoDue = 253402300799000;  // see V003
  const int rank = catalog.priorities.Rank(t.priority).value_or(int(catalog.priorities.levels.size()));
  CHAMADO_TRY(c_.Run(
      "INSERT INTO tickets (subject, requester_id, organization_id, channel, status, priority, priority_rank, group_id, "
      "assignee_id, category, custom_fields, resolution, created_at, updated_at, first_response_at, solved_at, closed_at, "
      "escalation_level, sla_due_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING number",
      {t.subject, t.requester_id, t.organization_id, Name(t.channel), Name(t.status), t.priority, rank, t.group_id,
       t.assignee_id, t.category, FieldsToJson(t.custom_fields),
       t.resolution ? Param(Name(*t.resolution)) : Param(nullptr), ToUnixMillis(t.created_at),
       ToUnixMillis(t.updated_at), OptMillis(t.first_response_at), OptMillis(t.solved_at), OptMillis(t.closed_at),
       t.escalation_level, sla_due ? ToUnixMillis(*sla_due) : kNoDue},
      [&](const RowView& r) { t.number = r.Int(0); }));
  for (const auto& tag : t.tags)  // a new ticket has no stored tags to compare with
    CHAMADO_TRY(c_.Run("INSERT INTO ticket_tags (ticket_number, tag) VALUES ($1, $2)", {t.number, tag}));
  return t;
}

Result<void> Repo::UpdateTicket(const Ticket& t, const Catalog& catalog) {
  const int rank = catalog.priorities.Rank(t.priority).value_or(int(catalog.priorities.levels.size()));
  CHAMADO_TRY(c_.Run(
      "UPDATE tickets SET subject = $1, requester_id = $2, organization_id = $3, channel = $4, status = $5, "
      "priority = $6, priority_rank = $7, group_id = $8, assignee_id = $9, category = $10, custom_fields = $11, "
      "resolution = $12, updated_at = $13, first_response_at = $14, solved_at = $15, closed_at = $16, "
      "escalation_level = $18 WHERE number = $17",
      {t.subject, t.requester_id, t.organization_id, Name(t.channel), Name(t.status), t.priority, rank, t.group_id,
       t.assignee_id, t.category, FieldsToJson(t.custom_fields),
       t.resolution ? Param(Name(*t.resolution)) : Param(nullptr), ToUnixMillis(t.updated_at),
       OptMillis(t.first_response_at), OptMillis(t.solved_at), OptMillis(t.closed_at), t.number, t.escalation_level}));
  return WriteTags(t);
}

Result<void> Repo::WriteTags(const Ticket& t) {
  std::vector<std::string> stored;
  CHAMADO_TRY(c_.Run("SELECT tag FROM ticket_tags WHERE ticket_number = $1 ORDER BY tag", {t.number},
                     [&](const RowView& r) { stored.push_back(r.Str(0)); }));
  if (stored == t.tags) return Ok();
  CHAMADO_TRY(c_.Run("DELETE FROM ticket_tags WHERE ticket_number = $1", {t.number}));
  for (const auto& tag : t.tags)
    CHAMADO_TRY(c_.Run("INSERT INTO ticket_tags (ticket_number, tag) VALUES ($1, $2)", {t.number, tag}));
  return Ok();
}

Result<void> Repo::LoadTags(std::vector<Ticket>& tickets) {
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

Result<std::optional<Ticket>> Repo::GetTicket(Id number) {
  std::vector<Ticket> found;
  CHAMADO_TRY(c_.Run(Sql("SELECT ", kTicketColumns, " FROM tickets WHERE number = $1"), {number},
                     [&](const RowView& r) { found.push_back(ReadTicket(r)); }));
  if (found.empty()) return std::optional<Ticket>();
  CHAMADO_TRY(LoadTags(found));
  return std::optional<Ticket>(std::move(found[0]));
}

Result<Paged<Ticket>> Repo::TicketQuery(const TicketFilter& f, const Page& page, Order order) {
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
    // would sort every match, so walk the primary key newest first and filter instead.
    sql += status_names.size() == 1 ? " AND status IN (" : " AND +status IN (";
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

Result<Paged<Ticket>> Repo::ListTickets(const TicketFilter& f, const Page& page) { return TicketQuery(f, page, Order::kNewest); }
Result<Paged<Ticket>> Repo::Queue(const TicketFilter& f, const Page& page) { return TicketQuery(f, page, Order::kQueue); }
Result<Paged<Ticket>> Repo::QueueByDue(const TicketFilter& f, const Page& page) { return TicketQuery(f, page, Order::kDue); }

Result<void> Repo::SetSlaDue(Id ticket_number, std::optional<Instant> due) {
  constexpr int64_t kNone = 253402300799000;  // see V003
  CHAMADO_TRY(c_.Run("UPDATE tickets SET sla_due_at = $1 WHERE number = $2 AND sla_due_at <> $1",
                     {due ? ToUnixMillis(*due) : kNone, ticket_number}));
  return Ok();
}

Result<std::optional<std::string>> Repo::GetSetting(std::string_view key) {
  std::optional<std::string> out;
  CHAMADO_TRY(c_.Run("SELECT value FROM settings WHERE key = $1", {key}, [&](const RowView& r) { out = r.Str(0); }));
  return out;
}

Result<void> Repo::SetSetting(std::string_view key, std::string_view value) {
  CHAMADO_TRY(c_.Run("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                     {key, value}));
  return Ok();
}

Result<std::vector<Id>> Repo::ActiveTicketsAfter(Id after, int limit) {
  std::vector<Id> out;
  CHAMADO_TRY(c_.Run("SELECT number FROM tickets WHERE number > $1 AND status NOT IN ('solved', 'closed') ORDER BY number LIMIT $2",
                     {after, limit}, [&](const RowView& r) { out.push_back(r.Int(0)); }));
  return out;
}

Result<std::vector<Id>> Repo::ActiveTicketsOf(Id organization_id) {
  std::vector<Id> out;
  CHAMADO_TRY(c_.Run("SELECT number FROM tickets WHERE organization_id = $1 AND status NOT IN ('solved', 'closed') ORDER BY number",
                     {organization_id}, [&](const RowView& r) { out.push_back(r.Int(0)); }));
  return out;
}

Result<int64_t> Repo::CountTickets() {
  int64_t n = 0;
  CHAMADO_TRY(c_.Run("SELECT count(*) FROM tickets", {}, [&](const RowView& r) { n = r.Int(0); }));
  return n;
}

// ---- clocks ----

namespace {
std::string JoinInstants(const std::vector<Instant>& v) {
  std::string out;
  for (const auto& t : v) {
    if (!out.empty()) out += ' ';
    out += std::to_string(ToUnixMillis(t));
  }
  return out;
}
std::vector<Instant> SplitInstants(std::string_view s) {
  std::vector<Instant> out;
  for (const auto& part : SplitSpaces(s)) out.push_back(FromUnixMillis(std::stoll(part)));
  return out;
}
}  // namespace

namespace {
constexpr std::string_view kClockColumns =
    "ticket_number, target, cycle_start, state, calendar, within_text, within_ms, used_ms, due_at, breached_at, "
    "stopped_at, warn_at, warnings_fired, breach_fired, next_fire_at, computed_at";

Result<Repo::ClockRow> ReadClock(const RowView& r) {
  Repo::ClockRow c;
  c.ticket_number = r.Int(0);
  CHAMADO_ASSIGN_OR_RETURN(c.target, StoredName(r, 1, "ticket_clocks.target", sla::ParseTarget));
  c.cycle_start = FromUnixMillis(r.Int(2));
  CHAMADO_ASSIGN_OR_RETURN(c.state, StoredName(r, 3, "ticket_clocks.state", sla::ParseClockState));
  c.calendar = r.Str(4);
  c.within_text = r.Str(5);
  c.within = std::chrono::milliseconds(r.Int(6));
  c.used = std::chrono::milliseconds(r.Int(7));
  c.due_at = OptInstant(r, 8);
  c.breached_at = OptInstant(r, 9);
  c.stopped_at = OptInstant(r, 10);
  c.warn_at = SplitInstants(r.Text(11));
  c.warnings_fired = int(r.Int(12));
  c.breach_fired = r.Int(13) != 0;
  c.next_fire_at = OptInstant(r, 14);
  c.computed_at = FromUnixMillis(r.Int(15));
  return c;
}
}  // namespace

Result<std::vector<Repo::ClockRow>> Repo::ClockRows(Id ticket_number) {
  return All(c_, Sql("SELECT ", kClockColumns, " FROM ticket_clocks WHERE ticket_number = $1 ORDER BY target"),
             {ticket_number}, ReadClock);
}

Result<std::vector<Repo::ClockRow>> Repo::ClockRowsFor(const std::vector<Id>& numbers) {
  if (numbers.empty()) return std::vector<ClockRow>();
  std::string sql = Sql("SELECT ", kClockColumns, " FROM ticket_clocks WHERE ticket_number IN (");
  std::vector<Param> params;
  for (Id n : numbers) {
    if (!params.empty()) sql += ", ";
    params.emplace_back(n);
    sql += "$" + std::to_string(params.size());
  }
  sql += ") ORDER BY ticket_number, target";
  return All(c_, sql, params, ReadClock);
}

Result<void> Repo::UpsertClock(const ClockRow& c) {
  CHAMADO_TRY(c_.Run(
      "INSERT INTO ticket_clocks (ticket_number, target, cycle_start, state, calendar, within_text, within_ms, used_ms, "
      "due_at, breached_at, stopped_at, warn_at, warnings_fired, breach_fired, next_fire_at, computed_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) "
      "ON CONFLICT (ticket_number, target) DO UPDATE SET cycle_start = excluded.cycle_start, state = excluded.state, "
      "calendar = excluded.calendar, within_text = excluded.within_text, within_ms = excluded.within_ms, "
      "used_ms = excluded.used_ms, due_at = excluded.due_at, breached_at = excluded.breached_at, "
      "stopped_at = excluded.stopped_at, warn_at = excluded.warn_at, warnings_fired = excluded.warnings_fired, "
      "breach_fired = excluded.breach_fired, next_fire_at = excluded.next_fire_at, computed_at = excluded.computed_at",
      {c.ticket_number, sla::Name(c.target), ToUnixMillis(c.cycle_start), sla::Name(c.state), c.calendar, c.within_text,
       c.within.count(), c.used.count(), OptMillis(c.due_at), OptMillis(c.breached_at), OptMillis(c.stopped_at), JoinInstants(c.warn_at), c.warnings_fired,
       c.breach_fired, OptMillis(c.next_fire_at), ToUnixMillis(c.computed_at)}));
  return Ok();
}

Result<void> Repo::InsertClocks(const std::vector<ClockRow>& rows) {
  if (rows.empty()) return Ok();
  std::string sql =
      "INSERT INTO ticket_clocks (ticket_number, target, cycle_start, state, calendar, within_text, within_ms, used_ms, "
      "due_at, breached_at, stopped_at, warn_at, warnings_fired, breach_fired, next_fire_at, computed_at) VALUES ";
  std::vector<Param> params;
  std::vector<std::string> warn;  // keeps the text alive for the params
  warn.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& c = rows[i];
    warn.push_back(JoinInstants(c.warn_at));
    sql += i ? ", (" : "(";
    for (int k = 0; k < 16; ++k) sql += (k ? ", $" : "$") + std::to_string(params.size() + size_t(k) + 1);
    sql += ")";
    for (Param p : {Param(c.ticket_number), Param(sla::Name(c.target)), Param(ToUnixMillis(c.cycle_start)),
                    Param(sla::Name(c.state)), Param(c.calendar), Param(c.within_text), Param(c.within.count()),
                    Param(c.used.count()), Param(OptMillis(c.due_at)),
                    Param(OptMillis(c.breached_at)), Param(OptMillis(c.stopped_at)), Param(warn.back()),
                    Param(c.warnings_fired), Param(c.breach_fired), Param(OptMillis(c.next_fire_at)),
                    Param(ToUnixMillis(c.computed_at))})
      params.push_back(p);
  }
  CHAMADO_TRY(c_.RunDynamic(sql, params));
  return Ok();
}

Result<void> Repo::DeleteClock(Id ticket_number, sla::Target target) {
  CHAMADO_TRY(c_.Run("DELETE FROM ticket_clocks WHERE ticket_number = $1 AND target = $2", {ticket_number, sla::Name(target)}));
  return Ok();
}

Result<std::vector<Id>> Repo::DueClockTickets(Instant now, int limit) {
  std::vector<Id> out;
  CHAMADO_TRY(c_.Run("SELECT DISTINCT ticket_number FROM (SELECT ticket_number, next_fire_at FROM ticket_clocks "
                     "WHERE next_fire_at IS NOT NULL AND next_fire_at <= $1 ORDER BY next_fire_at LIMIT $2)",
                     {ToUnixMillis(now), limit}, [&](const RowView& r) { out.push_back(r.Int(0)); }));
  return out;
}

Result<std::optional<Instant>> Repo::NextClockFire() {
  std::optional<Instant> out;
  CHAMADO_TRY(c_.Run("SELECT min(next_fire_at) FROM ticket_clocks WHERE next_fire_at IS NOT NULL", {},
                     [&](const RowView& r) { out = OptInstant(r, 0); }));
  return out;
}

Result<std::optional<Repo::MailId>> Repo::FindMailId(std::string_view message_id) {
  return One(c_,
             "SELECT message_id, direction, ticket_number, message_row, raw_sha256, outcome, created_at "
             "FROM mail_ids WHERE message_id = $1",
             {message_id}, [](const RowView& r) -> Result<MailId> {
               CHAMADO_ASSIGN_OR_RETURN(auto direction, StoredName(r, 1, "mail_ids.direction", ParseMailDirection));
               CHAMADO_ASSIGN_OR_RETURN(auto outcome, StoredName(r, 5, "mail_ids.outcome", ParseMailOutcome));
               return MailId{r.Str(0), direction, r.OptInt(2), r.OptInt(3), r.IsNull(4) ? "" : r.Str(4), outcome,
                             FromUnixMillis(r.Int(6))};
             });
}

Result<void> Repo::InsertMailId(const MailId& m) {
  CHAMADO_TRY(c_.Run("INSERT INTO mail_ids (message_id, direction, ticket_number, message_row, raw_sha256, outcome, created_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (message_id) DO NOTHING",
                     {m.message_id, Name(m.direction), m.ticket_number, m.message_row,
                      m.raw_sha256.empty() ? Param(nullptr) : Param(m.raw_sha256), Name(m.outcome), ToUnixMillis(m.created_at)}));
  return Ok();
}

Result<std::vector<std::string>> Repo::TicketMailIds(Id ticket_number, int limit) {
  std::vector<std::string> out;
  CHAMADO_TRY(c_.Run("SELECT message_id FROM mail_ids WHERE ticket_number = $1 AND message_id NOT LIKE 'sha256:%' "
                     "ORDER BY created_at, message_id LIMIT $2",
                     {ticket_number, limit}, [&](const RowView& r) { out.push_back(r.Str(0)); }));
  return out;
}

Result<std::optional<std::string>> Repo::RawMailOf(Id message_row) {
  std::optional<std::string> out;
  CHAMADO_TRY(c_.Run("SELECT raw_sha256 FROM mail_ids WHERE message_row = $1 AND raw_sha256 IS NOT NULL", {message_row},
                     [&](const RowView& r) { out = r.Str(0); }));
  return out;
}

Result<void> Repo::InsertTicketLink(Id from, Id to, TicketLinkKind kind, Instant now) {
  CHAMADO_TRY(c_.Run("INSERT INTO ticket_links (ticket_number, linked_number, kind, created_at) VALUES ($1, $2, $3, $4) "
                     "ON CONFLICT (ticket_number, linked_number) DO NOTHING",
                     {from, to, Name(kind), ToUnixMillis(now)}));
  return Ok();
}

Result<std::vector<Repo::TicketLink>> Repo::TicketLinks(Id number) {
  return All(c_,
             "SELECT linked_number, kind, 1 FROM ticket_links WHERE ticket_number = $1 "
             "UNION ALL SELECT ticket_number, kind, 0 FROM ticket_links WHERE linked_number = $1 ORDER BY 1",
             {number}, [](const RowView& r) -> Result<TicketLink> {
               CHAMADO_ASSIGN_OR_RETURN(auto kind, StoredName(r, 1, "ticket_links.kind", ParseTicketLinkKind));
               return TicketLink{r.Int(0), kind, r.Int(2) == 1};
             });
}

Result<void> Repo::InsertOutbox(const OutboxRow& o) {
  CHAMADO_TRY(c_.Run("INSERT INTO outbox (kind, recipient, ticket_number, event, payload, created_at, next_attempt_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $6)",
                     {Name(o.kind), o.recipient, o.ticket_number ? Param(o.ticket_number) : Param(nullptr), o.event, o.payload,
                      ToUnixMillis(o.created_at)}));
  return Ok();
}

Result<int64_t> Repo::CountOutbox(std::string_view recipient, std::string_view event, Instant since) {
  int64_t n = 0;
  CHAMADO_TRY(c_.Run("SELECT count(*) FROM outbox WHERE recipient = $1 AND event = $2 AND created_at >= $3",
                     {recipient, event, ToUnixMillis(since)}, [&](const RowView& r) { n = r.Int(0); }));
  return n;
}

namespace {
// An outbox row: id, kind, recipient, ticket_number, event, payload, created_at, attempts,
// sent_at, last_error.
Result<Repo::QueuedNotification> ReadQueued(const RowView& r) {
  Repo::QueuedNotification n;
  n.id = r.Int(0);
  CHAMADO_ASSIGN_OR_RETURN(auto kind, StoredName(r, 1, "outbox.kind", ParseOutboxKind));
  n.row = {kind, r.Str(2), r.IsNull(3) ? 0 : r.Int(3), r.Str(4), r.Str(5), FromUnixMillis(r.Int(6))};
  n.attempts = int(r.Int(7));
  n.sent_at = OptInstant(r, 8);
  n.last_error = r.IsNull(9) ? "" : r.Str(9);
  return n;
}
}  // namespace

Result<std::vector<Repo::QueuedNotification>> Repo::DueOutbox(OutboxKind kind, Instant now, int limit) {
  return All(c_,
             "SELECT id, kind, recipient, ticket_number, event, payload, created_at, attempts, sent_at, last_error "
             "FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 AND kind = $2 ORDER BY next_attempt_at LIMIT $3",
             {ToUnixMillis(now), Name(kind), limit}, ReadQueued);
}

Result<void> Repo::MarkOutboxSent(Id id, Instant at) {
  CHAMADO_TRY(c_.Run("UPDATE outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2", {ToUnixMillis(at), id}));
  return Ok();
}

Result<void> Repo::MarkOutboxFailed(Id id, int attempts, Instant next, std::string_view error) {
  CHAMADO_TRY(c_.Run("UPDATE outbox SET attempts = $1, next_attempt_at = $2, last_error = $3 WHERE id = $4",
                     {attempts, ToUnixMillis(next), error, id}));
  return Ok();
}

Result<Paged<Repo::QueuedNotification>> Repo::ListOutbox(Id ticket_number, const Page& page) {
  int64_t before = INT64_MAX;
  if (!page.after.empty()) {
    auto k = DecodeCursor(page.after, 1);
    if (!k) return BadCursor();
    before = (*k)[0];
  }
  const int limit = Limit(page);
  Paged<QueuedNotification> out;
  if (ticket_number) {
    CHAMADO_ASSIGN_OR_RETURN(out.items, All(c_,
                                            "SELECT id, kind, recipient, ticket_number, event, payload, created_at, attempts, "
                                            "sent_at, last_error FROM outbox WHERE ticket_number = $1 AND id < $2 "
                                            "ORDER BY id DESC LIMIT $3",
                                            {ticket_number, before, limit + 1}, ReadQueued));
  } else {
    CHAMADO_ASSIGN_OR_RETURN(out.items, All(c_,
                                            "SELECT id, kind, recipient, ticket_number, event, payload, created_at, attempts, "
                                            "sent_at, last_error FROM outbox WHERE id < $1 ORDER BY id DESC LIMIT $2",
                                            {before, limit + 1}, ReadQueued));
  }
  if (int(out.items.size()) > limit) {
    out.items.pop_back();
    out.next = EncodeCursor({out.items.back().id});
  }
  return out;
}

// ---- messages ----

Result<Message> Repo::InsertMessage(Message m) {
  CHAMADO_TRY(c_.Run(
      "INSERT INTO messages (ticket_number, kind, author_id, body, automatic, channel, created_at, masked) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
      {m.ticket_number, Name(m.kind), m.author_id, m.body, m.automatic, Name(m.channel), ToUnixMillis(m.created_at), m.masked},
      [&](const RowView& r) { m.id = r.Int(0); }));
  for (auto& a : m.attachments) {
    CHAMADO_TRY(c_.Run(
        "INSERT INTO attachments (message_id, sha256, filename, content_type, size) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        {m.id, a.sha256, a.filename, a.content_type, a.size}, [&](const RowView& r) { a.id = r.Int(0); }));
  }
  return m;
}

Result<void> Repo::LoadAttachments(std::vector<Message>& messages) {
  for (auto& m : messages) {
    CHAMADO_TRY(c_.Run("SELECT id, sha256, filename, content_type, size FROM attachments WHERE message_id = $1 ORDER BY id",
                       {m.id}, [&](const RowView& r) {
                         m.attachments.push_back({r.Int(0), r.Str(1), r.Str(2), r.Str(3), r.Int(4)});
                       }));
  }
  return Ok();
}

namespace {
// A message row: id, ticket_number, kind, author_id, body, automatic, channel, created_at, masked.
Message MessageOf(const RowView& r) {
  Message m;
  m.id = r.Int(0);
  m.ticket_number = r.Int(1);
  m.kind = ParseMessageKind(r.Text(2)).value_or(MessageKind::kSystemNotice);
  m.author_id = r.Int(3);
  m.body = r.Str(4);
  m.automatic = r.Int(5) != 0;
  m.channel = ParseChannel(r.Text(6)).value_or(Channel::kWeb);
  m.created_at = FromUnixMillis(r.Int(7));
  m.masked = r.Int(8) != 0;
  return m;
}
}  // namespace

Result<std::optional<Message>> Repo::GetMessage(Id id) {
  std::optional<Message> out;
  CHAMADO_TRY(c_.Run("SELECT id, ticket_number, kind, author_id, body, automatic, channel, created_at, masked FROM messages WHERE id = $1",
                     {id}, [&](const RowView& r) { out = MessageOf(r); }));
  return out;
}

Result<Paged<Message>> Repo::ListMessages(Id ticket_number, bool include_internal, const Page& page) {
  int64_t after = 0;
  if (!page.after.empty()) {
    auto k = DecodeCursor(page.after, 1);
    if (!k) return BadCursor();
    after = (*k)[0];
  }
  const int limit = Limit(page);
  Paged<Message> out;
  auto read = [&](const RowView& r) { out.items.push_back(MessageOf(r)); };
  if (include_internal) {
    CHAMADO_TRY(c_.Run("SELECT id, ticket_number, kind, author_id, body, automatic, channel, created_at, masked FROM messages "
                       "WHERE ticket_number = $1 AND id > $2 ORDER BY id LIMIT $3",
                       {ticket_number, after, limit + 1}, read));
  } else {
    CHAMADO_TRY(c_.Run("SELECT id, ticket_number, kind, author_id, body, automatic, channel, created_at, masked FROM messages "
                       "WHERE ticket_number = $1 AND id > $2 AND kind <> 'internal_note' ORDER BY id LIMIT $3",
                       {ticket_number, after, limit + 1}, read));
  }
  if (int(out.items.size()) > limit) {
    out.items.pop_back();
    out.next = EncodeCursor({out.items.back().id});
  }
  CHAMADO_TRY(LoadAttachments(out.items));
  return out;
}

Result<std::optional<AttachmentRef>> Repo::GetAttachment(Id id) {
  std::optional<AttachmentRef> out;
  CHAMADO_TRY(c_.Run(
      "SELECT a.id, a.sha256, a.filename, a.content_type, a.size, m.ticket_number, m.kind FROM attachments a "
      "JOIN messages m ON m.id = a.message_id WHERE a.id = $1",
      {id}, [&](const RowView& r) {
        out = AttachmentRef{{r.Int(0), r.Str(1), r.Str(2), r.Str(3), r.Int(4)},
                            r.Int(5),
                            ParseMessageKind(r.Text(6)).value_or(MessageKind::kInternalNote)};
      }));
  return out;
}

// ---- events ----

Result<void> Repo::InsertEvents(const std::vector<Event>& events, Id ticket_number, Id message_id) {
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

Result<std::optional<Instant>> Repo::LastEventAt(Id ticket_number, std::string_view kind) {
  std::optional<Instant> out;
  CHAMADO_TRY(c_.Run("SELECT max(at) FROM events WHERE ticket_number = $1 AND kind = $2", {ticket_number, kind},
                     [&](const RowView& r) { out = OptInstant(r, 0); }));
  return out;
}

Result<Paged<StoredEvent>> Repo::ListEvents(Id ticket_number, const Page& page) {
  int64_t after = 0;
  if (!page.after.empty()) {
    auto k = DecodeCursor(page.after, 1);
    if (!k) return BadCursor();
    after = (*k)[0];
  }
  const int limit = Limit(page);
  Paged<StoredEvent> out;
  CHAMADO_TRY(c_.Run(
      "SELECT id, kind, actor_id, at, message_id, data FROM events WHERE ticket_number = $1 AND id > $2 ORDER BY id LIMIT $3",
      {ticket_number, after, limit + 1}, [&](const RowView& r) {
        StoredEvent se;
        se.id = r.Int(0);
        se.event.kind = r.Str(1);
        se.event.ticket_number = ticket_number;
        se.event.actor_id = r.Int(2);
        se.event.at = FromUnixMillis(r.Int(3));
        se.event.message_id = r.IsNull(4) ? 0 : r.Int(4);
        boost::system::error_code ec;
        json::value v = json::parse(r.Text(5), ec);
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
        out.items.push_back(std::move(se));
      }));
  if (int(out.items.size()) > limit) {
    out.items.pop_back();
    out.next = EncodeCursor({out.items.back().id});
  }
  return out;
}

// ---- auth ----

Result<void> Repo::InsertSession(std::string_view token_hash, Id user_id, std::string_view csrf, Instant now, Instant expires) {
  CHAMADO_TRY(c_.Run("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                     {token_hash, user_id, csrf, ToUnixMillis(now), ToUnixMillis(expires)}));
  return Ok();
}

Result<std::optional<SessionRow>> Repo::FindSession(std::string_view token_hash, Instant now) {
  std::optional<SessionRow> out;
  CHAMADO_TRY(c_.Run("SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2",
                     {token_hash, ToUnixMillis(now)},
                     [&](const RowView& r) { out = SessionRow{r.Int(0), r.Str(1), FromUnixMillis(r.Int(2))}; }));
  return out;
}

Result<void> Repo::DeleteSession(std::string_view token_hash) {
  CHAMADO_TRY(c_.Run("DELETE FROM sessions WHERE token_hash = $1", {token_hash}));
  return Ok();
}

Result<void> Repo::DeleteUserSessions(Id user_id) {
  CHAMADO_TRY(c_.Run("DELETE FROM sessions WHERE user_id = $1", {user_id}));
  return Ok();
}

Result<void> Repo::DeleteExpiredSessions(Instant now) {
  CHAMADO_TRY(c_.Run("DELETE FROM sessions WHERE expires_at <= $1", {ToUnixMillis(now)}));
  return Ok();
}

Result<Id> Repo::InsertApiToken(Id user_id, std::string_view token_hash, std::string_view name, Instant now) {
  Id id = 0;
  CHAMADO_TRY(c_.Run("INSERT INTO api_tokens (user_id, token_hash, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                     {user_id, token_hash, name, ToUnixMillis(now)}, [&](const RowView& r) { id = r.Int(0); }));
  return id;
}

Result<std::optional<User>> Repo::UserByApiToken(std::string_view token_hash) {
  std::vector<User> found;
  CHAMADO_TRY(c_.Run("SELECT u.id, u.email, u.name, u.role, u.organization_id, u.language, u.time_zone, u.languages, "
                     "u.active, u.created_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
                     {token_hash}, [&](const RowView& r) { found.push_back(ReadUser(r)); }));
  if (found.empty()) return std::optional<User>();
  CHAMADO_TRY(LoadUserExtras(found));
  return std::optional<User>(std::move(found[0]));
}

Result<std::optional<Repo::SessionUser>> Repo::UserBySession(std::string_view token_hash, Instant now) {
  std::vector<User> found;
  std::string csrf;
  CHAMADO_TRY(c_.Run("SELECT u.id, u.email, u.name, u.role, u.organization_id, u.language, u.time_zone, u.languages, "
                     "u.active, u.created_at, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id "
                     "WHERE s.token_hash = $1 AND s.expires_at > $2",
                     {token_hash, ToUnixMillis(now)}, [&](const RowView& r) {
                       found.push_back(ReadUser(r));
                       csrf = r.Str(10);
                     }));
  if (found.empty()) return std::optional<SessionUser>();
  CHAMADO_TRY(LoadUserExtras(found));
  return std::optional<SessionUser>(SessionUser{std::move(found[0]), std::move(csrf)});
}

Result<std::optional<Id>> Repo::FindApiTokenUser(std::string_view token_hash) {
  std::optional<Id> out;
  CHAMADO_TRY(c_.Run("SELECT user_id FROM api_tokens WHERE token_hash = $1", {token_hash},
                     [&](const RowView& r) { out = r.Int(0); }));
  return out;
}

}  // namespace chamado::store
