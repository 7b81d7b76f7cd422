#include "http/api.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/credentials.h"
#include "core/model.h"
#include "core/text.h"
#include "http/api_impl.h"

namespace chamado::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& openapi();
}

namespace chamado::http {
namespace fs = std::filesystem;
using core::Role;

namespace {


std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool Match(std::string_view pattern, const std::vector<std::string_view>& path, std::vector<std::string>& params) {
  const auto pat = Segments(pattern);
  if (pat.size() != path.size()) return false;
  params.clear();
  for (size_t i = 0; i < pat.size(); ++i) {
    if (pat[i].front() == '{') params.emplace_back(path[i]);
    else if (pat[i] != path[i]) return false;
  }
  return true;
}

bool IsUnsafe(std::string_view method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

std::string SessionCookie(const std::string& token, std::chrono::seconds max_age, bool secure) {
  std::string c = std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                  std::to_string(max_age.count());
  if (secure) c += "; Secure";
  return c;
}

// RFC 9110 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string HttpDate(Instant t) {
  using namespace std::chrono;
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const weekday wd{day};
  const hh_mm_ss<seconds> hms{floor<seconds>(t - day)};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT", kDays[wd.c_encoding()], unsigned(ymd.day()),
                kMonths[unsigned(ymd.month()) - 1], int(ymd.year()), int(hms.hours().count()), int(hms.minutes().count()),
                int(hms.seconds().count()));
  return buf;
}

}  // namespace

