// Ticket search at a million tickets (issue 10): indexing throughput with and without the
// index, the index's size beside the data's, and p50/p99 of five classes of search through
// Repo::SearchTickets beside bare FTS5 on the same tables.
//
// The text is generated in pt-BR (70% of requesters) and English from real words: the
// Snowball vocabularies of tests/search/stemmer as the tail and the words of the help-center
// articles of tests/search/eval (by their frequency there) as the head of a Zipf
// distribution, mixed with runs of consecutive words copied from one article per ticket (its
// topic), so that support phrases ("nota fiscal", "certificado digital") recur as they do in
// real tickets. The generator counts, per stemmed term, how many tickets contain it; the
// query classes draw their terms from those counts.
//
// usage: search_bench --data DIR --tickets N [--seed S] [--throughput M] [--runs R]
//                     [--reuse] [--corpus DIR] [--window W] [--stages]
//   --throughput M  tickets generated into a second database without the search triggers
//                   (default min(N, 100000)), timed against the first M of the indexed one
//   --reuse         query an indexed database already in DIR (the generator runs without
//                   writing to rebuild its counts)
//   --window W      rank the W newest matches of a search (search::kRankWindow by default)
//   --stages        instead of the timings, where a ranked search's time goes, stage by stage
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <unordered_map>

#include "search/analyzer.h"
#include "store/repo.h"
#include "store/store.h"

using namespace chamado;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Zipf-Mandelbrot, p(rank) ~ (rank + kZipfShift)^-kZipfExponent: the shift flattens the head
// (the commonest word is 6% of the text, as "de" and "the" are); the exponent is steeper than
// the ~1 of a real corpus because 32-43k words stand here for a vocabulary whose tail of
// names, codes and typos is unbounded: it gives the last words real-text rarity (a few dozen
// tickets in a million).
constexpr double kZipfExponent = 1.4;
constexpr double kZipfShift = 5;
constexpr int kHeadWords = 300;      // support words taken from the articles
constexpr double kPassageShare = 0.35;  // chunks of a message copied from its topic article
constexpr int kOrganizations = 40;
constexpr int kRequesters = 4000;
constexpr int kAgents = 20;
constexpr int kBatch = 1000;  // tickets per unit of work

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
double Millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// One language's words: the vocabulary in Zipf rank order, each word's stemmed term, the
// articles as word sequences, and what the generated tickets held.
struct Language {
  std::string code;  // "pt": the index
  std::string tag;   // "pt-BR": the requesters'
  std::vector<std::string> words;
  std::vector<uint32_t> term_of;  // word -> term
  std::vector<std::string> terms;
  std::discrete_distribution<uint32_t> zipf;
  std::vector<std::vector<uint32_t>> articles;  // word ids; each article's title first
  std::vector<size_t> title_length;
  // Counts over the generated tickets: tickets holding each term, and each adjacent pair of
  // long article words (the phrase candidates).
  std::vector<int64_t> df;
  std::vector<int64_t> seen_in;  // the last ticket that counted the term
  std::unordered_map<uint64_t, std::pair<int64_t, int64_t>> pairs;  // (a << 32 | b) -> (df, last ticket)
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The words of a text as the index sees them: each word token's surface, folded to lower case.
std::vector<std::string> Words(const search::Analyzer& a, std::string_view text) {
  std::vector<std::string> out;
  for (const auto& t : a.Tokenize(text))
    if (t.kind == search::Token::Kind::kWord) out.push_back(search::FoldCase(text.substr(t.begin, t.end - t.begin)));
  return out;
}

Language LoadLanguage(const fs::path& corpus, const std::string& code, const std::string& tag,
                      const std::string& snowball, std::mt19937_64& rng) {
  Language l;
  l.code = code;
  l.tag = tag;
  search::Analyzer analyzer(tag);
  std::map<std::string, uint32_t> id_of;
  auto add = [&](const std::string& w) {
    auto [it, fresh] = id_of.emplace(w, uint32_t(l.words.size()));
    if (fresh) l.words.push_back(w);
    return it->second;
  };
  // Articles: front matter's title, then the body.
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(corpus / "eval/articles"))
    if (e.path().filename().string().ends_with("." + tag + ".md")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::map<std::string, int64_t> count;
  std::vector<std::vector<std::string>> article_words;
  for (const auto& f : files) {
    const std::string text = ReadFile(f);
    const size_t body = text.find("\n---", 3);
    const size_t title = text.find("\ntitle:");
    std::vector<std::string> words =
        title != std::string::npos ? Words(analyzer, text.substr(title + 7, text.find('\n', title + 1) - title - 7))
                                   : std::vector<std::string>{};
    l.title_length.push_back(words.size());
    for (auto& w : Words(analyzer, body == std::string::npos ? text : text.substr(body + 4))) words.push_back(w);
    for (const auto& w : words) ++count[w];
    article_words.push_back(std::move(words));
  }
  std::vector<std::pair<int64_t, std::string>> by_count;
  for (const auto& [w, n] : count) by_count.push_back({-n, w});
  std::sort(by_count.begin(), by_count.end());
  for (size_t i = 0; i < by_count.size() && i < size_t(kHeadWords); ++i) add(by_count[i].second);
  // The tail: Snowball's vocabulary in a random order, single words only.
  std::vector<std::string> tail;
  std::ifstream voc(corpus / "stemmer" / snowball / "voc.txt");
  for (std::string w; std::getline(voc, w);) {
    auto tokens = analyzer.Tokenize(w);
    if (tokens.size() == 1 && tokens[0].kind == search::Token::Kind::kWord && tokens[0].end == w.size()) tail.push_back(w);
  }
  std::shuffle(tail.begin(), tail.end(), rng);
  for (const auto& w : tail) add(w);
  const size_t ranked = l.words.size();
  for (const auto& words : article_words) {  // article words outside the ranks: reachable from passages only
    std::vector<uint32_t> ids;
    for (const auto& w : words) ids.push_back(add(w));
    l.articles.push_back(std::move(ids));
  }
  std::vector<double> weights(ranked);
  for (size_t r = 0; r < ranked; ++r) weights[r] = std::pow(double(r + 1) + kZipfShift, -kZipfExponent);
  l.zipf = std::discrete_distribution<uint32_t>(weights.begin(), weights.end());
  std::map<std::string, uint32_t> term_id;
  for (const auto& w : l.words) {
    auto [it, fresh] = term_id.emplace(analyzer.Term(w), uint32_t(l.terms.size()));
    if (fresh) l.terms.push_back(it->first);
    l.term_of.push_back(it->second);
  }
  l.df.assign(l.terms.size(), 0);
  l.seen_in.assign(l.terms.size(), 0);
  return l;
}

struct People {
  std::vector<core::Organization> organizations;
  std::vector<core::User> requesters;
  std::vector<core::User> agents;
};

// One ticket's text and shape, deterministic in the generator's state.
struct Draft {
  const Language* language = nullptr;
  core::Ticket ticket;
  std::vector<core::Message> messages;
};

class Generator {
 public:
  Generator(std::vector<Language>& languages, const People& people, uint64_t seed)
      : languages_(languages), people_(people), rng_(seed) {}

