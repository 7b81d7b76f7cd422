#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "http/api.h"
#include "http/json_in.h"
#include "http/multipart.h"
#include "http/problem.h"

namespace chamado::http {
namespace {
namespace json = boost::json;

TEST(OpenApi, DocumentsExactlyTheRoutes) {
  std::ifstream in(CHAMADO_OPENAPI_PATH);
  std::stringstream ss;
  ss << in.rdbuf();
  const json::value doc = json::parse(ss.str());
  ASSERT_EQ(doc.at("openapi").as_string(), "3.1.0");
  std::set<std::string> documented, served;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      std::string m(method);
      for (auto& ch : m) ch = char(std::toupper(static_cast<unsigned char>(ch)));
      documented.insert(m + " " + std::string(path));
      EXPECT_TRUE(op.as_object().contains("responses")) << m << " " << path;
    }
  }
  for (const auto& r : Api::Routes()) served.insert(r.method + " " + r.pattern);
  for (const auto& s : served) EXPECT_TRUE(documented.count(s)) << "not documented: " << s;
  for (const auto& d : documented) EXPECT_TRUE(served.count(d)) << "documented but not served: " << d;
}

TEST(Problem, StatusTable) {
  const std::pair<ErrorCode, int> rows[] = {
      {ErrorCode::kInvalidArgument, 400}, {ErrorCode::kUnauthenticated, 401}, {ErrorCode::kPermissionDenied, 403},
      {ErrorCode::kNotFound, 404},        {ErrorCode::kConflict, 409},        {ErrorCode::kTooLarge, 413},
      {ErrorCode::kUnsupportedMediaType, 415}, {ErrorCode::kRateLimited, 429}, {ErrorCode::kInternal, 500},
      {ErrorCode::kUnavailable, 503}, {ErrorCode::kStorageFull, 503}};
  for (auto [code, status] : rows) EXPECT_EQ(HttpStatus(code), status) << ErrorCodeName(code);
}

TEST(Problem, BodyCarriesDetailAndFields) {
  Error e = Error::Invalid("subject", "The subject is empty.");
  Response r = ProblemResponse(e, "/api/v1/tickets");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Get("Content-Type"), "application/problem+json");
  auto v = json::parse(r.body).as_object();
  EXPECT_EQ(v.at("detail").as_string(), "The subject is empty.");
  EXPECT_EQ(v.at("errors").as_array().at(0).at("field").as_string(), "subject");
  EXPECT_EQ(v.at("instance").as_string(), "/api/v1/tickets");
}

TEST(Problem, InternalDetailIsNotLeaked) {
  Response r = ProblemResponse(Error::Internal("SQLite: no such table secret_stuff"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret_stuff"), std::string::npos);
}

TEST(RunHandler, AThrowingHandlerStillAnswersOnceWithAProblem) {
  std::vector<Response> answers;
  RunHandler([](Reply) { throw std::runtime_error("database is on fire"); },
             [&](Response r) { answers.push_back(std::move(r)); }, "/api/v1/tickets");
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].status, 500);
  EXPECT_EQ(answers[0].Get("Content-Type"), "application/problem+json");
  auto v = json::parse(answers[0].body).as_object();
  EXPECT_EQ(v.at("instance").as_string(), "/api/v1/tickets");
  EXPECT_EQ(answers[0].body.find("on fire"), std::string::npos);  // the detail stays in the log
}

TEST(RunHandler, AnAnswerBeforeTheThrowIsTheOnlyOne) {
  std::vector<Response> answers;
  RunHandler(
      [](Reply reply) {
        Response ok;
        ok.status = 201;
        reply(std::move(ok));
        throw std::runtime_error("late failure");
      },
      [&](Response r) { answers.push_back(std::move(r)); }, "/x");
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].status, 201);
}

TEST(RunHandler, AnswersAfterTheFirstAreDropped) {
  std::vector<Response> answers;
  Reply kept;
  RunHandler(
      [&](Reply reply) {
        kept = reply;  // as an asynchronous handler keeps it
        reply(Response{});
      },
      [&](Response r) { answers.push_back(std::move(r)); }, "/x");
  kept(Response{});
  EXPECT_EQ(answers.size(), 1u);
}

std::vector<std::string> FieldsOf(const Error& e) {
  std::vector<std::string> out;
  for (const auto& f : e.fields) out.push_back(f.field);
  return out;
}