const std::vector<RouteDef>& RouteTable() {
  using I = Api::Impl;
  static const std::vector<RouteDef> routes = {
      {"GET", "/api/v1/health", Access::kPublic, &I::Health},
      {"GET", "/api/v1/openapi.json", Access::kPublic, &I::OpenApi},
      {"POST", "/api/v1/session", Access::kPublic, &I::SignIn},
      {"GET", "/api/v1/session", Access::kUser, &I::CurrentSession},
      {"DELETE", "/api/v1/session", Access::kUser, &I::SignOut},
      {"GET", "/api/v1/tickets", Access::kUser, &I::ListTickets},
      {"POST", "/api/v1/tickets", Access::kUser, &I::CreateTicket, BodyKind::kUpload},
      {"POST", "/api/v1/tickets/similar", Access::kUser, &I::SimilarToText},
      {"POST", "/api/v1/tickets/bulk", Access::kStaff, &I::BulkTickets},
      {"GET", "/api/v1/tickets/{number}", Access::kUser, &I::GetTicket},
      {"GET", "/api/v1/tickets/{number}/similar", Access::kUser, &I::SimilarToTicket},
      {"PATCH", "/api/v1/tickets/{number}", Access::kUser, &I::PatchTicket},
      {"GET", "/api/v1/tickets/{number}/messages", Access::kUser, &I::ListMessages},
      {"POST", "/api/v1/tickets/{number}/messages", Access::kUser, &I::CreateMessage, BodyKind::kUpload},
      {"GET", "/api/v1/tickets/{number}/events", Access::kUser, &I::ListEvents},
      {"GET", "/api/v1/events", Access::kUser, &I::LiveEvents},
      {"POST", "/api/v1/tickets/{number}/escalation", Access::kUser, &I::RequestEscalation},
      {"POST", "/api/v1/tickets/{number}/presence", Access::kStaff, &I::MarkPresence},
      {"POST", "/api/v1/tickets/{number}/merge", Access::kStaff, &I::MergeTicket},
      {"POST", "/api/v1/tickets/{number}/unmerge", Access::kStaff, &I::UnmergeTicket},
      {"POST", "/api/v1/tickets/{number}/split", Access::kStaff, &I::SplitTicket},
      {"GET", "/api/v1/attachments/{id}", Access::kUser, &I::GetAttachment},
      {"GET", "/api/v1/queue", Access::kStaff, &I::Queue},
      {"GET", "/api/v1/search/tickets", Access::kUser, &I::SearchTickets},
      {"GET", "/api/v1/help/search", Access::kPublic, &I::SearchHelp},
      {"GET", "/api/v1/help/editor/articles", Access::kStaff, &I::ListEditedArticles},
      {"GET", "/api/v1/help/articles/{key}/{language}", Access::kStaff, &I::GetArticleSource},
      {"PUT", "/api/v1/help/articles/{key}/{language}", Access::kStaff, &I::PutArticleSource},
      {"GET", "/api/v1/help/articles/{key}/{language}/revisions", Access::kStaff, &I::ListArticleRevisions},
      {"GET", "/api/v1/help/articles/{key}/{language}/revisions/{number}", Access::kStaff, &I::GetArticleRevision},
      {"POST", "/api/v1/help/articles/{key}/{language}/revisions/{number}/restore", Access::kStaff, &I::RestoreArticleRevision},
      {"POST", "/api/v1/help/images", Access::kStaff, &I::UploadHelpImage, BodyKind::kUpload},
      {"GET", "/api/v1/help/images/{id}/{filename}", Access::kPublic, &I::GetHelpImage},
      {"GET", "/api/v1/help/products", Access::kPublic, &I::HelpProducts},
      {"GET", "/api/v1/help/articles", Access::kPublic, &I::HelpArticles},
      {"GET", "/api/v1/help/articles/{key}", Access::kPublic, &I::HelpArticle},
      {"POST", "/api/v1/help/articles/{key}/votes", Access::kPublic, &I::VoteArticle},
      {"POST", "/api/v1/help/articles/{key}/deflections", Access::kPublic, &I::DeflectArticle},
      {"GET", "/api/v1/tokens", Access::kUser, &I::ListTokens},
      {"POST", "/api/v1/tokens", Access::kUser, &I::CreateToken},
      {"DELETE", "/api/v1/tokens/{id}", Access::kUser, &I::RevokeToken},
      {"GET", "/api/v1/views", Access::kStaff, &I::ListViews},
      {"POST", "/api/v1/views", Access::kStaff, &I::CreateView},
      {"PATCH", "/api/v1/views/{id}", Access::kStaff, &I::PatchView},
      {"DELETE", "/api/v1/views/{id}", Access::kStaff, &I::DeleteView},
      {"GET", "/api/v1/macros", Access::kStaff, &I::ListMacros},
      {"POST", "/api/v1/macros", Access::kStaff, &I::CreateMacro},
      {"PATCH", "/api/v1/macros/{id}", Access::kStaff, &I::PatchMacro},
      {"DELETE", "/api/v1/macros/{id}", Access::kStaff, &I::DeleteMacro},
      {"POST", "/api/v1/tickets/{number}/macros/{id}/preview", Access::kStaff, &I::PreviewMacro},
      {"GET", "/api/v1/organizations", Access::kStaff, &I::ListOrganizations},
      {"POST", "/api/v1/organizations", Access::kStaff, &I::CreateOrganization},
      {"GET", "/api/v1/organizations/{id}", Access::kUser, &I::GetOrganization},
      {"PATCH", "/api/v1/organizations/{id}", Access::kStaff, &I::PatchOrganization},
      {"GET", "/api/v1/contacts", Access::kStaff, &I::ListContacts},
      {"POST", "/api/v1/contacts", Access::kStaff, &I::CreateContact},
      {"GET", "/api/v1/contacts/{id}", Access::kUser, &I::GetContact},
      {"GET", "/api/v1/contacts/{id}/surveys", Access::kStaff, &I::ContactSurveys},
      {"PATCH", "/api/v1/contacts/{id}", Access::kUser, &I::PatchContact},
      {"GET", "/api/v1/agents", Access::kStaff, &I::ListAgents},
      {"POST", "/api/v1/agents", Access::kAdmin, &I::CreateAgent},
      {"GET", "/api/v1/agents/{id}/availability", Access::kStaff, &I::GetAvailability},
      {"PATCH", "/api/v1/agents/{id}/availability", Access::kStaff, &I::PatchAvailability},
      {"GET", "/api/v1/organizations/{id}/tam", Access::kStaff, &I::GetTam},
      {"PUT", "/api/v1/organizations/{id}/tam", Access::kAdmin, &I::PutTam},
      {"GET", "/api/v1/routing", Access::kStaff, &I::GetRouting},
      {"GET", "/api/v1/agents/{id}", Access::kStaff, &I::GetAgent},
      {"PATCH", "/api/v1/agents/{id}", Access::kStaff, &I::PatchAgent},
      {"GET", "/api/v1/groups", Access::kStaff, &I::ListGroups},
      {"POST", "/api/v1/groups", Access::kAdmin, &I::CreateGroup},
      {"GET", "/api/v1/groups/{id}", Access::kStaff, &I::GetGroup},
      {"PATCH", "/api/v1/groups/{id}", Access::kAdmin, &I::PatchGroup},
      {"GET", "/api/v1/priorities", Access::kUser, &I::ListPriorities},
      {"GET", "/api/v1/categories", Access::kUser, &I::ListCategories},
      {"GET", "/api/v1/policy", Access::kStaff, &I::GetPolicy},
      {"GET", "/api/v1/surveys/{number}", Access::kPublic, &I::GetSurvey},
      {"PUT", "/api/v1/surveys/{number}", Access::kPublic, &I::AnswerSurvey},
      {"GET", "/api/v1/reports/feature-requests", Access::kStaff, &I::FeatureRequests},
      {"GET", "/api/v1/reports/response-times", Access::kStaff, &I::ReportResponseTimes},
      {"GET", "/api/v1/reports/sla", Access::kStaff, &I::ReportSla},
      {"GET", "/api/v1/reports/backlog", Access::kStaff, &I::ReportBacklog},
      {"GET", "/api/v1/reports/channels", Access::kStaff, &I::ReportChannels},
      {"GET", "/api/v1/reports/outcomes", Access::kStaff, &I::ReportOutcomes},
      {"GET", "/api/v1/reports/satisfaction", Access::kStaff, &I::ReportSatisfaction},
      {"GET", "/api/v1/reports/tickets", Access::kStaff, &I::ReportTickets},
      {"GET", "/api/v1/public/response-time", Access::kPublic, &I::PublicResponseTime},
      {"PUT", "/api/v1/policy", Access::kAdmin, &I::PutPolicy},
      {"GET", "/api/v1/bot/flow", Access::kStaff, &I::GetBotFlow},
      {"PUT", "/api/v1/bot/flow", Access::kAdmin, &I::PutBotFlow},
      {"GET", "/api/v1/bot/flow/history", Access::kStaff, &I::BotFlowHistory},
      {"POST", "/api/v1/bot/flow/rollback", Access::kAdmin, &I::RollbackBotFlow},
      {"GET", "/api/v1/bot/deflections", Access::kStaff, &I::BotDeflections},
      {"POST", "/api/v1/bot/sessions", Access::kPublic, &I::CreateBotSession},
      {"GET", "/api/v1/bot/sessions/{id}", Access::kPublic, &I::GetBotSession},
      {"POST", "/api/v1/bot/sessions/{id}/messages", Access::kPublic, &I::PostBotMessage},
      {"GET", "/api/v1/status", Access::kPublic, &I::GetStatus},
      {"GET", "/api/v1/status/feed.atom", Access::kPublic, &I::StatusFeed},
      {"GET", "/api/v1/status/components/{id}/uptime", Access::kPublic, &I::GetComponentUptime},
      {"POST", "/api/v1/status/components", Access::kAdmin, &I::CreateStatusComponent},
      {"PATCH", "/api/v1/status/components/{id}", Access::kAdmin, &I::PatchStatusComponent},
      {"DELETE", "/api/v1/status/components/{id}", Access::kAdmin, &I::DeleteStatusComponent},
      {"GET", "/api/v1/status/components/{id}/probes", Access::kAdmin, &I::ListStatusProbes},
      {"POST", "/api/v1/status/components/{id}/probes", Access::kAdmin, &I::CreateStatusProbe},
      {"PATCH", "/api/v1/status/probes/{id}", Access::kAdmin, &I::PatchStatusProbe},
      {"DELETE", "/api/v1/status/probes/{id}", Access::kAdmin, &I::DeleteStatusProbe},
      {"GET", "/api/v1/status/incidents", Access::kStaff, &I::ListStatusIncidents},
      {"POST", "/api/v1/status/incidents", Access::kStaff, &I::CreateStatusIncident},
      {"GET", "/api/v1/status/incidents/{id}", Access::kPublic, &I::GetStatusIncident},
      {"PATCH", "/api/v1/status/incidents/{id}", Access::kStaff, &I::PatchStatusIncident},
      {"DELETE", "/api/v1/status/incidents/{id}", Access::kAdmin, &I::DeleteStatusIncident},
      {"POST", "/api/v1/status/incidents/{id}/updates", Access::kStaff, &I::PostStatusIncidentUpdate},
      {"PUT", "/api/v1/status/incidents/{id}/tickets/{number}", Access::kStaff, &I::LinkStatusIncidentTicket},
      {"DELETE", "/api/v1/status/incidents/{id}/tickets/{number}", Access::kStaff, &I::UnlinkStatusIncidentTicket},
      {"GET", "/api/v1/status/maintenance", Access::kStaff, &I::ListStatusMaintenance},
      {"POST", "/api/v1/status/maintenance", Access::kStaff, &I::CreateStatusMaintenance},
      {"PATCH", "/api/v1/status/maintenance/{id}", Access::kStaff, &I::PatchStatusMaintenance},
      {"DELETE", "/api/v1/status/maintenance/{id}", Access::kStaff, &I::DeleteStatusMaintenance},
      {"GET", "/api/v1/status/subscribers", Access::kStaff, &I::ListStatusSubscribers},
      {"POST", "/api/v1/status/subscribers", Access::kStaff, &I::CreateStatusSubscriber},
      {"DELETE", "/api/v1/status/subscribers/{id}", Access::kStaff, &I::DeleteStatusSubscriber},
      {"POST", "/api/v1/status/unsubscribe", Access::kPublic, &I::UnsubscribeFromStatus},
      {"POST", "/api/v1/status/subscribe", Access::kPublic, &I::SubscribeToStatus},
      {"POST", "/api/v1/status/subscribe/confirm", Access::kPublic, &I::ConfirmStatusSubscription},
      {"GET", "/api/v1/conversations", Access::kStaff, &I::ListConversations},
      {"POST", "/api/v1/conversations", Access::kPublic, &I::StartConversation},
      {"GET", "/api/v1/conversations/{id}", Access::kPublic, &I::GetConversation},
      {"POST", "/api/v1/conversations/{id}/messages", Access::kPublic, &I::PostConversationMessage, BodyKind::kUpload},
      {"GET", "/api/v1/conversations/{id}/attachments/{attachment}", Access::kPublic, &I::GetConversationAttachment},
      {"POST", "/api/v1/conversations/{id}/accept", Access::kStaff, &I::AcceptConversation},
      {"POST", "/api/v1/conversations/{id}/transfer", Access::kStaff, &I::TransferConversation},
      {"POST", "/api/v1/conversations/{id}/close", Access::kPublic, &I::CloseConversation},
      {"POST", "/api/v1/conversations/{id}/convert", Access::kPublic, &I::ConvertConversation},
      {"POST", "/api/v1/conversations/{id}/read", Access::kPublic, &I::ReadConversation},
      {"POST", "/api/v1/conversations/{id}/link", Access::kPublic, &I::LinkConversationTicket},
      {"PUT", "/api/v1/conversations/{id}/email", Access::kPublic, &I::SetConversationEmail},
      {"POST", "/api/v1/conversations/{id}/transcript", Access::kPublic, &I::MailConversationTranscript},
      {"GET", "/api/v1/conversations/{id}/socket", Access::kPublic, &I::ConversationSocket},
      {"POST", "/api/v1/conversations/{id}/whatsapp/template", Access::kStaff, &I::SendWhatsappTemplate},
      {"GET", "/api/v1/channels/whatsapp/webhook", Access::kPublic, &I::VerifyWhatsappWebhook},
      {"POST", "/api/v1/channels/whatsapp/webhook", Access::kPublic, &I::WhatsappWebhook},
      {"POST", "/api/v1/organizations/{id}/chat-secret", Access::kAdmin, &I::RotateChatSecret},
      {"POST", "/api/v1/test/clock", Access::kPublic, &I::TestClock},
      {"GET", "/api/v1/outbox", Access::kAdmin, &I::ListOutbox},
      {"POST", "/api/v1/mail/inbound", Access::kAdmin, &I::InboundMail, BodyKind::kMail},
      {"GET", "/api/v1/messages/{id}/original", Access::kStaff, &I::GetOriginalMail},
  };
  return routes;
}

