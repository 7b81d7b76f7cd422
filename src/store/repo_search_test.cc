// Ticket search over the store: what is indexed, when, for whom, and that the index stays
// exactly in step with the text it was built from.
#include "store/repo_search.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "search/analyzer.h"
#include "search/similar.h"
#include "store/commands.h"
#include "store/store.h"
#include "store/testing.h"
#include "store/tsvector.h"

namespace chamado::store {
namespace {
namespace fs = std::filesystem;
using namespace core;
using search::Clause;
using V = std::vector<int64_t>;

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

class SearchStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    dir_ = fs::temp_directory_path() / ("chamado_search_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = Store::Open(options_ = TestStoreOptions(dir_));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    agent_ = MakeUser("desk@desk.example", "Desk", Role::kAgent, std::nullopt, "en");
    acme_ = MakeOrg("acme");
    globex_ = MakeOrg("globex");
    ana_ = MakeUser("ana@acme.example", "Ana Souza", Role::kCustomer, acme_.id, "pt-BR");
    bob_ = MakeUser("bob@globex.example", "Bob Stone", Role::kCustomer, globex_.id, "en");
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  Organization MakeOrg(const std::string& name) {
    Organization o;
    o.name = name;
    o.created_at = At("2026-01-01T00:00:00Z");
    auto r = store_->WriteSync<Organization>([&](Repo& repo) { return repo.InsertOrganization(o); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }

  User MakeUser(const std::string& email, const std::string& name, Role role, std::optional<Id> org,
                const std::string& language) {
    User u;
    u.email = email;
    u.name = name;
    u.role = role;
    u.organization_id = org;
    u.language = language;
    u.created_at = At("2026-01-01T00:00:00Z");
    auto r = store_->WriteSync<User>([&](Repo& repo) { return repo.InsertUser(u, ""); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }

  Id Open(const User& requester, const std::string& subject, const std::string& description,
          const char* at = "2026-02-02T12:00:00Z") {
    auto policy = store_->policy();
    auto r = store_->WriteSync<Id>([&](Repo& repo) -> Result<Id> {
      OpenTicketRequest req;
      req.ticket.subject = subject;
      req.ticket.description = description;
      req.requester_email = requester.email;
      CHAMADO_ASSIGN_OR_RETURN(auto opened, OpenTicketCommand(repo, *policy, *masker_, agent_, req, At(at)));
      return opened.ticket.number;
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : 0;
  }

  void Post(Id number, const User& author, MessageKind kind, const std::string& body) {
    auto policy = store_->policy();
    auto r = store_->WriteSync<bool>([&](Repo& repo) -> Result<bool> {
      NewMessage m;
      m.kind = kind;
      m.body = body;
      CHAMADO_TRY(AddMessageCommand(repo, *policy, *masker_, author, number, m, At("2026-02-03T12:00:00Z")));
      return true;
    });
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  search::TicketHits Search(const std::string& q, bool agent = true,
                            const std::function<void(search::TicketSearch&)>& more = {}) {
    auto parsed = search::ParseTicketQuery(q);
    EXPECT_TRUE(parsed.ok());
    search::TicketSearch s;
    s.all = parsed->all;
    s.none = parsed->none;
    s.internal = agent;
    s.statuses = parsed->statuses;
    if (more) more(s);
    auto r = store_->Read<search::TicketHits>([&](Repo& repo) { return repo.SearchTickets(s); });
    EXPECT_TRUE(r.ok()) << q << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : search::TicketHits{};
  }
  V Numbers(const std::string& q, bool agent = true, const std::function<void(search::TicketSearch&)>& more = {}) {
    V out;
    for (const auto& h : Search(q, agent, more).items) out.push_back(h.number);
    std::sort(out.begin(), out.end());
    return out;
  }

  // Every index holds exactly the documents its content gives: FTS5's own check; in
  // PostgreSQL, no document left stale, and each stored one the one its ticket gives now.
  Result<bool> IndexesIntact(Repo& repo, const std::string& l) {
    if (TestEngine() == "postgresql") {
      struct Row {
        int64_t number;
        TicketText text;
      };
      std::vector<Row> rows;
      CHAMADO_TRY(repo.conn().Run("SELECT number, subject, people, internal, public FROM ticket_text WHERE language = $1", {l},
                                  [&](const RowView& r) { rows.push_back({r.Int(0), {r.Str(1), r.Str(2), r.Str(3), r.Str(4)}}); }));
      const search::Analyzer analyzer(l);
      int64_t wrong = 0;
      for (const auto& row : rows)
        CHAMADO_TRY(repo.conn().Run("SELECT count(*) FROM ticket_search WHERE number = $1 AND "
                                    "document IS DISTINCT FROM CAST($2 AS tsvector)",
                                    {row.number, TsVectorLiteral(analyzer, row.text)}, [&](const RowView& r) { wrong += r.Int(0); }));
      if (wrong > 0) return Error::Internal(std::to_string(wrong) + " document(s) stale or out of step");
      return true;
    }
    const std::string t = "ticket_fts_" + l;
    CHAMADO_TRY(repo.conn().Run("INSERT INTO " + t + " (" + t + ", rank) VALUES ('integrity-check', 1)", {}));
    return true;
  }

  void ExpectIndexesIntact() {
    for (const char* l : {"pt", "en", "es", "de", "ru"}) {
      auto r = store_->WriteSync<bool>([&](Repo& repo) { return IndexesIntact(repo, l); });
      EXPECT_TRUE(r.ok()) << l << ": " << (r.ok() ? "" : r.error().message);
    }
  }

  fs::path dir_;
  StoreOptions options_;
  std::unique_ptr<Store> store_;
  std::shared_ptr<const SecretMasker> masker_ = *SecretMasker::Make(SecretMasker::Defaults());
  User agent_, ana_, bob_;
  Organization acme_, globex_;
};

TEST_F(SearchStoreTest, ATicketIsFoundTheMomentItIsWrittenInItsLanguage) {
  const Id nfe = Open(ana_, "Erro na emissão de notas fiscais", "A configuração do certificado expirou, veja ERR_CERT_EXPIRED");
  const Id other = Open(bob_, "Cannot export the invoices", "The export button does nothing since version 2.4.1");
  EXPECT_EQ(Numbers("emissao"), V{nfe});
  EXPECT_EQ(Numbers("Configurações"), V{nfe});
  EXPECT_EQ(Numbers("\"nota fiscal\""), V{nfe});
  EXPECT_EQ(Numbers("ERR_CERT_EXPIRED"), V{nfe});
  EXPECT_EQ(Numbers("configura*"), V{nfe});
  EXPECT_EQ(Numbers("exporting invoice"), V{other});
  EXPECT_EQ(Numbers("2.4.1"), V{other});
  EXPECT_EQ(Numbers("souza"), V{nfe});                // the requester's name
  EXPECT_EQ(Numbers("bob@globex.example"), V{other});  // and email
  EXPECT_EQ(Numbers("certificado OR export"), (V{nfe, other}));
  EXPECT_EQ(Numbers("emissao -certificado"), V{});
  EXPECT_EQ(Numbers("emissao exporting"), V{});
  ExpectIndexesIntact();
}

TEST_F(SearchStoreTest, RepliesNotesAndRenamesKeepTheIndexInStep) {
  const Id n = Open(ana_, "Boleto não chega", "O boleto de março não chegou.");
  Post(n, agent_, MessageKind::kPublicReply, "Reenviamos a cobrança para o financeiro.");
  Post(n, agent_, MessageKind::kInternalNote, "Cliente inadimplente, conferir antes.");
  Post(n, ana_, MessageKind::kCustomerMessage, "Chegou, obrigada!");
  EXPECT_EQ(Numbers("cobranca"), V{n});
  EXPECT_EQ(Numbers("obrigada boleto"), V{n});  // words of different messages
  EXPECT_EQ(Numbers("inadimplente"), V{n});
  EXPECT_EQ(Numbers("inadimplente", /*agent=*/false), V{});  // customers never match internal notes
  EXPECT_EQ(Numbers("cobranca", /*agent=*/false), V{n});

  // A new subject, a renamed requester: the old words are gone, the new ones found.
  auto policy = store_->policy();
  ASSERT_TRUE(store_->WriteSync<bool>([&](Repo& repo) -> Result<bool> {
                ChangeTicketRequest change;
                change.patch.subject = "Segunda via de fatura";
                CHAMADO_TRY(ChangeTicketCommand(repo, *policy, *masker_, agent_, n, change, At("2026-02-04T00:00:00Z")));
                User renamed = ana_;
                renamed.name = "Ana Pereira";
                CHAMADO_TRY(repo.UpdateUser(renamed));
                return true;
              }).ok());
  EXPECT_EQ(Numbers("fatura"), V{n});
  EXPECT_EQ(Numbers("pereira"), V{n});
  EXPECT_EQ(Numbers("souza"), V{});
  EXPECT_EQ(Numbers("boleto"), V{n});  // still in the conversation
  ExpectIndexesIntact();
}

TEST_F(SearchStoreTest, TheIntegrityCheckCatchesAnIndexOutOfStep) {
  // The check above must be able to fail: an index whose content changed behind its back.
  Open(ana_, "Nota rejeitada", "Rejeição 539");
  ASSERT_TRUE(store_->WriteSync<bool>([&](Repo& repo) -> Result<bool> {
                CHAMADO_TRY(repo.conn().Run(TestEngine() == "postgresql"
                                                ? "ALTER TABLE tickets DISABLE TRIGGER ticket_search_update_after"
                                                : "DROP TRIGGER ticket_search_update_before",
                                            {}));
                CHAMADO_TRY(repo.conn().Run("UPDATE tickets SET subject = 'Outra coisa'", {}));
                return true;
              }).ok());
  auto r = store_->WriteSync<bool>([&](Repo& repo) { return IndexesIntact(repo, "pt"); });
  EXPECT_FALSE(r.ok());
}

TEST_F(SearchStoreTest, PhrasesAreMatchedThroughWordPairsExactly) {
  // V013: every two adjacent terms are one more term, and a phrase is the phrase of its pairs.
  const Id row = Open(ana_, "Emissão da nota fiscal eletrônica", "Erro 539 na nota fiscal eletrônica de serviço");
  const Id swapped = Open(ana_, "Fiscal da nota", "O fiscal pediu a nota");
  const Id apart = Open(ana_, "Nota de devolução", "A nota veio sem o campo fiscal");
  const Id split = Open(ana_, "Pedido nota", "fiscal eletrônica pendente");  // "nota" ends the subject
  EXPECT_EQ(Numbers("\"nota fiscal\""), V{row});
  EXPECT_EQ(Numbers("\"notas fiscais eletrônicas\""), V{row});  // three words: two pairs in a row
  EXPECT_EQ(Numbers("\"fiscal eletronica\""), (V{row, split}));
  EXPECT_EQ(Numbers("\"eletronica fiscal\""), V{});
  EXPECT_EQ(Numbers("\"fiscal nota\""), V{});
  EXPECT_EQ(Numbers("nota fiscal"), (V{row, swapped, apart, split}));  // two words, anywhere
  EXPECT_EQ(Numbers("\"nota fiscal\" -servico"), V{});
  // The pairs are terms of the ticket indexes' vocabulary; no word range reaches them.
  auto count = [&](const std::string& sql) {
    return *store_->Read<int64_t>([&](Repo& repo) -> Result<int64_t> {
      int64_t n = -1;
      CHAMADO_TRY(repo.conn().Run(sql, {}, [&](const RowView& r) { n = r.Int(0); }));
      return n;
    });
  };
  const search::Analyzer pt("pt");
  const std::string nota = pt.Term("nota"), after_nota = nota.substr(0, nota.size() - 1) + char(nota.back() + 1);
  if (TestEngine() == "postgresql") {
    // PostgreSQL matches phrases by the positions of the analyzer's terms: no pairs.
    EXPECT_EQ(count("SELECT documents FROM ticket_vocab WHERE language = 'pt' AND term = '" + nota + "'"), 4);
    EXPECT_EQ(count("SELECT count(*) FROM ticket_vocab WHERE term >= chr(2) AND term < chr(3)"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM ticket_vocab WHERE language = 'pt' AND documents > 0 AND term >= '" + nota +
                    "' AND term < '" + after_nota + "'"),
              1);
    ExpectIndexesIntact();
    return;
  }
  EXPECT_EQ(count("SELECT doc FROM ticket_vocab_pt WHERE term = '" + search::PairTerm(nota, pt.Term("fiscal")) + "'"), 1);
  EXPECT_GE(count("SELECT count(*) FROM ticket_vocab_pt WHERE term >= char(2) AND term < char(3)"), 10);
  EXPECT_EQ(count("SELECT count(*) FROM ticket_vocab_pt WHERE term >= '" + nota + "' AND term < '" + after_nota + "'"), 1);
  ExpectIndexesIntact();
}

TEST_F(SearchStoreTest, OneWordIsRankedInBm25sOrderWithoutItsCount) {
  if (TestEngine() == "postgresql") GTEST_SKIP() << "chamado_rank and bm25 are SQLite's FTS5 functions; PostgreSQL ranks with ts_rank";
  // chamado_rank is bm25 without the inverse document frequency (one factor of every score
  // when there is one phrase): the same order, scores in one ratio.
  const std::string texts[][2] = {{"Printer jam", "The printer jams on every page, printer tray two."},
                            {"Cannot print", "Printing a long report stops halfway; the printer shows nothing."},
                            {"Invoice question", "Which printer settings do invoices need? Also the logo."},
                            {"Printer", "printer"},
                            {"Slow login", "Login takes a minute since Monday, printer unrelated, long text " + std::string(200, 'x') + " end"}};
  for (auto& t : texts) Open(bob_, t[0], t[1]);
  for (const char* match : {"printer", "\"printer tray\"", "{subject public people} : (printer)"}) {
    auto ranks = [&](const std::string& fn) {
      return *store_->Read<std::vector<std::pair<int64_t, double>>>([&](Repo& repo) -> Result<std::vector<std::pair<int64_t, double>>> {
        std::vector<std::pair<int64_t, double>> out;
        CHAMADO_TRY(repo.conn().RunDynamic("SELECT rowid, " + fn + "(ticket_fts_en, 5.0, 1.0, 1.0, 2.0) AS r FROM ticket_fts_en "
                                           "WHERE ticket_fts_en MATCH $1 ORDER BY r, rowid",
                                           {Param(std::string(match))}, [&](const RowView& r) { out.push_back({r.Int(0), r.Real(1)}); }));
        return out;
      });
    };
    const auto bm25 = ranks("bm25"), ours = ranks("chamado_rank");
    ASSERT_EQ(bm25.size(), ours.size()) << match;
    ASSERT_FALSE(bm25.empty()) << match;
    for (size_t i = 0; i < bm25.size(); ++i) {
      EXPECT_EQ(bm25[i].first, ours[i].first) << match << " #" << i;
      EXPECT_NEAR(bm25[i].second / ours[i].second, bm25[0].second / ours[0].second, 1e-9) << match << " #" << i;
    }
  }
}

TEST_F(SearchStoreTest, CustomersSearchOnlyWhatTheyMaySee) {
  const Id mine = Open(ana_, "Relatório lento", "O relatório de vendas demora");
  Open(bob_, "Slow report", "The sales report is slow");
  const auto acme_only = [&](search::TicketSearch& s) { s.visible_organization_id = acme_.id; };
  EXPECT_EQ(Numbers("relatorio OR report", false, acme_only), V{mine});
  EXPECT_EQ(Numbers("", false, acme_only), V{mine});
}

TEST_F(SearchStoreTest, FiltersAloneListNewestFirstAndExclusionsStillApply) {
  const Id a = Open(ana_, "Primeiro", "pix atrasado");
  const Id b = Open(ana_, "Segundo", "boleto atrasado");
  const Id c = Open(bob_, "Third", "late payment");
  auto hits = Search("", true, [&](auto& s) { s.organization_ids = {acme_.id}; });
  ASSERT_EQ(hits.items.size(), 2u);
  EXPECT_EQ(hits.items[0].number, b);
  EXPECT_EQ(hits.items[1].number, a);
  EXPECT_EQ(Numbers("-pix", true, [&](auto& s) { s.organization_ids = {acme_.id}; }), V{b});
  EXPECT_EQ(Numbers("status:new"), (V{a, b, c}));
  EXPECT_EQ(Numbers("status:closed"), V{});
}

TEST_F(SearchStoreTest, TheSubjectWeighsMoreThanTheConversation) {
  const Id body = Open(ana_, "Dúvida geral", "Tenho uma dúvida sobre a integração com o banco e também sobre outras coisas");
  const Id subject = Open(ana_, "Integração bancária", "Não funciona desde ontem, o extrato não aparece");
  const auto hits = Search("integracao");
  ASSERT_EQ(hits.items.size(), 2u);
  EXPECT_EQ(hits.items[0].number, subject);
  EXPECT_EQ(hits.items[1].number, body);
  EXPECT_GT(hits.items[0].score, hits.items[1].score);
}

TEST_F(SearchStoreTest, PagesAreSlicesOfOneRanking) {
  for (int i = 0; i < 7; ++i) Open(bob_, "Printer jam " + std::to_string(i), "paper stuck");
  std::vector<int64_t> all, paged;
  for (const auto& h : Search("printer", true, [](auto& s) { s.limit = 100; }).items) all.push_back(h.number);
  ASSERT_EQ(all.size(), 7u);
  for (int offset = 0; offset < 7; offset += 3) {
    auto page = Search("printer", true, [&](auto& s) {
      s.offset = offset;
      s.limit = 3;
    });
    EXPECT_EQ(page.more, offset + 3 < 7) << offset;
    EXPECT_EQ(page.total, 7);
    for (const auto& h : page.items) paged.push_back(h.number);
  }
  EXPECT_EQ(paged, all);
}

TEST_F(SearchStoreTest, TicketsWrittenBeforeTheIndexAreIndexedInResumableBatches) {
  std::vector<Id> numbers;
  for (int i = 0; i < 12; ++i) numbers.push_back(Open(i % 2 ? bob_ : ana_, "Chamado antigo " + std::to_string(i), "antigo"));
  // As a database migrated from before the index: no ticket has its search row or document.
  ASSERT_TRUE(store_->WriteSync<bool>([&](Repo& repo) -> Result<bool> {
                for (const char* l : {"pt", "en", "es", "de", "ru"})
                  if (TestEngine() == "sqlite")
                    CHAMADO_TRY(repo.conn().Run(std::string("INSERT INTO ticket_fts_") + l + " (ticket_fts_" + l +
                                                    ") VALUES ('delete-all')",
                                                {}));
                CHAMADO_TRY(repo.conn().Run("DELETE FROM ticket_search", {}));
                return true;
              }).ok());
  EXPECT_EQ(Numbers("antigo"), V{});
  auto missing = [&] { return *store_->Read<int64_t>([](Repo& repo) { return repo.CountMissing(); }); };
  EXPECT_EQ(missing(), 12);
  // Five at a time; a run started again from the beginning (resumed) takes up where the
  // last one stopped.
  using Indexed = search::TicketIndex::Indexed;
  auto index = [&](int64_t after) { return *store_->WriteSync<Indexed>([&](Repo& repo) { return repo.IndexMissing(after, 5); }); };
  auto batch = index(0);
  EXPECT_EQ(batch.last, numbers[4]);
  EXPECT_EQ(batch.count, 5);
  EXPECT_EQ(missing(), 7);
  batch = index(0);
  EXPECT_EQ(batch.last, numbers[9]);
  while (batch.last != 0) batch = index(batch.last);
  EXPECT_EQ(missing(), 0);
  EXPECT_EQ(Numbers("antigo"), V(numbers.begin(), numbers.end()));
  ExpectIndexesIntact();
}

TEST_F(SearchStoreTest, ANewAnalyzerEmptiesTheIndexesBuiltByTheOldOne) {
  const Id n = Open(ana_, "Certificado vencido", "A1 expirou");
  auto match = [&](int version) { return *store_->WriteSync<bool>([&](Repo& repo) { return repo.MatchAnalyzer(version); }); };
  EXPECT_FALSE(match(search::kAnalyzerVersion));  // set when the store opened
  EXPECT_TRUE(match(search::kAnalyzerVersion + 1));
  EXPECT_EQ(Numbers("certificado"), V{});  // not indexed until the background pass (or reindex)
  ASSERT_TRUE(store_->WriteSync<search::TicketIndex::Indexed>([&](Repo& repo) { return repo.IndexMissing(0, 100); }).ok());
  EXPECT_EQ(Numbers("certificado"), V{n});
  ExpectIndexesIntact();
}

TEST_F(SearchStoreTest, SimilarOpenTicketsOfTheSameOrganization) {
  const Id a = Open(ana_, "Boleto de março não chegou", "O boleto de março não chegou no e-mail do financeiro.");
  const Id b = Open(ana_, "Não recebi o boleto", "Ainda não chegou o boleto deste mês (março) no nosso e-mail.");
  const Id other = Open(ana_, "Relatório de vendas lento", "O relatório de vendas demora muito para abrir.");
  Open(bob_, "Boleto de março", "Não chegou o boleto de março.");  // another organization
  auto similar = [&](Id n) {
    SimilarQuery q;
    auto t = *store_->Read<std::optional<Ticket>>([&](Repo& repo) { return repo.GetTicket(n); });
    q.subject = t->subject;
    q.body = "";
    q.language = "pt-BR";
    q.exclude = n;
    q.organization_id = acme_.id;
    return *store_->Read<std::vector<SimilarHit>>([&](Repo& repo) { return repo.SimilarTickets(q); });
  };
  const auto hits = similar(a);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].number, b);
  EXPECT_GT(hits[0].score, 0.3);
  EXPECT_LE(hits[0].score, 1.0);
  EXPECT_TRUE(similar(other).empty());
}

// Precision of duplicate hints on labelled pairs (tests/search/similar/pairs.tsv: 140 pairs,
// pt-BR and en, half duplicates, most others hard negatives): each pair's two tickets are
// opened by one organization, and the first's hints are asked for. Prints the figures.
TEST_F(SearchStoreTest, DuplicateHintsOnLabelledPairs) {
  std::ifstream in(CHAMADO_PAIRS);
  ASSERT_TRUE(in.good());
  std::string line;
  struct Count {
    int tp = 0, fp = 0, fn = 0, tn = 0;
  };
  std::map<std::string, Count> by;
  std::vector<std::pair<double, bool>> scored;
  int i = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, '\t');) f.push_back(x);
    ASSERT_EQ(f.size(), 7u) << line;
    const auto org = MakeOrg("pair" + std::to_string(++i));
    const auto who = MakeUser("p" + std::to_string(i) + "@pairs.example", "Cliente " + std::to_string(i), Role::kCustomer,
                              org.id, f[1]);
    const Id first = Open(who, f[3], f[4]);
    const Id second = Open(who, f[5], f[6]);
    SimilarQuery q{f[3], f[4], f[1], first, org.id, std::nullopt, 5, 0.0};
    auto hits = *store_->Read<std::vector<SimilarHit>>([&](Repo& repo) { return repo.SimilarTickets(q); });
    double score = 0;
    for (const auto& h : hits)
      if (h.number == second) score = h.score;
    const bool duplicate = f[2] == "duplicate";
    scored.emplace_back(score, duplicate);
    const bool flagged = score >= search::kLikelySameCase;
    for (const std::string& k : {f[1], std::string("all")}) {
      auto& c = by[k];
      (flagged ? (duplicate ? c.tp : c.fp) : (duplicate ? c.fn : c.tn))++;
    }
  }
  std::printf("\nduplicate hints at score >= %.2f\n%-6s %5s %9s %7s\n", search::kLikelySameCase, "pairs", "n", "precision", "recall");
  for (const char* k : {"pt-BR", "en", "all"}) {
    const auto& c = by[k];
    std::printf("%-6s %5d %9.3f %7.3f\n", k, c.tp + c.fp + c.fn + c.tn, c.tp + c.fp ? double(c.tp) / (c.tp + c.fp) : 0.0,
                c.tp + c.fn ? double(c.tp) / (c.tp + c.fn) : 0.0);
  }
  std::printf("threshold sweep (all pairs): ");
  for (double t : {0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5}) {
    int tp = 0, fp = 0, fn = 0;
    for (auto [score, dup] : scored) {
      if (score >= t) (dup ? tp : fp)++;
      else if (dup) ++fn;
    }
    std::printf("%.2f: P %.2f R %.2f; ", t, tp + fp ? double(tp) / (tp + fp) : 0.0, tp + fn ? double(tp) / (tp + fn) : 0.0);
  }
  std::printf("\n");
  const auto& all = by["all"];
  ASSERT_GE(all.tp + all.fp + all.fn + all.tn, 100);
  EXPECT_GE(double(all.tp) / std::max(1, all.tp + all.fp), 0.85);  // a hint is right
  EXPECT_GE(double(all.tp) / std::max(1, all.tp + all.fn), 0.5);   // and most duplicates get one
}

TEST_F(SearchStoreTest, ManyMatchesAreRankedWithinTheMostRecentWindow) {
  // The window is 10,000 tickets in use; the behaviour is the same at any size.
  std::vector<Id> n;
  for (int i = 0; i < 5; ++i) n.push_back(Open(bob_, i == 0 ? "Login login login" : "Login", "cannot sign in"));
  const auto window = [](search::TicketSearch& s) { s.rank_window = 2; };
  auto hits = Search("login", true, window);
  EXPECT_TRUE(hits.windowed);
  EXPECT_TRUE(hits.total_capped);
  V got;
  for (const auto& h : hits.items) got.push_back(h.number);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (V{n[3], n[4]}));  // the oldest (and best) match is outside the window
  EXPECT_FALSE(Search("login").windowed);
  EXPECT_EQ(Search("login").items[0].number, n[0]);
}

TEST_F(SearchStoreTest, QuotesBackslashesAndLongTextsAreIndexedAsTheyAre) {
  const Id paths = Open(bob_, "Path C:\\Users\\bob's \"files\"", "O'Brien's share \\\\server\\backup fails: it's 'denied'");
  // A pasted log past PostgreSQL's 16,383 positions of a document, in messages of 200 KB.
  const Id pasted = Open(bob_, "Pasted log", "line0 starts it");
  for (int m = 0; m < 4; ++m) {
    std::string log;
    for (int i = 0; i < 12000; ++i) log += "line" + std::to_string(m * 12000 + i) + " timeout\n";
    Post(pasted, bob_, MessageKind::kCustomerMessage, log);
  }
  EXPECT_EQ(Numbers("O'Brien"), V{paths});
  EXPECT_EQ(Numbers("\"it's denied\""), V{paths});
  EXPECT_EQ(Numbers("server backup"), V{paths});
  EXPECT_EQ(Numbers("\"line0 starts\""), V{pasted});
  EXPECT_EQ(Numbers("timeout"), V{pasted});
  EXPECT_EQ(Numbers("line47999"), V{pasted});  // the last word, past the positions
  ExpectIndexesIntact();
}

TEST_F(SearchStoreTest, ClausesWithoutTermsMatchNothing) {
  // A clause of punctuation alone (the query parser drops those; other callers may not) has no
  // terms: FTS5's empty phrase, which matches nothing, and no invalid query on either engine.
  const Id n = Open(bob_, "Printer offline", "since Monday");
  const Clause empty{Clause::Kind::kPhrase, "!!! ..."}, printer{Clause::Kind::kWord, "printer"};
  auto with = [](std::vector<std::vector<Clause>> all, std::vector<Clause> none) {
    return [=](search::TicketSearch& s) {
      s.all = all;
      s.none = none;
    };
  };
  EXPECT_EQ(Numbers("", true, with({{empty}}, {})), V{});
  EXPECT_EQ(Numbers("", true, with({{printer}, {empty}}, {})), V{});
  EXPECT_EQ(Numbers("", true, with({{printer, empty}}, {})), V{n});
  EXPECT_EQ(Numbers("", true, with({{printer}}, {empty})), V{n});
  EXPECT_EQ(Numbers("", false, with({}, {empty})), V{n});
}

TEST_F(SearchStoreTest, StaleDocumentsCountAsMissingUntilFilled) {
  if (TestEngine() != "postgresql") GTEST_SKIP() << "SQLite's FTS5 triggers write the index itself: no stale documents";
  std::vector<Id> numbers;
  for (int i = 0; i < 8; ++i) numbers.push_back(Open(bob_, "Printer " + std::to_string(i), "offline"));
  auto counts = *store_->WriteSync<std::vector<int64_t>>([&](Repo& repo) -> Result<std::vector<int64_t>> {
    // Every document stale, as a rename of a person with many tickets makes them.
    CHAMADO_TRY(repo.conn().Run("UPDATE ticket_search SET people = people", {}));
    std::vector<int64_t> out;
    CHAMADO_ASSIGN_OR_RETURN(auto before, repo.CountMissing());
    out.push_back(before);
    CHAMADO_ASSIGN_OR_RETURN(auto indexed, repo.IndexMissing(0, 3));
    out.push_back(indexed.count);
    CHAMADO_ASSIGN_OR_RETURN(auto after, repo.CountMissing());
    out.push_back(after);
    CHAMADO_ASSIGN_OR_RETURN(auto filled, repo.FillStaleDocuments(2));
    out.push_back(filled);
    return out;
  });
  EXPECT_EQ(counts, (std::vector<int64_t>{8, 3, 5, 2}));
  // The writer filled the rest before its COMMIT.
  EXPECT_EQ(*store_->Read<int64_t>([](Repo& repo) { return repo.CountMissing(); }), 0);
  EXPECT_EQ(Numbers("printer offline"), V(numbers.begin(), numbers.end()));
  ExpectIndexesIntact();
}

}  // namespace
}  // namespace chamado::store
