#include "store/store.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "search/analyzer.h"
#include "sla/policy_toml.h"
#include "store/fts.h"
#include "store/postgres.h"
#include "store/sqlite.h"

namespace chamado::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& sqlite_migrations();
const std::vector<std::pair<std::string_view, std::string_view>>& postgresql_migrations();
const std::vector<std::pair<std::string_view, std::string_view>>& default_policy();
}

namespace chamado::store {
namespace {
// PostgreSQL: the stale ticket documents one write batch fills before its COMMIT (V028).
constexpr int kStaleDocumentsPerBatch = 500;

int64_t FileSize(const std::string& path) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : int64_t(n);
}
}  // namespace

namespace {
// Files are named V<number>__<name>.sql; 0 for anything else.
int64_t MigrationNumber(std::string_view file) {
  if (file.size() < 2 || file[0] != 'V') return 0;
  return std::stoll(std::string(file.substr(1, file.find("__") - 1)));
}

// An engine's migrations: each engine has its own files, numbered alike (PostgreSQL's first,
// V028, is the whole schema SQLite reached by then).
const std::vector<std::pair<std::string_view, std::string_view>>& Migrations(std::string_view engine) {
  return engine == "postgresql" ? embedded::postgresql_migrations() : embedded::sqlite_migrations();
}
}  // namespace

int64_t PendingMigrations(int64_t version, std::string_view engine) {
  int64_t pending = 0;
  for (const auto& [file, sql] : Migrations(engine)) pending += MigrationNumber(file) > version ? 1 : 0;
  return pending;
}

int64_t LatestSchemaVersion() {
  int64_t latest = 0;
  for (const auto& [file, sql] : embedded::sqlite_migrations()) latest = std::max(latest, MigrationNumber(file));
  return latest;
}

std::string_view BeginRead(const Connection& c) {
  return IsPostgres(c) ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN";
}

std::string_view BeginWrite(const Connection& c) { return IsPostgres(c) ? "BEGIN" : "BEGIN IMMEDIATE"; }

Result<std::unique_ptr<Connection>> OpenConnection(const StoreOptions& options, bool writer) {
  if (!options.url.empty()) return OpenPostgres(options.url, {.read_only = !writer});
  return OpenSqlite(options.path, {.writer = writer, .durable = options.durable,
                                   .journal_size_limit = writer ? options.max_wal_bytes : -1});
}

Result<int64_t> SchemaVersion(Connection& c) {
  bool exists = false;
  CHAMADO_TRY(c.Run(IsPostgres(c)
                        ? "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = "
                          "'schema_migrations'"
                        : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
                    {}, [&](const RowView&) { exists = true; }));
  int64_t current = 0;
  if (exists)
    CHAMADO_TRY(c.Run("SELECT coalesce(max(version), 0) FROM schema_migrations", {}, [&](const RowView& r) { current = r.Int(0); }));
  return current;
}

