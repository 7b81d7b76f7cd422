#include "store/whatsapp.h"

#include <boost/json.hpp>

#include "core/messages.h"
#include "core/text.h"

namespace chamado::store {
namespace json = boost::json;

namespace {

using core::Conversation;
using core::ConversationAuthor;
using core::WhatsappDelivery;

Result<Conversation> LoadConversation(Repo& repo, core::Id id) {
  CHAMADO_ASSIGN_OR_RETURN(auto c, repo.GetConversation(id));
  if (!c) return Error::Said(ErrorCode::kNotFound, "conversation.not_found", {{"id", std::to_string(id)}});
  return std::move(*c);
}

// The bot's options in a message's extra ({"options": [{"id", "label"}]}).
std::vector<core::WhatsappOption> OptionsIn(const json::value& extra) {
  std::vector<core::WhatsappOption> out;
  const json::value* options = extra.is_object() ? extra.as_object().if_contains("options") : nullptr;
  if (!options || !options->is_array()) return out;
  for (const auto& o : options->as_array())
    if (o.is_object() && o.as_object().contains("id") && o.as_object().contains("label"))
      out.push_back({json::value_to<std::string>(o.at("id")), json::value_to<std::string>(o.at("label"))});
  return out;
}

json::value ExtraOf(const ConversationMessage& m) {
  boost::system::error_code ec;
  json::value extra = json::parse(m.extra, ec);
  return ec ? json::value() : extra;
}

// The bot's options offered since the customer last wrote, as the customer may answer them.
std::vector<core::WhatsappOption> OfferedOptions(const std::vector<ConversationMessage>& messages) {
  for (auto m = messages.rbegin(); m != messages.rend(); ++m) {
    if (m->author == ConversationAuthor::kCustomer) break;
    if (m->author != ConversationAuthor::kBot) continue;
    auto options = OptionsIn(ExtraOf(*m));
    if (!options.empty()) return options;
  }
  return {};
}

// What the customer reads of a message the desk stored: its text, the bot's options numbered,
// the articles it offers as links.
std::string TextForCustomer(const ConversationMessage& m) {
  const json::value extra = ExtraOf(m);
  std::string text = core::WithNumberedOptions(m.body, OptionsIn(extra));
  if (const json::value* a = extra.is_object() ? extra.as_object().if_contains("articles") : nullptr; a && a->is_array())
    for (const auto& art : a->as_array())
      if (art.is_object() && art.as_object().contains("title") && art.as_object().contains("url"))
        text += "\n" + json::value_to<std::string>(art.at("title")) + ": " + json::value_to<std::string>(art.at("url"));
  return text;
}

// At most `max` bytes of `s`, never cutting a UTF-8 sequence.
std::string CutUtf8(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

// Queues a message to the customer (the outbox, kind whatsapp) and records it as queued.
Result<void> Queue(Repo& repo, const Conversation& c, int64_t seq, std::string graph_body, Instant now) {
  const json::object payload{{"conversation_id", c.id}, {"seq", seq}, {"message", json::parse(graph_body)}};
  CHAMADO_TRY(repo.InsertOutbox({OutboxKind::kWhatsapp, c.external_id, 0, "whatsapp.message", json::serialize(payload), now}));
  return repo.InsertWhatsappMessage({c.id, seq, "", false, WhatsappDelivery::kQueued, "", now});
}

// A note of the desk, for the agents, after the messages `u` added.
Result<void> AddNote(Repo& repo, ConversationUpdate& u, std::string_view notice, const core::TextArgs& args, Instant now) {
  Conversation& c = u.conversation;
  ConversationMessage m;
  m.seq = ++c.last_seq;
  m.author = ConversationAuthor::kSystem;
  m.body = core::Say("chat." + std::string(notice), args, c.language);
  m.extra = json::serialize(json::object{{"notice", notice}});
  m.at = now;
  CHAMADO_TRY(repo.InsertConversationMessage(c.id, m));
  CHAMADO_TRY(repo.UpdateConversation(c));
  u.added.push_back(std::move(m));
  return Ok();
}

bool ForCustomer(const ConversationMessage& m) {
  if (m.author == ConversationAuthor::kBot) return true;
  if (m.author != ConversationAuthor::kSystem) return false;
  // The desk's notices to the customer (queue, hours); the agents' notes stay in the console.
  return m.extra.find("\"notice\":\"whatsapp_") == std::string::npos;
}

Result<std::pair<core::Id, int64_t>> QueuedMessageOf(std::string_view payload) {
  boost::system::error_code ec;
  const json::value v = json::parse(payload, ec);
  if (ec || !v.is_object() || !v.as_object().contains("conversation_id") || !v.as_object().contains("seq"))
    return Error::Internal("A whatsapp outbox row has no conversation_id and seq.");
  return std::make_pair(v.at("conversation_id").to_number<int64_t>(), v.at("seq").to_number<int64_t>());
}

Result<void> SetOutcome(Repo& repo, std::string_view payload, std::string_view wamid, std::string_view error, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto at, QueuedMessageOf(payload));
  CHAMADO_ASSIGN_OR_RETURN(auto messages, repo.WhatsappMessagesOf(at.first));
  for (auto& m : messages) {
    if (m.seq != at.second) continue;
    if (error.empty()) {
      m.wamid = std::string(wamid);
      m.status = core::NextDelivery(m.status, WhatsappDelivery::kSent);
    } else {
      m.status = WhatsappDelivery::kFailed;
      m.error = std::string(error);
    }
    m.updated_at = now;
    return repo.UpdateWhatsappMessage(m);
  }
  return Ok();  // the conversation was deleted since
}

}  // namespace

Result<ConversationUpdate> WhatsappInboundCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                                  const std::optional<BotFlowAt>& flow, const WhatsappInboundRequest& r,
                                                  Instant now) {
  const core::WhatsappInbound& in = r.message;
  CHAMADO_ASSIGN_OR_RETURN(auto seen, repo.WhatsappMessageByWamid(in.wamid));
  if (seen) {
    CHAMADO_ASSIGN_OR_RETURN(Conversation c, LoadConversation(repo, seen->conversation_id));
    return ConversationUpdate{std::move(c), {}, true};
  }
  ConversationUpdate out;
  CHAMADO_ASSIGN_OR_RETURN(auto open, repo.OpenConversationOf(core::Channel::kWhatsapp, in.from));
  if (!open) {
    StartConversationRequest start;
    start.channel = core::Channel::kWhatsapp;
    start.external_id = in.from;
    start.language = r.language;
    start.random_bits = r.random_bits;
    CHAMADO_ASSIGN_OR_RETURN(auto started, StartConversationCommand(repo, policy, flow, start, now));
    open = started.conversation;
    out.added = std::move(started.added);
  }
  // The window runs from when the customer wrote, never from a future instant.
  CHAMADO_TRY(repo.UpsertWhatsappChat({open->id, in.profile_name, std::min(in.at, now)}));

  CustomerInput input;
  if (!in.reply_id.empty()) {
    input.option = in.reply_id;
  } else if (open->status == core::ConversationStatus::kBot) {
    CHAMADO_ASSIGN_OR_RETURN(auto recent, repo.ConversationMessages(open->id, std::max<int64_t>(0, open->last_seq - 20), 50));
    input.option = core::PickedOption(in.text, OfferedOptions(recent));
  }
  if (!input.option) {
    // Never an empty message: a file that could not be fetched, or a kind not taken, is named.
    const bool nothing = Trim(in.text).empty() && r.attachments.empty();
    input.text = nothing ? "[" + in.type + "]" : in.text;
    if (input.text->size() > kMaxConversationTextBytes) input.text = CutUtf8(*input.text, kMaxConversationTextBytes);
  }
  input.attachments = r.attachments;
  CHAMADO_ASSIGN_OR_RETURN(auto u, CustomerMessageCommand(repo, policy, masker, flow, open->id, input, r.found, now));
  const int64_t first_new = open->last_seq + 1;
  for (const auto& m : u.added)
    if (m.author == ConversationAuthor::kCustomer && m.seq >= first_new) {
      CHAMADO_TRY(repo.InsertWhatsappMessage({open->id, m.seq, in.wamid, true, WhatsappDelivery::kReceived, r.fetch_error, now}));
      break;
    }
  if (!r.fetch_error.empty()) CHAMADO_TRY(AddNote(repo, u, "whatsapp_media_failed", {{"kind", in.type}}, now));
  if (!in.supported) CHAMADO_TRY(AddNote(repo, u, "whatsapp_unsupported", {{"kind", in.type}}, now));
  out.conversation = u.conversation;
  for (auto& m : u.added) out.added.push_back(std::move(m));
  for (const auto& m : out.added)
    if (ForCustomer(m)) CHAMADO_TRY(Queue(repo, out.conversation, m.seq, core::WhatsappTextBody(in.from, TextForCustomer(m)), now));
  return out;
}

