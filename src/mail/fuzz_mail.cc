// libFuzzer target: the mail ingestion path up to the store. Parsing (GMime, libxml2 for
// HTML), then what intake does with the text before storing it: masking secrets, the
// subject's ticket tag and clean form, where quoted history starts, and a composed reply.
// Build and run: ./scripts/fuzz mail [seconds] (clang, AddressSanitizer, UBSan).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/mail.h"
#include "core/secrets.h"
#include "core/text.h"
#include "mail/compose.h"
#include "mail/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace chamado;
  static const auto masker = *SecretMasker::Make(SecretMasker::Defaults());
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  core::ParsedMail m = mail::ParseMail(raw);
  if (!IsValidUtf8(m.subject) || !IsValidUtf8(m.body) || !IsValidUtf8(m.from.name)) __builtin_trap();
  for (const auto& a : m.attachments)
    if (a.filename.empty() || a.filename.find_first_of("/\\") != std::string::npos || !IsValidUtf8(a.filename)) __builtin_trap();
  auto body = masker->Mask(m.body);
  auto subject = masker->Mask(m.subject);
  (void)core::TicketTagIn(subject.text);
  (void)core::CleanSubject(subject.text);
  size_t q = core::QuotedHistoryStart(body.text);
  if (q != std::string_view::npos && q > body.text.size()) __builtin_trap();
  mail::OutgoingMail reply;
  reply.from = {"desk@example.com", "Desk"};
  reply.to = m.from.address.empty() ? core::MailAddress{"x@example.com", ""} : m.from;
  reply.subject = subject.text;
  reply.body = body.text;
  reply.message_id = "chamado.1.1.x@example.com";
  if (!m.message_id.empty() && m.message_id.find_first_of("<>\r\n ") == std::string::npos) reply.in_reply_to = m.message_id;
  (void)mail::ComposeMail(reply);
  return 0;
}