namespace {

// Applies the migrations of `c`'s engine newer than the database's version, in order; each in a
// transaction of its own, or (false) in the caller's.
Result<int> ApplyMigrations(Connection& c, Instant now, bool each_in_transaction) {
  CHAMADO_ASSIGN_OR_RETURN(const int64_t current, SchemaVersion(c));
  // An older binary would read and write tables whose meaning it does not know.
  if (current > LatestSchemaVersion())
    return Error::Conflict("The database is at schema version " + std::to_string(current) + ", newer than this chamado (" +
                           std::to_string(LatestSchemaVersion()) +
                           "): it was used by a newer release. Install that release again (downgrades are not "
                           "supported) or restore a backup taken before the upgrade.");
  int applied = 0;
  for (const auto& [file, sql] : Migrations(c.Engine())) {
    const int64_t version = MigrationNumber(file);
    if (version <= current) continue;
    if (each_in_transaction) CHAMADO_TRY(c.Script(BeginWrite(c)));
    auto r = c.Script(sql);
    if (!r.ok()) {
      if (each_in_transaction) (void)c.Script("ROLLBACK");
      return Error::Internal("Migration " + std::string(file) + " failed: " + r.error().message);
    }
    CHAMADO_TRY(c.Run("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                      {version, file, ToUnixMillis(now)}));
    if (each_in_transaction) CHAMADO_TRY(c.Script("COMMIT"));
    ++applied;
  }
  return applied;
}

}  // namespace

Result<int> Migrate(Connection& c, Instant now) {
  const bool postgres = IsPostgres(c);
  // PostgreSQL: every pending migration in one transaction (DDL is transactional there) under
  // a transaction-scoped advisory lock, so instances starting together migrate one after the
  // other, also through PgBouncer in transaction mode (a session lock would stay on whichever
  // server connection took it). SQLite: one transaction per migration, the file's write lock.
  if (postgres) {
    CHAMADO_TRY(c.Script("BEGIN"));
    auto r = [&]() -> Result<int> {
      CHAMADO_TRY(c.Script("SELECT pg_advisory_xact_lock(7163840101)"));
      CHAMADO_TRY(c.Script("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
                           "applied_at BIGINT NOT NULL)"));
      return ApplyMigrations(c, now, /*each_in_transaction=*/false);
    }();
    if (!r.ok()) {
      (void)c.Script("ROLLBACK");
      return r;
    }
    CHAMADO_TRY(c.Script("COMMIT"));
    return r;
  }
  CHAMADO_TRY(c.Script("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                       "applied_at INTEGER NOT NULL)"));
  return ApplyMigrations(c, now, /*each_in_transaction=*/true);
}

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialize.");
  ConfigureSqliteOnce();
  std::unique_ptr<Store> s(new Store(options));
  CHAMADO_ASSIGN_OR_RETURN(s->writer_, OpenConnection(options, /*writer=*/true));
  auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  auto migrated = Migrate(*s->writer_, now);
  if (!migrated.ok()) return std::move(migrated).error();
  if (*migrated > 0) spdlog::info("database {}: applied {} migration(s)", s->location(), *migrated);
  {
    Repo repo(*s->writer_);
    CHAMADO_TRY(s->writer_->Script(BeginWrite(*s->writer_)));
    auto reset = repo.MatchAnalyzer(search::kAnalyzerVersion);
    CHAMADO_TRY(s->writer_->Script(reset.ok() ? "COMMIT" : "ROLLBACK"));
    if (!reset.ok()) return std::move(reset).error();
    if (*reset) spdlog::info("database {}: search indexes reset for analyzer version {}; tickets are indexed again in the background", s->location(), search::kAnalyzerVersion);
  }
  CHAMADO_ASSIGN_OR_RETURN(s->checkpointer_, OpenConnection(options, /*writer=*/false));
  CHAMADO_ASSIGN_OR_RETURN(s->articles_, ArticleIndex::Open(options.path + ".help-index"));
  CHAMADO_TRY(s->ReloadPolicy());
  // A log left large by an earlier run (or another process) is emptied before serving.
  if (auto r = s->Checkpoint(); !r.ok()) spdlog::warn("{}", r.error().message);
  s->writer_thread_ = std::thread([p = s.get()] { p->WriterLoop(); });
  s->checkpoint_thread_ = std::thread([p = s.get()] { p->CheckpointLoop(); });
  return s;
}

Store::~Store() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  checkpoint_cv_.notify_all();
  if (writer_thread_.joinable()) writer_thread_.join();
  if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
  if (checkpointer_ && !postgres()) (void)SqliteCheckpoint(*checkpointer_);
}

std::string Store::location() const { return postgres() ? RedactedUrl(options_.url) : options_.path; }

void Store::Submit(std::unique_ptr<Job> job) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back(std::move(job));
      job = nullptr;
    }
  }
  if (job) {
    job->Finish(Error::Unavailable("The server is shutting down; retry in a moment."));
    return;
  }
  cv_.notify_one();
}

