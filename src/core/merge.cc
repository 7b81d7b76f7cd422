#include "core/merge.h"

#include <algorithm>
#include <set>

#include "core/text.h"
#include "core/ticket.h"

namespace chamado::core {
namespace {

std::string Num(Id n) { return "#" + std::to_string(n); }

Result<void> AgentsOnly(const Actor& actor, std::string_view what) {
  if (!IsStaff(actor.role)) return Error::PermissionDenied("Only agents " + std::string(what) + " tickets.");
  return Ok();
}

// A merge or a split keeps a case with one customer: the same organization, or without one the
// same requester.
bool SameCustomer(const Ticket& a, const Ticket& b) {
  if (a.organization_id || b.organization_id) return a.organization_id == b.organization_id;
  return a.requester_id == b.requester_id;
}

std::string Replace(std::string_view text, Id a, Id b) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 3) == "{a}") {
      out += Num(a);
      i += 2;
    } else if (text.substr(i, 3) == "{b}") {
      out += Num(b);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

Result<TicketsMerged> MergeTickets(const Ticket& merged, std::optional<Id> merged_into, const Ticket& survivor,
                                   const Actor& actor, Instant now) {
  CHAMADO_TRY(AgentsOnly(actor, "merge"));
  if (merged.number == survivor.number)
    return Error::Invalid("into", "A ticket cannot be merged into itself; choose another ticket as the survivor.");
  if (merged_into)
    return Error::Conflict("Ticket " + Num(merged.number) + " is merged into " + Num(*merged_into) +
                           " already; undo that merge first.");
  if (merged.status == Status::kClosed)
    return Error::Conflict("Ticket " + Num(merged.number) + " is closed and cannot change any more; it cannot be merged.");
  if (survivor.status == Status::kClosed)
    return Error::Invalid("into", "Ticket " + Num(survivor.number) +
                                      " is closed (or merged itself); merge into an active ticket of the same customer.");
  if (!SameCustomer(merged, survivor))
    return Error::Invalid("into", merged.organization_id || survivor.organization_id
                                      ? "Tickets " + Num(merged.number) + " and " + Num(survivor.number) +
                                            " belong to different organizations; only one customer's tickets are merged."
                                      : "Tickets " + Num(merged.number) + " and " + Num(survivor.number) +
                                            " have different requesters and no organization; only one customer's tickets are merged.");
  TicketsMerged out{merged, survivor, {}};
  Ticket& m = out.merged;
  m.status = Status::kClosed;
  m.closed_at = now;
  if (!m.solved_at) m.solved_at = now;
  m.updated_at = now;
  out.survivor.updated_at = now;
  out.events.push_back({"ticket.merged", merged.number, actor.user_id, now,
                        {{"status", std::string(Name(merged.status)), std::string(Name(m.status))},
                         {"merged_into", "", Num(survivor.number)}},
                        0});
  out.events.push_back({"ticket.merged", survivor.number, actor.user_id, now, {{"merged_from", "", Num(merged.number)}}, 0});
  return out;
}

Result<TicketsUnmerged> UnmergeTicket(const Ticket& merged, std::optional<Id> merged_into, Status previous,
                                      const Ticket& survivor, const Actor& actor, Instant now) {
  CHAMADO_TRY(AgentsOnly(actor, "undo merges of"));
  if (!merged_into || *merged_into != survivor.number)
    return Error::Conflict("Ticket " + Num(merged.number) + " is not merged" +
                           (merged_into ? " into " + Num(survivor.number) : std::string()) + "; there is nothing to undo.");
  TicketsUnmerged out{merged, survivor, {}};
  Ticket& m = out.merged;
  m.status = previous;
  m.closed_at.reset();
  if (previous != Status::kSolved) m.solved_at.reset();
  m.updated_at = now;
  out.survivor.updated_at = now;
  out.events.push_back({"ticket.unmerged", merged.number, actor.user_id, now,
                        {{"status", std::string(Name(merged.status)), std::string(Name(previous))},
                         {"merged_into", Num(survivor.number), ""}},
                        0});
  out.events.push_back({"ticket.unmerged", survivor.number, actor.user_id, now, {{"merged_from", Num(merged.number), ""}}, 0});
  return out;
}

Result<TicketSplit> SplitTicket(const Ticket& original, const std::vector<Id>& messages,
                                const std::vector<Id>& chosen, std::string_view subject, const Actor& actor,
                                Instant now) {
  CHAMADO_TRY(AgentsOnly(actor, "split"));
  if (original.status == Status::kClosed)
    return Error::Conflict("Ticket " + Num(original.number) + " is closed and cannot change any more; it cannot be split.");
  if (chosen.empty()) return Error::Invalid("message_ids", "Choose at least one message to move to the new ticket.");
  if (chosen.size() > kMaxSplitMessages)
    return Error::Invalid("message_ids", "A split moves at most " + std::to_string(kMaxSplitMessages) + " messages.");
  const std::set<Id> own(messages.begin(), messages.end());
  std::set<Id> unique;
  for (Id id : chosen) {
    if (!own.count(id))
      return Error::Invalid("message_ids", "Message " + std::to_string(id) + " is not on ticket " + Num(original.number) + ".");
    if (!unique.insert(id).second)
      return Error::Invalid("message_ids", "Message " + std::to_string(id) + " is chosen twice.");
  }
  if (unique.size() == own.size())
    return Error::Invalid("message_ids", "Leave at least one message on ticket " + Num(original.number) +
                                             "; to move all of them, change the ticket instead.");
  const std::string_view trimmed = Trim(subject);
  if (Utf8Length(trimmed) > kMaxSubjectChars)
    return Error::Invalid("subject", "A subject is at most " + std::to_string(kMaxSubjectChars) + " characters.");

  TicketSplit out{original, original, {}};
  Ticket& t = out.ticket;
  t.number = 0;
  t.subject = trimmed.empty() ? original.subject : std::string(trimmed);
  t.status = Status::kNew;
  t.resolution.reset();
  t.resolution_summary.clear();
  t.created_at = now;
  t.updated_at = now;
  t.first_response_at.reset();
  t.solved_at.reset();
  t.closed_at.reset();
  t.escalation_level = 0;
  out.original.updated_at = now;
  out.events.push_back({"ticket.split", original.number, actor.user_id, now,
                        {{"messages_moved", "", std::to_string(unique.size())}}, 0});
  return out;
}

std::vector<Event> SplitOffEvents(const Ticket& split_off, Id original, size_t moved, const Actor& actor, Instant now) {
  return {{"ticket.created", split_off.number, actor.user_id, now,
           {{"subject", "", split_off.subject}, {"status", "", std::string(Name(split_off.status))}, {"priority", "", split_off.priority}},
           0},
          {"ticket.split", split_off.number, actor.user_id, now,
           {{"split_from", "", Num(original)}, {"messages_moved", "", std::to_string(moved)}}, 0}};
}

std::string CaseNoticeText(CaseNotice notice, std::string_view language, Id a, Id b) {
  static const Texts kMergedInto = {
      {"en", "This request was merged into {b}, which continues the same case: follow it there."},
      {"pt-BR", "Esta solicitação foi unificada com {b}, que continua o mesmo caso: acompanhe por lá."},
      {"es", "Esta solicitud se fusionó con {b}, que continúa el mismo caso: síguela allí."},
      {"de", "Diese Anfrage wurde mit {b} zusammengeführt, die denselben Fall fortsetzt: Bitte verfolgen Sie sie dort."},
      {"ru", "Этот запрос объединён с {b}, где продолжается то же обращение: следите за ним там."}};
  static const Texts kMergedFrom = {
      {"en", "Request {b} was merged into this one; its messages are shown here."},
      {"pt-BR", "A solicitação {b} foi unificada com esta; as mensagens dela aparecem aqui."},
      {"es", "La solicitud {b} se fusionó con esta; sus mensajes se muestran aquí."},
      {"de", "Die Anfrage {b} wurde mit dieser zusammengeführt; ihre Nachrichten stehen hier."},
      {"ru", "Запрос {b} объединён с этим; его сообщения показаны здесь."}};
  static const Texts kUnmerged = {
      {"en", "The merge of {a} and {b} was undone; each request continues on its own."},
      {"pt-BR", "A unificação de {a} e {b} foi desfeita; cada solicitação segue separadamente."},
      {"es", "Se deshizo la fusión de {a} y {b}; cada solicitud continúa por separado."},
      {"de", "Die Zusammenführung von {a} und {b} wurde rückgängig gemacht; jede Anfrage läuft für sich weiter."},
      {"ru", "Объединение {a} и {b} отменено; каждый запрос продолжается отдельно."}};
  static const Texts kSplitInto = {
      {"en", "Some messages of this request were moved to a new request, {b}, to handle that subject on its own."},
      {"pt-BR", "Algumas mensagens desta solicitação foram movidas para uma nova solicitação, {b}, para tratar desse assunto separadamente."},
      {"es", "Algunos mensajes de esta solicitud se movieron a una nueva solicitud, {b}, para tratar ese tema por separado."},
      {"de", "Einige Nachrichten dieser Anfrage wurden in eine neue Anfrage, {b}, verschoben, um dieses Thema eigens zu behandeln."},
      {"ru", "Некоторые сообщения этого запроса перенесены в новый запрос {b}, чтобы решить этот вопрос отдельно."}};
  static const Texts kSplitFrom = {
      {"en", "This request was split from {b} to handle its subject on its own."},
      {"pt-BR", "Esta solicitação foi separada de {b} para tratar do assunto separadamente."},
      {"es", "Esta solicitud se separó de {b} para tratar su tema por separado."},
      {"de", "Diese Anfrage wurde von {b} abgetrennt, um ihr Thema eigens zu behandeln."},
      {"ru", "Этот запрос выделен из {b}, чтобы решить его вопрос отдельно."}};
  const Texts* texts = &kMergedInto;
  switch (notice) {
    case CaseNotice::kMergedInto: texts = &kMergedInto; break;
    case CaseNotice::kMergedFrom: texts = &kMergedFrom; break;
    case CaseNotice::kUnmerged: texts = &kUnmerged; break;
    case CaseNotice::kSplitInto: texts = &kSplitInto; break;
    case CaseNotice::kSplitFrom: texts = &kSplitFrom; break;
  }
  return Replace(TextFor(*texts, language), a, b);
}

}  // namespace chamado::core
