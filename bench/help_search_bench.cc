// Help-center search at scale: N articles (default 100,000) in Portuguese, English and
// Spanish, generated from real vocabulary with a Zipf-like distribution, searched the way the
// API does (Store::SearchArticles over the Xapian index: stop words dropped, synonyms as a
// second ranking, the reader's language first) beside bare FTS5 over the same text with the
// same tokenizer (any of the words, ORDER BY rank LIMIT 10), as help search ran before V014.
// Prints writing and indexing throughput (Xapian and FTS5), sizes, and p50/p99/max per query
// class.
//
//   help_search_bench --data /tmp/hsb [--articles 100000] [--runs 300]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "search/query.h"
#include "search/stopwords.h"
#include "store/store.h"

namespace fs = std::filesystem;
using namespace chamado;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> Words(const fs::path& vocabulary) {
  std::vector<std::string> out;
  std::ifstream in(vocabulary);
  for (std::string w; std::getline(in, w);)
    if (w.size() > 2) out.push_back(w);
  return out;
}

// Words by rank: a few hundred support words at the head (from the help-center evaluation
// articles, most frequent first), the language's Snowball vocabulary shuffled behind them.
std::vector<std::string> Ranked(const fs::path& root, const std::string& vocabulary, const std::string& language,
                                std::mt19937_64& rng) {
  std::map<std::string, int> counts;
  for (const auto& e : fs::directory_iterator(root / "tests/search/eval/articles")) {
    const std::string name = e.path().filename().string();
    if (name.find("." + language + ".md") == std::string::npos) continue;
    std::ifstream in(e.path());
    for (std::string w; in >> w;) {
      std::string clean;
      for (char c : w)
        if (static_cast<unsigned char>(c) >= 0x80 || std::isalpha(static_cast<unsigned char>(c))) clean += char(std::tolower(static_cast<unsigned char>(c)));
      if (clean.size() > 2) ++counts[clean];
    }
  }
  std::vector<std::pair<int, std::string>> head;
  for (auto& [w, n] : counts) head.emplace_back(-n, w);
  std::sort(head.begin(), head.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < head.size() && i < 400; ++i) out.push_back(head[i].second);
  auto tail = vocabulary.empty() ? std::vector<std::string>{} : Words(root / "tests/search/stemmer" / vocabulary / "voc.txt");
  std::shuffle(tail.begin(), tail.end(), rng);
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

class Zipf {
 public:
  Zipf(size_t n, double s) {
    double sum = 0;
    cdf_.reserve(n);
    for (size_t i = 1; i <= n; ++i) cdf_.push_back(sum += 1.0 / std::pow(double(i), s));
    for (auto& c : cdf_) c /= sum;
  }
  size_t operator()(std::mt19937_64& rng) const {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return size_t(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
  }

 private:
  std::vector<double> cdf_;
};

struct Language {
  std::string tag;
  std::vector<std::string> words;
};

std::string Text(const Language& l, const Zipf& z, std::mt19937_64& rng, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? " " : "") + l.words[std::min(z(rng), l.words.size() - 1)];
  return out;
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Stats {
  double p50, p99, max;
};
Stats Of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, size_t(q * double(v.size())))]; };
  return {at(0.50), at(0.99), v.back()};
}