void Store::WriterLoop() {
  Repo repo(*writer_);
  std::vector<std::unique_ptr<Job>> batch;
  while (true) {
    batch.clear();
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything submitted is done
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Result<void> commit = Ok();
    if (auto b = writer_->Run(BeginWrite(*writer_), {}); !b.ok()) {
      commit = std::move(b).error();
    } else {
      for (auto& job : batch) {
        bool keep = false;
        if (auto sp = writer_->Run("SAVEPOINT job", {}); !sp.ok()) {
          commit = std::move(sp).error();
          break;
        }
        keep = job->Run(repo);  // never throws: a job turns exceptions into its result
        if (!keep) (void)writer_->Run("ROLLBACK TO job", {});
        (void)writer_->Run("RELEASE job", {});
      }
      // PostgreSQL: the batch's tickets are found once it is acknowledged, as SQLite's FTS5
      // triggers make them (V028: their documents went stale). Bounded, so a write that marks
      // many (a rename) does not hold this batch up; the next batches and the background
      // indexer fill the rest.
      if (commit.ok() && postgres()) {
        if (auto f = repo.FillStaleDocuments(kStaleDocumentsPerBatch); !f.ok()) commit = std::move(f).error();
      }
      if (commit.ok() && before_commit_) {
        if (auto h = before_commit_(); !h.ok()) commit = std::move(h).error();
      }
      if (commit.ok()) {
        if (auto c = writer_->Run("COMMIT", {}); !c.ok()) commit = std::move(c).error();
      }
      if (!commit.ok()) {
        spdlog::error("group commit of {} job(s) failed: {}", batch.size(), commit.error().message);
        (void)writer_->Run("ROLLBACK", {});
        commit = commit.error().code == ErrorCode::kStorageFull
                     ? Error::StorageFull("Storage is full: the change was not saved. Reads still work; retry once the "
                                          "administrator has freed disk space.")
                     : Error::Unavailable("The change could not be saved; retry in a moment.");
      }
    }
    if (commit.ok()) {
      std::function<void()> hook;
      {
        std::lock_guard lock(after_commit_mu_);
        hook = after_commit_;
      }
      if (hook) hook();
    }
    for (auto& job : batch) job->Finish(commit);
    // The writer empties an overgrown log itself, between two batches: it holds no write
    // lock then, so the checkpoint only waits for readers (and the next batch waits for it).
    if (!postgres() && FileSize(options_.path + "-wal") > options_.max_wal_bytes) {
      // One checkpoint at a time: SQLite refuses a second one at once, it does not wait.
      std::lock_guard one(checkpoint_mu_);
      if (auto r = KeepLogBound(*writer_); !r.ok()) spdlog::warn("{}", r.error().message);
    }
    {
      std::lock_guard lock(mu_);
      commits_since_checkpoint_ += 1;
    }
    checkpoint_cv_.notify_one();
  }
}

