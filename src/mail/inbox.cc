#include "mail/inbox.h"

#include <re2/re2.h>

#include "mail/parse.h"

namespace chamado::mail {

Inbox::Inbox(store::Store& store, store::BlobStore& blobs, const core::Clock& clock, InboxOptions options)
    : store_(store), blobs_(blobs), clock_(clock), options_(std::move(options)) {
  if (!options_.masker) options_.masker = *SecretMasker::Make(SecretMasker::Defaults());
  if (!options_.own_subject_prefixes.empty()) {
    std::string any;
    for (const auto& p : options_.own_subject_prefixes) any += (any.empty() ? "" : "|") + p;
    own_prefix_ = std::make_shared<const RE2>("^\\s*(?:" + any + ")\\s*");
    if (!own_prefix_->ok()) own_prefix_.reset();  // the patterns are quoted text: this does not happen
  }
}

Result<store::InboundMail> Inbox::Prepare(std::string_view raw, std::string envelope_sender) const {
  if (raw.size() > options_.max_message_bytes)
    return Error::TooLarge("The email is " + std::to_string(raw.size() / (1024 * 1024)) + " MiB; Chamado accepts up to " +
                           std::to_string(options_.max_message_bytes / (1024 * 1024)) + " MiB ([mail] max_message_bytes).");
  if (raw.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return Error::Invalid("message", "The email is empty.");
  CHAMADO_ASSIGN_OR_RETURN(auto in, store::PrepareInboundMail(blobs_, *options_.masker, ParseMail(raw), raw,
                                                              std::move(envelope_sender), options_.max_attachment_bytes));
  // "Re: [#12] Request received: Printer jam", answered from another address, opens a ticket
  // called "Printer jam".
  if (own_prefix_) {
    std::string subject = core::CleanSubject(in.mail.subject);
    if (RE2::Replace(&subject, *own_prefix_, "")) in.subject = core::CleanSubject(subject);
  }
  return in;
}

std::function<Result<store::MailIntake>(store::Repo&)> Inbox::Intake(store::InboundMail prepared) const {
  auto in = std::make_shared<store::InboundMail>(std::move(prepared));
  return [in, policy = store_.policy(), masker = options_.masker, now = clock_.Now()](store::Repo& repo) {
    return store::IntakeMailCommand(repo, *policy, *masker, *in, now);
  };
}

Result<store::MailIntake> Inbox::Deliver(std::string_view raw, std::string envelope_sender) {
  CHAMADO_ASSIGN_OR_RETURN(auto in, Prepare(raw, std::move(envelope_sender)));
  return store_.WriteSync<store::MailIntake>(Intake(std::move(in)));
}

}  // namespace chamado::mail
