// The WhatsApp channel (issue 13, docs/whatsapp.md): the webhook Meta calls (its verification
// handshake, then signed POSTs of messages and delivery reports) and the agents' templates.
// A POST is stored before it is answered 200; the files it names are fetched first, on a pool
// thread, outside the store's transaction. The rules are core/whatsapp.h's; the units of work
// store/whatsapp.h's; the Graph API is jobs/whatsapp.h's (wired in through ApiOptions).
#include "auth/credentials.h"
#include "core/messages.h"
#include "core/whatsapp.h"
#include "http/api_impl.h"
#include "store/whatsapp.h"

#include <spdlog/spdlog.h>

#include <map>
#include <set>

namespace chamado::http {
namespace {

using core::Conversation;
using store::Repo;

// A file name for what the customer sent: the document's own, else the kind and the id.
std::string FileNameOf(const core::WhatsappInbound& m, std::string_view content_type) {
  if (!m.filename.empty()) return m.filename;
  std::string ext;
  if (const size_t slash = content_type.find('/'); slash != std::string_view::npos) {
    ext = std::string(content_type.substr(slash + 1));
    if (const size_t semi = ext.find(';'); semi != std::string::npos) ext.resize(semi);
    if (ext == "jpeg") ext = "jpg";
  }
  return m.type + "-" + m.media_id + (ext.empty() ? "" : "." + ext);
}

// What one webhook POST did, for the answer and the sockets.
struct Handled {
  std::vector<store::ConversationUpdate> updates;
  std::vector<Conversation> delivered;  // conversations a delivery report changed
  std::vector<std::pair<core::Id, json::object>> deliveries;
  int stored = 0;
  int duplicates = 0;
  int refused = 0;
};

}  // namespace

Response Api::Impl::WhatsappWindowClosed(const Error& e, const Call& c) {
  Response r = ProblemResponse(e, c.req.path, LanguageOf(c));
  json::value body = json::parse(r.body);
  body.as_object()["code"] = "whatsapp_window_closed";
  body.as_object()["template_route"] = "/api/v1/conversations/" + (c.params.empty() ? std::string() : c.params[0]) + "/whatsapp/template";
  r.body = json::serialize(body);
  return r;
}

Result<std::optional<json::object>> Api::Impl::WhatsappJson(Repo& repo, const Conversation& conv, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto view, store::WhatsappViewOf(repo, conv, now));
  if (!view) return std::optional<json::object>();
  json::object deliveries;
  for (const auto& m : view->messages)
    deliveries[std::to_string(m.seq)] =
        json::object{{"status", core::Name(m.status)}, {"error", m.error.empty() ? json::value(nullptr) : json::value(m.error)}};
  return std::optional<json::object>(json::object{{"number", view->number},
                                                  {"profile_name", view->profile_name},
                                                  {"window_open", view->window_open},
                                                  {"window_closes_at", InstantJson(view->window_closes_at)},
                                                  {"deliveries", std::move(deliveries)}});
}

void Api::Impl::VerifyWhatsappWebhook(Call c) {
  const auto& wa = options.whatsapp;
  if (wa.verify_token.empty()) return Fail(c, Error::Said(ErrorCode::kNotFound, "whatsapp.not_configured"));
  const auto mode = c.req.Query("hub.mode");
  const auto token = c.req.Query("hub.verify_token");
  const auto challenge = c.req.Query("hub.challenge");
  if (!mode || *mode != "subscribe" || !token || !auth::SameSecret(*token, wa.verify_token))
    return Fail(c, Error::PermissionDenied("hub.mode must be subscribe and hub.verify_token must be [whatsapp] verify_token."));
  if (!challenge || challenge->empty() || challenge->size() > 256)
    return Fail(c, Error::Invalid("hub.challenge", "hub.challenge is the value Meta asks to have echoed back (1 to 256 bytes)."));
  Response r;
  r.status = 200;
  r.Set("Content-Type", "text/plain; charset=utf-8");
  r.body = std::string(*challenge);
  c.reply(std::move(r));
}

