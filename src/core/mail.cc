#include "core/mail.h"

#include <re2/re2.h>

#include "core/languages.h"
#include "core/text.h"

namespace chamado::core {

MailRoute RouteMail(const MailSituation& s) {
  using Action = MailRoute::Action;
  MailRoute r;
  if (s.answers_ticket && !s.ticket_closed) {
    if (s.from_agent) {
      // An agent answers by email; their out-of-office answer to a notification is no reply.
      r.action = Action::kAppend;
      r.kind = s.automatic ? MessageKind::kInternalNote : MessageKind::kPublicReply;
      return r;
    }
    if (s.from_requester || s.automatic) {
      r.action = Action::kAppend;
      r.kind = MessageKind::kCustomerMessage;
      r.on_behalf = !s.from_requester;  // a bounce or an auto-reply from a third party
      return r;
    }
    r.action = Action::kOpen;  // someone else writes: a case of its own, at the end of the queue
    return r;
  }
  if (s.answers_ticket && s.automatic) {
    r.action = Action::kIgnore;  // an automatic answer to a closed ticket
    return r;
  }
  if (s.from_agent) {
    r.action = Action::kRefuse;
    return r;
  }
  r.action = Action::kOpen;
  r.follow_up = s.answers_ticket && s.from_requester;
  return r;
}

std::string_view Name(AutoKind k) {
  switch (k) {
    case AutoKind::kNone: return "none";
    case AutoKind::kAutoReply: return "auto_reply";
    case AutoKind::kBounce: return "bounce";
  }
  return "none";
}

std::string DeskLanguage(std::string_view content_language) {
  auto first = Trim(content_language.substr(0, content_language.find(',')));
  std::string primary = AsciiLower(first.substr(0, first.find_first_of("-_")));
  for (std::string_view language : kLanguages)
    if (primary == AsciiLower(language.substr(0, language.find('-')))) return std::string(language);
  return {};
}

std::optional<int64_t> TicketTagIn(std::string_view subject) {
  for (size_t at = subject.find("[#"); at != std::string_view::npos; at = subject.find("[#", at + 2)) {
    size_t end = subject.find(']', at + 2);
    if (end == std::string_view::npos) return std::nullopt;
    auto number = ParseId(subject.substr(at + 2, end - at - 2));
    if (number) return *number;
  }
  return std::nullopt;
}

std::string CleanSubject(std::string_view subject) {
  // Reply and forward prefixes in the languages of our customers and their mail clients.
  static const RE2 prefix(R"((?i)^\s*(?:(?:re|aw|sv|vs|fw|fwd|wg|tr|enc|res|rv|ответ|отв|пересл|fwd?)\s*(?:\[\d+\])?\s*:|\[#\d+\])\s*)");
  std::string s(subject);
  while (RE2::Replace(&s, prefix, "")) {
  }
  return std::string(Trim(s));
}

std::string ChamadoMessageId(int64_t ticket, int64_t serial, std::string_view random, std::string_view host) {
  std::string id = "chamado.";
  id += std::to_string(ticket);
  id += '.';
  id += std::to_string(serial);
  id += '.';
  id += random;
  id += '@';
  id += host;
  return id;
}

std::optional<int64_t> TicketOfChamadoMessageId(std::string_view message_id) {
  constexpr std::string_view kPrefix = "chamado.";
  if (!message_id.starts_with(kPrefix)) return std::nullopt;
  auto rest = message_id.substr(kPrefix.size());
  auto dot = rest.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  return ParseId(rest.substr(0, dot));
}

namespace {

std::vector<std::string_view> Lines(std::string_view body, std::vector<size_t>& starts) {
  std::vector<std::string_view> lines;
  size_t at = 0;
  while (at <= body.size()) {
    size_t end = body.find('\n', at);
    if (end == std::string_view::npos) end = body.size();
    starts.push_back(at);
    lines.push_back(Trim(body.substr(at, end - at)));
    if (end == body.size()) break;
    at = end + 1;
  }
  return lines;
}

bool IsAttribution(std::string_view line) {
  static const RE2 wrote(
      R"((?i)^(?:on|em|el|am|le|il|op)\s.{4,240}(?:wrote|escreveu|escribió|schrieb|a écrit|ha scritto|schreef)(?:\s.{0,120})?:$)");
  static const RE2 wrote_ru(R"(^.{4,240}(?:пишет|написал|написала|написал\(а\)):$)");
  static const RE2 original(
      R"((?i)^-{2,}\s*(?:original message|mensagem original|mensaje original|ursprüngliche nachricht|исходное сообщение|message d'origine|forwarded message|mensagem encaminhada|mensaje reenviado|weitergeleitete nachricht|пересылаемое сообщение)\s*-{2,}$)");
  return RE2::FullMatch(line, wrote) || RE2::FullMatch(line, wrote_ru) || RE2::FullMatch(line, original);
}

bool IsOutlookHeader(const std::vector<std::string_view>& lines, size_t i) {
  static const RE2 from(R"((?i)^(?:\*?)(?:from|de|von|от):(?:\*?)\s.+)");
  static const RE2 sent(R"((?i)^(?:\*?)(?:sent|date|enviado|enviada|enviado el|data|fecha|gesendet|datum|отправлено|дата):.*)");
  if (!RE2::FullMatch(lines[i], from)) return false;
  bool separated = i == 0 || lines[i - 1].empty() || lines[i - 1].find_first_not_of('_') == std::string_view::npos;
  if (!separated) return false;
  for (size_t j = i + 1; j < lines.size() && j <= i + 3; ++j)
    if (RE2::FullMatch(lines[j], sent)) return true;
  return false;
}

}  // namespace

size_t QuotedHistoryStart(std::string_view body) {
  std::vector<size_t> starts;
  auto lines = Lines(body, starts);
  auto has_text_before = [&](size_t i) {
    for (size_t j = 0; j < i; ++j)
      if (!lines[j].empty()) return true;
    return false;
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto& line = lines[i];
    if (line.empty()) continue;
    // Cheap checks first (this runs on every message shown): attributions end with a colon,
    // separators start with dashes, header blocks have a colon near the start.
    const size_t colon = line.find(':');
    bool attribution = false;
    if (line.back() == ':' || line.starts_with("--")) attribution = IsAttribution(line);
    if (!attribution && colon != std::string_view::npos && colon < 16) attribution = IsOutlookHeader(lines, i);
    // Mail clients wrap a long attribution: "On Mon, ... John Smith <\njohn@example.com> wrote:".
    if (!attribution && i + 1 < lines.size() && line.size() < 240 && !lines[i + 1].empty() && lines[i + 1].back() == ':') {
      std::string joined(line);
      joined += ' ';
      joined += lines[i + 1];
      attribution = IsAttribution(joined);
    }
    if (attribution) return has_text_before(i) ? starts[i] : std::string_view::npos;
    if (line.front() == '>') {
      bool rest_quoted = true;
      for (size_t j = i + 1; j < lines.size() && rest_quoted; ++j)
        rest_quoted = lines[j].empty() || lines[j].front() == '>';
      if (rest_quoted) return has_text_before(i) ? starts[i] : std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

}  // namespace chamado::core
