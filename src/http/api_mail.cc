// Mail in over HTTP: the mail gateway (`chamado mailgate`) posts each email here.
#include "http/api_impl.h"
#include "core/text.h"
#include "mail/inbox.h"

namespace chamado::http {

using store::Repo;

json::object MailIntakeJson(const store::MailIntake& r) {
  json::object o{{"outcome", store::Name(r.outcome)},
                 {"ticket", r.ticket_number ? json::value(r.ticket_number) : json::value(nullptr)},
                 {"message", r.message_id ? json::value(r.message_id) : json::value(nullptr)},
                 {"linked_to", r.linked_to ? json::value(r.linked_to) : json::value(nullptr)},
                 {"automatic", core::Name(r.automatic)},
                 {"reason", r.reason}};
  return o;
}

void Api::Impl::InboundMail(Call c) {
  if (!options.inbox) return Fail(c, Error::NotFound("This server takes no mail."));
  auto type = AsciiLower(c.req.Header("content-type"));
  if (type.rfind("message/rfc822", 0) != 0)
    return Fail(c, Error::UnsupportedMediaType("Send the raw email as the body, with Content-Type: message/rfc822."));
  std::string sender(Trim(c.req.Header("x-envelope-sender")));
  if (sender.size() > 320 || HasControlChars(sender, false) || !IsValidUtf8(sender))
    return Fail(c, Error::Invalid("X-Envelope-Sender", "The envelope sender must be one address, at most 320 bytes."));
  auto prepared = options.inbox->Prepare(c.req.body, sender);
  if (!prepared.ok()) return Fail(c, prepared.error());
  WriteThen<store::MailIntake>(
      std::move(c), options.inbox->Intake(std::move(*prepared)), [](store::MailIntake& r) {
        return JsonResponse(r.outcome == store::MailIntake::Outcome::kOpened ? 201 : 200, MailIntakeJson(r));
      });
}

// The email a message came from, byte for byte (agents only: headers name internal hops).
void Api::Impl::GetOriginalMail(Call c) {
  auto id = PathId(c, 0, "Message");
  if (!id.ok()) return Fail(c, id.error());
  auto sha = Read<std::string>([&](Repo& repo) -> Result<std::string> {
    CHAMADO_ASSIGN_OR_RETURN(auto raw, repo.RawMailOf(*id));
    if (!raw) return Error::Said(ErrorCode::kNotFound, "mail.no_original", {{"id", std::to_string(*id)}});
    return *raw;
  });
  if (!sha.ok()) return Fail(c, sha.error());
  auto data = blobs.GetOriginal(*sha);
  if (!data.ok()) return Fail(c, data.error());
  Response res;
  res.body = std::move(*data);
  res.Set("Content-Type", "message/rfc822");
  res.Set("Content-Disposition", "attachment; filename=\"message-" + std::to_string(*id) + ".eml\"");
  res.Set("Content-Security-Policy", "default-src 'none'; sandbox");
  res.Set("Cache-Control", "private, max-age=3600");
  c.reply(std::move(res));
}

}  // namespace chamado::http