std::vector<Api::RouteInfo> Api::Routes() {
  std::vector<RouteInfo> out;
  for (const auto& r : RouteTable()) out.push_back({r.method, r.pattern});
  return out;
}

// ---- small helpers ----

std::string Request::Cookie(std::string_view name) const {
  std::string_view h = Header("cookie");
  size_t i = 0;
  while (i < h.size()) {
    size_t j = h.find(';', i);
    if (j == std::string_view::npos) j = h.size();
    std::string_view pair = Trim(h.substr(i, j - i));
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    i = j + 1;
  }
  return {};
}

std::string ClientAddress(const Request& req, const std::vector<std::string>& trusted) {
  auto is_trusted = [&](std::string_view a) { return std::find(trusted.begin(), trusted.end(), a) != trusted.end(); };
  if (!is_trusted(req.remote_address)) return req.remote_address;
  std::string_view xff = req.Header("x-forwarded-for");
  // Right to left: each proxy appends the address it received the request from.
  while (!xff.empty()) {
    const size_t comma = xff.rfind(',');
    const std::string_view hop = Trim(comma == std::string_view::npos ? xff : xff.substr(comma + 1));
    if (!hop.empty() && !is_trusted(hop)) return std::string(hop);
    if (comma == std::string_view::npos) break;
    xff = xff.substr(0, comma);
  }
  return req.remote_address;
}

