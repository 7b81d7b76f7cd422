// Internals shared by the API's source files (not a public header).
#pragma once

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <mutex>

#include "http/api.h"
#include "http/conversation_hub.h"
#include "http/event_hub.h"
#include "http/help_cache.h"
#include "http/live_feed.h"
#include "store/bus.h"
#include "http/metrics.h"
#include "http/multipart.h"
#include "http/json_in.h"
#include "http/problem.h"
#include "http/views.h"
#include "bot/flow.h"
#include "store/conversations.h"
#include "store/repo_bot.h"

namespace chamado::http {

namespace json = boost::json;

inline constexpr std::string_view kSessionCookie = "chamado_session";

// 64 random bits (for a conversation's public chat id).
uint64_t RandomBits();

struct Caller {
  core::User user;
  bool via_session = false;
  std::string csrf_token;
  std::string session_hash;

  core::Actor actor() const { return {user.id, user.role, user.organization_id}; }
  bool staff() const { return core::IsStaff(user.role); }
  bool admin() const { return user.role == core::Role::kAdmin; }
};

struct Call {
  Request req;
  Reply reply;
  std::optional<Caller> caller;
  std::vector<std::string> params;  // path parameters, in order

  const Caller& who() const { return *caller; }
};

enum class Access { kPublic, kUser, kStaff, kAdmin };

// Serves the built web UI: files under the root, index.html for client-side routes.
class StaticFiles {
 public:
  explicit StaticFiles(std::string root) : root_(std::move(root)) {}
  bool enabled() const { return !root_.empty(); }
  // `accept_encoding`: the request's Accept-Encoding. A text file is sent as its Brotli or
  // gzip copy built beside it (web/scripts/compress.mjs) when the client takes that coding.
  std::optional<Response> Serve(const std::string& path, std::string_view accept_encoding = {});

 private:
  struct File {
    std::string body;
    std::string type;
  };
  std::optional<File> Load(const std::string& rel);
  std::string root_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<File>> cache_;  // GUARDED_BY(mu_)
};

// A ticket as every response shows it (fields, clocks, links, merges), gathered in the
// transaction that wrote it and rendered after the commit (api_tickets.cc).
struct WrittenTicket;
Result<std::shared_ptr<WrittenTicket>> GatherTicket(store::Repo& repo, const sla::Policy& policy, core::Ticket t,
                                                    const core::Actor& actor);
json::object RenderTicket(WrittenTicket& w, const sla::Policy& policy, bool staff, std::string_view language, Instant now);

// A declared media type we are willing to record; anything odd becomes octet-stream.
std::string CleanMediaType(std::string_view t);

// Reports (api_reports.cc): whether the caller asked for CSV (format=csv, or Accept: text/csv),
// and a CSV body sent as the download `name`.csv.
bool WantsCsv(const Request& req);
Response CsvResponse(std::string body, std::string_view name);

struct Api::Impl {
  Impl(store::Store& s, store::BlobStore& b, const core::Clock& c, ApiOptions o);

