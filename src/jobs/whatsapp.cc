#include "jobs/whatsapp.h"

#include <curl/curl.h>

#include <boost/json.hpp>

#include "store/whatsapp.h"

namespace chamado::jobs {
namespace json = boost::json;

namespace {

struct Answer {
  long status = 0;
  std::string body;
  std::string content_type;
  std::string error;  // the exchange failed (no answer, or more than the limit)
  bool too_large = false;
};

struct Sink {
  std::string* out;
  size_t max;
  bool over = false;
};

size_t Collect(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  if (sink->out->size() + size * n > sink->max) {
    sink->over = true;
    return 0;  // stops the transfer
  }
  sink->out->append(data, size * n);
  return size * n;
}

// One exchange with the Graph API (or the media host it names), the token as a bearer.
Answer Exchange(const std::string& url, const std::string& token, const std::string* post_body, size_t max_bytes) {
  Answer a;
  CURL* curl = curl_easy_init();
  if (!curl) {
    a.error = "cannot initialise libcurl";
    return a;
  }
  struct curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  if (post_body) headers = curl_slist_append(headers, "Content-Type: application/json");
  Sink sink{&a.body, max_bytes};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  if (post_body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post_body->c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, long(post_body->size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "Chamado-WhatsApp/1");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &a.status);
  char* type = nullptr;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
  if (type) a.content_type = type;
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  a.too_large = sink.over;
  if (sink.over) a.error = "more than " + std::to_string(max_bytes) + " bytes";
  else if (rc != CURLE_OK) a.error = curl_easy_strerror(rc);
  return a;
}

// Meta's error object: {"error": {"message", "error_user_title", "code", "error_data": {"details"}}}.
std::string GraphError(const Answer& a) {
  boost::system::error_code ec;
  const json::value v = json::parse(a.body, ec);
  const json::value* e = !ec && v.is_object() ? v.as_object().if_contains("error") : nullptr;
  std::string out = "HTTP " + std::to_string(a.status);
  if (!e || !e->is_object()) return out;
  const auto& o = e->as_object();
  for (const char* key : {"error_user_title", "message"})
    if (const auto* s = o.if_contains(key); s && s->is_string() && !s->as_string().empty()) out += ": " + std::string(s->as_string());
  if (const auto* d = o.if_contains("error_data"); d && d->is_object())
    if (const auto* s = d->as_object().if_contains("details"); s && s->is_string()) out += " (" + std::string(s->as_string()) + ")";
  return out;
}

constexpr size_t kMaxGraphAnswer = 64 * 1024;

}  // namespace

Delivery SendWhatsappMessage(const WhatsappGraph& g, const store::Repo::QueuedNotification& n) {
  boost::system::error_code ec;
  const json::value payload = json::parse(n.row.payload, ec);
  const json::value* message = !ec && payload.is_object() ? payload.as_object().if_contains("message") : nullptr;
  if (!message) return {"the queued row has no message", true, ""};
  const std::string body = json::serialize(*message);
  const Answer a = Exchange(g.graph_url + "/" + g.phone_number_id + "/messages", g.access_token, &body, kMaxGraphAnswer);
  if (!a.error.empty()) return {a.error, false, ""};
  if (a.status < 200 || a.status >= 300) {
    const bool again = a.status >= 500 || a.status == 408 || a.status == 429;
    return {GraphError(a), !again, ""};
  }
  const json::value answer = json::parse(a.body, ec);
  const json::value* messages = !ec && answer.is_object() ? answer.as_object().if_contains("messages") : nullptr;
  if (!messages || !messages->is_array() || messages->as_array().empty() || !messages->as_array()[0].is_object() ||
      !messages->as_array()[0].as_object().contains("id") || !messages->as_array()[0].at("id").is_string())
    return {"the Graph API accepted the message without naming it (no messages[0].id)", false, ""};
  return {"", false, std::string(messages->as_array()[0].at("id").as_string())};
}

Result<void> RecordWhatsappOutcome(store::Repo& repo, const store::Repo::QueuedNotification& n, const Delivery& d, Instant at) {
  if (d.error.empty()) return store::WhatsappSentCommand(repo, n.row.payload, d.receipt, at);
  return store::WhatsappRefusedCommand(repo, n.row.payload, d.error, at);
}

Result<FetchedMedia> FetchWhatsappMedia(const WhatsappGraph& g, std::string_view media_id, size_t max_bytes) {
  const Answer meta = Exchange(g.graph_url + "/" + std::string(media_id), g.access_token, nullptr, kMaxGraphAnswer);
  if (!meta.error.empty()) return Error::Unavailable("The media's URL could not be asked for: " + meta.error + ".");
  if (meta.status != 200) return Error::Unavailable("The media's URL could not be asked for: " + GraphError(meta) + ".");
  boost::system::error_code ec;
  const json::value v = json::parse(meta.body, ec);
  const json::value* url = !ec && v.is_object() ? v.as_object().if_contains("url") : nullptr;
  if (!url || !url->is_string()) return Error::Unavailable("The Graph API named no URL for media " + std::string(media_id) + ".");
  if (const auto* size = v.as_object().if_contains("file_size"); size && size->is_number()) {
    if (size->to_number<double>() > double(max_bytes))
      return Error::TooLarge("The file is larger than the " + std::to_string(max_bytes) + " bytes an attachment may have.");
  }
  FetchedMedia out;
  const Answer file = Exchange(std::string(url->as_string()), g.access_token, nullptr, max_bytes);
  if (file.too_large)
    return Error::TooLarge("The file is larger than the " + std::to_string(max_bytes) + " bytes an attachment may have.");
  if (!file.error.empty()) return Error::Unavailable("The file could not be fetched: " + file.error + ".");
  if (file.status != 200) return Error::Unavailable("The file could not be fetched: HTTP " + std::to_string(file.status) + ".");
  out.bytes = std::move(file.body);
  const json::value* mime = v.as_object().if_contains("mime_type");
  out.content_type = mime && mime->is_string() ? std::string(mime->as_string()) : file.content_type;
  return out;
}

}  // namespace chamado::jobs