bool RateLimiter::Allow(const std::string& key, Instant now) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(key);
  if (it == windows_.end()) {
    // Room for a new key: forget the oldest window that is over or below its limit.
    while (windows_.size() >= max_keys_) {
      auto victim = std::find_if(order_.begin(), order_.end(), [&](const std::string& k) { return !Locked(windows_.at(k), now); });
      if (victim == order_.end()) return false;  // every key is at its limit: refuse rather than forget one
      windows_.erase(*victim);
      order_.erase(victim);
    }
    order_.push_back(key);
    it = windows_.emplace(key, Window{now, 0, std::prev(order_.end())}).first;
  }
  Window& w = it->second;
  if (now - w.start >= window_) {
    w.start = now;
    w.count = 0;
    order_.splice(order_.end(), order_, w.order);  // a new window: the youngest now
  }
  if (w.count >= limit_) return false;  // refused attempts do not extend the count
  return ++w.count <= limit_;
}

std::chrono::seconds RateLimiter::RetryAfter(const std::string& key, Instant now) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(key);
  if (it == windows_.end() || !Locked(it->second, now)) return std::chrono::seconds(0);
  const auto left = window_ - (now - it->second.start);
  return std::chrono::ceil<std::chrono::seconds>(left);
}

size_t RateLimiter::size() {
  std::lock_guard lock(mu_);
  return windows_.size();
}

WorkPool::WorkPool(int threads, size_t max_queue) : max_queue_(max_queue) {
  for (int i = 0; i < std::max(1, threads); ++i)
    threads_.emplace_back([this] {
      while (true) {
        std::function<void()> f;
        {
          std::unique_lock lock(mu_);
          cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
          if (queue_.empty()) return;
          f = std::move(queue_.front());
          queue_.pop_front();
        }
        f();
      }
    });
}

WorkPool::~WorkPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

bool WorkPool::Post(std::function<void()> f) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= max_queue_) return false;
    queue_.push_back(std::move(f));
  }
  cv_.notify_one();
  return true;
}

// ---- static files ----

std::optional<StaticFiles::File> StaticFiles::Load(const std::string& rel) {
  const fs::path p = fs::path(root_) / rel;
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return std::nullopt;
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".json", "application/json"},
      {".svg", "image/svg+xml"},             {".png", "image/png"},
      {".ico", "image/x-icon"},              {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"}, {".webmanifest", "application/manifest+json"},
      {".map", "application/json"}};
  std::string type = "application/octet-stream";
  const std::string ext = p.extension().string();
  for (const auto& [e, t] : kTypes)
    if (ext == e) type = t;
  return File{ss.str(), type};
}

namespace {
// Whether an Accept-Encoding value takes `coding` (RFC 9110 §12.5.3: listed, or `*`, with a
// q-value above 0).
bool Accepts(std::string_view accept_encoding, std::string_view coding) {
  bool star = false;
  for (size_t at = 0; at < accept_encoding.size();) {
    size_t comma = accept_encoding.find(',', at);
    if (comma == std::string_view::npos) comma = accept_encoding.size();
    std::string_view item = Trim(accept_encoding.substr(at, comma - at));
    at = comma + 1;
    std::string_view name = item, params;
    if (const size_t semi = item.find(';'); semi != std::string_view::npos) {
      name = Trim(item.substr(0, semi));
      params = item.substr(semi + 1);
    }
    bool zero = false;
    if (const size_t q = params.find("q="); q != std::string_view::npos) {
      const std::string_view v = Trim(params.substr(q + 2));
      zero = !v.empty() && v.find_first_not_of("0.") == std::string_view::npos;
    }
    if (AsciiLower(name) == coding) return !zero;
    if (name == "*") star = !zero;
  }
  return star;
}
}  // namespace

