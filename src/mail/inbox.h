// Mail in, shared by every door (the HTTP endpoint the mail gateway posts to, and the LMTP
// listener): parse, mask, store the original and the attachments, then thread it in one
// store transaction (store/mail_intake.h says how).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/secrets.h"
#include "store/blobs.h"
#include "store/mail_intake.h"
#include "store/store.h"

namespace chamado::mail {

struct InboxOptions {
  size_t max_message_bytes = 30 * 1024 * 1024;
  size_t max_attachment_bytes = 20 * 1024 * 1024;
  std::shared_ptr<const SecretMasker> masker;  // the defaults when empty
};

class Inbox {
 public:
  Inbox(store::Store& store, store::BlobStore& blobs, const core::Clock& clock, InboxOptions options);

  // Parses and prepares (on the caller's thread): the part that needs no transaction.
  Result<store::InboundMail> Prepare(std::string_view raw, std::string envelope_sender) const;

  // The write that threads and stores a prepared mail (for Store::Write, or WriteThen).
  std::function<Result<store::MailIntake>(store::Repo&)> Intake(store::InboundMail prepared) const;

  // Prepare, then Intake in the next group commit; waits for the commit (the LMTP listener).
  Result<store::MailIntake> Deliver(std::string_view raw, std::string envelope_sender);

 private:
  store::Store& store_;
  store::BlobStore& blobs_;
  const core::Clock& clock_;
  InboxOptions options_;
};

}  // namespace chamado::mail