  Draft Next(int64_t number, const core::Catalog& catalog) {
    Draft d;
    const auto& requester = people_.requesters[rng_() % people_.requesters.size()];
    Language& l = languages_[requester.language == "pt-BR" ? 0 : 1];
    d.language = &l;
    number_ = number;
    const size_t topic = rng_() % l.articles.size();
    auto& t = d.ticket;
    t.requester_id = requester.id;
    t.organization_id = requester.organization_id;
    t.channel = rng_() % 3 == 0 ? core::Channel::kEmail : core::Channel::kWeb;
    static constexpr core::Status kStatuses[] = {core::Status::kNew,    core::Status::kOpen,   core::Status::kOpen,
                                                 core::Status::kPendingCustomer, core::Status::kOnHold,
                                                 core::Status::kSolved, core::Status::kSolved, core::Status::kClosed,
                                                 core::Status::kClosed, core::Status::kClosed};
    t.status = kStatuses[rng_() % std::size(kStatuses)];
    t.priority = catalog.priorities.levels[rng_() % catalog.priorities.levels.size()].name;
    t.created_at = t.updated_at = *ParseIsoInstant("2025-01-01T00:00:00Z") + std::chrono::seconds(30 * number);
    // The subject: mostly words of the topic's title.
    const size_t subject_words = 4 + rng_() % 7;
    if (rng_() % 10 < 6 && l.title_length[topic] > 0) {
      const auto& a = l.articles[topic];
      size_t n = std::min(subject_words, l.title_length[topic]);
      t.subject = Append(l, a.begin(), a.begin() + n, "");
      if (n < subject_words) t.subject = Zipf(l, subject_words - n, t.subject);
    } else {
      t.subject = Zipf(l, subject_words, "");
    }
    const int messages = 1 + int(rng_() % 6);
    for (int i = 0; i < messages; ++i) {
      core::Message m;
      const bool note = i > 0 && rng_() % 5 == 0;
      const bool customer = !note && i % 2 == 0;
      m.kind = note ? core::MessageKind::kInternalNote
                    : customer ? core::MessageKind::kCustomerMessage : core::MessageKind::kPublicReply;
      m.author_id = customer ? requester.id : people_.agents[rng_() % people_.agents.size()].id;
      m.channel = t.channel;
      m.created_at = t.created_at + std::chrono::minutes(20 * i);
      m.body = Body(l, topic, 20 + int(rng_() % 101));
      d.messages.push_back(std::move(m));
    }
    return d;
  }

