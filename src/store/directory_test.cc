#include "store/directory.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <tuple>

#include "store/store.h"
#include "store/testing.h"

namespace chamado::store {
namespace {
namespace fs = std::filesystem;
using namespace core;

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

// An audit event outside tickets, as stored.
struct Audit {
  std::string kind;
  Id actor_id = 0;
  std::string data;  // {"changes":[...]}
  bool operator==(const Audit&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Audit& a) {
  return os << "{" << a.kind << ", actor " << a.actor_id << ", " << a.data << "}";
}

std::vector<std::string> FieldsOf(const Error& e) {
  std::vector<std::string> out;
  for (const auto& f : e.fields) out.push_back(f.field);
  return out;
}

class DirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("chamado_directory_test_" + std::to_string(::getpid()) + "_" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = Store::Open(options_ = TestStoreOptions(dir_));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  template <class T>
  Result<T> Write(std::function<Result<T>(Repo&)> work) {
    return store_->WriteSync<T>(std::move(work));
  }

  // The directory's audit events, oldest first.
  std::vector<Audit> Audits() {
    auto r = store_->Read<std::vector<Audit>>([](Repo& repo) -> Result<std::vector<Audit>> {
      std::vector<Audit> out;
      CHAMADO_TRY(repo.conn().Run("SELECT kind, actor_id, data FROM events WHERE ticket_number IS NULL ORDER BY id", {},
                                  [&](const RowView& row) { out.push_back({row.Str(0), row.Int(1), row.Str(2)}); }));
      return out;
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : std::vector<Audit>{};
  }

  Organization MakeOrganization(const std::string& name, std::vector<std::string> domains = {}) {
    OrganizationInput in;
    in.name = name;
    in.domains = std::move(domains);
    auto r = Write<Organization>([&](Repo& repo) { return CreateOrganizationCommand(repo, in, 7, kT0); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }

  const Instant kT0 = At("2026-03-02T09:00:00Z");
  fs::path dir_;
  StoreOptions options_;
  std::unique_ptr<Store> store_;
};

TEST_F(DirectoryTest, CreatingAnOrganizationRecordsItsName) {
  OrganizationInput in;
  in.name = "  Globex GmbH ";
  in.plan = "premium";
  in.language = "de";
  in.time_zone = "Europe/Berlin";
  in.domains = {{"Globex.DE", "globex.de", "globex.com"}};
  auto r = Write<Organization>([&](Repo& repo) { return CreateOrganizationCommand(repo, in, 7, kT0); });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->name, "Globex GmbH");
  EXPECT_EQ(r->domains, (std::vector<std::string>{"globex.com", "globex.de"}));
  EXPECT_EQ(r->created_at, kT0);
  EXPECT_EQ(Audits(), (std::vector<Audit>{
                          {"organization.created", 7, R"({"changes":[{"field":"name","before":"","after":"Globex GmbH"}]})"}}));
}

TEST_F(DirectoryTest, AnOrganizationTakesEnglishAndUtcUnlessTold) {
  const auto o = MakeOrganization("Initech");
  EXPECT_EQ(o.language, "en");
  EXPECT_EQ(o.time_zone, "UTC");
  EXPECT_EQ(o.plan, "");
}

TEST_F(DirectoryTest, UpdatingAnOrganizationRecordsWhatDecidesServiceAndRouting) {
  const auto o = MakeOrganization("Initech", {"initech.com"});
  auto policy = store_->policy();
  OrganizationInput in;
  in.plan = "premium";
  in.domains = {{"initech.com", "initech.net"}};
  in.notes = "Prefers phone.";
  auto r = Write<Organization>([&](Repo& repo) { return UpdateOrganizationCommand(repo, *policy, o.id, in, 8, kT0); });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->notes, "Prefers phone.");
  EXPECT_EQ(r->name, "Initech");
  // Notes alone change nothing that is audited.
  OrganizationInput notes;
  notes.notes = "Prefers mail.";
  ASSERT_TRUE(Write<Organization>([&](Repo& repo) { return UpdateOrganizationCommand(repo, *policy, o.id, notes, 8, kT0); }).ok());
  const auto audits = Audits();
  ASSERT_EQ(audits.size(), 2u);
  EXPECT_EQ(audits[1], (Audit{"organization.updated", 8,
                              R"({"changes":[{"field":"plan","before":"","after":"premium"},)"
                              R"({"field":"domains","before":"initech.com","after":"initech.com, initech.net"}]})"}));
}

TEST_F(DirectoryTest, UpdatingAMissingOrganizationIsNotFound) {
  auto policy = store_->policy();
  auto r = Write<Organization>([&](Repo& repo) { return UpdateOrganizationCommand(repo, *policy, 99, {}, 8, kT0); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().message, "Organization 99 does not exist.");
}

TEST_F(DirectoryTest, OrganizationValuesAreRefusedFieldByFieldAndNothingIsWritten) {
  OrganizationInput in;
  in.plan = "Premium Plus";
  in.language = "fr";
  in.time_zone = "Mars/Olympus";
  in.domains = {{"acme.example", "not a domain"}};
  auto r = Write<Organization>([&](Repo& repo) { return CreateOrganizationCommand(repo, in, 7, kT0); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(FieldsOf(r.error()), (std::vector<std::string>{"name", "plan", "language", "time_zone", "domains"}));
  EXPECT_EQ(r.error().message, "The field \"name\" is required: the company's name. (and 4 more problem(s), listed in errors)");
  EXPECT_EQ(r.error().fields[4].message, "\"not a domain\" is not an email domain such as example.com.");
  EXPECT_TRUE(Audits().empty());
  // The same problems, before any write.
  EXPECT_EQ(OrganizationProblems(in, true).size(), 5u);
  EXPECT_EQ(OrganizationProblems(in, false).size(), 4u) << "an update keeps the name";
}

TEST_F(DirectoryTest, CreatingPeopleRecordsContactOrAgent) {
  const auto acme = MakeOrganization("Acme");
  UserInput contact;
  contact.email = "Ana@Acme.example";
  contact.name = "Ana";
  contact.organization_id = std::optional<Id>(acme.id);
  UserInput admin;
  admin.email = "boss@desk.example";
  admin.role = "admin";
  admin.languages = {{"en", "pt-BR"}};
  auto r = Write<std::pair<User, User>>([&](Repo& repo) -> Result<std::pair<User, User>> {
    CHAMADO_ASSIGN_OR_RETURN(auto c, CreateUserCommand(repo, UserKind::kContact, contact, "", 7, kT0));
    CHAMADO_ASSIGN_OR_RETURN(auto a, CreateUserCommand(repo, UserKind::kAgent, admin, "hash", 7, kT0));
    return std::make_pair(c, a);
  });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->first.email, "ana@acme.example");
  EXPECT_EQ(r->first.role, Role::kCustomer);
  EXPECT_EQ(r->first.organization_id, acme.id);
  EXPECT_EQ(r->first.language, "en");
  EXPECT_EQ(r->second.role, Role::kAdmin);
  const auto audits = Audits();
  ASSERT_EQ(audits.size(), 3u);
  EXPECT_EQ(audits[1], (Audit{"contact.created", 7, R"({"changes":[{"field":"email","before":"","after":"ana@acme.example"}]})"}));
  EXPECT_EQ(audits[2], (Audit{"agent.created", 7, R"({"changes":[{"field":"email","before":"","after":"boss@desk.example"}]})"}));
}

TEST_F(DirectoryTest, PersonValuesAreRefusedFieldByField) {
  UserInput in;
  in.email = "not-an-email";
  in.name = "two\nlines";
  in.languages = {{"en", "xx"}};
  in.role = "customer";
  auto r = Write<User>([&](Repo& repo) { return CreateUserCommand(repo, UserKind::kAgent, in, "", 7, kT0); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(FieldsOf(r.error()), (std::vector<std::string>{"email", "name", "languages", "role"}));
  EXPECT_EQ(r.error().fields[0].message, "\"not-an-email\" is not a valid email address.");
  EXPECT_EQ(r.error().fields[3].message, "An agent's role is agent or admin.");

  // Fields of the other kind are refused, not ignored.
  UserInput contact;
  contact.email = "c@acme.example";
  contact.group_ids = {{1}};
  EXPECT_EQ(FieldsOf(Error::Invalid(NewUserProblems(UserKind::kContact, contact))), (std::vector<std::string>{"group_ids"}));

  UserInput nobody;
  auto missing = NewUserProblems(UserKind::kContact, nobody);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].message, "The field \"email\" is required: the person's email address.");
  EXPECT_TRUE(Audits().empty());
}

TEST_F(DirectoryTest, AContactsOrganizationMustExist) {
  UserInput in;
  in.email = "c@acme.example";
  in.organization_id = std::optional<Id>(42);
  auto r = Write<User>([&](Repo& repo) { return CreateUserCommand(repo, UserKind::kContact, in, "", 7, kT0); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(FieldsOf(r.error()), (std::vector<std::string>{"organization_id"}));
  EXPECT_EQ(r.error().message, "Organization 42 does not exist.");
}

// A contact speaks their organization's language and lives in its time zone unless told
// otherwise, whichever door they came in by (API, command line, mail).
TEST_F(DirectoryTest, AContactTakesTheOrganizationsLanguageUnlessTold) {
  OrganizationInput o;
  o.name = "Acme Brasil";
  o.language = "pt-BR";
  o.time_zone = "America/Sao_Paulo";
  auto org = Write<Organization>([&](Repo& repo) { return CreateOrganizationCommand(repo, o, 7, kT0); });
  ASSERT_TRUE(org.ok()) << org.error().message;
  UserInput in;
  in.email = "maria@acme.example";
  in.organization_id = std::optional<Id>(org->id);
  auto maria = Write<User>([&](Repo& repo) { return CreateUserCommand(repo, UserKind::kContact, in, "", 7, kT0); });
  ASSERT_TRUE(maria.ok()) << maria.error().message;
  EXPECT_EQ(maria->language, "pt-BR");
  EXPECT_EQ(maria->time_zone, "America/Sao_Paulo");
  in.email = "john@acme.example";
  in.language = "en";
  auto john = Write<User>([&](Repo& repo) { return CreateUserCommand(repo, UserKind::kContact, in, "", 7, kT0); });
  ASSERT_TRUE(john.ok()) << john.error().message;
  EXPECT_EQ(john->language, "en");
  EXPECT_EQ(john->time_zone, "America/Sao_Paulo");
}

TEST_F(DirectoryTest, UpdatingAPersonRecordsAccessChangesOnly) {
  UserInput in;
  in.email = "a@desk.example";
  auto agent = Write<User>([&](Repo& repo) { return CreateUserCommand(repo, UserKind::kAgent, in, "", 7, kT0); });
  ASSERT_TRUE(agent.ok()) << agent.error().message;
  UserInput change;
  change.name = "Alex";
  change.role = "admin";
  change.active = false;
  auto r = Write<User>([&](Repo& repo) { return UpdateUserCommand(repo, agent->id, UserKind::kAgent, change, false, 8, kT0); });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->name, "Alex");
  UserInput rename;
  rename.name = "Alexandra";
  ASSERT_TRUE(Write<User>([&](Repo& repo) { return UpdateUserCommand(repo, agent->id, UserKind::kAgent, rename, false, 8, kT0); }).ok());
  const auto audits = Audits();
  ASSERT_EQ(audits.size(), 2u);
  EXPECT_EQ(audits[1], (Audit{"agent.updated", 8,
                              R"({"changes":[{"field":"active","before":"true","after":"false"},)"
                              R"({"field":"role","before":"agent","after":"admin"}]})"}));

  // Through the other kind's door, nobody is there.
  auto wrong = Write<User>([&](Repo& repo) { return UpdateUserCommand(repo, agent->id, UserKind::kContact, rename, false, 8, kT0); });
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(wrong.error().message, "Contact " + std::to_string(agent->id) + " does not exist.");
}

TEST_F(DirectoryTest, SelfServiceChangesOnlyNameLanguageAndTimeZone) {
  User me;
  me.email = "ana@acme.example";
  UserInput in;
  in.email = "ana@acme.example";  // unchanged: fine
  in.name = "Ana Souza";
  in.language = "pt-BR";
  in.active = true;
  in.organization_id = std::optional<Id>();
  EXPECT_EQ(FieldsOf(Error::Invalid(UserChangeProblems(UserKind::kContact, in, me, true))),
            (std::vector<std::string>{"active", "organization_id"}));
  in.email = "other@acme.example";
  in.active.reset();
  in.organization_id.reset();
  const auto problems = UserChangeProblems(UserKind::kContact, in, me, true);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message, "Ask an agent to change your email address.");
  EXPECT_TRUE(UserChangeProblems(UserKind::kContact, in, me, false).empty()) << "staff may change it";
}

TEST_F(DirectoryTest, AContactFoundOrCreatedFromMailIsAudited) {
  MakeOrganization("Acme", {"acme.example"});
  auto r = Write<User>([&](Repo& repo) { return FindOrCreateContact(repo, "New@Acme.example", "", kT0); });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->name, "new");
  auto again = Write<User>([&](Repo& repo) { return FindOrCreateContact(repo, "new@acme.example", "", kT0); });
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, r->id);
  const auto audits = Audits();
  ASSERT_EQ(audits.size(), 2u);
  EXPECT_EQ(audits[1], (Audit{"contact.created", 0, R"({"changes":[{"field":"email","before":"","after":"new@acme.example"}]})"}));
}

TEST_F(DirectoryTest, PeopleAndOrganizationsAreFoundByAPartOfNameEmailOrDomain) {
  MakeOrganization("Acme 100% Ltda", {"acme.example"});
  MakeOrganization("Loja_Azul", {"azul.example"});
  auto made = Write<bool>([&](Repo& repo) -> Result<bool> {
    for (const auto& [email, name, active] : std::vector<std::tuple<std::string, std::string, bool>>{
             {"maria@acme.example", "Maria Souza", true}, {"joao@acme.example", "João Pereira", false},
             {"sou_za@other.example", "Other", true}}) {
      UserInput in;
      in.email = email;
      in.name = name;
      in.active = active;
      CHAMADO_TRY(CreateUserCommand(repo, UserKind::kContact, in, "", 7, kT0));
    }
    return true;
  });
  ASSERT_TRUE(made.ok()) << made.error().message;

  struct Case {
    std::string text;
    std::optional<bool> active;
    std::vector<std::string> emails;
  };
  for (const auto& c : std::vector<Case>{
           {"souza", {}, {"maria@acme.example"}},                   // the name, lower-cased on both sides
           {"acme.example", {}, {"maria@acme.example", "joao@acme.example"}},
           {"acme.example", true, {"maria@acme.example"}},
           {"acme.example", false, {"joao@acme.example"}},
           {"sou_", {}, {"sou_za@other.example"}},                   // _ is itself, not any character
           {"%", {}, {}},
           {"", false, {"joao@acme.example"}},
       }) {
    UserFilter f;
    f.text = c.text;
    f.active = c.active;
    auto r = store_->Read<Paged<User>>([&](Repo& repo) { return repo.ListUsers(f, Page{}); });
    ASSERT_TRUE(r.ok()) << r.error().message;
    std::vector<std::string> emails;
    for (const auto& u : r->items) emails.push_back(u.email);
    EXPECT_EQ(emails, c.emails) << "text \"" << c.text << "\"";
  }
  for (const auto& [text, names] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"100%", {"Acme 100% Ltda"}}, {"azul.ex", {"Loja_Azul"}}, {"a_a", {"Loja_Azul"}}, {"0_", {}}, {"", {"Acme 100% Ltda", "Loja_Azul"}}}) {
    auto r = store_->Read<Paged<Organization>>([&, text = text](Repo& repo) { return repo.ListOrganizations(OrganizationFilter{text}, Page{}); });
    ASSERT_TRUE(r.ok()) << r.error().message;
    std::vector<std::string> found;
    for (const auto& o : r->items) found.push_back(o.name);
    EXPECT_EQ(found, names) << "text \"" << text << "\"";
  }
}

TEST_F(DirectoryTest, GroupsRecordTheirCreationAndRenaming) {
  auto g = Write<Group>([&](Repo& repo) { return CreateGroupCommand(repo, {" L1 ", "First line"}, 7, kT0); });
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(g->name, "L1");
  GroupInput describe;
  describe.description = "Triage";
  ASSERT_TRUE(Write<Group>([&](Repo& repo) { return UpdateGroupCommand(repo, g->id, describe, 8, kT0); }).ok());
  GroupInput rename;
  rename.name = "Level 1";
  auto renamed = Write<Group>([&](Repo& repo) { return UpdateGroupCommand(repo, g->id, rename, 8, kT0); });
  ASSERT_TRUE(renamed.ok()) << renamed.error().message;
  EXPECT_EQ(renamed->description, "Triage");
  EXPECT_EQ(Audits(), (std::vector<Audit>{
                          {"group.created", 7, R"({"changes":[{"field":"name","before":"","after":"L1"}]})"},
                          {"group.updated", 8, R"({"changes":[{"field":"name","before":"L1","after":"Level 1"}]})"}}));
}

TEST_F(DirectoryTest, AGroupNeedsAName) {
  auto r = Write<Group>([&](Repo& repo) { return CreateGroupCommand(repo, {std::nullopt, "x"}, 7, kT0); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(FieldsOf(r.error()), (std::vector<std::string>{"name"}));
  const auto blank = GroupProblems({"  ", std::nullopt}, false);
  ASSERT_EQ(blank.size(), 1u);
  EXPECT_EQ(blank[0].message, "The field \"name\" must be one line of text of at most 100 bytes and not empty.");
  EXPECT_TRUE(Audits().empty());
}

}  // namespace
}  // namespace chamado::store
