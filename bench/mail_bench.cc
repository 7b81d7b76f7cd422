// Mail ingestion: messages per second through the full path — parse (GMime, libxml2), mask
// secrets, thread, store durably with attachments — beside GMime's bare parse rate on the same
// corpus (g_mime_parser_construct_message alone), and Chamado's parse alone.
//
// The corpus is every message of tests/mail (35 real ones from public parsers, our own tricky
// ones), each sent under a fresh Message-ID; one in three answers an earlier one
// (In-Reply-To), so threading is exercised. Deliveries come from CONCURRENT threads at once,
// as an MTA's parallel LMTP connections or pipe processes would.
//
// usage: mail_bench [MESSAGES=5000] [CONCURRENT=4] [CORPUS_DIR=tests/mail]
#include <gmime/gmime.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "mail/inbox.h"
#include "mail/parse.h"
#include "store/store.h"

using namespace chamado;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The message under a new Message-ID (and, for some, In-Reply-To an earlier one).
std::string Variant(const std::string& raw, int i) {
  size_t header_end = raw.find("\n\n");
  size_t crlf_end = raw.find("\r\n\r\n");
  if (crlf_end != std::string::npos && (header_end == std::string::npos || crlf_end < header_end)) header_end = crlf_end;
  std::string head = raw.substr(0, header_end == std::string::npos ? raw.size() : header_end);
  std::string rest = header_end == std::string::npos ? "" : raw.substr(header_end);
  std::string out = "Message-ID: <bench-" + std::to_string(i) + "@bench.example>\r\n";
  if (i % 3 == 2) out += "In-Reply-To: <bench-" + std::to_string(i - 1) + "@bench.example>\r\n";
  std::istringstream lines(head);
  std::string line;
  bool skipping = false;
  while (std::getline(lines, line)) {
    const bool continuation = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    if (!continuation) {
      std::string lower = line.substr(0, 12);
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      skipping = lower.rfind("message-id:", 0) == 0 || lower.rfind("in-reply-to:", 0) == 0;
    }
    if (!skipping) out += line + "\n";
  }
  return out + rest;
}

template <class F>
double Rate(int n, F&& f) {
  auto t0 = Clock::now();
  f();
  double s = std::chrono::duration<double>(Clock::now() - t0).count();
  return n / s;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 5000;
  const int concurrent = argc > 2 ? std::atoi(argv[2]) : 4;
  const fs::path corpus_dir = argc > 3 ? argv[3] : "tests/mail";
  std::vector<std::string> corpus;
  for (const char* sub : {"shared", "corpus"})
    for (const auto& e : fs::directory_iterator(corpus_dir / sub))
      if (e.path().extension() == ".eml") corpus.push_back(Read(e.path()));
  if (corpus.empty()) return std::fprintf(stderr, "no .eml files under %s\n", corpus_dir.c_str()), 1;
  std::vector<std::string> messages;
  size_t bytes = 0;
  for (int i = 0; i < n; ++i) {
    messages.push_back(Variant(corpus[i % corpus.size()], i));
    bytes += messages.back().size();
  }
  std::printf("corpus: %zu distinct messages, %d deliveries, %.1f KiB on average\n", corpus.size(), n, bytes / 1024.0 / n);

  mail::InitMail();
  // Baseline: GMime alone builds the MIME tree of each message.
  const double bare = Rate(n, [&] {
    for (const auto& m : messages) {
      GMimeStream* stream = g_mime_stream_mem_new_with_buffer(m.data(), m.size());
      GMimeParser* parser = g_mime_parser_new_with_stream(stream);
      GMimeMessage* message = g_mime_parser_construct_message(parser, nullptr);
      if (message) g_object_unref(message);
      g_object_unref(parser);
      g_object_unref(stream);
    }
  });
  // Chamado's parse: the tree, plus charsets, HTML to text, attachments decoded.
  size_t sink = 0;
  const double parse = Rate(n, [&] {
    for (const auto& m : messages) sink += mail::ParseMail(m).body.size();
  });

  // The full path into a durable store (synchronous=FULL), as the server runs it.
  const fs::path dir = fs::temp_directory_path() / "chamado_mail_bench";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto opened = store::Store::Open({(dir / "chamado.db").string(), /*durable=*/true});
  if (!opened.ok()) return std::fprintf(stderr, "%s\n", opened.error().message.c_str()), 1;
  store::BlobStore blobs((dir / "attachments").string());
  (*opened)->SetBeforeCommit([&blobs] { return blobs.SyncDeferred(); });  // as the server does
  core::ManualClock clock(*ParseIsoInstant("2026-11-23T13:00:00Z"));
  mail::Inbox inbox(**opened, blobs, clock, {});
  std::atomic<int> next{0}, failed{0}, opened_tickets{0}, appended{0};
  const double full = Rate(n, [&] {
    std::vector<std::thread> threads;
    for (int t = 0; t < concurrent; ++t)
      threads.emplace_back([&] {
        for (int i = next++; i < n; i = next++) {
          auto r = inbox.Deliver(messages[i], "bench@bench.example");
          if (!r.ok()) {
            ++failed;
          } else if (r->outcome == store::MailIntake::Outcome::kOpened) {
            ++opened_tickets;
          } else {
            ++appended;
          }
        }
      });
    for (auto& t : threads) t.join();
  });
  std::printf("GMime bare parse:        %9.0f msg/s\n", bare);
  std::printf("Chamado parse:           %9.0f msg/s\n", parse);
  std::printf("full ingestion (%d at once: parse, mask, thread, store durably): %9.0f msg/s\n", concurrent, full);
  std::printf("full / bare parse:       %9.3f\n", full / bare);
  std::printf("outcomes: %d tickets opened, %d threaded or other, %d refused\n", opened_tickets.load(), appended.load(), failed.load());
  opened->reset();
  fs::remove_all(dir);
  return sink == 0 ? 1 : 0;
}