  store::Store& store;
  store::BlobStore& blobs;
  const core::Clock& clock;
  ApiOptions options;
  RateLimiter by_email;
  RateLimiter by_address;
  RateLimiter bot_sessions_by_address;
  RateLimiter bot_messages_by_session;
  // Flows by version, read once: a conversation keeps the version it started on.
  std::mutex bot_flows_mu;
  std::map<int64_t, std::shared_ptr<const bot::Flow>> bot_flows;  // GUARDED_BY(bot_flows_mu)
  WorkPool hash_pool;
  StaticFiles statics;
  // When each API token's use was last written (api_tokens.last_used_at): at most once a
  // minute per token, so a busy integration does not cost a write per request.
  std::mutex token_use_mu;
  std::unordered_map<std::string, Instant> token_use_marked;  // GUARDED_BY(token_use_mu)
  void MarkTokenUsed(const std::string& token_hash, Instant now);
  // Who has which ticket open (POST /tickets/{number}/presence): agent id -> what they do,
  // per ticket, each mark good for kPresenceTtl after it was last sent. In this process's
  // memory: every instance knows the agents whose browsers talk to it.
  struct Presence {
    Id agent = 0;
    std::string name;
    std::string state;  // viewing | replying
    std::chrono::steady_clock::time_point until;
  };
  std::mutex presence_mu;
  std::unordered_map<Id, std::vector<Presence>> presence;  // GUARDED_BY(presence_mu)
  // Live updates (GET /api/v1/events): the hub the open streams subscribe to, and the feed
  // that fills it after each commit (stopped first: declared after the hub).
  std::shared_ptr<EventHub> live_hub;
  std::unique_ptr<LiveFeed> live_feed;
  // The help center's reading side (api_help.cc): rendered articles and pages, and readers'
  // votes and deflections, at most kFeedbackPerAddress per client address per 10 minutes.
  HelpCache help_cache;
  // Every answered request's latency by route template, for /metrics (api_metrics.cc).
  RequestMetrics request_metrics;
  RateLimiter feedback_by_address;
  static constexpr int kFeedbackPerAddress = 60;

  // ---- responses ----
  static Response JsonResponse(int status, const json::value& v);
  // The same for an object or an array, serialized as it is: through the json::value
  // overload it was first copied whole into a value (with the default allocator, out of a
  // page's arena), a tenth of a ticket page's time.
  static Response JsonResponse(int status, const json::object& o);
  static Response JsonResponse(int status, const json::array& a);
  static Response NoContent() {
    Response r;
    r.status = 204;
    return r;
  }
  void Json(Call& c, int status, const json::value& v) { c.reply(JsonResponse(status, v)); }
  void Json(Call& c, int status, const json::object& o) { c.reply(JsonResponse(status, o)); }
  void Json(Call& c, int status, const json::array& a) { c.reply(JsonResponse(status, a)); }
  // Problems are said in the caller's language (AnswerLanguage).
  static std::string LanguageOf(const Call& c) {
    return AnswerLanguage(c.caller ? std::string_view(c.caller->user.language) : std::string_view(), c.req.Header("accept-language"));
  }
  void Fail(Call& c, const Error& e) { c.reply(ProblemResponse(e, c.req.path, LanguageOf(c))); }

  // Runs `work` in the next group commit; renders its value on a network thread.
  template <class T>
  void WriteThen(Call c, std::function<Result<T>(store::Repo&)> work, std::function<Response(T&)> render) {
    auto call = std::make_shared<Call>(std::move(c));
    store.Write<T>(std::move(work), [this, call, render = std::move(render)](Result<T> r) {
      auto finish = [this, call, render, r = std::make_shared<Result<T>>(std::move(r))]() {
        if (!r->ok()) return Fail(*call, r->error());
        call->reply(render(r->value()));
      };
      if (call->req.post) call->req.post(std::move(finish));
      else finish();
    });
  }

  // Runs `work` in a read transaction here and now.
  template <class T>
  Result<T> Read(const std::function<Result<T>(store::Repo&)>& work) {
    return store.Read<T>(work);
  }

  // ---- request helpers ----
  Result<store::Page> PageOf(const Request& req);
  static Result<Id> PathId(const Call& c, size_t i, std::string_view what);
  // "me", "none" or a number; sets the filter's assignee.
  Result<void> AssigneeFilter(const Call& c, store::TicketFilter& f);

  // ---- authentication ----
  Result<Caller> Authenticate(const Request& req);
  // A customer of a deactivated organization is locked out (unauthenticated), whatever their
  // credentials; reactivating the organization lets the same session or token in again.
  Result<void> RefuseLockedOut(const core::User& user);
  // For public routes that also serve signed-in people: none without credentials; bad
  // credentials, or a session's change without its CSRF token, are errors.
  Result<std::optional<Caller>> OptionalCaller(const Request& req);
  // The same, kept in the call once known (c.caller), so the route's refusals are said in the
  // signed-in person's language like those of the routes that require one.
  Result<std::optional<Caller>> OptionalCaller(Call& c);

