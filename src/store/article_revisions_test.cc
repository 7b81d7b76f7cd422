// Article revisions and help images in the store: every save that changes something is a
// revision with its author and full content, a no-change save is none, a stale base revision
// is a conflict, and images are recorded once per content and name.
#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>

#include "help/article.h"
#include "store/store.h"
#include "store/testing.h"

namespace chamado::store {
namespace {
namespace fs = std::filesystem;

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

help::Article Make(const std::string& title, const std::string& body, bool published = true) {
  help::Article a;
  a.key = "invoices-issue-nfe";
  a.language = "pt-BR";
  a.title = title;
  a.slug = help::Slug(title);
  a.body = body;
  a.product = "Financeiro";
  a.module = "Notas fiscais";
  a.published = published;
  a.tags = {"nfe"};
  return a;
}

class ArticleRevisionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    dir_ = fs::temp_directory_path() / ("chamado_revisions_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = Store::Open(options_ = TestStoreOptions(dir_));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    auto agent = store_->WriteSync<core::Id>([](Repo& repo) -> Result<core::Id> {
      core::User u;
      u.email = "ana@desk.example";
      u.name = "Ana Agent";
      u.role = core::Role::kAgent;
      u.created_at = At("2026-03-01T00:00:00Z");
      CHAMADO_ASSIGN_OR_RETURN(auto saved, repo.InsertUser(u, ""));
      return saved.id;
    });
    ASSERT_TRUE(agent.ok()) << agent.error().message;
    agent_ = *agent;
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  Result<ArticleRepo::Put> Save(const help::Article& a, const char* at, ArticleSave save) {
    return store_->WriteSync<ArticleRepo::Put>([&](Repo& repo) { return repo.PutArticle(a, At(at), save); });
  }
  core::Id ArticleId() {
    auto a = store_->ReadOne<std::optional<help::Article>>([](Repo& repo) { return repo.GetArticle("invoices-issue-nfe", "pt-BR"); });
    return a.ok() && *a ? (*a)->id : 0;
  }
  std::vector<TranslationRevision> Revisions() {
    const core::Id id = ArticleId();
    auto r = store_->ReadOne<std::vector<TranslationRevision>>([&](Repo& repo) { return repo.ListArticleRevisions(id); });
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<TranslationRevision>{};
  }

  fs::path dir_;
  StoreOptions options_;
  std::unique_ptr<Store> store_;
  core::Id agent_ = 0;
};

TEST_F(ArticleRevisionsTest, EverySaveThatChangesSomethingIsARevision) {
  ASSERT_EQ(*Save(Make("Como emitir", "Passo 1\n"), "2026-03-02T10:00:00Z", {}), ArticleRepo::Put::kCreated);
  ASSERT_EQ(*Save(Make("Como emitir", "Passo 1\n"), "2026-03-02T11:00:00Z", {agent_, 1, {}}), ArticleRepo::Put::kUnchanged);
  ASSERT_EQ(*Save(Make("Como emitir", "Passo 1\nPasso 2\n", false), "2026-03-02T12:00:00Z", {agent_, 1, {}}),
            ArticleRepo::Put::kUpdated);
  const auto revs = Revisions();
  ASSERT_EQ(revs.size(), 2u);
  EXPECT_EQ(revs[0].number, 2);  // newest first
  EXPECT_EQ(revs[0].author_id, agent_);
  EXPECT_EQ(revs[0].author_name, "Ana Agent");
  EXPECT_FALSE(revs[0].content.published);
  EXPECT_EQ(revs[0].created_at, At("2026-03-02T12:00:00Z"));
  EXPECT_TRUE(revs[0].content.body.empty());  // lists carry no bodies
  EXPECT_EQ(revs[1].number, 1);
  EXPECT_FALSE(revs[1].author_id.has_value());  // files
  EXPECT_EQ(revs[1].author_name, "");
  EXPECT_TRUE(revs[1].content.published);

  const core::Id id = ArticleId();
  auto first = store_->ReadOne<std::optional<TranslationRevision>>([&](Repo& repo) { return repo.GetArticleRevision(id, 1); });
  ASSERT_TRUE(first.ok() && *first);
  EXPECT_EQ((*first)->content.body, "Passo 1\n");
  EXPECT_EQ((*first)->content.title, "Como emitir");
  EXPECT_EQ((*first)->content.tags, std::vector<std::string>{"nfe"});
  auto none = store_->ReadOne<std::optional<TranslationRevision>>([&](Repo& repo) { return repo.GetArticleRevision(id, 3); });
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
}

