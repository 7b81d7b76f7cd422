#include "mail/compose.h"

#include <re2/re2.h>

#include <algorithm>

#include <gmime/gmime.h>

#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>
#include <toml++/toml.h>

#include "core/text.h"
#include "mail/parse.h"

namespace chamado::mail {
namespace fs = std::filesystem;
namespace mustache = kainjow::mustache;

namespace {

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// <language>/labels.toml: tables of strings, one level deep.
Result<void> LoadLabels(const fs::path& file, const std::string& language, std::map<std::string, std::string>& out) {
  const std::string where = file.string();
  toml::table doc;
  try {
    doc = toml::parse(ReadFile(file), where);
  } catch (const toml::parse_error& e) {
    return Error::InvalidArgument(where + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
  for (const auto& [section, node] : doc) {
    const auto* table = node.as_table();
    if (!table)
      return Error::InvalidArgument(where + ": \"" + std::string(section.str()) + "\" must be a [section] of key = \"text\" lines.");
    for (const auto& [key, value] : *table) {
      const auto* text = value.as_string();
      if (!text)
        return Error::InvalidArgument(where + ":" + std::to_string(value.source().begin.line) + ": " + std::string(section.str()) +
                                      "." + std::string(key.str()) + " must be a string in quotes.");
      out[language + "/" + std::string(section.str()) + "." + std::string(key.str())] = text->get();
    }
  }
  return Ok();
}

}  // namespace

std::vector<std::string> MailTemplates::SubjectPrefixes() const {
  constexpr std::string_view kSubject = "{{{ticket.subject}}}";
  std::vector<std::string> out;
  for (const auto& [name, t] : templates_) {
    const std::string& subject = t.first;
    const size_t at = subject.find(kSubject);
    if (at == std::string::npos || at == 0) continue;
    // Literal text quoted; any other placeholder before the subject matches anything short.
    std::string pattern;
    std::string_view rest = std::string_view(subject).substr(0, at);
    while (!rest.empty()) {
      const size_t open = rest.find("{{");
      pattern += RE2::QuoteMeta(std::string(rest.substr(0, open)));
      if (open == std::string_view::npos) break;
      const size_t close = rest.find("}}", open);
      if (close == std::string_view::npos) break;
      pattern += ".{0,80}?";
      rest = rest.substr(close + (rest.substr(close).starts_with("}}}") ? 3 : 2));
    }
    if (std::find(out.begin(), out.end(), pattern) == out.end()) out.push_back(std::move(pattern));
  }
  return out;
}

Result<MailTemplates> MailTemplates::Load(const std::string& dir) {
  MailTemplates t;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return Error::InvalidArgument("[mail] templates_dir: " + dir + " is not a folder of <language>/<event>.txt templates.");
  for (const auto& lang : fs::directory_iterator(dir, ec)) {
    if (!lang.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(lang.path(), ec)) {
      if (file.path().filename() == "labels.toml") {
        CHAMADO_TRY(LoadLabels(file.path(), lang.path().filename().string(), t.labels_));
        continue;
      }
      if (file.path().extension() != ".txt") continue;
      std::string text = ReadFile(file.path());
      // Templates saved with Windows line ends work too.
      for (size_t at = text.find("\r\n"); at != std::string::npos; at = text.find("\r\n", at)) text.erase(at, 1);
      const std::string where = file.path().string();
      if (!IsValidUtf8(text)) return Error::InvalidArgument(where + ": not UTF-8 text.");
      if (!text.starts_with("Subject: "))
        return Error::InvalidArgument(where + ": the first line must be \"Subject: ...\", then an empty line, then the body.");
      auto nl = text.find('\n');
      if (nl == std::string::npos || text.compare(nl + 1, 1, "\n") != 0)
        return Error::InvalidArgument(where + ": the subject line must be followed by one empty line, then the body.");
      std::string subject(Trim(std::string_view(text).substr(9, nl - 9)));
      std::string body = text.substr(nl + 2);
      for (const auto* part : {&subject, &body}) {
        mustache::mustache m(*part);
        if (!m.is_valid()) return Error::InvalidArgument(where + ": " + m.error_message());
      }
      t.templates_[lang.path().filename().string() + "/" + file.path().stem().string()] = {subject, body};
    }
  }
  if (t.templates_.empty()) return Error::InvalidArgument("[mail] templates_dir: " + dir + " holds no <language>/<event>.txt templates.");
  return t;
}

bool MailTemplates::Has(const std::string& event) const { return templates_.count("en/" + event) > 0; }

std::string MailTemplates::Label(const std::string& language, const std::string& key) const {
  if (auto it = labels_.find(language + "/" + key); it != labels_.end()) return it->second;
  if (auto it = labels_.find("en/" + key); it != labels_.end()) return it->second;
  return key;
}

Result<MailTemplates::Rendered> MailTemplates::Render(const std::string& event, const std::string& language,
                                                      const Vars& vars) const {
  auto it = templates_.find(language + "/" + event);
  if (it == templates_.end()) it = templates_.find("en/" + event);
  if (it == templates_.end()) return Error::NotFound("There is no mail template for \"" + event + "\" (en/" + event + ".txt).");
  return RenderText(it->second.first, it->second.second, vars);
}

Result<MailTemplates::Rendered> MailTemplates::RenderText(const std::string& subject_template, const std::string& body_template,
                                                          const Vars& vars) {
  // "ticket.number" -> {ticket: {number: ...}}: Mustache resolves the dotted names.
  std::map<std::string, mustache::data> groups;
  mustache::data root{mustache::data::type::object};
  for (const auto& [key, value] : vars) {
    if (value.empty()) continue;  // so that {{#name}}...{{/name}} is skipped when it has no value
    auto dot = key.find('.');
    if (dot == std::string::npos) {
      root.set(key, value);
    } else {
      auto& g = groups[key.substr(0, dot)];
      if (!g.is_object()) g = mustache::data{mustache::data::type::object};
      g.set(key.substr(dot + 1), value);
    }
  }
  for (auto& [name, g] : groups) root.set(name, g);
  Rendered out;
  mustache::mustache subject(subject_template), body(body_template);
  if (!subject.is_valid()) return Error::InvalidArgument("The mail's subject is not a valid template: " + subject.error_message());
  if (!body.is_valid()) return Error::InvalidArgument("The mail's body is not a valid template: " + body.error_message());
  out.subject = subject.render(root);
  out.body = body.render(root);
  // A subject is one line.
  for (auto& c : out.subject)
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  return out;
}

std::optional<core::MailAddress> ParseMailbox(std::string_view text) {
  InitMail();
  std::string s(text);
  InternetAddressList* list = internet_address_list_parse(nullptr, s.c_str());
  if (!list) return std::nullopt;
  std::optional<core::MailAddress> out;
  if (internet_address_list_length(list) > 0) {
    InternetAddress* a = internet_address_list_get_address(list, 0);
    if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
      const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
      const char* name = internet_address_get_name(a);
      if (addr && std::string_view(addr).find('@') != std::string_view::npos)
        out = core::MailAddress{addr, name ? name : ""};
    }
  }
  g_object_unref(list);
  return out;
}

std::string ComposeMail(const OutgoingMail& m) {
  InitMail();
  GMimeMessage* message = g_mime_message_new(TRUE);
  g_mime_message_add_mailbox(message, GMIME_ADDRESS_TYPE_FROM, m.from.name.c_str(), m.from.address.c_str());
  g_mime_message_add_mailbox(message, GMIME_ADDRESS_TYPE_TO, m.to.name.c_str(), m.to.address.c_str());
  g_mime_message_set_subject(message, m.subject.c_str(), "utf-8");
  g_mime_message_set_message_id(message, m.message_id.c_str());
  GDateTime* date = g_date_time_new_from_unix_utc(ToUnixMillis(m.date) / 1000);
  g_mime_message_set_date(message, date);
  g_date_time_unref(date);
  GMimeObject* object = GMIME_OBJECT(message);
  if (!m.in_reply_to.empty()) g_mime_object_set_header(object, "In-Reply-To", ("<" + m.in_reply_to + ">").c_str(), nullptr);
  if (!m.references.empty()) {
    std::string refs;
    for (const auto& r : m.references) refs += (refs.empty() ? "<" : " <") + r + ">";
    g_mime_object_set_header(object, "References", refs.c_str(), nullptr);
  }
  // RFC 3834: machines must not answer machines; customers' out-of-office replies stay quiet.
  if (m.automatic) g_mime_object_set_header(object, "Auto-Submitted", "auto-generated", nullptr);
  g_mime_object_set_header(object, "X-Auto-Response-Suppress", "All", nullptr);
  if (m.ticket) g_mime_object_set_header(object, "X-Chamado-Ticket", std::to_string(m.ticket).c_str(), nullptr);

  GMimeTextPart* body = g_mime_text_part_new_with_subtype("plain");
  g_mime_text_part_set_text(body, m.body.c_str());  // UTF-8
  // 7-bit clean on the wire (quoted-printable when needed): any relay can carry it.
  g_mime_part_set_content_encoding(GMIME_PART(body),
                                   g_mime_part_get_best_content_encoding(GMIME_PART(body), GMIME_ENCODING_CONSTRAINT_7BIT));
  if (m.attachments.empty()) {
    g_mime_message_set_mime_part(message, GMIME_OBJECT(body));
  } else {
    GMimeMultipart* mixed = g_mime_multipart_new_with_subtype("mixed");
    g_mime_multipart_add(mixed, GMIME_OBJECT(body));
    for (const auto& a : m.attachments) {
      auto slash = a.content_type.find('/');
      std::string type = slash == std::string::npos ? "application" : a.content_type.substr(0, slash);
      std::string sub = slash == std::string::npos ? "octet-stream" : a.content_type.substr(slash + 1);
      GMimePart* part = g_mime_part_new_with_type(type.c_str(), sub.c_str());
      g_mime_part_set_filename(part, a.filename.c_str());  // RFC 2231 for names beyond ASCII
      g_mime_object_set_disposition(GMIME_OBJECT(part), GMIME_DISPOSITION_ATTACHMENT);
      GMimeStream* stream = g_mime_stream_mem_new_with_buffer(a.data.data(), a.data.size());
      GMimeDataWrapper* content = g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT);
      g_mime_part_set_content(part, content);
      g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
      g_object_unref(content);
      g_object_unref(stream);
      g_mime_multipart_add(mixed, GMIME_OBJECT(part));
      g_object_unref(part);
    }
    g_mime_message_set_mime_part(message, GMIME_OBJECT(mixed));
    g_object_unref(mixed);
  }
  g_object_unref(body);

  GMimeFormatOptions* format = g_mime_format_options_clone(nullptr);
  g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
  char* text = g_mime_object_to_string(object, format);
  std::string out = text ? text : "";
  g_free(text);
  g_mime_format_options_free(format);
  g_object_unref(message);
  return out;
}

}  // namespace chamado::mail