std::optional<Response> StaticFiles::Serve(const std::string& path, std::string_view accept_encoding) {
  if (!enabled()) return std::nullopt;
  std::string rel = path.empty() || path == "/" ? "index.html" : path.substr(1);
  for (auto seg : Segments(rel))
    if (seg == ".." || seg == "." || seg.front() == '.') return std::nullopt;
  if (rel.find('\0') != std::string::npos) return std::nullopt;
  // Client-side routes (no file extension) get the app's page.
  const bool has_ext = fs::path(rel).has_extension();
  if (!has_ext) rel = "index.html";
  auto get = [this](const std::string& name) -> std::shared_ptr<File> {
    {
      std::lock_guard lock(mu_);
      if (auto it = cache_.find(name); it != cache_.end()) return it->second;
    }
    auto loaded = Load(name);
    auto file = loaded ? std::make_shared<File>(std::move(*loaded)) : nullptr;
    // A compressed copy that is not there is remembered as such; other missing paths are
    // not (anybody can ask for any number of them).
    const bool copy = name.ends_with(".br") || name.ends_with(".gz");
    std::lock_guard lock(mu_);
    if ((file || copy) && cache_.size() < 2000) cache_[name] = file;
    return file;
  };
  const std::shared_ptr<File> file = get(rel);
  if (!file) return std::nullopt;
  std::shared_ptr<File> body = file;
  std::string_view coding;
  for (std::string_view c : {"br", "gzip"}) {
    if (!Accepts(accept_encoding, c)) continue;
    if (auto copy = get(rel + (c == "br" ? ".br" : ".gz"))) {
      body = std::move(copy);
      coding = c;
      break;
    }
  }
  Response r;
  r.body = body->body;
  r.Set("Content-Type", file->type);
  if (!coding.empty()) r.Set("Content-Encoding", std::string(coding));
  if (body != file || get(rel + ".gz")) r.Set("Vary", "Accept-Encoding");
  if (rel.rfind("assets/", 0) == 0) r.Set("Cache-Control", "public, max-age=31536000, immutable");
  else r.Set("Cache-Control", "no-cache");
  if (file->type.rfind("text/html", 0) == 0 && rel.rfind("widget/", 0) == 0) {
    // The chat widget's frame (widget.js puts it on customers' own sites, docs/chat.md): any
    // site may frame it; it talks only to this desk.
    r.Set("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
          "frame-ancestors *; base-uri 'none'; form-action 'none'");
  } else if (file->type.rfind("text/html", 0) == 0) {
    r.Set("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data: blob: https:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
          "connect-src 'self'; frame-src 'self' https://www.youtube-nocookie.com https://player.vimeo.com; frame-ancestors 'none'; "
          "base-uri 'self'; form-action 'self'");
    r.Set("X-Frame-Options", "DENY");
  }
  return r;
}

// ---- Impl ----

Api::Impl::Impl(store::Store& s, store::BlobStore& b, const core::Clock& c, ApiOptions o)
    : store(s),
      blobs(b),
      clock(c),
      options(std::move(o)),
      by_email(options.signin_attempts_per_email, std::chrono::minutes(5)),
      by_address(options.signin_attempts_per_address, std::chrono::minutes(5)),
      bot_sessions_by_address(options.bot_sessions_per_address, std::chrono::minutes(10)),
      bot_messages_by_session(options.bot_messages_per_session, std::chrono::minutes(1)),
      hash_pool(options.hash_threads, 64),
      statics(options.web_root),
      help_cache(options.help_cache_entries),
      feedback_by_address(kFeedbackPerAddress, std::chrono::minutes(10)),
      whatsapp_pool(1, 256) {
  if (!options.masker) options.masker = *SecretMasker::Make(SecretMasker::Defaults());
  // Clients resume only from events after the server started (older ids ask them to reload).
  auto last = store.ReadOne<Id>([](store::Repo& repo) { return repo.LastEventId(); });
  if (!last.ok()) spdlog::warn("live updates: reading the last event id: {}", last.error().message);
  live_hub = std::make_shared<EventHub>(last.ok() ? *last : 0);
  live_feed = std::make_unique<LiveFeed>(store, live_hub);
  if (store.postgres()) {
    auto started = store::Bus::Start(options.bus_url.empty() ? store.url() : options.bus_url, {"chamado_events", "chamado_chat"},
                                     [this](std::string_view channel, std::string_view payload) { Heard(channel, payload); });
    if (started.ok()) bus = std::move(*started);
    else spdlog::warn("{} Live updates from other instances arrive at the next poll (2 s), their chat frames not at all.",
                      started.error().message);
  }
}

Api::Api(store::Store& store, store::BlobStore& blobs, const core::Clock& clock, ApiOptions options)
    : impl_(std::make_unique<Impl>(store, blobs, clock, std::move(options))) {}
Api::~Api() = default;

namespace {

template <class J>
Response SerializedJson(int status, const J& v) {
  Response r;
  r.status = status;
  r.Set("Content-Type", "application/json");
  r.Set("Cache-Control", "no-store");
  r.body = json::serialize(v);
  return r;
}

}  // namespace

Response Api::Impl::JsonResponse(int status, const json::value& v) { return SerializedJson(status, v); }
Response Api::Impl::JsonResponse(int status, const json::object& o) { return SerializedJson(status, o); }
Response Api::Impl::JsonResponse(int status, const json::array& a) { return SerializedJson(status, a); }

Result<store::Page> Api::Impl::PageOf(const Request& req) {
  store::Page p;
  if (auto l = req.Query("limit")) {
    auto v = l->size() <= 3 ? ParseId(*l) : std::nullopt;
    if (!v || *v > 200) return Error::InvalidSaid("limit", "page.limit");
    p.limit = int(*v);
  }
  if (auto a = req.Query("after")) p.after = std::string(*a);
  return p;
}

Result<Id> Api::Impl::PathId(const Call& c, size_t i, std::string_view what) {
  const std::string& s = c.params.at(i);
  auto v = ParseId(s);
  if (!v) return Error::NotFound(std::string(what) + " \"" + s + "\" does not exist.");
  return *v;
}

