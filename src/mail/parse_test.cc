#include "mail/parse.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/text.h"

namespace chamado::mail {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path kData = CHAMADO_MAIL_TESTDATA;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

using Keys = std::set<std::string, std::less<>>;

// The keys of a line of expected.jsonl and of its attachments (tests/mail/README.md). Any other
// key is refused: misspelt, it would check nothing.
const Keys kFactKeys = {
    "file",          "from",          "from_name",        "subject",     "subject_contains",
    "message_id",    "in_reply_to",   "references",       "auto",        "body_empty",
    "body_contains", "body_excludes", "attachment_count", "attachments", "filename_excludes",
};
const Keys kAttachmentKeys = {"filename", "content_type", "inline", "size"};

void RefuseUnknownKeys(const json::object& o, const Keys& known, const std::string& where, std::vector<std::string>& problems) {
  for (const auto& kv : o)
    if (!known.contains(kv.key())) problems.push_back(where + "unknown key \"" + std::string(kv.key()) + "\"");
}

struct Expectations {
  std::vector<json::object> lines;
  std::vector<std::string> problems;  // "name:line: what", in file order
};

// The lines of the expectations file `name` (relative to tests/mail/), and what is wrong with them.
Expectations ReadExpectations(const std::string& name) {
  Expectations out;
  std::ifstream in(kData / name);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (Trim(line).empty()) continue;
    const std::string where = name + ":" + std::to_string(number) + ": ";
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) {
      out.problems.push_back(where + "not a JSON object");
      continue;
    }
    const auto& facts = v.as_object();
    if (!facts.contains("file")) out.problems.push_back(where + "no \"file\"");
    RefuseUnknownKeys(facts, kFactKeys, where, out.problems);
    if (const auto* list = facts.if_contains("attachments"); list && list->is_array())
      for (size_t i = 0; i < list->as_array().size(); ++i) {
        const std::string at = where + "attachments[" + std::to_string(i + 1) + "]: ";
        if (const auto* a = list->as_array()[i].if_object())
          RefuseUnknownKeys(*a, kAttachmentKeys, at, out.problems);
        else
          out.problems.push_back(at + "not a JSON object");
      }
    out.lines.push_back(facts);
  }
  return out;
}

std::string Lines(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& line : v) s += line + "\n";
  return s;
}

std::string Str(const json::value& v) { return std::string(v.as_string()); }

// Every message of both corpora (real ones from public parsers, and our own tricky ones)
// is parsed, and the facts listed for it in expected.jsonl hold.
TEST(MailCorpus, EveryMessageHasItsFacts) {
  auto expectations = ReadExpectations("expected.jsonl");
  ASSERT_TRUE(expectations.problems.empty()) << Lines(expectations.problems);
  std::set<std::string> covered;
  for (const auto& e : expectations.lines) {
    std::string file = Str(e.at("file"));
    covered.insert(file);
    SCOPED_TRACE(file);
    auto raw = ReadFile(kData / file);
    ASSERT_FALSE(raw.empty()) << "missing " << file;
    auto m = ParseMail(raw);
    EXPECT_TRUE(IsValidUtf8(m.subject));
    EXPECT_TRUE(IsValidUtf8(m.body));
    if (auto* v = e.if_contains("from")) { EXPECT_EQ(m.from.address, Str(*v)); }
    if (auto* v = e.if_contains("from_name")) { EXPECT_EQ(m.from.name, Str(*v)); }
    if (auto* v = e.if_contains("subject")) { EXPECT_EQ(m.subject, Str(*v)); }
    if (auto* v = e.if_contains("subject_contains")) { EXPECT_NE(m.subject.find(Str(*v)), std::string::npos) << m.subject; }
    if (auto* v = e.if_contains("message_id")) { EXPECT_EQ(m.message_id, Str(*v)); }
    if (auto* v = e.if_contains("in_reply_to")) { EXPECT_EQ(m.in_reply_to, Str(*v)); }
    if (auto* v = e.if_contains("references")) {
      std::vector<std::string> want;
      for (const auto& r : v->as_array()) want.push_back(Str(r));
      EXPECT_EQ(m.references, want);
    }
    if (auto* v = e.if_contains("body_contains"))
      for (const auto& s : v->as_array()) {
        EXPECT_NE(m.body.find(Str(s)), std::string::npos) << "body lacks \"" << Str(s) << "\":\n" << m.body.substr(0, 2000);
      }
    if (auto* v = e.if_contains("body_excludes"))
      for (const auto& s : v->as_array()) {
        EXPECT_EQ(m.body.find(Str(s)), std::string::npos) << "body has \"" << Str(s) << "\":\n" << m.body.substr(0, 2000);
      }
    if (auto* v = e.if_contains("body_empty")) { EXPECT_EQ(m.body.empty(), v->as_bool()) << m.body.substr(0, 200); }
    if (auto* v = e.if_contains("attachment_count")) { EXPECT_EQ(static_cast<int64_t>(m.attachments.size()), v->to_number<int64_t>()); }
    if (auto* v = e.if_contains("attachments")) {
      const auto& want = v->as_array();
      ASSERT_EQ(m.attachments.size(), want.size());
      for (size_t i = 0; i < want.size(); ++i) {
        const auto& w = want[i].as_object();
        const auto& got = m.attachments[i];
        SCOPED_TRACE("attachment " + std::to_string(i) + " " + got.filename);
        if (auto* f = w.if_contains("filename")) { EXPECT_EQ(got.filename, Str(*f)); }
        if (auto* f = w.if_contains("content_type")) { EXPECT_EQ(got.content_type, Str(*f)); }
        if (auto* f = w.if_contains("inline")) { EXPECT_EQ(got.inline_part, f->as_bool()); }
        if (auto* f = w.if_contains("size")) { EXPECT_EQ(static_cast<int64_t>(got.data.size()), f->to_number<int64_t>()); }
      }
    }
    if (auto* v = e.if_contains("filename_excludes"))
      for (const auto& a : m.attachments)
        for (const auto& s : v->as_array()) {
          EXPECT_EQ(a.filename.find(Str(s)), std::string::npos) << a.filename;
        }
    if (auto* v = e.if_contains("auto")) { EXPECT_EQ(core::Name(m.automatic), Str(*v)); }
    for (const auto& a : m.attachments) {
      EXPECT_FALSE(a.filename.empty());
      EXPECT_TRUE(IsValidUtf8(a.filename)) << a.filename;
      EXPECT_EQ(a.filename.find_first_of("/\\"), std::string::npos) << a.filename;
    }
  }
  // Nothing in either corpus goes unchecked.
  size_t own = 0;
  for (const char* dir : {"shared", "corpus"}) {
    for (const auto& entry : fs::directory_iterator(kData / dir)) {
      if (entry.path().extension() != ".eml") continue;
      std::string name = std::string(dir) + "/" + entry.path().filename().string();
      EXPECT_TRUE(covered.count(name)) << name << " has no line in expected.jsonl";
      if (std::string(dir) == "corpus") ++own;
    }
  }
  EXPECT_GE(own, 30u);
}