TEST_F(ArticleRevisionsTest, AStaleBaseRevisionIsAConflictNamingWhoSavedSince) {
  ASSERT_TRUE(Save(Make("Como emitir", "v1\n"), "2026-03-02T10:00:00Z", {agent_, 0, {}}).ok());
  ASSERT_TRUE(Save(Make("Como emitir", "v2 by Ana\n"), "2026-03-02T11:00:00Z", {agent_, 1, {}}).ok());
  auto late = Save(Make("Como emitir", "v2 by Bruno\n"), "2026-03-02T11:05:00Z", {agent_, 1, {}});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  EXPECT_NE(late.error().message.find("Revision 2"), std::string::npos) << late.error().message;
  EXPECT_NE(late.error().message.find("Ana Agent"), std::string::npos) << late.error().message;
  // The same content as the latest is no conflict: nothing would be lost.
  EXPECT_EQ(*Save(Make("Como emitir", "v2 by Ana\n"), "2026-03-02T11:06:00Z", {agent_, 1, {}}), ArticleRepo::Put::kUnchanged);
  // Creating what exists already, and updating what does not.
  auto twice = Save(Make("Como emitir", "other\n"), "2026-03-02T11:07:00Z", {agent_, 0, {}});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  help::Article other = Make("Other", "x\n");
  other.key = "never-saved";
  auto missing = Save(other, "2026-03-02T11:08:00Z", {agent_, 4, {}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Revisions().size(), 2u);
}

TEST_F(ArticleRevisionsTest, TheEditorsListHasTheLatestRevisionAndFilters) {
  ASSERT_TRUE(Save(Make("Como emitir", "v1\n"), "2026-03-02T10:00:00Z", {}).ok());
  ASSERT_TRUE(Save(Make("Como emitir", "v2\n", false), "2026-03-02T11:00:00Z", {agent_, {}, 1}).ok());
  help::Article en = Make("How to issue", "v1\n");
  en.language = "en";
  ASSERT_TRUE(Save(en, "2026-03-02T10:00:00Z", {}).ok());
  auto all = store_->ReadOne<Paged<EditedArticle>>([](Repo& repo) { return repo.ListEditedArticles({}, {1, ""}); });
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->items.size(), 1u);
  EXPECT_EQ(all->items[0].article.language, "en");
  EXPECT_EQ(all->items[0].latest.number, 1);
  ASSERT_FALSE(all->next.empty());
  auto rest = store_->ReadOne<Paged<EditedArticle>>([&](Repo& repo) { return repo.ListEditedArticles({}, {1, all->next}); });
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].article.language, "pt-BR");
  EXPECT_EQ(rest->items[0].latest.number, 2);
  EXPECT_EQ(rest->items[0].latest.restored_from, 1);
  EXPECT_EQ(rest->items[0].latest.author_name, "Ana Agent");
  EXPECT_TRUE(rest->next.empty());
  EditorFilter drafts;
  drafts.status = "draft";
  auto d = store_->ReadOne<Paged<EditedArticle>>([&](Repo& repo) { return repo.ListEditedArticles(drafts, {50, ""}); });
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->items.size(), 1u);
  EXPECT_EQ(d->items[0].article.language, "pt-BR");
  auto places = store_->ReadOne<std::vector<ArticleRepo::Place>>([](Repo& repo) { return repo.ArticlePlaces(); });
  ASSERT_TRUE(places.ok());
  ASSERT_EQ(places->size(), 1u);
  EXPECT_EQ((*places)[0].articles, 2);
}

TEST_F(ArticleRevisionsTest, ImagesAreRecordedOncePerContentAndNameAndKeepTheirFile) {
  HelpImage img{0, std::string(64, 'a'), "form.png", "image/png", 10, {}};
  auto first = store_->WriteSync<HelpImage>([&](Repo& repo) { return repo.AddHelpImage(img, agent_, At("2026-03-02T10:00:00Z")); });
  auto again = store_->WriteSync<HelpImage>([&](Repo& repo) { return repo.AddHelpImage(img, std::nullopt, At("2026-03-03T10:00:00Z")); });
  ASSERT_TRUE(first.ok() && again.ok()) << first.error().message;
  EXPECT_EQ(first->id, again->id);
  EXPECT_EQ(again->created_at, At("2026-03-03T10:00:00Z"));  // an upload again restarts retention's count
  img.filename = "other.png";
  auto renamed = store_->WriteSync<HelpImage>([&](Repo& repo) { return repo.AddHelpImage(img, agent_, At("2026-03-02T10:00:00Z")); });
  ASSERT_TRUE(renamed.ok());
  EXPECT_NE(renamed->id, first->id);
  auto got = store_->ReadOne<std::optional<HelpImage>>([&](Repo& repo) { return repo.GetHelpImage(first->id); });
  ASSERT_TRUE(got.ok() && *got);
  EXPECT_EQ((*got)->filename, "form.png");
  // Retention keeps the bytes of a help image.
  auto named = store_->ReadOne<bool>([&](Repo& repo) { return repo.IsFileNamed(std::string(64, 'a')); });
  ASSERT_TRUE(named.ok());
  EXPECT_TRUE(*named);
}

}  // namespace
}  // namespace chamado::store
