#include "core/conversation.h"

#include <algorithm>

namespace chamado::core {
namespace {

constexpr ConversationStatus kConversationStatuses[] = {ConversationStatus::kBot, ConversationStatus::kWaiting,
                                                        ConversationStatus::kActive, ConversationStatus::kWaitingOnCustomer,
                                                        ConversationStatus::kClosed};
constexpr ConversationAuthor kAuthors[] = {ConversationAuthor::kCustomer, ConversationAuthor::kAgent, ConversationAuthor::kBot,
                                           ConversationAuthor::kSystem};

// The alphabet of public chat ids: digits and capitals without 0, 1, I, L, O (read aloud or
// copied by hand without mistakes); 31 symbols, so 8 of them carry about 39 bits.
constexpr std::string_view kIdAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
constexpr std::string_view kIdPrefix = "CH-";
constexpr size_t kIdLength = 8;

Error Closed(const Conversation& c) {
  return Error::Said(ErrorCode::kConflict, "conversation.closed_start_new", {{"id", c.public_id}});
}

Error OverLimit(int held, int limit) {
  return Error::Said(ErrorCode::kConflict, "conversation.over_limit", {{"held", std::to_string(held)}, {"limit", std::to_string(limit)}});
}

bool Full(int held, int limit) { return limit > 0 && held >= limit; }

}  // namespace

std::string_view Name(ConversationStatus s) {
  switch (s) {
    case ConversationStatus::kBot: return "bot";
    case ConversationStatus::kWaiting: return "waiting";
    case ConversationStatus::kActive: return "active";
    case ConversationStatus::kWaitingOnCustomer: return "waiting_on_customer";
    case ConversationStatus::kClosed: return "closed";
  }
  return "?";
}

std::optional<ConversationStatus> ParseConversationStatus(std::string_view s) {
  for (auto v : kConversationStatuses)
    if (Name(v) == s) return v;
  return std::nullopt;
}

std::string_view Name(ConversationAuthor a) {
  switch (a) {
    case ConversationAuthor::kCustomer: return "customer";
    case ConversationAuthor::kAgent: return "agent";
    case ConversationAuthor::kBot: return "bot";
    case ConversationAuthor::kSystem: return "system";
  }
  return "?";
}

std::optional<ConversationAuthor> ParseConversationAuthor(std::string_view s) {
  for (auto v : kAuthors)
    if (Name(v) == s) return v;
  return std::nullopt;
}

std::string_view Name(CloseReason r) {
  switch (r) {
    case CloseReason::kAgent: return "agent";
    case CloseReason::kCustomer: return "customer";
    case CloseReason::kAutoClose: return "auto_close";
    case CloseReason::kConverted: return "converted";
    case CloseReason::kBot: return "bot";
  }
  return "?";
}

Result<Conversation> CustomerWrote(Conversation c, Instant now) {
  if (!IsOpen(c)) return Closed(c);
  if (c.status == ConversationStatus::kWaitingOnCustomer) c.status = ConversationStatus::kActive;
  c.updated_at = now;
  return c;
}

Result<Conversation> HandedOff(Conversation c, Instant now) {
  if (c.status != ConversationStatus::kBot)
    return Error::Said(ErrorCode::kConflict, "conversation.not_with_bot", {{"id", c.public_id}, {"status", std::string(Name(c.status))}});
  c.status = ConversationStatus::kWaiting;
  if (!c.handed_off_at) c.handed_off_at = now;
  c.updated_at = now;
  return c;
}

Result<Conversation> Accept(Conversation c, Id agent, int held, int limit, Instant now) {
  if (!IsOpen(c)) return Closed(c);
  if (c.status != ConversationStatus::kWaiting) {
    if (c.agent_id == agent) return c;  // accepted twice (a double click, a resent frame): one acceptance
    const TextArgs args = {{"id", c.public_id}, {"status", std::string(Name(c.status))}};
    if (c.agent_id) return Error::Said(ErrorCode::kConflict, "conversation.not_waiting_other_agent", args);
    return Error::Said(ErrorCode::kConflict, "conversation.not_waiting", args);
  }
  if (Full(held, limit)) return OverLimit(held, limit);
  c.status = ConversationStatus::kActive;
  c.agent_id = agent;
  if (!c.handed_off_at) c.handed_off_at = now;
  c.accepted_at = now;
  c.updated_at = now;
  return c;
}

Result<Conversation> AgentWrote(Conversation c, Id agent, int held, int limit, Instant now) {
  if (!IsOpen(c)) return Closed(c);
  if (c.status == ConversationStatus::kBot) c.status = ConversationStatus::kWaiting;
  if (c.status == ConversationStatus::kWaiting) {
    CHAMADO_ASSIGN_OR_RETURN(c, Accept(std::move(c), agent, held, limit, now));
  } else if (c.agent_id != agent) {
    return Error::Said(ErrorCode::kConflict, "conversation.held_by_other", {{"id", c.public_id}});
  }
  c.status = ConversationStatus::kWaitingOnCustomer;
  c.updated_at = now;
  return c;
}

Result<Conversation> Transfer(Conversation c, std::optional<Id> to_agent, std::optional<Id> to_group, int held, int limit,
                              Instant now) {
  if (!IsOpen(c)) return Closed(c);
  if (to_agent.has_value() == to_group.has_value())
    return Error::InvalidSaid("to", "conversation.transfer_one");
  if (c.status == ConversationStatus::kBot)
    return Error::Said(ErrorCode::kConflict, "conversation.still_with_bot", {{"id", c.public_id}});
  if (to_agent) {
    if (c.agent_id == to_agent) return Error::Said(ErrorCode::kConflict, "conversation.already_with_agent", {{"id", c.public_id}});
    if (Full(held, limit))
      return Error::Said(ErrorCode::kConflict, "conversation.agent_full", {{"held", std::to_string(held)}, {"limit", std::to_string(limit)}});
    c.agent_id = to_agent;
    if (c.status == ConversationStatus::kWaiting) {
      c.status = ConversationStatus::kActive;
      c.accepted_at = now;
    }
  } else {
    c.group_id = to_group;
    c.agent_id.reset();
    c.status = ConversationStatus::kWaiting;
  }
  c.updated_at = now;
  return c;
}

Result<Conversation> Close(Conversation c, CloseReason reason, Instant now) {
  if (!IsOpen(c)) return Closed(c);
  c.status = ConversationStatus::kClosed;
  c.close_reason = reason;
  c.closed_at = now;
  c.updated_at = now;
  return c;
}

Result<Conversation> MarkRead(Conversation c, bool by_customer, int64_t seq) {
  if (seq < 0 || seq > c.last_seq)
    return Error::InvalidSaid("seq", "conversation.read_mark", {{"last", std::to_string(c.last_seq)}});
  int64_t& mark = by_customer ? c.customer_read_seq : c.agent_read_seq;
  mark = std::max(mark, seq);
  return c;
}

Result<ChatIdentity> ParseChatIdentity(std::string_view token) {
  const Error bad = Error::InvalidSaid("identity", "conversation.identity_format");
  if (token.size() > 1024) return bad;
  const size_t first = token.find(':');
  const size_t second = first == std::string_view::npos ? first : token.find(':', first + 1);
  const size_t last = token.rfind(':');
  if (second == std::string_view::npos || last <= second + 1 || last + 1 >= token.size()) return bad;
  ChatIdentity id;
  const auto number = [](std::string_view s, int64_t& out) {
    if (s.empty() || s.size() > 18) return false;
    out = 0;
    for (char ch : s) {
      if (ch < '0' || ch > '9') return false;
      out = out * 10 + (ch - '0');
    }
    return true;
  };
  int64_t org = 0;
  if (!number(token.substr(0, first), org) || org <= 0 || !number(token.substr(first + 1, second - first - 1), id.expires)) return bad;
  id.organization = org;
  id.email = std::string(token.substr(second + 1, last - second - 1));
  id.signed_part = std::string(token.substr(0, last));
  id.signature = std::string(token.substr(last + 1));
  return id;
}

std::string PublicConversationId(uint64_t random_bits) {
  std::string out(kIdPrefix);
  for (size_t i = 0; i < kIdLength; ++i) {
    out += kIdAlphabet[random_bits % kIdAlphabet.size()];
    random_bits /= kIdAlphabet.size();
  }
  return out;
}

bool LooksLikePublicConversationId(std::string_view s) {
  if (s.size() != kIdPrefix.size() + kIdLength || !s.starts_with(kIdPrefix)) return false;
  for (char ch : s.substr(kIdPrefix.size()))
    if (kIdAlphabet.find(ch) == std::string_view::npos) return false;
  return true;
}

}  // namespace chamado::core