void Store::CheckpointLoop() {
  // Keeps the WAL short without making any commit wait for a checkpoint.
  std::unique_lock lock(mu_);
  while (!stopping_) {
    checkpoint_cv_.wait_for(lock, std::chrono::seconds(1));
    if (stopping_) break;
    const bool checkpoint = commits_since_checkpoint_ > 0;
    commits_since_checkpoint_ = 0;
    lock.unlock();
    // Also without new commits while the log is over its bound: readers may have let go.
    bool over_bound = false;
    {
      std::lock_guard health(health_mu_);
      over_bound = !health_.bound_kept;
    }
    if (checkpoint || over_bound) {
      if (auto r = Checkpoint(); !r.ok()) spdlog::warn("{}", r.error().message);
    }
    // A policy applied by another process (`chamado policy apply`) takes effect here.
    Result<int64_t> v = int64_t{0};
    {
      std::lock_guard one(checkpoint_mu_);  // the checkpoint's connection, one user at a time
      Repo watcher(*checkpointer_);
      v = watcher.PolicyVersion();
    }
    if (v.ok() && *v != policy_version()) {
      if (auto r = ReloadPolicy(); !r.ok()) spdlog::error("{}", r.error().message);
      else spdlog::info("policy version {} is now in effect", *v);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    lock.lock();
  }
}

Result<void> Store::Checkpoint() {
  if (postgres()) return Ok();  // the server keeps its own log
  std::lock_guard one(checkpoint_mu_);
  CHAMADO_ASSIGN_OR_RETURN(auto passive, SqliteCheckpoint(*checkpointer_, CheckpointMode::kPassive));
  if (passive.complete) {
    std::lock_guard lock(health_mu_);
    last_complete_checkpoint_ = std::chrono::steady_clock::now();
  }
  return KeepLogBound(*checkpointer_);
}

Result<void> Store::KeepLogBound(Connection& c) {
  int64_t wal = FileSize(options_.path + "-wal");
  bool truncated = false, failed = false;
  std::chrono::microseconds waited{0};
  if (wal > options_.max_wal_bytes) {
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + options_.max_checkpoint_wait;
    // New reads wait while the ones in the log finish: the log is free for a moment, however
    // busy the readers (SQLite's busy handler alone polls, and misses reads that never pause).
    {
      std::unique_lock lock(readers_mu_);
      ++draining_;
      readers_cv_.wait_until(lock, deadline, [this] { return active_readers_ == 0; });
    }
    struct Drained {
      Store* s;
      ~Drained() {
        {
          std::lock_guard lock(s->readers_mu_);
          --s->draining_;
        }
        s->readers_cv_.notify_all();
      }
    } drained{this};
    const auto left = std::max(std::chrono::milliseconds(1), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                                  deadline - std::chrono::steady_clock::now()));
    CHAMADO_ASSIGN_OR_RETURN(auto full, SqliteCheckpoint(c, CheckpointMode::kTruncate, left));
    waited = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
    truncated = full.complete;
    failed = !full.complete;
    wal = FileSize(options_.path + "-wal");
  }
  std::lock_guard lock(health_mu_);
  if (truncated) {
    ++health_.truncations;
    last_complete_checkpoint_ = std::chrono::steady_clock::now();
  }
  if (failed) ++health_.failed_truncations;
  if (truncated || failed) health_.worst_truncation_wait = std::max(health_.worst_truncation_wait, waited);
  health_.wal_bytes = wal;
  health_.bound_kept = wal <= options_.max_wal_bytes;
  // One attempt over the bound is a burst; many in a row mean readers never let go.
  over_bound_passes_ = health_.bound_kept ? 0 : over_bound_passes_ + 1;
  if (over_bound_passes_ == 20)
    spdlog::warn("the write-ahead log of {} is {} bytes, over its bound of {} ([store] max_wal_bytes): readers do not "
                 "leave it within {} ms; it keeps growing until they do",
                 options_.path, wal, options_.max_wal_bytes, options_.max_checkpoint_wait.count());
  return Ok();
}

StorageHealth Store::storage() {
  StorageHealth h;
  {
    std::lock_guard lock(health_mu_);
    h = health_;
  }
  if (postgres()) {
    h.engine = "postgresql";
    ServerHealth server;
    {
      std::lock_guard lock(readers_mu_);
      server.readers_in_use = active_readers_;
    }
    server.max_readers = std::max(1, options_.max_readers);
    auto asked = ReadOne<bool>([&](Repo& repo) -> Result<bool> {
      CHAMADO_TRY(repo.conn().Run(
          "SELECT current_setting('server_version'), pg_is_in_recovery()::int, pg_database_size(current_database()), "
          "(SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c "
          "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm'))",
          {}, [&](const RowView& r) {
            server.version = r.Str(0);
            server.in_recovery = r.Int(1) != 0;
            server.database_bytes = r.Int(2);
            h.database_bytes = r.Int(3);
          }));
      return true;
    });
    if (asked.ok()) h.server = std::move(server);
    else spdlog::warn("health: {}", asked.error().message);
    return h;
  }
  h.engine = "sqlite";
  std::lock_guard lock(health_mu_);
  h.database_bytes = FileSize(options_.path);
  h.wal_bytes = FileSize(options_.path + "-wal");
  h.max_wal_bytes = options_.max_wal_bytes;
  if (last_complete_checkpoint_)
    h.seconds_since_checkpoint =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - *last_complete_checkpoint_).count();
  return h;
}

Store::ReaderLease::~ReaderLease() {
  if (!store) return;
  {
    std::lock_guard lock(store->readers_mu_);
    --store->active_readers_;
    if (conn) store->readers_.push_back(std::move(conn));
  }
  store->readers_cv_.notify_all();
}

