// `chamado mail parse`: what an email looks like to Chamado, as JSON.
// `chamado mail reseal`: every stored original email sealed under the current key.
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>
#include <iterator>

#include "app/cli.h"
#include "mail/parse.h"
#include "store/blobs.h"

namespace chamado::app {
namespace {

std::string MailJson(const core::ParsedMail& m) {
  namespace json = boost::json;
  auto address = [](const core::MailAddress& a) { return json::object{{"address", a.address}, {"name", a.name}}; };
  json::array to, cc, refs, parts;
  for (const auto& a : m.to) to.push_back(address(a));
  for (const auto& a : m.cc) cc.push_back(address(a));
  for (const auto& r : m.references) refs.push_back(json::value(r));
  for (const auto& p : m.attachments)
    parts.push_back(json::object{{"filename", p.filename},
                                 {"content_type", p.content_type},
                                 {"content_id", p.content_id},
                                 {"inline", p.inline_part},
                                 {"size", p.data.size()}});
  json::object o{{"message_id", m.message_id},
                 {"in_reply_to", m.in_reply_to},
                 {"references", refs},
                 {"from", address(m.from)},
                 {"to", to},
                 {"cc", cc},
                 {"subject", m.subject},
                 {"language", m.language},
                 {"date", m.date ? json::value(FormatIsoUtc(*m.date)) : json::value(nullptr)},
                 {"automatic", core::Name(m.automatic)},
                 {"body_from_html", m.body_from_html},
                 {"body", m.body},
                 {"attachments", parts}};
  return json::serialize(o);
}

}  // namespace

void AddMailCommand(CommandLine& cl) {
  auto* mail = cl.app().add_subcommand("mail", "Inspect email as Chamado reads it");
  mail->require_subcommand(1);
  auto* parse = mail->add_subcommand("parse", "Parse one email from standard input and print what Chamado sees, as JSON");
  cl.OnRun(parse, [] {
    std::string raw((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    std::cout << MailJson(mail::ParseMail(raw)) << "\n";
    return 0;
  });

  auto* reseal = mail->add_subcommand(
      "reseal", "Seal every stored original email under [mail] original_key_file: those stored before a key was set, "
                "and those sealed with an older key (after it, the older key files can go); safe to run while serving "
                "and to run again");
  cl.AddDataOption(reseal);
  cl.OnRunInstalled(reseal, [](Installation& installation) {
    auto sealer = OriginalSealer(installation.config);
    if (!sealer.ok()) return Fail(sealer.error().message);
    if (!(*sealer)->sealing()) return Fail("No key is configured: set [mail] original_key_file (docs/operations.md) first.");
    store::BlobStore blobs((std::filesystem::path(installation.config.data) / "attachments").string());
    blobs.SetSealer(*sealer);
    auto names = installation.store->ReadOne<std::vector<std::string>>([](store::Repo& repo) { return repo.RawMailNames(); });
    if (!names.ok()) return Fail(names.error().message);
    int64_t sealed = 0, renamed = 0;
    for (const auto& name : *names) {
      // The sealed file is durable before the row names it; the plain one it replaces is
      // collected by retention once nothing names it.
      auto now_named = blobs.Reseal(name);
      if (!now_named.ok()) return Fail("original " + name + ": " + now_named.error().message);
      if (*now_named == name) {
        ++sealed;
        continue;
      }
      auto moved = installation.store->WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
        CHAMADO_TRY(repo.RenameRawMail(name, *now_named));
        return true;
      });
      if (!moved.ok()) return Fail(moved.error().message);
      ++renamed;
    }
    std::cout << "resealed " << names->size() << " original emails with key " << (*sealer)->KeyId() << " (" << renamed
              << " were stored unsealed, " << sealed << " were sealed)\n";
    return 0;
  });
}

}  // namespace chamado::app
