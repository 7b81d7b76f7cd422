#include "core/model.h"

#include <algorithm>
#include <array>
#include <utility>

namespace chamado::core {
namespace {

template <class E, size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

constexpr Table<Role, 3> kRoles{{{Role::kCustomer, "customer"}, {Role::kAgent, "agent"}, {Role::kAdmin, "admin"}}};
constexpr Table<Channel, 6> kChannels{{{Channel::kEmail, "email"},
                                       {Channel::kWeb, "web"},
                                       {Channel::kChat, "chat"},
                                       {Channel::kPhone, "phone"},
                                       {Channel::kWhatsapp, "whatsapp"},
                                       {Channel::kApi, "api"}}};
constexpr Table<Status, 6> kStatuses{{{Status::kNew, "new"},
                                      {Status::kOpen, "open"},
                                      {Status::kPendingCustomer, "pending_customer"},
                                      {Status::kOnHold, "on_hold"},
                                      {Status::kSolved, "solved"},
                                      {Status::kClosed, "closed"}}};
constexpr Table<MessageKind, 4> kKinds{{{MessageKind::kCustomerMessage, "customer_message"},
                                        {MessageKind::kPublicReply, "public_reply"},
                                        {MessageKind::kInternalNote, "internal_note"},
                                        {MessageKind::kSystemNotice, "system_notice"}}};
constexpr Table<Resolution, 7> kResolutions{{{Resolution::kFixed, "fixed"},
                                             {Resolution::kAnswered, "answered"},
                                             {Resolution::kWorksAsExpected, "works_as_expected"},
                                             {Resolution::kFeatureRequest, "feature_request"},
                                             {Resolution::kCannotReproduce, "cannot_reproduce"},
                                             {Resolution::kThirdParty, "third_party"},
                                             {Resolution::kUnsupported, "unsupported"}}};
constexpr Table<DetailKind, 3> kDetailKinds{{{DetailKind::kText, "text"},
                                             {DetailKind::kNumber, "number"},
                                             {DetailKind::kAttachment, "attachment"}}};

template <class E, size_t N>
std::string_view NameIn(const Table<E, N>& t, E e) {
  for (const auto& [k, v] : t) if (k == e) return v;
  return "?";
}
template <class E, size_t N>
std::optional<E> ParseIn(const Table<E, N>& t, std::string_view s) {
  for (const auto& [k, v] : t) if (v == s) return k;
  return std::nullopt;
}
template <class E, size_t N>
std::string NamesIn(const Table<E, N>& t) {
  std::string out;
  for (const auto& [k, v] : t) {
    if (!out.empty()) out += ", ";
    out += v;
  }
  return out;
}

}  // namespace

std::string_view Name(Role e) { return NameIn(kRoles, e); }
std::string_view Name(Channel e) { return NameIn(kChannels, e); }
std::string_view Name(Status e) { return NameIn(kStatuses, e); }
std::string_view Name(MessageKind e) { return NameIn(kKinds, e); }
std::string_view Name(Resolution e) { return NameIn(kResolutions, e); }
std::optional<Role> ParseRole(std::string_view s) { return ParseIn(kRoles, s); }
std::optional<Channel> ParseChannel(std::string_view s) { return ParseIn(kChannels, s); }
std::optional<Status> ParseStatus(std::string_view s) { return ParseIn(kStatuses, s); }
std::optional<MessageKind> ParseMessageKind(std::string_view s) { return ParseIn(kKinds, s); }
std::optional<Resolution> ParseResolution(std::string_view s) { return ParseIn(kResolutions, s); }
std::string_view Name(DetailKind e) { return NameIn(kDetailKinds, e); }
std::optional<DetailKind> ParseDetailKind(std::string_view s) { return ParseIn(kDetailKinds, s); }
std::string StatusNames() { return NamesIn(kStatuses); }
std::string ChannelNames() { return NamesIn(kChannels); }
std::string ResolutionNames() { return NamesIn(kResolutions); }

std::optional<int> PriorityScale::Rank(std::string_view name) const {
  for (size_t i = 0; i < levels.size(); ++i)
    if (levels[i].name == name) return int(i);
  return std::nullopt;
}

std::optional<std::string> PriorityScale::Description(std::string_view name, std::string_view language) const {
  auto rank = Rank(name);
  if (!rank) return std::nullopt;
  const auto& level = levels[size_t(*rank)];
  const std::string_view text = TextFor(level.descriptions, language);
  return text.empty() ? level.description : std::string(text);
}

std::string PriorityScale::Names() const {
  std::string out;
  for (const auto& p : levels) {
    if (!out.empty()) out += ", ";
    out += p.name;
  }
  return out;
}

std::string_view TextFor(const Texts& texts, std::string_view language) {
  if (texts.empty()) return {};
  for (const auto& [l, t] : texts)
    if (l == language) return t;
  const std::string_view base = language.substr(0, language.find('-'));
  for (const auto& [l, t] : texts)
    if (std::string_view(l).substr(0, l.find('-')) == base) return t;
  for (const auto& [l, t] : texts)
    if (l == "en") return t;
  return texts.front().second;
}

bool Outcomes::Offers(Resolution r) const {
  return offered.empty() || std::find(offered.begin(), offered.end(), r) != offered.end();
}

std::vector<Resolution> Outcomes::Choices() const {
  if (!offered.empty()) return offered;
  std::vector<Resolution> all;
  for (const auto& [r, name] : kResolutions) all.push_back(r);
  return all;
}

std::string Outcomes::OfferedNames() const {
  std::string out;
  for (Resolution r : Choices()) out += (out.empty() ? "" : ", ") + std::string(Name(r));
  return out;
}

std::string_view Outcomes::TextFor(Resolution r, std::string_view language) const {
  for (const auto& [res, t] : texts)
    if (res == r) return core::TextFor(t, language);
  return {};
}

bool Catalog::HasCategory(std::string_view key) const {
  for (const auto& c : categories) if (c.key == key) return true;
  return false;
}

bool Catalog::IsInternalTag(std::string_view tag) const {
  for (const std::string& t : internal_tags) {
    if (t.ends_with('*') ? tag.starts_with(std::string_view(t).substr(0, t.size() - 1)) : tag == t) return true;
  }
  return false;
}

bool Catalog::IsInternalField(std::string_view key) const {
  return std::find(internal_fields.begin(), internal_fields.end(), key) != internal_fields.end();
}

}  // namespace chamado::core