  // ---- handlers ----
  void Health(Call c);
  void OpenApi(Call c);
  void SignIn(Call c);
  void CurrentSession(Call c);
  void SignOut(Call c);

  void ListTickets(Call c);
  void CreateTicket(Call c);
  void GetTicket(Call c);
  void PatchTicket(Call c);
  void ListMessages(Call c);
  void CreateMessage(Call c);
  void ListEvents(Call c);
  void LiveEvents(Call c);
  void GetAttachment(Call c);
  // The files of a multipart form (tickets' and conversations' messages): each checked against
  // the size and count limits before any is stored; what the message records.
  Result<std::vector<core::Attachment>> StoreUploads(const std::vector<FormPart>& parts);
  // A stored file as a download that a browser never renders as a page.
  Result<Response> AttachmentResponse(const core::Attachment& a);
  void Queue(Call c);
  void SearchTickets(Call c);
  void SearchHelp(Call c);
  // The help center's authoring side (api_help_authoring.cc).
  void ListEditedArticles(Call c);
  void GetArticleSource(Call c);
  void PutArticleSource(Call c);
  void ListArticleRevisions(Call c);
  void GetArticleRevision(Call c);
  void RestoreArticleRevision(Call c);
  void UploadHelpImage(Call c);
  void GetHelpImage(Call c);
  // The help center's reading side (api_help.cc).
  void HelpProducts(Call c);
  void HelpArticles(Call c);
  void HelpArticle(Call c);
  void VoteArticle(Call c);
  void DeflectArticle(Call c);
  void RecordFeedback(Call c, bool vote);
  Result<std::vector<help::Article>> RelatedArticles(const help::Article& a);
  Result<bool> DraftsWanted(const Request& req);  // drafts=true, from an agent
  Result<int64_t> HelpRevision();
  // The desk's public address: [mail] public_url, else the request's Host.
  std::string PublicBase(const Request& req) const;
  // /help/... with the page's title and description; none when there is no web UI.
  std::optional<Response> HelpPage(const Request& req);
  Response SitemapResponse(const Request& req);
  Response RobotsResponse(const Request& req);
  void SimilarToTicket(Call c);
  void SimilarToText(Call c);
  void RenderSimilar(Call c, const std::function<Result<store::SimilarQuery>(store::Repo&)>& query);
  void RenderTicketPage(Call c, const std::function<Result<store::Paged<core::Ticket>>(store::Repo&, const store::Page&)>& query,
                        const store::Page& page);
  void GetPolicy(Call c);
  void PutPolicy(Call c);
  void TestClock(Call c);
  void ListOutbox(Call c);
  void InboundMail(Call c);
  void GetOriginalMail(Call c);
  void RequestEscalation(Call c);
  // One case = one ticket (api_merge.cc).
  void MergeTicket(Call c);
  void UnmergeTicket(Call c);
  void SplitTicket(Call c);
  void BulkTickets(Call c);