void Api::Impl::WhatsappWebhook(Call c) {
  const auto& wa = options.whatsapp;
  if (wa.verify_token.empty()) return Fail(c, Error::Said(ErrorCode::kNotFound, "whatsapp.not_configured"));
  if (!auth::HubSignatureValid(wa.app_secret, c.req.body, c.req.Header("x-hub-signature-256")))
    return Fail(c, Error::Unauthenticated("X-Hub-Signature-256 is missing or is not the body's HMAC-SHA256 under [whatsapp] app_secret."));
  auto parsed = core::ParseWhatsappWebhook(c.req.body);
  if (!parsed.ok()) return Fail(c, parsed.error());
  // A change for another business number of the same Meta app is not this desk's.
  if (!parsed->phone_number_id.empty() && parsed->phone_number_id != wa.phone_number_id) {
    spdlog::info("whatsapp: a webhook for phone number id {} ignored (ours is {})", parsed->phone_number_id, wa.phone_number_id);
    return Json(c, 200, json::object{{"stored", 0}, {"duplicates", 0}, {"statuses", 0}, {"ignored", 1}});
  }
  auto call = std::make_shared<Call>(std::move(c));
  auto webhook = std::make_shared<core::WhatsappWebhook>(std::move(*parsed));
  // Fetching files (and everything after it) runs on the pool: a network thread never waits on Meta.
  auto work = [this, call, webhook] {
    const Instant now = clock.Now();
    std::vector<store::WhatsappInboundRequest> requests;
    for (const auto& m : webhook->messages) {
      store::WhatsappInboundRequest r;
      r.message = m;
      r.language = options.whatsapp.language;
      r.random_bits = RandomBits();
      if (!m.media_id.empty()) {
        auto seen = Read<std::optional<store::WhatsappMessage>>([&](Repo& repo) { return repo.WhatsappMessageByWamid(m.wamid); });
        const bool redelivered = seen.ok() && *seen;
        auto file = redelivered || !options.whatsapp.fetch_media
                        ? Result<std::pair<std::string, std::string>>(Error::Unavailable("no fetcher"))
                        : options.whatsapp.fetch_media(m.media_id, options.max_attachment_bytes);
        if (redelivered) {
          // Stored before: the command recognizes it without the file.
        } else if (!file.ok()) {
          r.fetch_error = file.error().message;
          spdlog::warn("whatsapp: media {} of message {} not fetched: {}", m.media_id, m.wamid, file.error().message);
        } else {
          const std::string type = CleanMediaType(!m.mime_type.empty() ? m.mime_type : file->second);
          auto sha = blobs.Put(file->first);
          if (!sha.ok()) {
            r.fetch_error = sha.error().message;
          } else {
            r.attachments.push_back({0, *sha, FileNameOf(m, type), type, int64_t(file->first.size())});
          }
        }
      }
      requests.push_back(std::move(r));
    }
    // The flow each sender's next message meets: their open conversation's bot session's,
    // or the latest one for a conversation it starts.
    std::map<std::string, std::optional<store::BotFlowAt>> flows;
    std::vector<std::shared_ptr<const bot::Flow>> keep;
    for (const auto& m : webhook->messages) {
      if (flows.contains(m.from)) continue;
      auto open = Read<std::optional<Conversation>>([&](Repo& repo) { return repo.OpenConversationOf(core::Channel::kWhatsapp, m.from); });
      std::optional<store::BotFlowAt> at;
      std::shared_ptr<const bot::Flow> flow;
      if (open.ok() && *open) {
        auto f = ConversationFlow(**open, flow);
        if (f.ok()) at = *f;
        // The sender's first message here may be the words of the bot's search: searched now,
        // outside the transaction (the bot checks it still waits for them).
        if (at && flow && (*open)->bot_session_id) {
          auto session = Read<std::optional<store::BotSession>>([&](Repo& repo) { return repo.GetBotSession(*(*open)->bot_session_id); });
          if (session.ok() && *session) {
            auto searched = BotSearch(*flow, **session, bot::Input{std::nullopt, m.text}, now);
            if (searched.ok()) {
              // The customer reads them on their phone: whole addresses, not the desk's paths.
              for (auto& a : *searched) a.url = options.public_url + a.url;
              for (auto& r : requests)
                if (r.message.from == m.from) {
                  r.found = std::move(*searched);
                  break;
                }
            } else {
              spdlog::warn("whatsapp: the bot's search for message {} failed: {}", m.wamid, searched.error().message);
            }
          }
        }
      } else if (open.ok()) {
        auto latest = Read<std::optional<store::StoredFlow>>([](Repo& repo) { return repo.LatestFlow(); });
        if (latest.ok() && *latest) {
          auto f = BotFlowAt((*latest)->version);
          if (f.ok()) {
            flow = *f;
            at = store::BotFlowAt{(*latest)->version, flow.get()};
          }
        }
      }
      if (flow) keep.push_back(flow);
      flows[m.from] = at;
    }
    auto policy = store.policy();
    store.Write<Handled>(
        [this, policy, masker = options.masker, requests = std::move(requests), flows = std::move(flows), keep, webhook,
         now](Repo& repo) -> Result<Handled> {
          Handled h;
          for (const auto& r : requests) {
            // One message refused (a conversation at its message limit) does not refuse the others.
            CHAMADO_TRY(repo.conn().Run("SAVEPOINT whatsapp_message", {}));
            auto u = store::WhatsappInboundCommand(repo, *policy, *masker, flows.at(r.message.from), r, now);
            if (!u.ok()) {
              if (u.error().code == ErrorCode::kInternal) return std::move(u).error();
              spdlog::warn("whatsapp: message {} from {} refused: {}", r.message.wamid, r.message.from, u.error().message);
              ++h.refused;
              CHAMADO_TRY(repo.conn().Run("ROLLBACK TO whatsapp_message", {}));
            } else if (u->duplicate) {
              ++h.duplicates;
            } else {
              ++h.stored;
              h.updates.push_back(std::move(*u));
            }
            CHAMADO_TRY(repo.conn().Run("RELEASE whatsapp_message", {}));
          }
          for (const auto& s : webhook->statuses) {
            CHAMADO_ASSIGN_OR_RETURN(auto changed, store::WhatsappStatusCommand(repo, s, now));
            if (!changed) continue;
            CHAMADO_ASSIGN_OR_RETURN(auto m, repo.WhatsappMessageByWamid(s.wamid));
            if (m)
              h.deliveries.emplace_back(changed->id, json::object{{"type", "delivery"},
                                                                  {"seq", m->seq},
                                                                  {"status", core::Name(m->status)},
                                                                  {"error", m->error.empty() ? json::value(nullptr) : json::value(m->error)}});
            h.delivered.push_back(std::move(*changed));
          }
          return h;
        },
        [this, call, webhook](Result<Handled> r) {
          auto finish = [this, call, webhook, r = std::make_shared<Result<Handled>>(std::move(r))]() {
            if (!r->ok()) return Fail(*call, r->error());
            Handled& h = r->value();
            for (const auto& u : h.updates) PublishConversation(u);
            for (const auto& [id, frame] : h.deliveries) PublishChatFrames(id, {{0, json::serialize(frame)}});
            if (!h.updates.empty() && options.whatsapp.queued) options.whatsapp.queued();
            Json(*call, 200,
                 json::object{{"stored", h.stored},
                              {"duplicates", h.duplicates},
                              {"refused", h.refused},
                              {"statuses", int64_t(h.deliveries.size())},
                              {"ignored", webhook->ignored}});
          };
          if (call->req.post) call->req.post(std::move(finish));
          else finish();
        });
  };
  if (!whatsapp_pool.Post(std::move(work))) Fail(*call, Error::Unavailable("Too many WhatsApp webhooks at once; Meta will retry."));
}

