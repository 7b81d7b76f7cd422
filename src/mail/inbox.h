// Mail in, shared by every door (the HTTP endpoint the mail gateway posts to, and the LMTP
// listener): parse, mask, store the original and the attachments, then thread it in one
// store transaction (store/mail_intake.h says how).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/secrets.h"
#include "store/blobs.h"
#include "store/mail_intake.h"
#include "store/store.h"

namespace re2 {
class RE2;
}

namespace chamado::mail {

struct InboxOptions {
  size_t max_message_bytes = 30 * 1024 * 1024;
  size_t max_attachment_bytes = 20 * 1024 * 1024;
  std::shared_ptr<const SecretMasker> masker;  // the defaults when empty
  // What our own mail puts before a ticket's subject (MailTemplates::SubjectPrefixes): taken
  // off the subject of a ticket that a reply to our mail opens.
  std::vector<std::string> own_subject_prefixes;
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
  std::shared_ptr<const re2::RE2> own_prefix_;  // any of options_.own_subject_prefixes; null without
};

}  // namespace chamado::mail
