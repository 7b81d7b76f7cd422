#include "mail/inbox.h"

#include "mail/parse.h"

namespace chamado::mail {

Inbox::Inbox(store::Store& store, store::BlobStore& blobs, const core::Clock& clock, InboxOptions options)
    : store_(store), blobs_(blobs), clock_(clock), options_(std::move(options)) {
  if (!options_.masker) options_.masker = *SecretMasker::Make(SecretMasker::Defaults());
}

Result<store::InboundMail> Inbox::Prepare(std::string_view raw, std::string envelope_sender) const {
  if (raw.size() > options_.max_message_bytes)
    return Error::TooLarge("The email is " + std::to_string(raw.size() / (1024 * 1024)) + " MiB; Chamado accepts up to " +
                           std::to_string(options_.max_message_bytes / (1024 * 1024)) + " MiB ([mail] max_message_bytes).");
  if (raw.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return Error::Invalid("message", "The email is empty.");
  return store::PrepareInboundMail(blobs_, *options_.masker, ParseMail(raw), raw, std::move(envelope_sender),
                                   options_.max_attachment_bytes);
}

Result<store::MailIntake> Inbox::Deliver(std::string_view raw, std::string envelope_sender) {
  CHAMADO_ASSIGN_OR_RETURN(auto in, Prepare(raw, std::move(envelope_sender)));
  auto prepared = std::make_shared<store::InboundMail>(std::move(in));
  auto policy = store_.policy();
  const Instant now = clock_.Now();
  return store_.WriteSync<store::MailIntake>(
      [prepared, policy, now](store::Repo& repo) { return store::IntakeMailCommand(repo, *policy, *prepared, now); });
}

void Inbox::DeliverAsync(std::string_view raw, std::string envelope_sender,
                         std::function<void(Result<store::MailIntake>)> done) {
  auto in = Prepare(raw, std::move(envelope_sender));
  if (!in.ok()) return done(in.error());
  auto prepared = std::make_shared<store::InboundMail>(std::move(*in));
  auto policy = store_.policy();
  const Instant now = clock_.Now();
  store_.Write<store::MailIntake>(
      [prepared, policy, now](store::Repo& repo) { return store::IntakeMailCommand(repo, *policy, *prepared, now); },
      std::move(done));
}

}  // namespace chamado::mail
