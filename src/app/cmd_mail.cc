// `chamado mail parse`: what an email looks like to Chamado, as JSON.
#include <boost/json.hpp>
#include <iostream>
#include <iterator>

#include "app/cli.h"
#include "mail/parse.h"

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
}

}  // namespace chamado::app
