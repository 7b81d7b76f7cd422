#include "mail/parse.h"

#include <gmime/gmime.h>
#include <iconv.h>
#include <libxml/parser.h>

#include <algorithm>
#include <cerrno>
#include <mutex>

#include "core/text.h"

namespace chamado::mail {
namespace {

using core::AutoKind;
using core::MailAddress;
using core::MailPart;
using core::ParsedMail;

// Malformed mail nests without end; a help desk needs neither more depth nor more parts.
constexpr int kMaxDepth = 24;
constexpr size_t kMaxParts = 500;

GMimeParserOptions* g_options = nullptr;

// Unref on scope exit.
template <typename T>
struct Ref {
  T* p;
  explicit Ref(T* ptr) : p(ptr) {}
  ~Ref() {
    if (p) g_object_unref(p);
  }
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
};

std::string Lower(std::string_view s) { return AsciiLower(s); }

bool EqualsNoCase(const char* a, std::string_view b) { return a && Lower(a) == b; }

// Valid UTF-8 with Unix line ends and no control characters but tab and newline.
std::string CleanText(std::string_view in) {
  std::string s;
  if (IsValidUtf8(in)) {
    s.assign(in);
  } else {
    char* valid = g_utf8_make_valid(in.data(), static_cast<gssize>(in.size()));
    s = valid;
    g_free(valid);
  }
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else if (c < 0x20 && c != '\n' && c != '\t') {
      continue;
    } else if (c == 0x7f) {
      continue;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Bytes in a declared charset to UTF-8; undecodable bytes become U+FFFD. Unknown or absent
// charsets: UTF-8 when the bytes are valid UTF-8, else the parser's fallback charsets.
std::string ToUtf8(std::string_view bytes, const char* charset) {
  // Mislabelled mail is common: bytes that are valid UTF-8 and not plain ASCII are UTF-8
  // whatever the label says (text in another 8-bit charset almost never forms valid UTF-8).
  bool ascii = std::all_of(bytes.begin(), bytes.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  bool utf8 = !charset || (!ascii && IsValidUtf8(bytes)) || EqualsNoCase(charset, "utf-8") || EqualsNoCase(charset, "utf8") ||
              EqualsNoCase(charset, "us-ascii") || EqualsNoCase(charset, "ascii");
  if (!utf8) {
    iconv_t cd = g_mime_iconv_open("UTF-8", charset);
    if (cd != reinterpret_cast<iconv_t>(-1)) {
      std::string out;
      out.resize(bytes.size() * 2 + 16);
      char* in = const_cast<char*>(bytes.data());
      size_t in_left = bytes.size();
      size_t done = 0;
      while (in_left > 0) {
        char* out_ptr = out.data() + done;
        size_t out_left = out.size() - done;
        size_t rc = iconv(cd, &in, &in_left, &out_ptr, &out_left);
        done = static_cast<size_t>(out_ptr - out.data());
        if (rc != static_cast<size_t>(-1)) break;
        if (errno == E2BIG) {
          out.resize(out.size() * 2);
        } else {  // EILSEQ or EINVAL: replace one byte and go on
          if (out.size() - done < 3) out.resize(out.size() * 2);
          out.replace(done, 3, "\xEF\xBF\xBD");
          done += 3;
          ++in;
          --in_left;
        }
      }
      g_mime_iconv_close(cd);
      out.resize(done);
      return CleanText(out);
    }
  }
  if (IsValidUtf8(bytes)) return CleanText(bytes);
  std::string copy(bytes);
  char* decoded = g_mime_utils_decode_8bit(g_options, copy.c_str(), copy.size());
  std::string out = decoded ? decoded : "";
  g_free(decoded);
  return CleanText(out);
}

std::string CollapseSpaces(std::string_view in) {
  std::string out;
  bool space = false;
  for (char c : CleanText(in)) {
    if (c == ' ' || c == '\t' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Line ends trimmed of spaces, blank lines at both ends removed.
std::string TidyBody(std::string_view text) {
  std::string out;
  size_t at = 0;
  while (at <= text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(at, end - at);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (!out.empty() || !line.empty()) {
      out += line;
      out += '\n';
    }
    if (end == text.size()) break;
    at = end + 1;
  }
  while (!out.empty() && (out.back() == '\n')) out.pop_back();
  return out;
}

// Mail clients split a multi-byte character across two encoded words (RFC 2047 forbids it,
// and decoders then drop the rest). Adjacent words of one charset and encoding are merged
// into one before decoding: Q words by joining their text, B words by joining their bytes.
std::string MergeEncodedWords(std::string_view in) {
  struct Word {
    size_t begin, end;  // in `in`
    std::string charset, encoding, text;
  };
  std::vector<Word> words;
  for (size_t at = in.find("=?"); at != std::string_view::npos; at = in.find("=?", at + 2)) {
    size_t q1 = in.find('?', at + 2);
    if (q1 == std::string_view::npos || q1 + 2 >= in.size() || in[q1 + 2] != '?') continue;
    size_t end = in.find("?=", q1 + 3);
    if (end == std::string_view::npos) break;
    std::string enc(1, static_cast<char>(std::toupper(static_cast<unsigned char>(in[q1 + 1]))));
    if (enc != "B" && enc != "Q") continue;
    words.push_back({at, end + 2, AsciiLower(in.substr(at + 2, q1 - at - 2)), enc, std::string(in.substr(q1 + 3, end - q1 - 3))});
    at = end;
  }
  if (words.size() < 2) return std::string(in);
  std::string out;
  size_t copied = 0;
  for (size_t i = 0; i < words.size();) {
    size_t j = i + 1;
    while (j < words.size() && words[j].charset == words[i].charset && words[j].encoding == words[i].encoding &&
           in.substr(words[j - 1].end, words[j].begin - words[j - 1].end).find_first_not_of(" \t\r\n") == std::string_view::npos)
      ++j;
    out.append(in.substr(copied, words[i].begin - copied));
    if (j == i + 1) {
      out.append(in.substr(words[i].begin, words[i].end - words[i].begin));
    } else if (words[i].encoding == "Q") {
      out += "=?" + words[i].charset + "?Q?";
      for (size_t k = i; k < j; ++k) out += words[k].text;
      out += "?=";
    } else {
      std::string bytes;
      for (size_t k = i; k < j; ++k) {
        gsize len = 0;
        std::string text = words[k].text;
        guchar* decoded = g_base64_decode(text.c_str(), &len);
        bytes.append(reinterpret_cast<const char*>(decoded), len);
        g_free(decoded);
      }
      gchar* encoded = g_base64_encode(reinterpret_cast<const guchar*>(bytes.data()), bytes.size());
      out += "=?" + words[i].charset + "?B?" + encoded + "?=";
      g_free(encoded);
    }
    copied = words[j - 1].end;
    i = j;
  }
  out.append(in.substr(copied));
  return out;
}

const char* FirstRawHeader(GMimeObject* object, const char* name) {
  GMimeHeaderList* list = g_mime_object_get_header_list(object);
  int n = g_mime_header_list_get_count(list);
  for (int i = 0; i < n; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
    if (g_ascii_strcasecmp(g_mime_header_get_name(h), name) == 0) return g_mime_header_get_raw_value(h);
  }
  return nullptr;
}

std::string HeaderValue(GMimeObject* object, const char* name) {
  const char* v = g_mime_object_get_header(object, name);
  return v ? std::string(Trim(v)) : std::string();
}

void CollectMailboxes(InternetAddressList* list, std::vector<MailAddress>& out) {
  if (!list) return;
  int n = internet_address_list_length(list);
  for (int i = 0; i < n && out.size() < 200; ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(a)) {
      CollectMailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), out);
    } else if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
      const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
      if (!addr || !*addr) continue;
      std::string address = NormalizeEmail(CleanText(addr));
      if (address.find('@') == std::string::npos) continue;
      const char* name = internet_address_get_name(a);
      out.push_back({std::move(address), name ? CollapseSpaces(name) : std::string()});
    }
  }
}

std::vector<MailAddress> ParseAddresses(const char* raw) {
  std::vector<MailAddress> out;
  if (!raw) return out;
  InternetAddressList* list = internet_address_list_parse(g_options, raw);
  if (list) {
    CollectMailboxes(list, out);
    g_object_unref(list);
  }
  return out;
}

std::string StripBrackets(std::string_view id) {
  id = Trim(id);
  if (id.starts_with('<')) id.remove_prefix(1);
  if (id.ends_with('>')) id.remove_suffix(1);
  return CollapseSpaces(id);
}

std::vector<std::string> ParseIds(const char* raw) {
  std::vector<std::string> out;
  if (!raw) return out;
  GMimeReferences* refs = g_mime_references_parse(g_options, raw);
  if (refs) {
    int n = g_mime_references_length(refs);
    for (int i = 0; i < n && out.size() < 500; ++i) out.push_back(CleanText(g_mime_references_get_message_id(refs, i)));
    g_mime_references_free(refs);
  }
  if (out.empty()) {
    auto id = StripBrackets(raw);
    if (!id.empty() && id.find(' ') == std::string::npos) out.push_back(std::move(id));
  }
  return out;
}

std::string Extension(std::string_view content_type) {
  static const std::pair<std::string_view, std::string_view> kKnown[] = {
      {"image/png", ".png"},   {"image/jpeg", ".jpg"},       {"image/gif", ".gif"},   {"image/webp", ".webp"},
      {"image/bmp", ".bmp"},   {"application/pdf", ".pdf"},  {"text/plain", ".txt"},  {"text/html", ".html"},
      {"text/csv", ".csv"},    {"text/calendar", ".ics"},    {"message/rfc822", ".eml"},
      {"application/zip", ".zip"}, {"message/delivery-status", ".txt"}, {"text/rfc822-headers", ".txt"}};
  for (const auto& [type, ext] : kKnown)
    if (type == content_type) return std::string(ext);
  return ".bin";
}

// A file name safe to show and to offer for download: the last path component, no control
// characters, no leading dots, at most 200 bytes of whole UTF-8 characters.
std::string SafeFilename(std::string_view raw, std::string_view content_type, size_t index) {
  std::string name = CollapseSpaces(raw);
  auto slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name.erase(0, slash + 1);
  name.erase(0, std::min(name.find_first_not_of(". "), name.size()));
  if (name.size() > 200) {
    size_t cut = 200;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
    name.resize(cut);
  }
  if (name.empty()) name = "attachment-" + std::to_string(index) + Extension(content_type);
  return name;
}

std::string BytesOf(GMimeStream* mem) {
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
  return bytes ? std::string(reinterpret_cast<const char*>(bytes->data), bytes->len) : std::string();
}

std::string DecodedContent(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return {};
  Ref<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, mem.p);
  return BytesOf(mem.p);
}

std::string ContentTypeOf(GMimeObject* object) {
  GMimeContentType* ct = g_mime_object_get_content_type(object);
  if (!ct) return "application/octet-stream";
  const char* type = g_mime_content_type_get_media_type(ct);
  const char* sub = g_mime_content_type_get_media_subtype(ct);
  if (!type || !sub || !*type || !*sub) return "application/octet-stream";
  return Lower(type) + "/" + Lower(sub);
}

class Walker {
 public:
  explicit Walker(ParsedMail& out) : out_(out) {}

  enum class Role { kBody, kAttachmentsOnly };

  void Walk(GMimeObject* object, Role role, int depth) {
    if (!object || depth > kMaxDepth || parts_ >= kMaxParts) return;
    ++parts_;
    if (GMIME_IS_MESSAGE_PART(object)) {
      EmbeddedMessage(GMIME_MESSAGE_PART(object));
    } else if (GMIME_IS_MULTIPART(object)) {
      Multipart(GMIME_MULTIPART(object), role, depth);
    } else if (GMIME_IS_PART(object)) {
      Leaf(GMIME_PART(object), role);
    }
  }

  std::string Body() {
    std::string body;
    for (auto& t : texts_) {
      auto tidy = TidyBody(t);
      if (tidy.empty()) continue;
      if (!body.empty()) body += "\n\n";
      body += tidy;
    }
    return body;
  }
  bool body_from_html = false;
  bool delivery_status = false;

 private:
  void Multipart(GMimeMultipart* multipart, Role role, int depth) {
    std::string type = ContentTypeOf(GMIME_OBJECT(multipart));
    int n = g_mime_multipart_get_count(multipart);
    if (type == "multipart/alternative" && role == Role::kBody) {
      int chosen = ChooseAlternative(multipart);
      for (int i = 0; i < n; ++i) Walk(g_mime_multipart_get_part(multipart, i), i == chosen ? Role::kBody : Role::kAttachmentsOnly, depth + 1);
      return;
    }
    if (type == "multipart/related") {
      int root = RelatedRoot(multipart);
      for (int i = 0; i < n; ++i) Walk(g_mime_multipart_get_part(multipart, i), i == root ? role : Role::kAttachmentsOnly, depth + 1);
      return;
    }
    for (int i = 0; i < n; ++i) Walk(g_mime_multipart_get_part(multipart, i), role, depth + 1);
  }

  // The text/plain part when it says something, else the HTML one, else the first other.
  static int ChooseAlternative(GMimeMultipart* multipart) {
    int n = g_mime_multipart_get_count(multipart);
    int html = -1, other = -1;
    for (int i = 0; i < n; ++i) {
      GMimeObject* child = g_mime_multipart_get_part(multipart, i);
      std::string type = ContentTypeOf(child);
      if (type == "text/plain" && GMIME_IS_PART(child)) {
        auto text = DecodedContent(GMIME_PART(child));
        if (!Trim(text).empty()) return i;
      } else if (type == "text/html" && html < 0) {
        html = i;
      } else if (GMIME_IS_MULTIPART(child) && other < 0) {
        other = i;
      }
    }
    if (other >= 0 && (html < 0 || other > html)) return other;  // the richest version is last
    return html >= 0 ? html : other;
  }

  static int RelatedRoot(GMimeMultipart* multipart) {
    const char* start = g_mime_object_get_content_type_parameter(GMIME_OBJECT(multipart), "start");
    if (start) {
      std::string want = StripBrackets(start);
      int n = g_mime_multipart_get_count(multipart);
      for (int i = 0; i < n; ++i) {
        const char* cid = g_mime_object_get_content_id(g_mime_multipart_get_part(multipart, i));
        if (cid && want == cid) return i;
      }
    }
    return 0;
  }

  void Leaf(GMimePart* part, Role role) {
    GMimeObject* object = GMIME_OBJECT(part);
    std::string type = ContentTypeOf(object);
    if (type == "message/delivery-status" || type == "message/global-delivery-status") delivery_status = true;
    const char* filename = g_mime_part_get_filename(part);
    GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object);
    bool attachment = disposition && g_mime_content_disposition_is_attachment(disposition);
    const bool named = filename && *filename;
    // Another rendering of the same text (an alternative's other parts, a page's styles).
    if (role == Role::kAttachmentsOnly && type.starts_with("text/") && !attachment && !named) return;
    bool text = type == "text/plain" || type == "text/html";
    if (text && !attachment && !named) {
      auto bytes = DecodedContent(part);
      auto decoded = ToUtf8(bytes, g_mime_object_get_content_type_parameter(object, "charset"));
      if (type == "text/html") {
        if (texts_.empty()) body_from_html = true;
        texts_.push_back(HtmlToText(decoded));
      } else {
        texts_.push_back(std::move(decoded));
      }
      return;
    }
    MailPart p;
    p.content_type = type;
    p.data = DecodedContent(part);
    if (type == "text/rfc822-headers") ReturnedHeaders(p.data);
    const char* cid = g_mime_object_get_content_id(object);
    if (cid && *cid) p.content_id = CleanText(cid);
    bool disposition_inline = disposition && !attachment;
    p.inline_part = !attachment && (!p.content_id.empty() || (disposition_inline && type.starts_with("image/")));
    p.filename = SafeFilename(filename ? filename : "", type, out_.attachments.size() + 1);
    out_.attachments.push_back(std::move(p));
  }

  // The headers of a returned message (in a delivery report).
  void ReturnedHeaders(const std::string& headers) {
    std::string text = headers + "\r\n\r\n";
    Ref<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(text.data(), text.size()));
    Ref<GMimeParser> parser(g_mime_parser_new_with_stream(stream.p));
    Ref<GMimeMessage> message(g_mime_parser_construct_message(parser.p, g_options));
    if (message.p && g_mime_message_get_message_id(message.p))
      out_.returned_ids.push_back(CleanText(g_mime_message_get_message_id(message.p)));
  }