Result<void> Api::Impl::AssigneeFilter(const Call& c, store::TicketFilter& f) {
  auto a = c.req.Query("assignee_id");
  if (!a) return Ok();
  if (*a == "me") {
    f.assignee_id = c.who().user.id;
  } else if (*a == "none") {
    f.unassigned = true;
  } else {
    auto v = ParseId(*a);
    if (!v) return Error::Invalid("assignee_id", "assignee_id must be an agent id, \"me\" or \"none\".");
    f.assignee_id = *v;
  }
  return Ok();
}

Result<Caller> Api::Impl::Authenticate(const Request& req) {
  const Instant now = clock.Now();
  std::string_view authz = req.Header("authorization");
  if (!authz.empty()) {
    if (authz.size() < 8 || AsciiLower(authz.substr(0, 7)) != "bearer ")
      return Error::Said(ErrorCode::kUnauthenticated, "auth.bearer_format");
    const std::string hash = auth::TokenHash(Trim(authz.substr(7)));
    auto user = store.ReadOne<std::optional<core::User>>([&](store::Repo& repo) { return repo.UserByApiToken(hash); });
    if (!user.ok()) return std::move(user).error();
    if (!*user) return Error::Said(ErrorCode::kUnauthenticated, "auth.token_invalid");
    if (!(*user)->active) return Error::Said(ErrorCode::kUnauthenticated, "auth.token_deactivated");
    CHAMADO_TRY(RefuseLockedOut(**user));
    MarkTokenUsed(hash, now);
    return Caller{std::move(**user), false, "", ""};
  }
  const std::string token = req.Cookie(kSessionCookie);
  if (token.empty()) return Error::Said(ErrorCode::kUnauthenticated, "auth.sign_in_first");
  const std::string hash = auth::TokenHash(token);
  auto found = store.ReadOne<std::optional<store::Repo::SessionUser>>(
      [&](store::Repo& repo) { return repo.UserBySession(hash, now); });
  if (!found.ok()) return std::move(found).error();
  if (!*found) return Error::Said(ErrorCode::kUnauthenticated, "auth.session_expired");
  if (!(*found)->user.active) return Error::Said(ErrorCode::kUnauthenticated, "auth.account_deactivated");
  CHAMADO_TRY(RefuseLockedOut((*found)->user));
  return Caller{std::move((*found)->user), true, std::move((*found)->csrf_token), hash};
}

Result<void> Api::Impl::RefuseLockedOut(const core::User& user) {
  if (user.role != core::Role::kCustomer || !user.organization_id) return Ok();
  auto active = store.ReadOne<bool>([&](store::Repo& repo) { return repo.OrganizationActive(*user.organization_id); });
  if (!active.ok()) return std::move(active).error();
  if (!*active) return Error::Said(ErrorCode::kUnauthenticated, "auth.organization_deactivated");
  return Ok();
}

void Api::Impl::MarkTokenUsed(const std::string& token_hash, Instant now) {
  {
    std::lock_guard lock(token_use_mu);
    auto [it, fresh] = token_use_marked.try_emplace(token_hash, now);
    if (!fresh && now - it->second < std::chrono::minutes(1)) return;
    it->second = now;
  }
  store.Write<bool>(
      [token_hash, now](store::Repo& repo) -> Result<bool> {
        CHAMADO_TRY(repo.MarkApiTokenUsed(token_hash, now));
        return true;
      },
      [](Result<bool> r) {
        if (!r.ok()) spdlog::warn("recording an API token's use: {}", r.error().message);
      });
}

BodyKind Api::BodyKindOf(const Request& head) {
  const auto path = Segments(head.path);
  std::vector<std::string> params;
  for (const auto& r : RouteTable()) {
    if (r.body == BodyKind::kJson || head.method != r.method || !Match(r.pattern, path, params)) continue;
    // Only a body of the route's large kind is worth asking who sends it (a JSON reply to the
    // same route is read under JSON's limit without a second look-up of the caller).
    const std::string type = AsciiLower(head.Header("content-type"));
    const bool large = (r.body == BodyKind::kUpload && type.starts_with("multipart/form-data")) ||
                       (r.body == BodyKind::kMail && type.starts_with("message/rfc822"));
    if (!large) return BodyKind::kJson;
    // The caller must be one who may use the route (the handler checks again, with CSRF). The
    // public upload route is a conversation's: its visitor holds it by token, not by account.
    if (r.access == Access::kPublic) {
      Call probe{head, nullptr, std::nullopt, params};
      return impl_->ConversationFor(probe).ok() ? r.body : BodyKind::kJson;
    }
    auto caller = impl_->Authenticate(head);
    if (!caller.ok() || (r.access == Access::kStaff && !caller->staff()) || (r.access == Access::kAdmin && !caller->admin()))
      return BodyKind::kJson;
    return r.body;
  }
  return BodyKind::kJson;
}