int64_t Load(store::Store& s, const std::vector<Language>& languages, int articles, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const Zipf z(40000, 1.05);
  const Instant now = FromUnixMillis(1767225600000);
  const char* products[] = {"Financeiro", "Estoque", "Vendas", "RH", "Fiscal", "Integrações", "Conta", "Assinatura"};
  int made = 0;
  for (int key = 0; made < articles; ++key) {
    std::vector<help::Article> batch;
    for (int b = 0; b < 200 && made < articles; ++b, ++key) {
      for (const auto& l : languages) {
        if (made >= articles) break;
        help::Article a;
        a.key = "article-" + std::to_string(key);
        a.language = l.tag;
        a.title = Text(l, z, rng, 5 + int(rng() % 6));
        a.body = Text(l, z, rng, 150 + int(rng() % 150));
        a.product = products[rng() % 8];
        a.module = "Módulo " + std::to_string(rng() % 6);
        a.slug = help::Slug(a.title);
        a.published = true;
        a.tags = {l.words[rng() % 300]};
        batch.push_back(std::move(a));
        ++made;
      }
    }
    auto r = s.WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
      for (const auto& a : batch) CHAMADO_TRY(repo.PutArticle(a, now));
      return true;
    });
    if (!r.ok()) {
      std::fprintf(stderr, "load: %s\n", r.error().message.c_str());
      std::exit(1);
    }
  }
  return made;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = "/tmp/help_search_bench";
  int articles = 100000, runs = 300;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--data") data = argv[i + 1];
    else if (a == "--articles") articles = std::stoi(argv[i + 1]);
    else if (a == "--runs") runs = std::stoi(argv[i + 1]);
  }
  const fs::path root = CHAMADO_SOURCE_DIR;
  std::mt19937_64 rng(7);
  std::vector<Language> languages = {{"pt-BR", Ranked(root, "portuguese", "pt-BR", rng)},
                                     {"en", Ranked(root, "english", "en", rng)},
                                     {"es", Ranked(root, "spanish", "es", rng)}};
  fs::remove_all(data);
  fs::create_directories(data);

  // Writing the articles, then indexing them: Xapian (what Chamado searches), and FTS5 (the
  // baseline: the same four columns with Chamado's tokenizer, as V010 indexed them).
  auto opened = store::Store::Open({(fs::path(data) / "chamado.db").string(), false});
  if (!opened.ok()) return std::fprintf(stderr, "%s\n", opened.error().message.c_str()), 1;
  auto& s = **opened;
  auto t0 = Clock::now();
  const int64_t n = Load(s, languages, articles, 11);
  const double write_s = std::chrono::duration<double>(Clock::now() - t0).count();
  t0 = Clock::now();
  auto caught = s.CatchUpArticles();
  if (!caught.ok()) return std::fprintf(stderr, "%s\n", caught.error().message.c_str()), 1;
  const double xapian_s = std::chrono::duration<double>(Clock::now() - t0).count();
  t0 = Clock::now();
  auto built = s.WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
    for (const auto& l : languages) {
      const std::string code = l.tag.substr(0, 2);
      CHAMADO_TRY(repo.conn().Script("CREATE VIEW bare_text_" + code + " AS SELECT id, title, body, tags, product || ' ' || module AS place "
                                     "FROM articles WHERE language = '" + l.tag + "';"
                                     "CREATE VIRTUAL TABLE bare_fts_" + code + " USING fts5(title, body, tags, place, content = 'bare_text_" +
                                     code + "', content_rowid = 'id', tokenize = 'chamado " + code + "');"
                                     "INSERT INTO bare_fts_" + code + " (bare_fts_" + code + ") VALUES ('rebuild');"));
    }
    return true;
  });
  if (!built.ok()) return std::fprintf(stderr, "%s\n", built.error().message.c_str()), 1;
  const double fts_s = std::chrono::duration<double>(Clock::now() - t0).count();
  (void)s.Checkpoint();

  // Sizes: the Xapian databases and FTS5's shadow tables against the articles table.
  double fts_mb = 0, data_mb = 0, xapian_mb = 0;
  (void)s.Read<bool>([&](store::Repo& repo) -> Result<bool> {
    CHAMADO_TRY(repo.conn().Run("SELECT name, sum(pgsize) FROM dbstat GROUP BY name", {}, [&](const store::RowView& r) {
      const std::string name = r.Str(0);
      const double mb = double(r.Int(1)) / 1e6;
      if (name.starts_with("bare_fts_")) fts_mb += mb;
      else if (name.starts_with("article")) data_mb += mb;
    }));
    return true;
  });
  for (const auto& f : fs::recursive_directory_iterator(s.path() + ".help-index"))
    if (f.is_regular_file()) xapian_mb += double(f.file_size()) / 1e6;
  std::printf("articles: %lld (pt-BR, en, es)\n", static_cast<long long>(n));
  std::printf("writing: %.0f articles/s; indexing them: Xapian %.0f articles/s, FTS5 %.0f articles/s\n", double(n) / write_s,
              double(n) / xapian_s, double(n) / fts_s);
  std::printf("size: articles %.1f MB; Xapian index %.1f MB (%.2fx); FTS5 index %.1f MB (%.2fx)\n", data_mb, xapian_mb,
              xapian_mb / std::max(data_mb, 1e-9), fts_mb, fts_mb / std::max(data_mb, 1e-9));

  // Query classes, terms drawn by rank band from the generator's distribution.
  auto word = [&](const Language& l, size_t from, size_t to) {
    to = std::min(to, l.words.size());
    return l.words[from + rng() % (to - from)];
  };
  struct Class {
    const char* name;
    std::function<std::string(const Language&)> question;
  };
  const std::vector<Class> classes = {
      {"rare word", [&](const Language& l) { return word(l, 20000, 30000); }},
      {"common word", [&](const Language& l) {  // a content word: stop words alone are another class
         for (int i = 0; i < 1000; ++i)
           if (auto w = word(l, 0, 60); !search::IsStopword(l.tag, w)) return w;
         return l.words[0];
       }},
      {"stop word alone", [&](const Language& l) {
         static const std::map<std::string, std::vector<std::string>> kCommon = {
             {"pt-BR", {"de", "que", "como", "para", "uma"}}, {"en", {"the", "how", "to", "a", "my"}}, {"es", {"de", "que", "como", "el", "una"}}};
         const auto& words = kCommon.at(l.tag);
         return words[rng() % words.size()];
       }},
      {"question (6 words)", [&](const Language& l) {
         return word(l, 0, 50) + " " + word(l, 50, 400) + " " + word(l, 100, 2000) + " " + word(l, 400, 5000) + " " +
                word(l, 0, 400) + " " + word(l, 2000, 20000);
       }},
      {"question + product", [&](const Language& l) { return word(l, 0, 100) + " " + word(l, 100, 2000) + " " + word(l, 400, 8000); }},
  };
  std::printf("\n%-20s | %-26s | %-26s | %s\n", "class", "Chamado p50 / p99 / max ms", "bare FTS5 p50 / p99 / max", "p99 ratio");
  for (const auto& c : classes) {
    std::vector<double> ours, bare;
    for (int i = 0; i < runs; ++i) {
      const Language& l = languages[size_t(i) % languages.size()];
      const std::string q = c.question(l);
      store::ArticleSearch as;
      as.words = search::ParseQuestion(q);
      as.language = l.tag;
      as.limit = 10;
      if (std::string(c.name).find("product") != std::string::npos) as.product = "Financeiro";
      auto t = Clock::now();
      auto r = s.SearchArticles(as);
      ours.push_back(Ms(Clock::now() - t));
      if (!r.ok()) return std::fprintf(stderr, "%s\n", r.error().message.c_str()), 1;
      std::string match;
      for (const auto& w : as.words) match += (match.empty() ? "\"" : " OR \"") + w.text + "\"";
      const std::string table = std::string("bare_fts_") + l.tag.substr(0, 2);
      t = Clock::now();
      auto b = s.Read<int>([&](store::Repo& repo) -> Result<int> {
        int rows = 0;
        CHAMADO_TRY(repo.conn().Run("SELECT rowid FROM " + table + " WHERE " + table + " MATCH $1 ORDER BY rank LIMIT 10", {match},
                                    [&](const store::RowView&) { ++rows; }));
        return rows;
      });
      bare.push_back(Ms(Clock::now() - t));
      if (!b.ok()) return std::fprintf(stderr, "%s\n", b.error().message.c_str()), 1;
    }
    const auto o = Of(ours), x = Of(bare);
    std::printf("%-20s | %7.2f / %7.2f / %7.2f | %7.2f / %7.2f / %7.2f | %.2fx\n", c.name, o.p50, o.p99, o.max, x.p50, x.p99,
                x.max, o.p99 / x.p99);
  }
  return 0;
}
