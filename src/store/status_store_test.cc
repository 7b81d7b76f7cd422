// The status page on a real SQLite file: a month's figure gathered from samples, maintenance
// and incidents (computed by hand here), the same figure after the samples were rolled up, and
// the commands' checks.
#include "store/status.h"
#include "store/testing.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>

namespace chamado::store {
namespace {
namespace fs = std::filesystem;
using std::chrono::minutes;
using std::chrono::seconds;

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

class StatusStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    dir_ = fs::temp_directory_path() / ("chamado_status_test_" + std::to_string(::getpid()) + "_" +
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
  T Write(std::function<Result<T>(Repo&)> work) {
    auto r = store_->WriteSync<T>(std::move(work));
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? std::move(*r) : T{};
  }

  StatusComponent Api() {
    return Write<StatusComponent>([](Repo& r) {
      return CreateComponent(r, {"api", {{"en", "API"}, {"pt-BR", "API"}}, {}, 1}, At("2026-03-01T00:00:00Z"));
    });
  }

  // One sample a minute in [from, to).
  void Samples(core::Id probe, const char* from, const char* to, bool up) {
    Write<bool>([&](Repo& r) -> Result<bool> {
      StatusRepo s(r.conn());
      for (Instant t = At(from); t < At(to); t += minutes(1)) CHAMADO_TRY(s.InsertSample({probe, t, up, 12, 1, up ? "" : "timeout"}));
      return true;
    });
  }

  status::Uptime March(const StatusComponent& c, const char* now, bool explain = false) {
    auto r = store_->Read<status::Uptime>([&](Repo& repo) -> Result<status::Uptime> {
      CHAMADO_ASSIGN_OR_RETURN(auto window, status::MonthWindow("2026-03", "UTC"));
      CHAMADO_ASSIGN_OR_RETURN(auto fresh, StatusRepo(repo.conn()).Component(c.id));
      return ComponentUptime(repo, rules_, *fresh, window, At(now), explain);
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }

  fs::path dir_;
  StoreOptions options_;
  std::unique_ptr<Store> store_;
  sla::StatusRules rules_;
};

// The component exists from 03-01 00:00; its probe (every 60 s, timeout 10 s, no retry: a
// sample holds 70 s at most) checks 03-02 00:00-02:00, down 01:00-01:10. Maintenance 00:30-00:40,
// a partial outage 01:30-01:40 (weight 1). Seen at 03-02 03:00:
//   unknown: all of 03-01 (1440 min) + 02:00:10-03:00 (59 min 50 s)
//   down: 10 (probe) + 10 (partial) = 20 min; maintenance 10 min
//   up: 60 + 50 min 10 s - 10 (maintenance) - 10 (partial) = 90 min 10 s
TEST_F(StatusStoreTest, MonthFromSamplesMaintenanceAndIncidents) {
  const auto api = Api();
  const auto probe = Write<StatusProbe>([&](Repo& r) {
    return CreateProbe(r, api.id, {"http", "http://127.0.0.1:9/health", 200, "ok", 60, 10, 0, true}, At("2026-03-01T00:00:00Z"));
  });
  EXPECT_EQ(probe.Hold(), seconds(70));
  Samples(probe.id, "2026-03-02T00:00:00Z", "2026-03-02T01:00:00Z", true);
  Samples(probe.id, "2026-03-02T01:00:00Z", "2026-03-02T01:10:00Z", false);
  Samples(probe.id, "2026-03-02T01:10:00Z", "2026-03-02T02:00:00Z", true);
  const auto m = Write<Maintenance>([&](Repo& r) {
    return CreateMaintenance(r, {{{"en", "Database upgrade"}}, {}, At("2026-03-02T00:30:00Z"), At("2026-03-02T00:40:00Z"), {api.id}},
                             std::nullopt, At("2026-03-01T12:00:00Z"));
  });
  IncidentInput in;
  in.titles = {{"en", "Slow API"}, {"de", "Langsame API"}};
  in.state = "resolved";
  in.started_at = At("2026-03-02T01:30:00Z");
  in.resolved_at = At("2026-03-02T01:40:00Z");
  in.components = {{api.id, "partial"}};
  const auto incident = Write<Incident>([&](Repo& r) {
    return CreateIncident(r, in, {{"en", "Some requests fail."}}, std::nullopt, At("2026-03-02T01:45:00Z"));
  });
  ASSERT_EQ(incident.updates.size(), 1u);

  const auto u = March(api, "2026-03-02T03:00:00Z", true);
  EXPECT_EQ(u.from, At("2026-03-01T00:00:00Z"));
  EXPECT_EQ(u.to, At("2026-03-02T03:00:00Z"));
  EXPECT_EQ(u.unknown, minutes(1440) + minutes(59) + seconds(50));
  EXPECT_EQ(u.down, minutes(20));
  EXPECT_EQ(u.maintenance, minutes(10));
  EXPECT_EQ(u.up, minutes(90) + seconds(10));
  EXPECT_DOUBLE_EQ(*u.percent, 100.0 * 5410 / (5410 + 1200));
  ASSERT_GE(u.explanation.size(), 7u);
  EXPECT_EQ(u.explanation[2].state, status::State::kMaintenance);
  EXPECT_EQ(u.explanation[2].maintenance_id, m.id);
  EXPECT_EQ(u.explanation[6].state, status::State::kPartial);
  EXPECT_EQ(u.explanation[6].incident_id, incident.id);

  // Rolled up (samples older than a day become minutes): the figure does not move, and only
  // the last sample (it may still hold) stays raw.
  auto rolled = RollUpSamples(*store_, {1, 90}, At("2026-03-03T03:00:00Z"));
  ASSERT_TRUE(rolled.ok()) << rolled.error().message;
  EXPECT_EQ(rolled->samples_deleted, 119);
  EXPECT_EQ(rolled->minute_rows, 121);  // 00:00-02:00, and the 02:00 minute's 10 s
  const auto after = March(api, "2026-03-02T03:00:00Z");
  EXPECT_EQ(after.up, u.up);
  EXPECT_EQ(after.down, u.down);
  EXPECT_EQ(after.unknown, u.unknown);
  // A second pass has nothing left to roll.
  auto again = RollUpSamples(*store_, {1, 90}, At("2026-03-03T03:00:00Z"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->minute_rows, 0);
  EXPECT_EQ(March(api, "2026-03-02T03:00:00Z").up, u.up);

  // Minutes older than the minute days become hours: 3 rows for the day instead of 121, and
  // without maintenance or incidents inside an hour the sums are the same.
  auto hours = RollUpSamples(*store_, {1, 0}, At("2026-03-03T03:00:00Z"));
  ASSERT_TRUE(hours.ok());
  auto rows = store_->Read<std::vector<status::Observed>>(
      [&](Repo& r) { return StatusRepo(r.conn()).Rollups(api.id, At("2026-03-01T00:00:00Z"), At("2026-04-01T00:00:00Z")); });
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1], (status::Observed{At("2026-03-02T01:00:00Z"), At("2026-03-02T02:00:00Z"), minutes(50), minutes(10)}));
  EXPECT_EQ((*rows)[2].up, seconds(10));
}

TEST_F(StatusStoreTest, ConditionFollowsIncidentsMaintenanceAndProbes) {
  const auto api = Api();
  auto condition = [&](const char* now) {
    auto r = store_->Read<std::string>([&](Repo& repo) { return ComponentCondition(repo, api, At(now)); });
    EXPECT_TRUE(r.ok());
    return *r;
  };
  EXPECT_EQ(condition("2026-03-02T00:00:00Z"), "unknown");  // no probe
  const auto probe = Write<StatusProbe>(
      [&](Repo& r) { return CreateProbe(r, api.id, {"tcp", "127.0.0.1:25", std::nullopt, "", 30, 5, 1, true}, At("2026-03-01T00:00:00Z")); });
  Samples(probe.id, "2026-03-02T00:00:00Z", "2026-03-02T00:01:00Z", true);
  EXPECT_EQ(condition("2026-03-02T00:00:30Z"), "operational");
  EXPECT_EQ(condition("2026-03-02T00:10:00Z"), "unknown");  // the sample no longer holds
  Samples(probe.id, "2026-03-02T00:10:00Z", "2026-03-02T00:11:00Z", false);
  EXPECT_EQ(condition("2026-03-02T00:10:30Z"), "major");
  IncidentInput in;
  in.titles = {{"en", "Slow"}};
  in.components = {{api.id, "degraded"}};
  const auto incident = Write<Incident>([&](Repo& r) { return CreateIncident(r, in, {}, std::nullopt, At("2026-03-02T00:10:40Z")); });
  EXPECT_EQ(incident.state, IncidentState::kInvestigating);
  EXPECT_FALSE(incident.resolved_at);
  EXPECT_EQ(condition("2026-03-02T00:10:50Z"), "degraded");
  // Resolving through an update ends the incident at the update's time.
  const auto update = Write<IncidentUpdate>([&](Repo& r) {
    return PostIncidentUpdate(r, incident.id, {"resolved", {{"en", "Fixed."}}, std::nullopt}, std::nullopt, At("2026-03-02T00:20:00Z"));
  });
  auto stored = store_->Read<std::optional<Incident>>([&](Repo& r) { return StatusRepo(r.conn()).GetIncident(incident.id); });
  ASSERT_TRUE(stored.ok() && *stored);
  EXPECT_EQ((*stored)->state, IncidentState::kResolved);
  EXPECT_EQ((*stored)->resolved_at, At("2026-03-02T00:20:00Z"));
  EXPECT_EQ((*stored)->updates.at(0).id, update.id);
}

TEST_F(StatusStoreTest, CommandsNameWhatIsWrong) {
  const auto api = Api();
  struct Case {
    const char* name;
    ProbeInput in;
    const char* field;
  };
  const Case cases[] = {
      {"unknown kind", {"icmp", "host", std::nullopt, "", 60, 10, 0, true}, "kind"},
      {"http without a URL", {"http", "example.com", std::nullopt, "", 60, 10, 0, true}, "target"},
      {"tcp without a port", {"tcp", "example.com", std::nullopt, "", 60, 10, 0, true}, "target"},
      {"tcp port too big", {"tcp", "example.com:70000", std::nullopt, "", 60, 10, 0, true}, "target"},
      {"tcp with a status", {"tcp", "example.com:25", 200, "", 60, 10, 0, true}, "expect_status"},
      {"status out of range", {"http", "https://example.com", 700, "", 60, 10, 0, true}, "expect_status"},
      {"interval too short", {"http", "https://example.com", std::nullopt, "", 5, 1, 0, true}, "interval_seconds"},
      {"timeout not below interval", {"http", "https://example.com", std::nullopt, "", 60, 60, 0, true}, "timeout_seconds"},
      {"too many retries", {"http", "https://example.com", std::nullopt, "", 60, 10, 9, true}, "retries"},
  };
  for (const auto& c : cases) {
    auto r = store_->WriteSync<StatusProbe>([&](Repo& repo) { return CreateProbe(repo, api.id, c.in, At("2026-03-02T00:00:00Z")); });
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.name;
    EXPECT_EQ(r.error().fields.at(0).field, c.field) << c.name << ": " << r.error().message;
  }
  auto twice = store_->WriteSync<StatusComponent>(
      [&](Repo& r) { return CreateComponent(r, {"api", {{"en", "API again"}}, {}, 2}, At("2026-03-02T00:00:00Z")); });
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  auto bad = store_->WriteSync<StatusComponent>(
      [&](Repo& r) { return CreateComponent(r, {"Web UI", {{"fr", "Interface"}}, {}, 2}, At("2026-03-02T00:00:00Z")); });
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.error().fields.size(), 2u);
  EXPECT_EQ(bad.error().fields[0].field, "key");
  EXPECT_EQ(bad.error().fields[1].field, "names.fr");
  auto backwards = store_->WriteSync<Maintenance>([&](Repo& r) {
    return CreateMaintenance(r, {{{"en", "Upgrade"}}, {}, At("2026-03-02T02:00:00Z"), At("2026-03-02T01:00:00Z"), {api.id, 99}},
                             std::nullopt, At("2026-03-01T00:00:00Z"));
  });
  ASSERT_FALSE(backwards.ok());
  ASSERT_EQ(backwards.error().fields.size(), 2u);
  EXPECT_EQ(backwards.error().fields[0].field, "ends_at");
  EXPECT_EQ(backwards.error().fields[1].field, "components[1]");
  IncidentInput in;
  in.titles = {{"en", "Down"}};
  in.state = "fixed";
  in.components = {{api.id, "minor"}};
  auto incident = store_->WriteSync<Incident>([&](Repo& r) { return CreateIncident(r, in, {}, std::nullopt, At("2026-03-02T00:00:00Z")); });
  ASSERT_FALSE(incident.ok());
  ASSERT_EQ(incident.error().fields.size(), 2u);
  EXPECT_EQ(incident.error().fields[0].field, "state");
  EXPECT_EQ(incident.error().fields[1].field, "components[0].impact");
}

}  // namespace
}  // namespace chamado::store