  void ListOrganizations(Call c);
  void CreateOrganization(Call c);
  void GetOrganization(Call c);
  void PatchOrganization(Call c);
  void ListContacts(Call c);
  void CreateContact(Call c);
  void GetContact(Call c);
  void PatchContact(Call c);
  void ListAgents(Call c);
  void CreateAgent(Call c);
  void GetAgent(Call c);
  void PatchAgent(Call c);
  void ListGroups(Call c);
  void CreateGroup(Call c);
  void GetGroup(Call c);
  void PatchGroup(Call c);
  void MarkPresence(Call c);
  void ListTokens(Call c);
  void CreateToken(Call c);
  void RevokeToken(Call c);
  void ListViews(Call c);
  void CreateView(Call c);
  void PatchView(Call c);
  void DeleteView(Call c);
  void ListMacros(Call c);
  void CreateMacro(Call c);
  void PatchMacro(Call c);
  void DeleteMacro(Call c);
  void PreviewMacro(Call c);
  void ListPriorities(Call c);
  void ListCategories(Call c);
  void GetRouting(Call c);
  void GetAvailability(Call c);
  void PatchAvailability(Call c);
  void GetTam(Call c);
  void PutTam(Call c);
  void GetSurvey(Call c);
  void AnswerSurvey(Call c);
  void FeatureRequests(Call c);
  void ContactSurveys(Call c);
  // The support lead's reports (api_reports.cc): the filter every report reads (period, plan,
  // priority, group, agent, organization; format), each report, the tickets behind a figure.
  Result<store::ReportFilter> ReportFilterOf(const Request& req);
  template <class T>
  void AnswerReport(Call& c, Result<T> (*read)(store::Repo&, const store::ReportFilter&), std::string (*csv)(const T&),
                    std::string_view name, const std::function<json::object(const T&, const store::ReportFilter&)>& to_json);
  void ReportResponseTimes(Call c);
  void ReportSla(Call c);
  void ReportBacklog(Call c);
  void ReportChannels(Call c);
  void ReportOutcomes(Call c);
  void ReportSatisfaction(Call c);
  void ReportTickets(Call c);
  void PublicResponseTime(Call c);
  void Metrics(Call c);  // GET /metrics (api_metrics.cc), outside the REST API's routes
  // The chatbot (api_bot.cc).
  void GetBotFlow(Call c);
  void PutBotFlow(Call c);
  void BotFlowHistory(Call c);
  void RollbackBotFlow(Call c);
  void BotDeflections(Call c);
  void CreateBotSession(Call c);
  void GetBotSession(Call c);
  void PostBotMessage(Call c);
  void ApplyBotFlow(Call c, const std::string& source, std::optional<int64_t> restored_from);
  Result<std::shared_ptr<const bot::Flow>> BotFlowAt(int64_t version);
  Result<store::BotSession> HeldBotSession(const Call& c, const std::optional<Caller>& caller);
  // The status page (api_status.cc).
  void GetStatus(Call c);
  void StatusFeed(Call c);
  void GetComponentUptime(Call c);
  void CreateStatusComponent(Call c);
  void PatchStatusComponent(Call c);
  void DeleteStatusComponent(Call c);
  void ListStatusProbes(Call c);
  void CreateStatusProbe(Call c);
  void PatchStatusProbe(Call c);
  void DeleteStatusProbe(Call c);
  void ListStatusIncidents(Call c);
  void CreateStatusIncident(Call c);
  void GetStatusIncident(Call c);
  void PatchStatusIncident(Call c);
  void DeleteStatusIncident(Call c);
  void PostStatusIncidentUpdate(Call c);
  void LinkStatusIncidentTicket(Call c);
  void UnlinkStatusIncidentTicket(Call c);
  void ListStatusMaintenance(Call c);
  void CreateStatusMaintenance(Call c);
  void PatchStatusMaintenance(Call c);
  void DeleteStatusMaintenance(Call c);
  void ListStatusSubscribers(Call c);
  void CreateStatusSubscriber(Call c);
  void DeleteStatusSubscriber(Call c);
  void UnsubscribeFromStatus(Call c);
  void SubscribeToStatus(Call c);
  void ConfirmStatusSubscription(Call c);
  // The help-center articles for the customer's words, when the session waits for a search's.
  Result<std::vector<bot::ArticleLink>> BotSearch(const bot::Flow& flow, const store::BotSession& s, const bot::Input& input,
                                                  Instant now);
  // Live conversations (api_conversations.cc).
  void ListConversations(Call c);
  void StartConversation(Call c);
  void GetConversation(Call c);
  void PostConversationMessage(Call c);
  void AcceptConversation(Call c);
  void TransferConversation(Call c);
  void CloseConversation(Call c);
  void ConvertConversation(Call c);
  void ReadConversation(Call c);
  void LinkConversationTicket(Call c);
  void SetConversationEmail(Call c);
  void MailConversationTranscript(Call c);
  // Starting conversations (the bot's, or live ones: `kind` "a:" or "c:", counted apart) is
  // limited per client address; true when this start is refused, its 429 with Retry-After sent.
  bool RefusedStartOverLimit(Call& c, std::string_view kind, Instant now);
  void ConversationSocket(Call c);
  // The WhatsApp channel (api_whatsapp.cc): Meta's webhook and the agents' templates.
  void VerifyWhatsappWebhook(Call c);
  void WhatsappWebhook(Call c);
  void SendWhatsappTemplate(Call c);
  // What a WhatsApp conversation adds to its JSON (number, profile, window, deliveries).
  Result<std::optional<json::object>> WhatsappJson(store::Repo& repo, const core::Conversation& conv, Instant now);
  // 409 whatsapp_window_closed: the free-form reply refused outside the 24-hour window.
  Response WhatsappWindowClosed(const Error& e, const Call& c);
  WorkPool whatsapp_pool;  // fetches customers' files off the network threads
  void RotateChatSecret(Call c);
  // Live conversations' sockets hear every committed change here (conversation_hub.h).
  ConversationHub chat_hub;
  // Publishes a command's messages and the conversation's state to the sockets watching it,
  // here and on the other instances (TellInstances).
  void PublishConversation(const store::ConversationUpdate& u);
  // Publishes frames that are stored nowhere (typing, read marks, deliveries) likewise.
  void PublishChatFrames(core::Id conversation, const std::vector<ChatFrame>& frames);
  // Instances sharing a PostgreSQL database (store/bus.h): what this one tells the others and
  // hears from them. Null on SQLite, or while the bus could not start (live updates then
  // reach other instances' clients at the feed's next poll, chat frames not at all).
  uint64_t instance_id = RandomBits();
  void TellInstances(json::object chat);
  void Heard(std::string_view channel, std::string_view payload);
  // A message in a conversation the caller holds, by an agent or the customer (the bot's
  // turn included, its search run first); `done` runs after the commit, on the writer thread.
  // `files`, when given, stores the message's uploads: called only once the caller may write
  // there now, so a refused message keeps no file.
  using StoreFiles = std::function<Result<std::vector<core::Attachment>>()>;
  void WriteConversationMessage(const core::Conversation& conv, bool staff, const std::optional<Caller>& caller,
                                std::optional<std::string> text, std::optional<std::string> option, std::string client_id,
                                StoreFiles files, std::function<void(Result<store::ConversationUpdate>)> done);
  void GetConversationAttachment(Call c);
  // The conversation `c` names, when the caller may act on it: an agent, the visitor holding
  // its token (X-Conversation-Token), or its signed-in customer. A signed-in caller is kept in
  // the call (c.caller), so refusals are said in their language.
  struct HeldConversation {
    core::Conversation conversation;
    std::optional<Caller> caller;
    bool staff = false;
  };
  Result<HeldConversation> ConversationFor(Call& c);
  Result<std::optional<store::BotFlowAt>> ConversationFlow(const core::Conversation& conv,
                                                           std::shared_ptr<const bot::Flow>& keep);

  // Last: its thread calls into the feed and the chat hub, so it stops before they go.
  std::unique_ptr<store::Bus> bus;
};

struct RouteDef {
  const char* method;
  const char* pattern;
  Access access;
  void (Api::Impl::*fn)(Call);
  BodyKind body = BodyKind::kJson;  // the largest body it takes (ServerOptions::body_kind)
};

const std::vector<RouteDef>& RouteTable();

}  // namespace chamado::http