// A handler reads the types, the store checks the values: the answer lists both as if one
// reader had checked field by field.
TEST(Fields, MergedProblemsTakeTheirFieldsPlace) {
  const json::object body = json::parse(R"({"extra": 1, "name": "", "plan": 5, "language": "fr"})").as_object();
  Fields f(body, {"name", "plan", "language", "notes"});
  (void)f.Str("name");
  (void)f.Str("plan");
  (void)f.Str("language");
  (void)f.Str("notes");
  f.Merge({{"language", "Unsupported language."},
           {"language", "Another language problem."},
           {"plan", "Not twice."},
           {"name", "Must not be empty."}});
  auto r = f.Finish();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(FieldsOf(r.error()), (std::vector<std::string>{"extra", "name", "plan", "language", "language"}));
  EXPECT_EQ(r.error().fields[2].message, "The field \"plan\" must be a string.") << "a wrong type says enough";
  EXPECT_EQ(r.error().fields[3].message, "Unsupported language.");
  EXPECT_EQ(r.error().fields[4].message, "Another language problem.");
  EXPECT_EQ(r.error().message.substr(r.error().message.find(" (and")), " (and 4 more problem(s), listed in errors)");
}

TEST(Fields, ErrorsFoundLaterStayLater) {
  const json::object body = json::parse(R"({"a": 1, "b": "x"})").as_object();
  Fields f(body, {"a", "b"});
  (void)f.Str("a");
  (void)f.Int("b");
  f.Fail("a", "A again, after b.");
  auto r = f.Finish();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(FieldsOf(r.error()), (std::vector<std::string>{"a", "b", "a"}));
}

// Boost.JSON reads 1e400 as infinity, which it then writes as `Infinity`, not JSON: a body
// holding such a number anywhere is refused, naming where (found by fuzz_body).
TEST(ParseJsonObject, ANumberBeyondADoubleIsRefusedWhereverItIs) {
  auto read = [](std::string body) {
    Request req;
    req.method = "POST";
    req.headers = {{"content-type", "application/json"}};
    req.body = std::move(body);
    return ParseJsonObject(req);
  };
  for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"n": 1e400})", "n"},
           {R"({"sub": {"projecr": 0.5, "big": 184467E407}})", "sub.big"},
           {R"({"tags": ["a", -1e999]})", "tags[1]"},
           {R"({"a": [{"b": [0, 2e308]}]})", "a[0].b[1]"}}) {
    auto r = read(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << body;
    EXPECT_EQ(FieldsOf(r.error()), std::vector<std::string>{field}) << body;
    EXPECT_NE(r.error().message.find(field), std::string::npos) << r.error().message;
  }
  auto fine = read(R"({"n": 1.7976931348623157e308, "m": -5e-324, "big": 18446744073709551615})");
  ASSERT_TRUE(fine.ok()) << fine.error().message;
  EXPECT_EQ(json::parse(json::serialize(*fine)), json::value(*fine));
}

TEST(Multipart, FieldsAndFiles) {
  const std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"subject\"\r\n\r\n"
      "Não funciona\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"attachments\"; filename=\"C:\\\\fakepath\\\\log.txt\"\r\n"
      "Content-Type: Text/Plain\r\n\r\n"
      "line1\r\nline2\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"attachments\"; filename*=UTF-8''rel%C3%B3rio.pdf\r\n"
      "Content-Type: application/pdf\r\n\r\n"
      "%PDF\r\n"
      "--XyZ--\r\n";
  auto parts = ParseMultipart("multipart/form-data; boundary=XyZ", body);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "subject");
  EXPECT_FALSE((*parts)[0].is_file);
  EXPECT_EQ((*parts)[0].data, "Não funciona");
  EXPECT_TRUE((*parts)[1].is_file);
  EXPECT_EQ((*parts)[1].filename, "log.txt");
  EXPECT_EQ((*parts)[1].content_type, "text/plain");
  EXPECT_EQ((*parts)[1].data, "line1\r\nline2");
  EXPECT_EQ((*parts)[2].filename, "relório.pdf");
}

// Browsers escape '"', CR and LF in form-data names as %22, %0D and %0A (HTML standard).
TEST(Multipart, BrowserEscapesInFilenames) {
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"a%22b.txt\"\r\n\r\nx\r\n--b--\r\n";
  auto parts = ParseMultipart("multipart/form-data; boundary=b", body);
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ((*parts)[0].filename, "a\"b.txt");
}

TEST(Multipart, Malformed) {
  const char* cases[][2] = {
      {"multipart/form-data", "--a\r\n\r\nx\r\n--a--"},                          // no boundary
      {"multipart/form-data; boundary=a", "no delimiter here"},                    // no delimiter
      {"multipart/form-data; boundary=a", "--a\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nunterminated"},
      {"multipart/form-data; boundary=a", "--a\r\nContent-Type: text/plain\r\n\r\nx\r\n--a--"},  // no name
      {"multipart/form-data; boundary=a", "--a\r\nno header end"},
  };
  for (const auto& c : cases) EXPECT_FALSE(ParseMultipart(c[0], c[1]).ok()) << c[1];
}