  void EmbeddedMessage(GMimeMessagePart* part) {
    GMimeMessage* inner = g_mime_message_part_get_message(part);
    if (inner && g_mime_message_get_message_id(inner))
      out_.returned_ids.push_back(CleanText(g_mime_message_get_message_id(inner)));
    MailPart p;
    p.content_type = "message/rfc822";
    if (inner) {
      Ref<GMimeStream> mem(g_mime_stream_mem_new());
      g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, mem.p);
      p.data = BytesOf(mem.p);
    }
    const char* filename = g_mime_object_get_content_disposition_parameter(GMIME_OBJECT(part), "filename");
    std::string name = filename ? filename : "";
    if (name.empty() && inner && g_mime_message_get_subject(inner)) {
      name = CollapseSpaces(g_mime_message_get_subject(inner));
      if (!name.empty()) name += ".eml";
    }
    p.filename = SafeFilename(name, p.content_type, out_.attachments.size() + 1);
    out_.attachments.push_back(std::move(p));
  }

  ParsedMail& out_;
  std::vector<std::string> texts_;
  size_t parts_ = 0;
};

AutoKind DetectAutomatic(GMimeObject* message, GMimeObject* top, const ParsedMail& mail, bool delivery_status) {
  std::string type = top ? ContentTypeOf(top) : std::string();
  const char* report = top ? g_mime_object_get_content_type_parameter(top, "report-type") : nullptr;
  if (delivery_status || (type == "multipart/report" && EqualsNoCase(report, "delivery-status")) ||
      !HeaderValue(message, "X-Failed-Recipients").empty())
    return AutoKind::kBounce;
  auto local = mail.from.address.substr(0, mail.from.address.find('@'));
  if (local == "mailer-daemon" || local == "postmaster") {
    auto subject = Lower(mail.subject);
    for (std::string_view s : {"undeliver", "delivery status", "failure notice", "returned mail", "delivery failure",
                               "não entregue", "falha na entrega", "unzustellbar", "no se pudo entregar"})
      if (subject.find(s) != std::string::npos) return AutoKind::kBounce;
  }
  auto submitted = Lower(HeaderValue(message, "Auto-Submitted"));
  if (!submitted.empty() && submitted != "no") return AutoKind::kAutoReply;
  if (!HeaderValue(message, "X-Autoreply").empty() || !HeaderValue(message, "X-Autorespond").empty() ||
      !HeaderValue(message, "X-Autogenerated").empty())
    return AutoKind::kAutoReply;
  auto precedence = Lower(HeaderValue(message, "Precedence"));
  if (precedence == "bulk" || precedence == "auto_reply" || precedence == "junk" || precedence == "list")
    return AutoKind::kAutoReply;
  return AutoKind::kNone;
}

}  // namespace