Result<ConversationUpdate> AgentMessageOverChannelCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                                          const core::User& agent, core::Id id, std::string_view text,
                                                          std::string_view client_id, std::vector<core::Attachment> attachments,
                                                          int per_agent_limit, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(Conversation c, LoadConversation(repo, id));
  if (c.channel != core::Channel::kWhatsapp)
    return AgentMessageCommand(repo, policy, masker, agent, id, text, client_id, std::move(attachments), per_agent_limit, now);
  if (!attachments.empty()) return Error::InvalidSaid("attachments", "whatsapp.no_files");
  CHAMADO_ASSIGN_OR_RETURN(auto chat, repo.GetWhatsappChat(c.id));
  const std::optional<Instant> last = chat ? chat->last_inbound_at : std::nullopt;
  if (!core::WhatsappWindowOpen(last, now)) {
    CHAMADO_ASSIGN_OR_RETURN(auto resent, repo.MessageByClientId(c.id, client_id));
    if (client_id.empty() || !resent)
      return Error::Said(ErrorCode::kConflict, "whatsapp.window_closed",
                         {{"since", last ? FormatIsoUtc(*core::WhatsappWindowClosesAt(last)) : std::string("-")},
                          {"route", "POST /api/v1/conversations/" + std::to_string(c.id) + "/whatsapp/template"}});
  }
  CHAMADO_ASSIGN_OR_RETURN(auto u, AgentMessageCommand(repo, policy, masker, agent, id, text, client_id, {}, per_agent_limit, now));
  if (u.duplicate) return u;
  for (const auto& m : u.added)
    if (m.author == ConversationAuthor::kAgent) CHAMADO_TRY(Queue(repo, u.conversation, m.seq, core::WhatsappTextBody(c.external_id, m.body), now));
  return u;
}