Result<Store::ReaderLease> Store::AcquireReader() {
  ReaderLease lease;
  {
    std::unique_lock lock(readers_mu_);
    // A truncation waits for the readers in the log: a new one waits for it, at most as long.
    readers_cv_.wait_for(lock, options_.max_checkpoint_wait, [this] { return draining_ == 0; });
    // PostgreSQL's connections are a server's resource: a bounded pool per instance.
    if (postgres()) readers_cv_.wait(lock, [this] { return active_readers_ < std::max(1, options_.max_readers); });
    ++active_readers_;
    lease.store = this;
    if (!readers_.empty()) {
      lease.conn = std::move(readers_.back());
      readers_.pop_back();
      return lease;
    }
  }
  CHAMADO_ASSIGN_OR_RETURN(lease.conn, OpenConnection(options_, /*writer=*/false));
  return lease;
}

std::string_view DefaultPolicySource() { return embedded::default_policy().at(0).second; }

Result<sla::Policy> ParseStoredPolicy(std::string_view source, std::string_view name,
                                      const std::vector<std::pair<std::string, std::string>>& files) {
  return sla::ParsePolicy(source, name, [&files](std::string_view path) -> Result<std::string> {
    for (const auto& [p, text] : files)
      if (p == path) return text;
    return Error::NotFound("The file " + std::string(path) + " was not stored with the policy.");
  });
}

std::shared_ptr<const sla::Policy> Store::policy() const {
  std::lock_guard lock(policy_mu_);
  return policy_;
}

int64_t Store::policy_version() const {
  std::lock_guard lock(policy_mu_);
  return policy_version_;
}

std::shared_ptr<const core::Catalog> Store::catalog() const {
  auto p = policy();
  return std::shared_ptr<const core::Catalog>(p, &p->catalog);
}

Result<void> Store::ReloadPolicy() {
  CHAMADO_ASSIGN_OR_RETURN(auto stored,
                           Read<std::optional<Repo::StoredPolicy>>([](Repo& repo) { return repo.LatestPolicy(); }));
  int64_t version = 0;
  Result<sla::Policy> parsed = Error::Internal("unset");
  if (stored) {
    version = stored->version;
    parsed = ParseStoredPolicy(stored->source, "policy version " + std::to_string(version), stored->files);
  } else {
    parsed = ParseStoredPolicy(DefaultPolicySource(), "default policy", {});
  }
  if (!parsed.ok()) return Error::Internal("The stored policy no longer parses: " + parsed.error().message);
  auto p = std::make_shared<const sla::Policy>(std::move(*parsed));
  std::lock_guard lock(policy_mu_);
  policy_ = std::move(p);
  policy_version_ = version;
  return Ok();
}

Result<int64_t> Store::CatchUpArticles(bool rebuild) {
  if (rebuild) CHAMADO_TRY(articles_->Clear());
  return Read<int64_t>([&](Repo& repo) { return articles_->CatchUp(repo); });
}

Result<std::vector<ArticleHit>> Store::SearchArticles(const ArticleSearch& s) {
  return Read<std::vector<ArticleHit>>([&](Repo& repo) -> Result<std::vector<ArticleHit>> {
    std::vector<ArticleHit> out;
    if (s.words.empty()) return out;
    CHAMADO_TRY(articles_->CatchUp(repo));
    const std::string reader = IndexLanguage(s.language);
    std::vector<std::string_view> order(kIndexLanguages.begin(), kIndexLanguages.end());
    std::stable_partition(order.begin(), order.end(), [&](std::string_view l) { return l == reader; });
    const int limit = std::clamp(s.limit, 1, 50);
    for (auto language : order) {
      CHAMADO_ASSIGN_OR_RETURN(const auto ranked, articles_->Search(s, language, limit));
      std::vector<core::Id> ids;
      for (const auto& r : ranked) ids.push_back(r.id);
      CHAMADO_ASSIGN_OR_RETURN(auto rows, repo.ArticlesWithIds(ids));
      for (const auto& r : ranked) {
        auto it = std::find_if(rows.begin(), rows.end(),
                               [&](const help::Article& a) { return a.id == r.id && IndexLanguage(a.language) == language; });
        if (it != rows.end()) out.push_back({std::move(*it), r.score});
      }
      if (int(out.size()) >= limit) break;
    }
    if (int(out.size()) > limit) out.resize(size_t(limit));
    return out;
  });
}

}  // namespace chamado::store
