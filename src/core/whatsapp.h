// The WhatsApp Business channel (Cloud API, issue 13): what Meta's webhook says and what the
// Graph API is sent, as values. Parsing the webhook's JSON, the 24-hour customer-service
// window, and the bodies of the messages sent (text, template). The signature of a webhook
// is auth::HubSignatureValid's; the HTTP exchanges are jobs/whatsapp.h's; the conversations
// they feed are store/whatsapp.h's.
//
// Instants are UTC. Values only; no I/O, no clock.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"

namespace chamado::core {

// After the customer's last message the desk may write freely for this long; past it only an
// approved template may be sent (Meta's customer-service window).
inline constexpr std::chrono::hours kWhatsappWindow{24};

// A message a customer sent (the webhook's value.messages[]).
struct WhatsappInbound {
  std::string wamid;         // Meta's message id: a redelivery carries the same one
  std::string from;          // the customer's WhatsApp id (their number, digits only)
  std::string profile_name;  // value.contacts[].profile.name of `from`; may be empty
  Instant at{};              // the message's timestamp (Unix seconds)
  std::string type;          // text, image, document, audio, video, interactive, button, ... as Meta names it
  std::string text;          // the text, a media's caption, or the chosen button's title
  std::string reply_id;      // an interactive reply: the id of the button or list row chosen
  std::string media_id;      // image, document, audio, video, sticker: fetched through the Graph API
  std::string mime_type;
  std::string filename;      // a document's file name; empty for the others
  bool supported = true;     // false: a kind Chamado does not take (location, contacts, ...), noted as such
};

// DO NOT CHANGE THESE NAMES: stored (whatsapp_messages.status) and the API's.
enum class WhatsappDelivery { kReceived, kQueued, kSent, kDelivered, kRead, kFailed };
std::string_view Name(WhatsappDelivery d);
std::optional<WhatsappDelivery> ParseWhatsappDelivery(std::string_view s);

// A delivery report on a message the desk sent (value.statuses[]).
struct WhatsappStatus {
  std::string wamid;
  WhatsappDelivery status = WhatsappDelivery::kSent;
  std::string recipient;  // the customer's WhatsApp id
  Instant at{};
  std::string error;      // failed: Meta's error title (and message when it says more)
};

struct WhatsappWebhook {
  std::string phone_number_id;  // the business number the changes are for (value.metadata)
  std::vector<WhatsappInbound> messages;
  std::vector<WhatsappStatus> statuses;
  int ignored = 0;  // changes of other fields or objects, and statuses Chamado does not track
};

// Parses a webhook POST's body. Only `object: "whatsapp_business_account"` changes of field
// `messages` are read; anything else is counted in `ignored` (Meta retries every answer but
// 200 for days, so what is not ours is acknowledged and dropped). Invalid("body") when the
// body is not JSON or a messages change lacks what every message has (id, from, timestamp).
Result<WhatsappWebhook> ParseWhatsappWebhook(std::string_view body);

// Whether the desk may write freely at `now`: within kWhatsappWindow of the customer's last
// message. Never written: closed.
inline bool WhatsappWindowOpen(std::optional<Instant> last_inbound, Instant now) {
  return last_inbound && now < *last_inbound + kWhatsappWindow;
}
// When the window closes; none when it never opened.
inline std::optional<Instant> WhatsappWindowClosesAt(std::optional<Instant> last_inbound) {
  if (!last_inbound) return std::nullopt;
  return *last_inbound + kWhatsappWindow;
}

// A delivery report moves a message forward only (sent, then delivered, then read); failed
// ends it. Reports come out of order (read before delivered): the later step wins.
WhatsappDelivery NextDelivery(WhatsappDelivery now, WhatsappDelivery reported);

// The Graph API bodies of POST {graph_url}/{phone_number_id}/messages.
std::string WhatsappTextBody(std::string_view to, std::string_view text);
struct WhatsappTemplate {
  std::string name;      // as approved at Meta: lower-case letters, digits and _
  std::string language;  // Meta's code: "en_US", "pt_BR", "es"
  std::vector<std::string> parameters;  // the body's {{1}}, {{2}}, ... in order
};
Result<void> CheckWhatsappTemplate(const WhatsappTemplate& t);
std::string WhatsappTemplateBody(std::string_view to, const WhatsappTemplate& t);

// Options the bot offers, as a numbered list under its text ("1. Billing"), and the option a
// customer's answer picks: its number, or its label (case aside); none otherwise.
struct WhatsappOption {
  std::string id;
  std::string label;
};
std::string WithNumberedOptions(std::string_view text, const std::vector<WhatsappOption>& options);
std::optional<std::string> PickedOption(std::string_view answer, const std::vector<WhatsappOption>& options);

}  // namespace chamado::core