void Api::Handle(Request req, Reply reply) {
  Impl& I = *impl_;
  const bool api = req.path == "/api" || req.path.rfind("/api/", 0) == 0;
  // Date comes from the application's clock (the test clock under --test-clock), so a
  // browser can keep its countdowns in step with the server.
  // Latency is counted per route template (set once the route is known), never per raw path.
  auto route_label = std::make_shared<std::string>(api ? "(unmatched)" : "(web)");
  auto secure_reply = [reply = std::move(reply), date = HttpDate(I.clock.Now()), route_label, method = req.method,
                       started = std::chrono::steady_clock::now(), metrics = &I.request_metrics](Response r) {
    r.Set("X-Content-Type-Options", "nosniff");
    r.Set("Referrer-Policy", "same-origin");
    r.Set("Date", date);
    metrics->Observe(method, *route_label, r.status, std::chrono::steady_clock::now() - started);
    reply(std::move(r));
  };
  Call call{std::move(req), std::move(secure_reply), std::nullopt, {}};
  if (!api) {
    if (call.req.path == "/metrics" && (call.req.method == "GET" || call.req.method == "HEAD")) {
      *route_label = "/metrics";
      return I.Metrics(std::move(call));
    }
    if (call.req.method == "GET" || call.req.method == "HEAD") {
      const std::string& p = call.req.path;
      // The help center is public and crawlable: its pages carry their own title and description.
      if (p == "/sitemap.xml") return call.reply(I.SitemapResponse(call.req));
      if (p == "/robots.txt") return call.reply(I.RobotsResponse(call.req));
      if ((p == "/help" || p.starts_with("/help/")) && !fs::path(p).has_extension())
        if (auto r = I.HelpPage(call.req)) return call.reply(std::move(*r));
      if (auto r = I.statics.Serve(call.req.path, call.req.Header("accept-encoding"))) return call.reply(std::move(*r));
    }
    return I.Fail(call, Error::Said(ErrorCode::kNotFound, "http.no_page", {{"path", call.req.path}}));
  }

  const auto path = Segments(call.req.path);
  const RouteDef* route = nullptr;
  std::string allowed;
  for (const auto& r : RouteTable()) {
    if (!Match(r.pattern, path, call.params)) continue;
    if (call.req.method == r.method || (call.req.method == "HEAD" && std::string_view(r.method) == "GET")) {
      route = &r;
      break;
    }
    if (!allowed.empty()) allowed += ", ";
    allowed += r.method;
  }
  if (!route) {
    if (!allowed.empty()) {
      Response r = ProblemResponse(Error::Said(ErrorCode::kInvalidArgument, "http.method_not_allowed",
                                               {{"method", call.req.method}, {"allowed", allowed}}),
                                   call.req.path, 405, "Method not allowed", I.LanguageOf(call));
      r.Set("Allow", allowed);
      return call.reply(std::move(r));
    }
    return I.Fail(call, Error::Said(ErrorCode::kNotFound, "http.no_endpoint", {{"method", call.req.method}, {"path", call.req.path}}));
  }

  *route_label = route->pattern;
  if (route->access != Access::kPublic) {
    auto caller = I.Authenticate(call.req);
    if (!caller.ok()) return I.Fail(call, caller.error());
    call.caller = std::move(*caller);  // known from here, so refusals are said in their language
    const Caller& who = *call.caller;
    if (who.via_session && IsUnsafe(call.req.method) && !auth::SameSecret(call.req.Header("x-csrf-token"), who.csrf_token))
      return I.Fail(call, Error::Said(ErrorCode::kPermissionDenied, "auth.csrf"));
    if (route->access == Access::kStaff && !who.staff())
      return I.Fail(call, Error::Said(ErrorCode::kPermissionDenied, "permission.agents_only", {{"route", std::string(route->pattern)}}));
    if (route->access == Access::kAdmin && !who.admin())
      return I.Fail(call, Error::Said(ErrorCode::kPermissionDenied, "permission.admins_only"));
  }
  const std::string instance = call.req.path;
  RunHandler(
      [&](Reply guarded) {
        call.reply = std::move(guarded);
        (I.*(route->fn))(std::move(call));
      },
      std::move(call.reply), instance);
}

// ---- public endpoints and session ----

void Api::Impl::Health(Call c) {
  json::object o{{"status", "ok"}, {"time", FormatIsoUtc(clock.Now())}};
  // Administrators also see how the store's files are doing.
  if (auto caller = Authenticate(c.req); caller.ok() && caller->admin()) {
    const store::StorageHealth h = store.storage();
    json::object st{{"engine", h.engine}, {"database_bytes", h.database_bytes}};
    if (h.engine == "sqlite") {
      st["wal_bytes"] = h.wal_bytes;
      st["max_wal_bytes"] = h.max_wal_bytes;
      st["wal_bound_kept"] = h.bound_kept;
      st["seconds_since_checkpoint"] = h.seconds_since_checkpoint < 0 ? json::value(nullptr) : json::value(h.seconds_since_checkpoint);
      st["wal_truncations"] = h.truncations;
      st["failed_wal_truncations"] = h.failed_truncations;
      st["worst_truncation_wait_ms"] = double(h.worst_truncation_wait.count()) / 1000.0;
    } else if (h.server) {
      st["postgresql"] = json::object{{"server_version", h.server->version},
                                      {"in_recovery", h.server->in_recovery},
                                      {"database_bytes", h.server->database_bytes},
                                      {"readers_in_use", h.server->readers_in_use},
                                      {"max_readers", h.server->max_readers},
                                      {"listening", bus ? json::value(bus->Listening()) : json::value(nullptr)}};
    } else {
      st["postgresql"] = nullptr;  // the server did not answer (logged)
    }
    o["storage"] = std::move(st);
  }
  Json(c, 200, o);
}

void Api::Impl::OpenApi(Call c) {
  Response r;
  r.Set("Content-Type", "application/json");
  r.Set("Cache-Control", "no-cache");
  r.body = std::string(embedded::openapi().at(0).second);
  c.reply(std::move(r));
}