// A key the format does not have, at either level, is refused with its file and line.
TEST(MailCorpus, ExpectationsWithUnknownKeysAreRefused) {
  auto expectations = ReadExpectations("invalid/expected.jsonl");
  EXPECT_EQ(Lines(expectations.problems),
            "invalid/expected.jsonl:1: unknown key \"subjct\"\n"
            "invalid/expected.jsonl:2: unknown key \"body_contain\"\n"
            "invalid/expected.jsonl:3: attachments[2]: unknown key \"contnet_type\"\n"
            "invalid/expected.jsonl:4: no \"file\"\n"
            "invalid/expected.jsonl:4: unknown key \"fille\"\n"
            "invalid/expected.jsonl:5: not a JSON object\n");
}

TEST(ParseMail, ReadsTheEssentials) {
  auto m = ParseMail(
      "From: =?UTF-8?Q?Jo=C3=A3o_Silva?= <Joao.Silva@Cliente.COM.br>\r\n"
      "To: suporte@desk.example\r\n"
      "Subject: =?ISO-8859-1?Q?Impress=E3o_n=E3o?= =?UTF-8?B?ZnVuY2lvbmE=?=\r\n"
      "Message-ID: <abc@cliente.com.br>\r\n"
      "In-Reply-To: <chamado.7.1.x@desk.example>\r\n"
      "References: <a@b> <chamado.7.1.x@desk.example>\r\n"
      "Date: Mon, 02 Nov 2026 10:00:00 -0300\r\n"
      "Content-Type: text/plain; charset=iso-8859-1\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
      "A impressora n=E3o imprime.\r\n\r\n");
  EXPECT_EQ(m.from.address, "joao.silva@cliente.com.br");
  EXPECT_EQ(m.from.name, "João Silva");
  EXPECT_EQ(m.subject, "Impressão nãofunciona");  // adjacent encoded words join without a space
  EXPECT_EQ(m.message_id, "abc@cliente.com.br");
  EXPECT_EQ(m.in_reply_to, "chamado.7.1.x@desk.example");
  EXPECT_EQ(m.references, (std::vector<std::string>{"a@b", "chamado.7.1.x@desk.example"}));
  EXPECT_EQ(m.body, "A impressora não imprime.");
  ASSERT_TRUE(m.date);
  EXPECT_EQ(FormatIsoUtc(*m.date), "2026-11-02T13:00:00Z");
  EXPECT_EQ(m.automatic, core::AutoKind::kNone);
}

TEST(ParseMail, NeverFailsOnNonsense) {
  for (std::string_view raw : {std::string_view(""), std::string_view("\r\n\r\n"), std::string_view("garbage"),
                               std::string_view("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n--x\r\n"),
                               std::string_view("\xff\xfe\x00\x01", 4)}) {
    auto m = ParseMail(raw);
    EXPECT_TRUE(IsValidUtf8(m.body));
    EXPECT_TRUE(IsValidUtf8(m.subject));
  }
}

TEST(HtmlToText, KeepsTheTextAndNothingActive) {
  auto text = HtmlToText(
      "<html><head><title>T</title><style>p{color:red}</style></head><body>"
      "<p>Ol&aacute;,&nbsp;tudo <b>bem</b>?</p><script>alert(1)</script>"
      "<ul><li>um</li><li>dois</li></ul><div>Pre&ccedil;o: &#8364;5 &amp; mais<br>linha</div>"
      "<p><a href=\"https://status.example/x\">status</a> <img src=cid:1 alt=\"logo\"></p>"
      "<!-- hidden --><p onclick=\"evil()\">fim</p></body></html>");
  EXPECT_EQ(text, "Olá, tudo bem?\n\n- um\n- dois\nPreço: €5 & mais\nlinha\n\nstatus <https://status.example/x> [logo]\n\nfim");
}

}  // namespace
}  // namespace chamado::mail