 private:
  // Runs of the topic article's words and of Zipf words, `n` words in all.
  std::string Body(Language& l, size_t topic, int n) {
    const auto& a = l.articles[topic];
    std::string out;
    std::uniform_real_distribution<double> coin;
    for (int left = n; left > 0;) {
      const int run = std::min(left, 3 + int(rng_() % 6));
      if (coin(rng_) < kPassageShare && a.size() > size_t(run)) {
        const size_t start = rng_() % (a.size() - run);
        out = Append(l, a.begin() + start, a.begin() + start + run, std::move(out));
      } else {
        out = Zipf(l, run, std::move(out));
      }
      if (rng_() % 6 == 0) out += '.';
      left -= run;
    }
    return out;
  }

  std::string Zipf(Language& l, size_t n, std::string out) {
    std::vector<uint32_t> ids(n);
    for (auto& id : ids) id = l.zipf(rng_);
    return Append(l, ids.begin(), ids.end(), std::move(out));
  }

  // Writes the words and counts them: each term once per ticket, each adjacent pair of long
  // words (a phrase candidate) too.
  template <class It>
  std::string Append(Language& l, It begin, It end, std::string out) {
    uint32_t previous = UINT32_MAX;
    for (It it = begin; it != end; ++it) {
      const std::string& w = l.words[*it];
      if (!out.empty()) out += ' ';
      out += w;
      const uint32_t term = l.term_of[*it];
      if (l.seen_in[term] != number_) l.seen_in[term] = number_, ++l.df[term];
      if (previous != UINT32_MAX && w.size() >= 4 && l.words[previous].size() >= 4) {
        auto& [df, seen] = l.pairs[uint64_t(previous) << 32 | *it];
        if (seen != number_) seen = number_, ++df;
      }
      previous = w.size() >= 4 ? *it : UINT32_MAX;
    }
    return out;
  }

  std::vector<Language>& languages_;
  const People& people_;
  std::mt19937_64 rng_;
  int64_t number_ = 0;
};

People MakePeople(store::Store& st, uint64_t seed) {
  static const char* kFirstPt[] = {"Ana", "Bruno", "Carla", "Diego", "Eduarda", "Felipe", "Gabriela", "Heitor",
                                   "Isabela", "João", "Larissa", "Marcos", "Natália", "Otávio", "Paula", "Rafael"};
  static const char* kLastPt[] = {"Silva", "Souza", "Oliveira", "Santos", "Pereira", "Lima", "Carvalho", "Ferreira",
                                  "Rodrigues", "Almeida", "Costa", "Gomes", "Martins", "Araújo", "Barbosa", "Ribeiro"};
  static const char* kFirstEn[] = {"Alice", "Brian", "Chloe", "David", "Emma", "Frank", "Grace", "Henry",
                                   "Irene", "Jack", "Karen", "Liam", "Megan", "Nathan", "Olivia", "Peter"};
  static const char* kLastEn[] = {"Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Clark",
                                  "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green", "Baker"};
  std::mt19937_64 rng(seed);
  const Instant at = *ParseIsoInstant("2025-01-01T00:00:00Z");
  auto made = st.WriteSync<People>([&](store::Repo& repo) -> Result<People> {
    People p;
    for (int i = 0; i < kOrganizations; ++i) {
      core::Organization o;
      o.name = "org" + std::to_string(i);
      o.created_at = at;
      CHAMADO_ASSIGN_OR_RETURN(o, repo.InsertOrganization(o));
      p.organizations.push_back(o);
    }
    for (int i = 0; i < kAgents + kRequesters; ++i) {
      core::User u;
      const bool pt = rng() % 10 < 7;
      u.name = std::string(pt ? kFirstPt[rng() % 16] : kFirstEn[rng() % 16]) + " " + (pt ? kLastPt[rng() % 16] : kLastEn[rng() % 16]);
      u.language = pt ? "pt-BR" : "en";
      u.created_at = at;
      if (i < kAgents) {
        u.role = core::Role::kAgent;
        u.email = "agent" + std::to_string(i) + "@desk.example";
      } else {
        u.organization_id = p.organizations[rng() % kOrganizations].id;
        u.email = "user" + std::to_string(i) + "@org" + std::to_string(*u.organization_id) + ".example";
      }
      CHAMADO_ASSIGN_OR_RETURN(u, repo.InsertUser(u, ""));
      (i < kAgents ? p.agents : p.requesters).push_back(u);
    }
    return p;
  });
  if (!made.ok()) std::fprintf(stderr, "people: %s\n", made.error().message.c_str()), std::exit(1);
  return *made;
}

Result<std::unique_ptr<store::Store>> OpenFresh(const fs::path& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  return store::Store::Open({(dir / "chamado.db").string(), /*durable=*/false});
}

// Generates `n` tickets into `st` (or nowhere, when null), 1000 per unit of work, printing
// the rate every 100,000 tickets when `progress`.
struct Generated {
  double at_mark = 0;  // seconds when `mark` tickets were written
  double total = 0;
};
Generated Generate(store::Store* st, std::vector<Language>& languages, const People& people,
                   const core::Catalog& catalog, int64_t n, int64_t mark, uint64_t seed, bool progress) {
  Generator g(languages, people, seed);
  Generated out;
  const auto start = Clock::now();
  double last_progress = 0;
  for (int64_t done = 0; done < n;) {
    const int64_t batch = std::min<int64_t>(kBatch, n - done);
    std::vector<Draft> drafts;
    for (int64_t i = 0; i < batch; ++i) drafts.push_back(g.Next(done + i + 1, catalog));
    if (st) {
      auto written = st->WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
        for (auto& d : drafts) {
          CHAMADO_ASSIGN_OR_RETURN(auto t, repo.InsertTicket(d.ticket, catalog));
          for (auto& m : d.messages) {
            m.ticket_number = t.number;
            CHAMADO_TRY(repo.InsertMessage(m));
          }
        }
        return true;
      });
      if (!written.ok()) std::fprintf(stderr, "write: %s\n", written.error().message.c_str()), std::exit(1);
    }
    done += batch;
    const double now = Seconds(Clock::now() - start);
    if (done == std::min(mark, n)) out.at_mark = now;
    if (progress && (done % 100000 == 0 || done == n)) {
      const int64_t last_n = done % 100000 ? done % 100000 : 100000;
      std::printf("  %8lld tickets  %7.1f s  %6.0f tickets/s overall, %6.0f in the last %lld\n", (long long)done, now,
                  double(done) / now, double(last_n) / (now - last_progress), (long long)last_n);
      std::fflush(stdout);
      last_progress = now;
    }
  }
  out.total = Seconds(Clock::now() - start);
  return out;
}

