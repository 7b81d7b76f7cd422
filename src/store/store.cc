#include "store/store.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "store/sqlite.h"

namespace chamado::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& sqlite_migrations();
}

namespace chamado::store {

Result<int> Migrate(Connection& c, Instant now) {
  CHAMADO_TRY(c.Script(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
  int64_t current = 0;
  CHAMADO_TRY(c.Run("SELECT coalesce(max(version), 0) FROM schema_migrations", {}, [&](const RowView& r) { current = r.Int(0); }));
  int applied = 0;
  for (const auto& [file, sql] : embedded::sqlite_migrations()) {
    // Files are named V<number>__<name>.sql.
    if (file.size() < 2 || file[0] != 'V') continue;
    const int64_t version = std::stoll(std::string(file.substr(1, file.find("__") - 1)));
    if (version <= current) continue;
    CHAMADO_TRY(c.Script("BEGIN IMMEDIATE"));
    auto r = c.Script(sql);
    if (!r.ok()) {
      (void)c.Script("ROLLBACK");
      return Error::Internal("Migration " + std::string(file) + " failed: " + r.error().message);
    }
    CHAMADO_TRY(c.Run("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                      {version, file, ToUnixMillis(now)}));
    CHAMADO_TRY(c.Script("COMMIT"));
    ++applied;
  }
  return applied;
}

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialize.");
  ConfigureSqliteOnce();
  std::unique_ptr<Store> s(new Store(options));
  CHAMADO_ASSIGN_OR_RETURN(s->writer_, OpenSqlite(options.path, {.writer = true, .durable = options.durable}));
  auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  auto migrated = Migrate(*s->writer_, now);
  if (!migrated.ok()) return std::move(migrated).error();
  if (*migrated > 0) spdlog::info("database {}: applied {} migration(s)", options.path, *migrated);
  CHAMADO_ASSIGN_OR_RETURN(s->checkpointer_, OpenSqlite(options.path, {.writer = false, .durable = options.durable}));
  CHAMADO_TRY(s->ReloadCatalog());
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
  if (checkpointer_) (void)SqliteCheckpoint(*checkpointer_);
}

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
    if (auto b = writer_->Run("BEGIN IMMEDIATE", {}); !b.ok()) {
      commit = std::move(b).error();
    } else {
      for (auto& job : batch) {
        bool keep = false;
        if (auto sp = writer_->Run("SAVEPOINT job", {}); !sp.ok()) {
          commit = std::move(sp).error();
          break;
        }
        try {
          keep = job->Run(repo);
        } catch (const std::exception& e) {
          spdlog::error("write job threw: {}", e.what());
        }
        if (!keep) (void)writer_->Run("ROLLBACK TO job", {});
        (void)writer_->Run("RELEASE job", {});
      }
      if (commit.ok()) {
        if (auto c = writer_->Run("COMMIT", {}); !c.ok()) commit = std::move(c).error();
      }
      if (!commit.ok()) {
        spdlog::error("group commit of {} job(s) failed: {}", batch.size(), commit.error().message);
        (void)writer_->Run("ROLLBACK", {});
        commit = Error::Unavailable("The change could not be saved; retry in a moment.");
      }
    }
    for (auto& job : batch) job->Finish(commit);
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
    if (commits_since_checkpoint_ == 0) continue;
    commits_since_checkpoint_ = 0;
    lock.unlock();
    if (auto r = SqliteCheckpoint(*checkpointer_); !r.ok()) spdlog::warn("{}", r.error().message);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    lock.lock();
  }
}

Store::ReaderLease::~ReaderLease() {
  if (store && conn) {
    std::lock_guard lock(store->readers_mu_);
    store->readers_.push_back(std::move(conn));
  }
}

Result<Store::ReaderLease> Store::AcquireReader() {
  ReaderLease lease;
  lease.store = this;
  {
    std::lock_guard lock(readers_mu_);
    if (!readers_.empty()) {
      lease.conn = std::move(readers_.back());
      readers_.pop_back();
      return lease;
    }
  }
  CHAMADO_ASSIGN_OR_RETURN(lease.conn, OpenSqlite(options_.path, {.writer = false, .durable = options_.durable}));
  return lease;
}

std::shared_ptr<const core::Catalog> Store::catalog() const {
  std::lock_guard lock(catalog_mu_);
  return catalog_;
}

Result<void> Store::ReloadCatalog() {
  CHAMADO_ASSIGN_OR_RETURN(auto c, Read<core::Catalog>([](Repo& repo) { return repo.LoadCatalog(); }));
  std::lock_guard lock(catalog_mu_);
  catalog_ = std::make_shared<const core::Catalog>(std::move(c));
  return Ok();
}

}  // namespace chamado::store