void InitMail() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_mime_init();
    xmlInitParser();
    g_options = g_mime_parser_options_new();
    g_mime_parser_options_set_rfc2047_compliance_mode(g_options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(g_options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(g_options, GMIME_RFC_COMPLIANCE_LOOSE);
    static const char* fallback[] = {"UTF-8", "windows-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(g_options, fallback);
  });
}

ParsedMail ParseMail(std::string_view raw) {
  InitMail();
  ParsedMail mail;
  // Some senders start with blank or whitespace-only lines; the headers come after them.
  while (!raw.empty()) {
    size_t nl = raw.find('\n');
    if (nl == std::string_view::npos || raw.substr(0, nl).find_first_not_of(" \t\r") != std::string_view::npos) break;
    raw.remove_prefix(nl + 1);
  }
  Ref<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  Ref<GMimeParser> parser(g_mime_parser_new_with_stream(stream.p));
  g_mime_parser_set_format(parser.p, GMIME_FORMAT_MESSAGE);
  Ref<GMimeMessage> message(g_mime_parser_construct_message(parser.p, g_options));
  if (!message.p) return mail;
  GMimeObject* object = GMIME_OBJECT(message.p);

  if (const char* id = g_mime_message_get_message_id(message.p)) mail.message_id = CleanText(id);
  if (mail.message_id.empty()) {
    auto ids = ParseIds(FirstRawHeader(object, "Message-ID"));
    if (!ids.empty()) mail.message_id = ids.front();
  }
  auto in_reply_to = ParseIds(FirstRawHeader(object, "In-Reply-To"));
  if (!in_reply_to.empty()) mail.in_reply_to = in_reply_to.front();
  mail.references = ParseIds(FirstRawHeader(object, "References"));

  for (const char* header : {"From", "Sender", "Reply-To", "Return-Path"}) {
    auto addresses = ParseAddresses(FirstRawHeader(object, header));
    if (!addresses.empty()) {
      mail.from = std::move(addresses.front());
      break;
    }
  }
  CollectMailboxes(g_mime_message_get_addresses(message.p, GMIME_ADDRESS_TYPE_TO), mail.to);
  CollectMailboxes(g_mime_message_get_addresses(message.p, GMIME_ADDRESS_TYPE_CC), mail.cc);
  if (const char* raw_subject = FirstRawHeader(object, "Subject")) {
    std::string merged = MergeEncodedWords(raw_subject);
    char* decoded = g_mime_utils_header_decode_text(g_options, merged.c_str());
    mail.subject = CollapseSpaces(decoded ? decoded : "");
    g_free(decoded);
  }
  if (GDateTime* date = g_mime_message_get_date(message.p))
    mail.date = FromUnixMillis(g_date_time_to_unix(date) * 1000);

  Walker walker(mail);
  GMimeObject* top = g_mime_message_get_mime_part(message.p);
  // Content-* headers belong to the top part in GMime.
  mail.language = core::DeskLanguage(HeaderValue(top ? top : object, "Content-Language"));
  walker.Walk(top, Walker::Role::kBody, 0);
  mail.body = walker.Body();
  mail.body_from_html = walker.body_from_html;
  mail.automatic = DetectAutomatic(object, top, mail, walker.delivery_status);
  if (mail.automatic != AutoKind::kBounce) mail.returned_ids.clear();  // a forward is no bounce
  return mail;
}

}  // namespace chamado::mail