// The query classes.
enum class Kind { kRare, kCommon, kPhrase, kAnd, kFilter };
struct Query {
  std::string language;  // the generator's, for the record; every query runs on every index
  std::vector<std::string> words;  // kPhrase: one phrase of two words; kAnd: two words
  std::string status;
  int64_t organization_id = 0;

  static Query Text(std::string language, std::vector<std::string> words) {
    Query q;
    q.language = std::move(language);
    q.words = std::move(words);
    return q;
  }
  static Query Filters(std::string status, int64_t organization_id) {
    Query q;
    q.status = std::move(status);
    q.organization_id = organization_id;
    return q;
  }
};

std::string FtsExpression(const Query& q, Kind kind) {
  if (kind == Kind::kPhrase) return "\"" + q.words[0] + " " + q.words[1] + "\"";
  std::string out;
  for (const auto& w : q.words) out += (out.empty() ? "\"" : " AND \"") + w + "\"";
  return out;
}

// --window W: how many of the newest matches are ranked (search::kRankWindow by default).
int rank_window = search::kRankWindow;

search::TicketSearch ChamadoSearch(const Query& q, Kind kind) {
  search::TicketSearch s;
  s.rank_window = rank_window;
  s.internal = true;
  s.limit = 25;
  using K = search::Clause::Kind;
  if (kind == Kind::kPhrase) s.all.push_back({{K::kPhrase, q.words[0] + " " + q.words[1]}});
  else if (kind != Kind::kFilter)
    for (const auto& w : q.words) s.all.push_back({{K::kWord, w}});
  if (kind == Kind::kFilter) {
    s.statuses = {q.status};
    s.organization_ids = {q.organization_id};
  }
  return s;
}

// Terms whose ticket count lies in [lo, hi), drawn across both languages in proportion to
// their tickets (70/30), `want` in all.
std::vector<Query> Words(std::vector<Language>& ls, int64_t lo, int64_t hi, size_t want, std::mt19937_64& rng) {
  std::vector<Query> out;
  for (size_t li = 0; li < ls.size(); ++li) {
    std::vector<uint32_t> in_band;
    for (uint32_t t = 0; t < ls[li].terms.size(); ++t)
      if (ls[li].df[t] >= lo && ls[li].df[t] < hi) in_band.push_back(t);
    std::shuffle(in_band.begin(), in_band.end(), rng);
    const size_t n = std::min(in_band.size(), li == 0 ? want * 7 / 10 : want - want * 7 / 10);
    // A surface word for the term: the first in rank order.
    std::vector<int64_t> word_of(ls[li].terms.size(), -1);
    for (size_t w = ls[li].words.size(); w-- > 0;) word_of[ls[li].term_of[w]] = int64_t(w);
    for (size_t i = 0; i < n; ++i) out.push_back(Query::Text(ls[li].code, {ls[li].words[word_of[in_band[i]]]}));
  }
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

struct Timing {
  std::vector<double> chamado, bare;  // milliseconds
  double matches = 0;                 // mean over the distinct queries
};

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, size_t(std::ceil(p * double(v.size()))) - (p > 0 ? 1 : 0))];
}

