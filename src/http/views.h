// Domain values as API JSON. One place decides what each role may see of each thing.
#pragma once

#include <boost/json.hpp>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/model.h"
#include "core/outcomes.h"
#include "sla/clocks.h"
#include "sla/policy.h"
#include "store/repo.h"

namespace chamado::http {

namespace json = boost::json;
using core::Id;

// Names of the people, organizations and groups a response mentions, loaded in one go.
class Names {
 public:
  Result<void> AddTickets(store::Repo& repo, const std::vector<core::Ticket>& tickets);
  Result<void> AddUser(store::Repo& repo, Id id);
  // Someone the caller already holds (the signed-in person), saving a query.
  void Put(const core::User& u) { users_.emplace(u.id, u); }
  void PutOrganization(Id id, std::string name) { organizations_.emplace(id, std::move(name)); }
  Result<void> AddOrganization(store::Repo& repo, Id id);
  Result<void> AddGroup(store::Repo& repo, Id id);

  const core::User* User(Id id) const;
  const std::string* OrganizationName(Id id) const;
  const core::Group* Group(Id id) const;

 private:
  std::unordered_map<Id, core::User> users_;
  std::unordered_map<Id, std::string> organizations_;  // names
  std::unordered_map<Id, core::Group> groups_;
};

json::value InstantJson(const std::optional<Instant>& t);
// A query parameter's list: "open,pending_customer" or "open pending_customer" -> its items.
std::vector<std::string> SplitList(std::string_view s);
json::value FieldValueJson(const core::FieldValue& v);

// `language`: the viewer's, for customer-facing texts (priority descriptions). `sp`: where the
// object lives (a page of tickets builds all of them in one monotonic resource).
json::object TicketJson(const core::Ticket& t, const Names& names, const core::Catalog& catalog, bool staff,
                        std::string_view language = "en", json::storage_ptr sp = {});
// One clock as agents see it (a ticket's, a live conversation's): its target, state, calendar,
// start, due (and the due as people are shown it), breach and stop, business minutes used and left.
json::object ClockView(const sla::Clock& c, const sla::Policy& policy);
// Clocks as computed now (a single ticket) or as stored (lists: a running clock whose due
// has passed shows as breached). Customers get the expected resolution time only.
// `expected_resolution_at` reads a due that falls on an opening as the closing before it.
void AddClocks(json::object& ticket, const std::vector<sla::Clock>& clocks, bool staff, const sla::Policy& policy);
void AddClocks(json::object& ticket, std::span<const store::Repo::ClockRow> rows, bool staff, Instant now,
               const sla::Policy& policy);
// One ticket's rows of `rows`, which are ordered by ticket number (ClockRowsFor).
std::span<const store::Repo::ClockRow> ClocksOf(const std::vector<store::Repo::ClockRow>& rows, core::Id ticket_number);
json::object MessageJson(const core::Message& m, const Names& names, bool staff);
json::object AttachmentJson(const core::Attachment& a);
// `full`: the email and role details shown to staff and to the person themselves.
json::object UserJson(const core::User& u, bool full);
json::object PersonRef(const core::User* u, bool staff, json::storage_ptr sp = {});
json::object OrganizationJson(const core::Organization& o);
json::object GroupJson(const core::Group& g);
// A customer's answer to a ticket's satisfaction survey, with until when it may change.
json::object SurveyAnswerJson(const core::SurveyAnswer& a);
// Texts per language (a policy's names and descriptions): {"en": "...", "pt-BR": "..."}.
json::object TextsJson(const core::Texts& t, json::storage_ptr sp = {});
// A category's details (core/details.h): key, kind, required, the English name, the name in
// `language` (TextFor's fallbacks) and every language's.
json::array DetailsJson(const std::vector<core::Detail>& details, std::string_view language);
json::object EventJson(const store::StoredEvent& e, const Names& names);

}  // namespace chamado::http
