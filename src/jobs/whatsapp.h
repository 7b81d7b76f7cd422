// The WhatsApp Cloud API's side of the channel (issue 13, docs/whatsapp.md): sending the
// queued messages (outbox kind whatsapp, store/whatsapp.h queues them) to the Graph API and
// fetching the files customers send. libcurl, http and https only; the access token goes in
// the Authorization header and nowhere else (never in a log line or an error).
//
// Thread-safe: each call is its own exchange.
#pragma once

#include <string>
#include <string_view>

#include "jobs/outbox.h"

namespace chamado::jobs {

struct WhatsappGraph {
  std::string graph_url;        // "https://graph.facebook.com/v19.0", without a trailing slash
  std::string phone_number_id;  // the business number's id at Meta
  std::string access_token;
};

// POSTs a queued message to {graph_url}/{phone_number_id}/messages; the answer's
// messages[0].id is the receipt. Meta's refusals (4xx but 408 and 429) are for good, with
// Meta's error title and message; anything else is tried again.
Delivery SendWhatsappMessage(const WhatsappGraph& g, const store::Repo::QueuedNotification& n);

// OutboxSender's `after` for kind whatsapp: records the message id, or the refusal, on the
// conversation's message.
Result<void> RecordWhatsappOutcome(store::Repo& repo, const store::Repo::QueuedNotification& n, const Delivery& d, Instant at);

struct FetchedMedia {
  std::string bytes;
  std::string content_type;
};
// A file a customer sent: GET {graph_url}/{media_id} names its URL, then the bytes are fetched
// from there (both with the token). TooLarge past `max_bytes`; Unavailable when either
// exchange fails, saying how.
Result<FetchedMedia> FetchWhatsappMedia(const WhatsappGraph& g, std::string_view media_id, size_t max_bytes);

}  // namespace chamado::jobs