int64_t CountMatches(store::Store& st, const Query& q, Kind kind) {
  int64_t n = 0;
  auto r = st.Read<bool>([&](store::Repo& repo) -> Result<bool> {
    auto add = [&](const store::RowView& row) { n += row.Int(0); };
    if (kind == Kind::kFilter) {
      CHAMADO_TRY(repo.conn().Run("SELECT count(*) FROM tickets WHERE status = $1 AND organization_id = $2",
                                  {q.status, q.organization_id}, add));
      return true;
    }
    for (const char* l : {"pt", "en"})
      CHAMADO_TRY(repo.conn().RunDynamic(std::string("SELECT count(*) FROM ticket_fts_") + l + " WHERE ticket_fts_" + l +
                                             " MATCH $1",
                                         {store::Param(FtsExpression(q, kind))}, add));
    return true;
  });
  if (!r.ok()) std::fprintf(stderr, "count: %s\n", r.error().message.c_str()), std::exit(1);
  return n;
}

// The baseline: bare FTS5 ranking over every match (bm25, equal weights) in the pt and en
// indexes; for filters, plain SQL on tickets.
size_t Bare(store::Store& st, const Query& q, Kind kind) {
  size_t rows = 0;
  auto r = st.Read<bool>([&](store::Repo& repo) -> Result<bool> {
    auto row = [&](const store::RowView&) { ++rows; };
    if (kind == Kind::kFilter) {
      CHAMADO_TRY(repo.conn().Run("SELECT number FROM tickets WHERE status = $1 AND organization_id = $2 "
                                  "ORDER BY number DESC LIMIT 25",
                                  {q.status, q.organization_id}, row));
      return true;
    }
    for (const char* l : {"pt", "en"})
      CHAMADO_TRY(repo.conn().RunDynamic(std::string("SELECT rowid FROM ticket_fts_") + l + " WHERE ticket_fts_" + l +
                                             " MATCH $1 ORDER BY rank LIMIT 25",
                                         {store::Param(FtsExpression(q, kind))}, row));
    return true;
  });
  if (!r.ok()) std::fprintf(stderr, "bare: %s\n", r.error().message.c_str()), std::exit(1);
  return rows;
}

size_t Chamado(store::Store& st, const Query& q, Kind kind) {
  const auto s = ChamadoSearch(q, kind);
  auto r = st.Read<search::TicketHits>([&](store::Repo& repo) { return repo.SearchTickets(s); });
  if (!r.ok()) std::fprintf(stderr, "search: %s\n", r.error().message.c_str()), std::exit(1);
  return r->items.size();
}

Timing Time(store::Store& st, const std::vector<Query>& queries, Kind kind, int runs) {
  Timing t;
  for (const auto& q : queries) t.matches += double(CountMatches(st, q, kind)) / double(queries.size());
  for (const auto& q : queries) Chamado(st, q, kind), Bare(st, q, kind);  // warm
  for (int i = 0; i < runs; ++i) {
    const Query& q = queries[size_t(i) % queries.size()];
    // Alternate which goes first, so neither always finds the other's pages freshly read.
    for (int side = 0; side < 2; ++side) {
      const bool chamado = (side == 0) == (i % 2 == 0);
      const auto a = Clock::now();
      chamado ? Chamado(st, q, kind) : Bare(st, q, kind);
      (chamado ? t.chamado : t.bare).push_back(Millis(Clock::now() - a));
    }
  }
  return t;
}