TEST(Multipart, FilenameSanitizing) {
  EXPECT_EQ(SanitizeFilename("../../etc/passwd"), "passwd");
  EXPECT_EQ(SanitizeFilename(".."), "attachment");
  EXPECT_EQ(SanitizeFilename(".htaccess"), "htaccess");
  EXPECT_EQ(SanitizeFilename("a\"b;c\r\n.txt"), "a\"b;c.txt");
  EXPECT_EQ(SanitizeFilename(""), "attachment");
  EXPECT_LE(SanitizeFilename(std::string(500, 'x')).size(), 200u);
  // The dots go with the spaces behind them, so a sanitized name stays as it is when
  // sanitized again (it kept " x.pdf"; found by the body fuzz target).
  EXPECT_EQ(SanitizeFilename(". x.pdf"), "x.pdf");
  EXPECT_EQ(SanitizeFilename(".. ..x.pdf"), "x.pdf");
  for (const char* raw : {". x.pdf", "a/. b", " .\t. c "}) EXPECT_EQ(SanitizeFilename(SanitizeFilename(raw)), SanitizeFilename(raw)) << raw;
}

TEST(Request, Cookies) {
  Request r;
  r.headers = {{"cookie", "a=1; chamado_session=abc.def ; other=x"}};
  EXPECT_EQ(r.Cookie("chamado_session"), "abc.def");
  EXPECT_EQ(r.Cookie("a"), "1");
  EXPECT_EQ(r.Cookie("missing"), "");
}

// A spray of made-up keys neither grows memory without bound nor unlocks a locked key (it
// used to clear every window past 100,000 keys).
TEST(RateLimiter, ASprayOfKeysNeverForgetsALockedOne) {
  RateLimiter l(2, std::chrono::seconds(300), 10);
  const Instant t0 = *ParseIsoInstant("2026-01-05T10:00:00Z");
  EXPECT_TRUE(l.Allow("victim", t0));
  EXPECT_TRUE(l.Allow("victim", t0));
  EXPECT_FALSE(l.Allow("victim", t0));
  for (int i = 0; i < 1000; ++i) (void)l.Allow("spray" + std::to_string(i), t0 + std::chrono::seconds(1));
  EXPECT_LE(l.size(), 10u);
  EXPECT_FALSE(l.Allow("victim", t0 + std::chrono::seconds(2)));
  EXPECT_EQ(l.RetryAfter("victim", t0 + std::chrono::seconds(100)), std::chrono::seconds(200));
  EXPECT_EQ(l.RetryAfter("spray999", t0 + std::chrono::seconds(100)), std::chrono::seconds(0));
  EXPECT_TRUE(l.Allow("victim", t0 + std::chrono::seconds(300)));  // its window is over
}

TEST(RateLimiter, WhenEveryKeyIsLockedANewOneIsRefused) {
  RateLimiter l(1, std::chrono::seconds(60), 2);
  const Instant t0 = *ParseIsoInstant("2026-01-05T10:00:00Z");
  EXPECT_TRUE(l.Allow("a", t0));
  EXPECT_TRUE(l.Allow("b", t0));
  EXPECT_FALSE(l.Allow("c", t0));  // a and b are at their limit and kept
  EXPECT_FALSE(l.Allow("a", t0));
  EXPECT_TRUE(l.Allow("c", t0 + std::chrono::seconds(60)));  // a's window is over: it goes
}

TEST(ClientAddress, OnlyTrustedProxiesAreBelieved) {
  Request r;
  r.remote_address = "10.0.0.2";
  r.headers = {{"x-forwarded-for", "6.6.6.6, 203.0.113.7, 10.0.0.1"}};
  EXPECT_EQ(ClientAddress(r, {}), "10.0.0.2");  // no trusted proxy: the header is a client's word
  EXPECT_EQ(ClientAddress(r, {"10.0.0.2"}), "10.0.0.1");
  EXPECT_EQ(ClientAddress(r, {"10.0.0.2", "10.0.0.1"}), "203.0.113.7");  // 6.6.6.6 is what the client wrote
  r.headers = {};
  EXPECT_EQ(ClientAddress(r, {"10.0.0.2"}), "10.0.0.2");
  r.remote_address = "192.0.2.9";
  r.headers = {{"x-forwarded-for", "1.2.3.4"}};
  EXPECT_EQ(ClientAddress(r, {"10.0.0.2"}), "192.0.2.9");  // not from a proxy: the peer
}

TEST(RateLimiter, Window) {
  RateLimiter l(2, std::chrono::seconds(60));
  const Instant t0 = *ParseIsoInstant("2026-01-05T10:00:00Z");
  EXPECT_TRUE(l.Allow("k", t0));
  EXPECT_TRUE(l.Allow("k", t0));
  EXPECT_FALSE(l.Allow("k", t0 + std::chrono::seconds(30)));
  EXPECT_TRUE(l.Allow("other", t0));
  EXPECT_TRUE(l.Allow("k", t0 + std::chrono::seconds(61)));
}

}  // namespace
}  // namespace chamado::http