void Api::Impl::SignIn(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"email", "password"});
  f.Require("email", "the address you sign in with");
  f.Require("password", "your password");
  auto email_raw = f.Str("email", 320);
  auto password = f.Str("password", 1024);
  if (auto r = f.Finish(); !r.ok()) return Fail(c, r.error());
  const std::string email = NormalizeEmail(*email_raw);
  const Instant now = clock.Now();
  // The address first: an attempt it refuses does not count against the email as well.
  const std::string address_key = "a:" + ClientAddress(c.req, options.trusted_proxies), email_key = "e:" + email;
  if (!by_address.Allow(address_key, now) || !by_email.Allow(email_key, now)) {
    const auto wait = std::max({by_address.RetryAfter(address_key, now), by_email.RetryAfter(email_key, now), std::chrono::seconds(1)});
    Response r = ProblemResponse(Error::Said(ErrorCode::kRateLimited, "auth.too_many_attempts",
                                                             {{"minutes", std::to_string((wait.count() + 59) / 60)}}),
                                 c.req.path, LanguageOf(c));
    r.Set("Retry-After", std::to_string(wait.count()));
    return c.reply(std::move(r));
  }

  struct Account {
    core::User user;
    std::string hash;
    bool organization_active = true;
  };
  auto account = Read<std::optional<Account>>([&](store::Repo& repo) -> Result<std::optional<Account>> {
    if (email.empty()) return std::optional<Account>();
    CHAMADO_ASSIGN_OR_RETURN(auto u, repo.FindUserByEmail(email));
    if (!u) return std::optional<Account>();
    CHAMADO_ASSIGN_OR_RETURN(auto h, repo.PasswordHash(u->id));
    bool organization_active = true;
    if (u->role == core::Role::kCustomer && u->organization_id) {
      CHAMADO_ASSIGN_OR_RETURN(organization_active, repo.OrganizationActive(*u->organization_id));
    }
    return std::optional<Account>(Account{std::move(*u), h.value_or(""), organization_active});
  });
  if (!account.ok()) return Fail(c, account.error());

  auto call = std::make_shared<Call>(std::move(c));
  auto acc = std::make_shared<std::optional<Account>>(std::move(*account));
  const bool queued = hash_pool.Post([this, call, acc, password = *password, now] {
    const bool known = acc->has_value() && !(*acc)->hash.empty();
    const bool ok = auth::VerifyPassword(known ? (*acc)->hash : auth::DummyHash(), password) && known;
    auto finish = [this, call, acc, ok, now] {
      if (!ok) return Fail(*call, Error::Said(ErrorCode::kUnauthenticated, "auth.wrong_password"));
      if (!(*acc)->user.active) return Fail(*call, Error::Said(ErrorCode::kUnauthenticated, "auth.account_deactivated"));
      if (!(*acc)->organization_active)
        return Fail(*call, Error::Said(ErrorCode::kUnauthenticated, "auth.organization_deactivated"));
      const std::string token = auth::NewToken();
      const std::string csrf = auth::NewToken();
      const core::User user = (*acc)->user;
      const auto ttl = options.session_ttl;
      WriteThen<bool>(
          std::move(*call),
          [token, csrf, user, now, ttl](store::Repo& repo) -> Result<bool> {
            CHAMADO_TRY(repo.DeleteExpiredSessions(now));
            CHAMADO_TRY(repo.InsertSession(auth::TokenHash(token), user.id, csrf, now, now + ttl));
            return true;
          },
          [this, token, csrf, user, ttl](bool&) {
            Response r = JsonResponse(200, json::object{{"user", UserJson(user, true)}, {"csrf_token", csrf}});
            r.Set("Set-Cookie", SessionCookie(token, ttl, options.cookie_secure));
            return r;
          });
    };
    if (call->req.post) call->req.post(std::move(finish));
    else finish();
  });
  if (!queued) Fail(*call, Error::Said(ErrorCode::kUnavailable, "auth.busy"));
}

void Api::Impl::CurrentSession(Call c) {
  json::object o{{"user", UserJson(c.who().user, true)}};
  if (c.who().via_session) o["csrf_token"] = c.who().csrf_token;
  Json(c, 200, o);
}

void Api::Impl::SignOut(Call c) {
  const std::string hash = c.who().session_hash;
  WriteThen<bool>(
      std::move(c),
      [hash](store::Repo& repo) -> Result<bool> {
        if (!hash.empty()) CHAMADO_TRY(repo.DeleteSession(hash));
        return true;
      },
      [this](bool&) {
        Response r = NoContent();
        r.Set("Set-Cookie", SessionCookie("", std::chrono::seconds(0), options.cookie_secure));
        return r;
      });
}

void Api::Impl::ListPriorities(Call c) {
  auto cat = store.catalog();
  const std::string& lang = c.who().user.language;
  json::array items;
  for (size_t i = 0; i < cat->priorities.levels.size(); ++i) {
    const auto& p = cat->priorities.levels[i];
    const std::string_view text = core::TextFor(p.descriptions, lang);
    items.push_back(json::object{{"name", p.name},
                                 {"description", text.empty() ? p.description : std::string(text)},
                                 {"rank", int(i)},
                                 {"default", p.name == cat->priorities.default_name}});
  }
  Json(c, 200, json::object{{"items", std::move(items)}});
}

void Api::Impl::ListCategories(Call c) {
  auto cat = store.catalog();
  const std::string& lang = c.who().user.language;
  json::array items;
  for (const auto& k : cat->categories) {
    const std::string_view text = core::TextFor(k.names, lang);
    items.push_back(json::object{{"key", k.key}, {"name", text.empty() ? k.name : std::string(text)},
                                 {"details", DetailsJson(k.details, lang)}});
  }
  Json(c, 200, json::object{{"items", std::move(items)}});
}

}  // namespace chamado::http