// --stages: where a ranked search's time goes, on the query's own index (its language's),
// stage by stage as SearchRepo::SearchTickets runs them: the vocabulary's count of each
// term's tickets, the probe for the window's oldest match (LIMIT 1 OFFSET window-1), and the
// ranking within the window, with bm25() and without it (ORDER BY rowid: what iterating the
// matches costs alone).
void Stages(store::Store& st, const std::vector<Query>& queries, Kind kind, const char* name) {
  std::vector<double> vocab, probe, ranked, unranked;
  for (const auto& q : queries) {
    const std::string l = q.language.substr(0, 2), table = "ticket_fts_" + l, match = FtsExpression(q, kind);
    auto r = st.Read<bool>([&](store::Repo& repo) -> Result<bool> {
      const search::Analyzer analyzer(l);
      auto a = Clock::now();
      for (const auto& w : q.words)
        for (const auto& t : analyzer.Tokenize(w))
          CHAMADO_TRY(repo.conn().Run("SELECT doc FROM ticket_vocab_" + l + " WHERE term = $1", {t.term}));
      vocab.push_back(Millis(Clock::now() - a));
      std::optional<int64_t> oldest;
      a = Clock::now();
      CHAMADO_TRY(repo.conn().RunDynamic("SELECT rowid FROM " + table + " WHERE " + table + " MATCH $1 ORDER BY rowid DESC LIMIT 1 OFFSET " +
                                             std::to_string(rank_window - 1),
                                         {store::Param(match)}, [&](const store::RowView& row) { oldest = row.Int(0); }));
      probe.push_back(Millis(Clock::now() - a));
      const std::string window = oldest ? " AND rowid >= " + std::to_string(*oldest) : "";
      a = Clock::now();
      CHAMADO_TRY(repo.conn().RunDynamic("SELECT rowid, bm25(" + table + ", 5.0, 1.0, 1.0, 2.0) AS r FROM " + table + " WHERE " + table +
                                             " MATCH $1" + window + " ORDER BY r LIMIT 1001",
                                         {store::Param(match)}));
      ranked.push_back(Millis(Clock::now() - a));
      a = Clock::now();
      CHAMADO_TRY(repo.conn().RunDynamic("SELECT count(*) FROM " + table + " WHERE " + table + " MATCH $1" + window,
                                         {store::Param(match)}));
      unranked.push_back(Millis(Clock::now() - a));
      return true;
    });
    if (!r.ok()) std::fprintf(stderr, "stages: %s\n", r.error().message.c_str()), std::exit(1);
  }
  std::printf("%-13s stages p50/p99 ms: vocabulary %.2f/%.2f | window probe %.2f/%.2f | bm25 in window %.2f/%.2f | "
              "matches in window, no ranking %.2f/%.2f\n",
              name, Percentile(vocab, 0.5), Percentile(vocab, 0.99), Percentile(probe, 0.5), Percentile(probe, 0.99),
              Percentile(ranked, 0.5), Percentile(ranked, 0.99), Percentile(unranked, 0.5), Percentile(unranked, 0.99));
  std::fflush(stdout);
}

// Bytes of pages by what they hold (dbstat): the search index (ticket_fts_* shadow tables and
// ticket_search), the data it is built from (tickets and messages with their indexes), the rest.
struct Sizes {
  double index_mb = 0, data_mb = 0, other_mb = 0;
};
Sizes PageSizes(store::Store& st) {
  Sizes out;
  auto r = st.Read<bool>([&](store::Repo& repo) -> Result<bool> {
    CHAMADO_TRY(repo.conn().Run(
        "SELECT CASE WHEN d.name LIKE 'ticket_fts%' OR d.name = 'ticket_search' THEN 0 "
        "WHEN coalesce(m.tbl_name, d.name) IN ('tickets', 'messages') THEN 1 ELSE 2 END, "
        "sum(d.pgsize) FROM dbstat d LEFT JOIN sqlite_schema m ON m.name = d.name GROUP BY 1",
        {}, [&](const store::RowView& row) {
          (row.Int(0) == 0 ? out.index_mb : row.Int(0) == 1 ? out.data_mb : out.other_mb) = double(row.Int(1)) / 1048576.0;
        }));
    return true;
  });
  if (!r.ok()) std::fprintf(stderr, "dbstat: %s\n", r.error().message.c_str()), std::exit(1);
  return out;
}

// Indexes every ticket once, as `chamado search reindex` does (SearchRepo::IndexMissing, 1000
// per unit of work); returns the seconds taken.
double IndexAll(store::Store& st) {
  const auto start = Clock::now();
  for (int64_t after = 0;;) {
    auto last = st.WriteSync<search::TicketIndex::Indexed>([&](store::Repo& repo) { return repo.IndexMissing(after, kBatch); });
    if (!last.ok()) std::fprintf(stderr, "reindex: %s\n", last.error().message.c_str()), std::exit(1);
    if (last->last == 0) break;
    after = last->last;
  }
  return Seconds(Clock::now() - start);
}

}  // namespace