void Api::Impl::SendWhatsappTemplate(Call c) {
  if (options.whatsapp.verify_token.empty()) return Fail(c, Error::Said(ErrorCode::kNotFound, "whatsapp.not_configured"));
  auto id = PathId(c, 0, "conversation");
  if (!id.ok()) return Fail(c, id.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"name", "language", "parameters"});
  f.Require("name", "the template's name at Meta");
  f.Require("language", "the template's language code at Meta (en_US, pt_BR)");
  core::WhatsappTemplate t;
  t.name = f.Str("name", 512).value_or("");
  t.language = f.Str("language", 16).value_or("");
  t.parameters = f.StrList("parameters", 20).value_or(std::vector<std::string>{});
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  const Instant now = clock.Now();
  auto policy = store.policy();
  const core::User agent = c.who().user;
  WriteThen<store::ConversationUpdate>(
      std::move(c),
      [policy, masker = options.masker, agent, id = *id, t, limit = options.chat_max_per_agent, now](Repo& repo) {
        return store::WhatsappTemplateCommand(repo, *policy, *masker, agent, id, t, limit, now);
      },
      [this, now](store::ConversationUpdate& u) {
        PublishConversation(u);
        if (options.whatsapp.queued) options.whatsapp.queued();
        json::array messages;
        for (const auto& m : u.added) messages.push_back(json::object{{"seq", m.seq}, {"text", m.body}});
        return JsonResponse(201, json::object{{"conversation_id", u.conversation.id}, {"messages", std::move(messages)}});
      });
}

}  // namespace chamado::http