Result<ConversationUpdate> WhatsappTemplateCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                                   const core::User& agent, core::Id id, const core::WhatsappTemplate& t,
                                                   int per_agent_limit, Instant now) {
  CHAMADO_TRY(core::CheckWhatsappTemplate(t));
  CHAMADO_ASSIGN_OR_RETURN(Conversation c, LoadConversation(repo, id));
  if (c.channel != core::Channel::kWhatsapp)
    return Error::Said(ErrorCode::kConflict, "whatsapp.not_whatsapp", {{"id", c.public_id}});
  std::string text = "Template " + t.name + " (" + t.language + ")";
  for (size_t i = 0; i < t.parameters.size(); ++i) text += (i == 0 ? ": " : " · ") + t.parameters[i];
  CHAMADO_ASSIGN_OR_RETURN(auto u, AgentMessageCommand(repo, policy, masker, agent, id, CutUtf8(text, kMaxConversationTextBytes), "",
                                                       {}, per_agent_limit, now));
  for (const auto& m : u.added)
    if (m.author == ConversationAuthor::kAgent) CHAMADO_TRY(Queue(repo, u.conversation, m.seq, core::WhatsappTemplateBody(c.external_id, t), now));
  return u;
}

Result<std::optional<Conversation>> WhatsappStatusCommand(Repo& repo, const core::WhatsappStatus& s, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto m, repo.WhatsappMessageByWamid(s.wamid));
  if (!m || m->inbound) return std::optional<Conversation>();
  const WhatsappDelivery next = core::NextDelivery(m->status, s.status);
  if (next == m->status) return std::optional<Conversation>();
  m->status = next;
  if (next == WhatsappDelivery::kFailed) m->error = s.error;
  m->updated_at = now;
  CHAMADO_TRY(repo.UpdateWhatsappMessage(*m));
  CHAMADO_ASSIGN_OR_RETURN(Conversation c, LoadConversation(repo, m->conversation_id));
  if (next == WhatsappDelivery::kRead) {
    CHAMADO_ASSIGN_OR_RETURN(c, core::MarkRead(std::move(c), true, m->seq));
    CHAMADO_TRY(repo.UpdateConversation(c));
  }
  return std::optional<Conversation>(std::move(c));
}

Result<void> WhatsappSentCommand(Repo& repo, std::string_view payload, std::string_view wamid, Instant now) {
  return SetOutcome(repo, payload, wamid, "", now);
}

Result<void> WhatsappRefusedCommand(Repo& repo, std::string_view payload, std::string_view error, Instant now) {
  return SetOutcome(repo, payload, "", error.empty() ? std::string_view("refused") : error, now);
}

Result<std::optional<WhatsappView>> WhatsappViewOf(Repo& repo, const Conversation& c, Instant now) {
  if (c.channel != core::Channel::kWhatsapp) return std::optional<WhatsappView>();
  WhatsappView v;
  v.number = c.external_id;
  CHAMADO_ASSIGN_OR_RETURN(auto chat, repo.GetWhatsappChat(c.id));
  if (chat) {
    v.profile_name = chat->profile_name;
    v.window_closes_at = core::WhatsappWindowClosesAt(chat->last_inbound_at);
    v.window_open = core::WhatsappWindowOpen(chat->last_inbound_at, now);
  }
  CHAMADO_ASSIGN_OR_RETURN(v.messages, repo.WhatsappMessagesOf(c.id));
  return std::optional<WhatsappView>(std::move(v));
}

}  // namespace chamado::store