int main(int argc, char** argv) {
  fs::path data, corpus = CHAMADO_SEARCH_TESTDATA;
  int64_t n = 0, throughput = -1;
  uint64_t seed = 1;
  int runs = 200;
  bool reuse = false;
  bool stages = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : "";
    if (a == "--data") data = v, ++i;
    else if (a == "--tickets") n = std::atoll(v), ++i;
    else if (a == "--seed") seed = std::strtoull(v, nullptr, 10), ++i;
    else if (a == "--throughput") throughput = std::atoll(v), ++i;
    else if (a == "--runs") runs = std::atoi(v), ++i;
    else if (a == "--corpus") corpus = v, ++i;
    else if (a == "--reuse") reuse = true;
    else if (a == "--window") rank_window = std::atoi(v), ++i;
    else if (a == "--stages") stages = true;
    else return std::fprintf(stderr, "unknown argument %s\n", a.c_str()), 2;
  }
  if (data.empty() || n <= 0)
    return std::fprintf(stderr, "usage: search_bench --data DIR --tickets N [--seed S] [--throughput M] [--runs R] "
                                "[--reuse] [--corpus DIR] [--window W] [--stages]\n"), 2;
  if (throughput < 0) throughput = std::min<int64_t>(n, 100000);
  std::mt19937_64 rng(seed);
  std::vector<Language> languages;
  languages.push_back(LoadLanguage(corpus, "pt", "pt-BR", "portuguese", rng));
  languages.push_back(LoadLanguage(corpus, "en", "en", "english", rng));
  for (const auto& l : languages)
    std::printf("%s: %zu words (%d from %zu articles at the head), %zu terms, Zipf exponent %.2f\n", l.code.c_str(),
                l.words.size(), kHeadWords, l.articles.size(), l.terms.size(), kZipfExponent);

  const fs::path main_dir = data / "indexed";
  auto reset_counts = [&] {
    for (auto& l : languages) std::fill(l.df.begin(), l.df.end(), 0), std::fill(l.seen_in.begin(), l.seen_in.end(), 0),
                              l.pairs.clear();
  };

  if (!reuse) {
    // 1. Throughput: the generator alone, then without the search triggers, then with them.
    auto bare_store = OpenFresh(data / "no_index");
    if (!bare_store.ok()) return std::fprintf(stderr, "%s\n", bare_store.error().message.c_str()), 1;
    auto dropped = (*bare_store)->WriteSync<bool>([](store::Repo& repo) -> Result<bool> {
      for (const char* t : {"ticket_search_new", "ticket_search_message_before", "ticket_search_message_after",
                            "ticket_search_update_before", "ticket_search_update_after", "ticket_search_person_before",
                            "ticket_search_person_after", "ticket_search_gone"})
        CHAMADO_TRY(repo.conn().Script(std::string("DROP TRIGGER ") + t));
      return true;
    });
    if (!dropped.ok()) return std::fprintf(stderr, "%s\n", dropped.error().message.c_str()), 1;
    const People bare_people = MakePeople(**bare_store, seed);
    const auto catalog = (*bare_store)->catalog();
    const double generate_only =
        Generate(nullptr, languages, bare_people, *catalog, throughput, throughput, seed, false).total;
    reset_counts();
    const double without =
        Generate(bare_store->get(), languages, bare_people, *catalog, throughput, throughput, seed, false).total;
    const double index_once = IndexAll(**bare_store);
    const Sizes once = PageSizes(**bare_store);
    bare_store->reset();
    fs::remove_all(data / "no_index");
    reset_counts();

    auto st = OpenFresh(main_dir);
    if (!st.ok()) return std::fprintf(stderr, "%s\n", st.error().message.c_str()), 1;
    const People people = MakePeople(**st, seed);
    std::printf("generating %lld tickets with the search index:\n", (long long)n);
    const auto generated = Generate(st->get(), languages, people, *(*st)->catalog(), n, throughput, seed, true);
    st->reset();  // the last connection checkpoints the log into the file
    const double with = generated.at_mark;
    std::printf("\nindexing throughput, first %lld tickets (same seed), 1-6 messages each, 1000 per transaction, "
                "synchronous=NORMAL:\n",
                (long long)throughput);
    std::printf("  generator alone   %8.0f tickets/s\n", double(throughput) / generate_only);
    std::printf("  without index     %8.0f tickets/s  (%.1f s)\n", double(throughput) / without, without);
    std::printf("  with index        %8.0f tickets/s  (%.1f s)   ratio %.2fx slower\n", double(throughput) / with, with,
                with / without);
    std::printf("  the same finished tickets indexed once afterwards (IndexMissing, the reindex path): %.0f tickets/s "
                "(%.1f s), index %.0f MB beside data %.0f MB\n",
                double(throughput) / index_once, index_once, once.index_mb, once.data_mb);
    std::printf("  all %lld tickets with index: %.1f s, %.0f tickets/s\n", (long long)n, generated.total,
                double(n) / generated.total);
  }

  auto st = store::Store::Open({(main_dir / "chamado.db").string(), /*durable=*/false});
  if (!st.ok()) return std::fprintf(stderr, "%s\n", st.error().message.c_str()), 1;
  if (reuse) {
    // The counts, from the same generation without writing.
    People people;
    auto loaded = (*st)->Read<People>([&](store::Repo& repo) -> Result<People> {
      People p;
      CHAMADO_TRY(repo.conn().Run("SELECT id, language, organization_id, role FROM users ORDER BY id", {},
                                  [&](const store::RowView& r) {
                                    core::User u;
                                    u.id = r.Int(0);
                                    u.language = r.Str(1);
                                    u.organization_id = r.OptInt(2);
                                    (r.Str(3) == "customer" ? p.requesters : p.agents).push_back(u);
                                  }));
      CHAMADO_TRY(repo.conn().Run("SELECT id FROM organizations ORDER BY id", {}, [&](const store::RowView& r) {
        core::Organization o;
        o.id = r.Int(0);
        p.organizations.push_back(o);
      }));
      return p;
    });
    if (!loaded.ok()) return std::fprintf(stderr, "%s\n", loaded.error().message.c_str()), 1;
    people = *loaded;
    const auto t = Generate(nullptr, languages, people, *(*st)->catalog(), n, n, seed, false);
    std::printf("regenerated the counts of %lld tickets in %.1f s\n", (long long)n, t.total);
  }
  std::printf("\n");
  const Sizes sizes = PageSizes(**st);
  std::printf("sizes: file %.0f MB | tickets+messages (with their indexes) %.0f MB | search index (ticket_fts_* shadow "
              "tables, ticket_search) %.0f MB = %.2fx the data | other %.0f MB\n",
              double(fs::file_size(main_dir / "chamado.db")) / 1048576.0, sizes.data_mb, sizes.index_mb,
              sizes.index_mb / std::max(sizes.data_mb, 1e-9), sizes.other_mb);

  // 3. The query classes, by how many tickets their terms are in.
  std::vector<Query> rare = Words(languages, 1, std::max<int64_t>(2, n / 10000), 200, rng);
  std::vector<Query> common = Words(languages, n / 10, n * 4 / 10, 200, rng);
  std::vector<Query> mid = Words(languages, n / 100, n / 10, 400, rng);
  std::vector<Query> phrase, both, filter;
  for (size_t li = 0; li < languages.size(); ++li) {
    std::vector<std::pair<int64_t, uint64_t>> pairs;
    for (const auto& [key, v] : languages[li].pairs) pairs.push_back({-v.first, key});
    std::sort(pairs.begin(), pairs.end());
    for (size_t i = 0; i < pairs.size() && i < (li == 0 ? 70u : 30u); ++i)
      phrase.push_back(Query::Text(languages[li].code, {languages[li].words[pairs[i].second >> 32],
                                                        languages[li].words[pairs[i].second & 0xffffffff]}));
  }
  for (const auto& c : common)
    for (const auto& m : mid)
      if (m.language == c.language && both.size() < 200 && rng() % 8 == 0) both.push_back(Query::Text(c.language, {c.words[0], m.words[0]}));
  {
    std::vector<int64_t> orgs;
    auto r = (*st)->Read<bool>([&](store::Repo& repo) -> Result<bool> {
      CHAMADO_TRY(repo.conn().Run("SELECT id FROM organizations", {},
                                  [&](const store::RowView& row) { orgs.push_back(row.Int(0)); }));
      return true;
    });
    if (!r.ok()) return 1;
    const char* statuses[] = {"new", "open", "pending_customer", "on_hold", "solved", "closed"};
    for (int i = 0; i < 200; ++i) filter.push_back(Query::Filters(statuses[rng() % 6], orgs[rng() % orgs.size()]));
  }

  struct Class {
    const char* name;
    Kind kind;
    const std::vector<Query>* queries;
  };
  const Class classes[] = {{"rare word", Kind::kRare, &rare},     {"common word", Kind::kCommon, &common},
                           {"phrase", Kind::kPhrase, &phrase},    {"two words", Kind::kAnd, &both},
                           {"filters only", Kind::kFilter, &filter}};
  std::printf("\n%lld tickets, %d runs per class, warm cache; milliseconds; Chamado = Repo::SearchTickets (agent, limit "
              "25), bare = FTS5 MATCH ... ORDER BY rank LIMIT 25 on ticket_fts_pt and _en (filters: SQL on tickets)\n",
              (long long)n, runs);
  std::printf("%-13s %8s %11s | %8s %8s %8s | %8s %8s %8s | %6s %6s\n", "class", "queries", "avg match", "ch p50",
              "ch p99", "ch max", "bare p50", "bare p99", "bare max", "x p50", "x p99");
  for (const auto& c : classes) {
    if (c.queries->empty()) {
      std::printf("%-13s no terms in its band\n", c.name);
      continue;
    }
    if (stages) {
      if (c.kind != Kind::kFilter) Stages(**st, *c.queries, c.kind, c.name);
      continue;
    }
    const Timing t = Time(**st, *c.queries, c.kind, runs);
    const double cp50 = Percentile(t.chamado, 0.5), cp99 = Percentile(t.chamado, 0.99);
    const double bp50 = Percentile(t.bare, 0.5), bp99 = Percentile(t.bare, 0.99);
    std::printf("%-13s %8zu %11.0f | %8.2f %8.2f %8.2f | %8.2f %8.2f %8.2f | %6.2f %6.2f\n", c.name, c.queries->size(),
                t.matches, cp50, cp99, Percentile(t.chamado, 1), bp50, bp99, Percentile(t.bare, 1), cp50 / bp50,
                cp99 / bp99);
    std::fflush(stdout);
  }
}
