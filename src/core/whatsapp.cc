#include "core/whatsapp.h"

#include <boost/json.hpp>

#include <charconv>

#include "core/text.h"

namespace chamado::core {
namespace json = boost::json;

std::string_view Name(WhatsappDelivery d) {
  switch (d) {
    case WhatsappDelivery::kReceived: return "received";
    case WhatsappDelivery::kQueued: return "queued";
    case WhatsappDelivery::kSent: return "sent";
    case WhatsappDelivery::kDelivered: return "delivered";
    case WhatsappDelivery::kRead: return "read";
    case WhatsappDelivery::kFailed: return "failed";
  }
  return "?";
}

std::optional<WhatsappDelivery> ParseWhatsappDelivery(std::string_view s) {
  for (auto d : {WhatsappDelivery::kReceived, WhatsappDelivery::kQueued, WhatsappDelivery::kSent, WhatsappDelivery::kDelivered,
                 WhatsappDelivery::kRead, WhatsappDelivery::kFailed})
    if (Name(d) == s) return d;
  return std::nullopt;
}

WhatsappDelivery NextDelivery(WhatsappDelivery now, WhatsappDelivery reported) {
  if (now == WhatsappDelivery::kFailed || now == WhatsappDelivery::kReceived) return now;
  if (reported == WhatsappDelivery::kFailed) return reported;
  return int(reported) > int(now) ? reported : now;
}

namespace {

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

const json::object* Obj(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

const json::array* Arr(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_array() ? &v->as_array() : nullptr;
}

// Meta's timestamps: Unix seconds as a string.
std::optional<Instant> Seconds(std::string_view s) {
  int64_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return Instant(std::chrono::seconds(n));
}

Error Malformed(std::string what) {
  return Error::Invalid("body", "The webhook's messages change is malformed: " + std::move(what) + ".");
}

Result<WhatsappInbound> ParseMessage(const json::object& m, const json::object& value) {
  WhatsappInbound in;
  in.wamid = Str(m, "id");
  in.from = Str(m, "from");
  in.type = Str(m, "type");
  const auto at = Seconds(Str(m, "timestamp"));
  if (in.wamid.empty()) return Malformed("a message has no id");
  if (in.from.empty()) return Malformed("message " + in.wamid + " has no sender (from)");
  if (!at) return Malformed("message " + in.wamid + " has no timestamp in Unix seconds");
  in.at = *at;
  if (const auto* contacts = Arr(value, "contacts"))
    for (const auto& c : *contacts)
      if (c.is_object() && Str(c.as_object(), "wa_id") == in.from)
        if (const auto* profile = Obj(c.as_object(), "profile")) in.profile_name = Str(*profile, "name");
  if (in.type == "text") {
    if (const auto* t = Obj(m, "text")) in.text = Str(*t, "body");
  } else if (in.type == "image" || in.type == "document" || in.type == "audio" || in.type == "video" || in.type == "sticker") {
    const auto* media = Obj(m, in.type);
    if (!media || Str(*media, "id").empty()) return Malformed("message " + in.wamid + " of type " + in.type + " has no media id");
    in.media_id = Str(*media, "id");
    in.mime_type = Str(*media, "mime_type");
    in.filename = Str(*media, "filename");
    in.text = Str(*media, "caption");
  } else if (in.type == "interactive") {
    if (const auto* i = Obj(m, "interactive")) {
      const auto* reply = Obj(*i, "button_reply");
      if (!reply) reply = Obj(*i, "list_reply");
      if (reply) {
        in.reply_id = Str(*reply, "id");
        in.text = Str(*reply, "title");
      }
    }
  } else if (in.type == "button") {
    if (const auto* b = Obj(m, "button")) in.text = Str(*b, "text");
  } else {
    in.supported = false;
  }
  return in;
}

std::optional<WhatsappStatus> ParseStatus(const json::object& s) {
  WhatsappStatus out;
  out.wamid = Str(s, "id");
  out.recipient = Str(s, "recipient_id");
  const auto status = ParseWhatsappDelivery(Str(s, "status"));
  const auto at = Seconds(Str(s, "timestamp"));
  // "deleted", "warning" and the like are not tracked.
  if (out.wamid.empty() || !at || !status || *status == WhatsappDelivery::kReceived || *status == WhatsappDelivery::kQueued)
    return std::nullopt;
  out.status = *status;
  out.at = *at;
  if (const auto* errors = Arr(s, "errors"); errors && !errors->empty() && errors->front().is_object()) {
    const auto& e = errors->front().as_object();
    out.error = Str(e, "title");
    const std::string message = Str(e, "message");
    if (!message.empty() && message != out.error) out.error += out.error.empty() ? message : ": " + message;
    if (const auto* data = Obj(e, "error_data"); data && !Str(*data, "details").empty()) out.error += " (" + Str(*data, "details") + ")";
    if (out.error.empty()) out.error = "error " + std::to_string(e.contains("code") && e.at("code").is_int64() ? e.at("code").as_int64() : 0);
  }
  if (out.status == WhatsappDelivery::kFailed && out.error.empty()) out.error = "failed";
  return out;
}

}  // namespace

Result<WhatsappWebhook> ParseWhatsappWebhook(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return Error::Invalid("body", "The webhook's body is not a JSON object.");
  WhatsappWebhook out;
  const auto& root = v.as_object();
  if (Str(root, "object") != "whatsapp_business_account") {
    out.ignored = 1;
    return out;
  }
  const auto* entries = Arr(root, "entry");
  if (!entries) return Error::Invalid("body", "The webhook has no entry list.");
  for (const auto& entry : *entries) {
    const auto* changes = entry.is_object() ? Arr(entry.as_object(), "changes") : nullptr;
    if (!changes) continue;
    for (const auto& change : *changes) {
      if (!change.is_object()) continue;
      const auto& ch = change.as_object();
      const auto* value = Obj(ch, "value");
      if (Str(ch, "field") != "messages" || !value) {
        ++out.ignored;
        continue;
      }
      if (const auto* meta = Obj(*value, "metadata")) out.phone_number_id = Str(*meta, "phone_number_id");
      if (const auto* messages = Arr(*value, "messages"))
        for (const auto& m : *messages) {
          if (!m.is_object()) return Malformed("a message is not an object");
          CHAMADO_ASSIGN_OR_RETURN(auto in, ParseMessage(m.as_object(), *value));
          out.messages.push_back(std::move(in));
        }
      if (const auto* statuses = Arr(*value, "statuses"))
        for (const auto& s : *statuses) {
          auto parsed = s.is_object() ? ParseStatus(s.as_object()) : std::nullopt;
          if (parsed) out.statuses.push_back(std::move(*parsed));
          else ++out.ignored;
        }
    }
  }
  return out;
}

std::string WhatsappTextBody(std::string_view to, std::string_view text) {
  return json::serialize(json::object{{"messaging_product", "whatsapp"},
                                      {"recipient_type", "individual"},
                                      {"to", to},
                                      {"type", "text"},
                                      {"text", json::object{{"preview_url", false}, {"body", text}}}});
}

Result<void> CheckWhatsappTemplate(const WhatsappTemplate& t) {
  std::vector<FieldError> errors;
  if (t.name.empty() || t.name.size() > 512 ||
      t.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
    errors.push_back(FieldError::Said("name", "whatsapp.template_name"));
  const bool language_ok = t.language.size() >= 2 && t.language.size() <= 8 &&
                           t.language.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_") == std::string::npos;
  if (!language_ok) errors.push_back(FieldError::Said("language", "whatsapp.template_language"));
  if (t.parameters.size() > 20) errors.push_back(FieldError::Said("parameters", "whatsapp.template_parameters_max", {{"count", "20"}}));
  for (size_t i = 0; i < t.parameters.size(); ++i)
    if (Trim(t.parameters[i]).empty() || t.parameters[i].size() > 1024)
      errors.push_back(FieldError::Said("parameters[" + std::to_string(i) + "]", "whatsapp.template_parameter"));
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return Ok();
}

std::string WhatsappTemplateBody(std::string_view to, const WhatsappTemplate& t) {
  json::object tmpl{{"name", t.name}, {"language", json::object{{"code", t.language}}}};
  if (!t.parameters.empty()) {
    json::array params;
    for (const auto& p : t.parameters) params.push_back(json::object{{"type", "text"}, {"text", p}});
    tmpl["components"] = json::array{json::object{{"type", "body"}, {"parameters", std::move(params)}}};
  }
  return json::serialize(json::object{{"messaging_product", "whatsapp"},
                                      {"recipient_type", "individual"},
                                      {"to", to},
                                      {"type", "template"},
                                      {"template", std::move(tmpl)}});
}

std::string WithNumberedOptions(std::string_view text, const std::vector<WhatsappOption>& options) {
  std::string out(text);
  for (size_t i = 0; i < options.size(); ++i) {
    if (!out.empty()) out += "\n";
    out += std::to_string(i + 1) + ". " + options[i].label;
  }
  return out;
}

std::optional<std::string> PickedOption(std::string_view answer, const std::vector<WhatsappOption>& options) {
  const std::string_view a = Trim(answer);
  size_t n = 0;
  auto [p, ec] = std::from_chars(a.data(), a.data() + a.size(), n);
  if (ec == std::errc() && p == a.data() + a.size() && n >= 1 && n <= options.size()) return options[n - 1].id;
  for (const auto& o : options)
    if (AsciiLower(o.label) == AsciiLower(a) || o.id == a) return o.id;
  return std::nullopt;
}

}  // namespace chamado::core
