// Files people send, wherever they send them (a ticket's message, a live conversation's): the
// checks an upload passes before its bytes are kept, and the one way a stored file is served.
#include "core/text.h"
#include "core/ticket.h"
#include "http/api_impl.h"
#include "http/multipart.h"

namespace chamado::http {

std::string CleanMediaType(std::string_view t) {
  if (t.empty() || t.size() > 100) return "application/octet-stream";
  const size_t slash = t.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == t.size()) return "application/octet-stream";
  for (char c : t)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '+' || c == '-' || c == '_'))
      return "application/octet-stream";
  return AsciiLower(t);
}

namespace {

// Types a browser would render or run: always served as downloads of opaque bytes.
bool IsActiveContent(std::string_view t) {
  return t == "text/html" || t == "application/xhtml+xml" || t == "image/svg+xml" || t == "text/xml" ||
         t == "application/xml" || t == "text/javascript" || t == "application/javascript" || t.find("script") != std::string_view::npos;
}

}  // namespace

Result<std::vector<core::Attachment>> Api::Impl::StoreUploads(const std::vector<FormPart>& parts) {
  std::vector<const FormPart*> files;
  for (const auto& p : parts) {
    if (!p.is_file) continue;
    if (p.data.empty() && p.filename == "attachment") continue;  // an empty file input
    if (p.data.size() > options.max_attachment_bytes)
      return Error::Said(ErrorCode::kTooLarge, "upload.too_large",
                         {{"file", p.filename}, {"mib", std::to_string(options.max_attachment_bytes / (1024 * 1024))}});
    if (files.size() >= core::kMaxAttachmentsPerMessage)
      return Error::InvalidSaid("attachments", "upload.too_many", {{"count", std::to_string(core::kMaxAttachmentsPerMessage)}});
    files.push_back(&p);
  }
  // Every file passed before any is kept: a refused upload leaves nothing behind.
  std::vector<core::Attachment> out;
  for (const FormPart* p : files) {
    CHAMADO_ASSIGN_OR_RETURN(std::string sha, blobs.Put(p->data));
    out.push_back({0, std::move(sha), p->filename, CleanMediaType(p->content_type), int64_t(p->data.size())});
  }
  return out;
}

Result<Response> Api::Impl::AttachmentResponse(const core::Attachment& a) {
  auto data = blobs.Get(a.sha256);
  if (!data.ok()) return std::move(data).error();
  Response res;
  res.body = std::move(*data);
  res.Set("Content-Type", IsActiveContent(a.content_type) ? "application/octet-stream" : a.content_type);
  // RFC 6266: an ASCII fallback and the UTF-8 name.
  std::string ascii, encoded;
  for (unsigned char ch : a.filename) {
    if ((ch & 0xC0) != 0x80) ascii += (ch >= 0x20 && ch < 0x7F && ch != '"' && ch != '\\') ? char(ch) : '_';
    if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') {
      encoded += char(ch);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      encoded += buf;
    }
  }
  res.Set("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded);
  res.Set("Content-Security-Policy", "default-src 'none'; sandbox");
  res.Set("Cache-Control", "private, max-age=3600");
  return res;
}

}  // namespace chamado::http
