#include "app/mailgate.h"

#include <curl/curl.h>

#include <boost/json.hpp>
#include <istream>
#include <iterator>
#include <ostream>
#include <sstream>

namespace chamado::app {
namespace {

constexpr int kOk = 0, kUsage = 64, kDataErr = 65, kIoErr = 74, kTempFail = 75, kNoPerm = 77;

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// The server's explanation from an RFC 9457 problem, else the raw body.
std::string Explain(const std::string& body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (!ec && v.is_object()) {
    if (auto* d = v.as_object().if_contains("detail"); d && d->is_string()) return std::string(d->as_string());
    if (auto* t = v.as_object().if_contains("title"); t && t->is_string()) return std::string(t->as_string());
  }
  return body.substr(0, 500);
}

}  // namespace

int RunMailgate(const MailgateOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
  if (o.url.empty() || o.token.empty()) {
    err << "chamado mailgate: --url and --token are required\n";
    return kUsage;
  }
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    err << "chamado mailgate: cannot read the message from standard input\n";
    return kIoErr;
  }
  std::string url = o.url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += "/api/v1/mail/inbound";

  CURL* curl = curl_easy_init();
  if (!curl) {
    err << "chamado mailgate: cannot initialise libcurl\n";
    return kTempFail;
  }
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: message/rfc822");
  headers = curl_slist_append(headers, ("Authorization: Bearer " + o.token).c_str());
  headers = curl_slist_append(headers, "Expect:");
  if (!o.sender.empty() && o.sender.find_first_of("\r\n") == std::string::npos)
    headers = curl_slist_append(headers, ("X-Envelope-Sender: " + o.sender).c_str());
  std::string body;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, raw.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(raw.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, o.timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);

  if (rc != CURLE_OK) {
    err << "chamado mailgate: " << url << " is unreachable (" << curl_easy_strerror(rc) << "); the MTA should retry\n";
    return kTempFail;
  }
  if (status == 200 || status == 201) {
    out << body << "\n";
    return kOk;
  }
  std::string why = Explain(body);
  err << "chamado mailgate: the server answered " << status << ": " << why << "\n";
  if (status == 401 || status == 403) return kNoPerm;
  if (status == 400 || status == 413 || status == 415 || status == 422) return kDataErr;
  return kTempFail;  // 404 (wrong URL, proxy), 429, 5xx: the mail is not lost, the MTA retries
}

}  // namespace chamado::app
