// Store: durable state behind one interface, whatever the engine.
//
// Writes go through one writer thread that commits in groups: every job submitted while
// the previous commit was syncing runs in the next transaction, each in its own savepoint
// (a failing job rolls back alone), and all are acknowledged after one durable COMMIT. So
// a request is answered only once its change survives power loss, at the cost of one sync
// per batch rather than per request.
//
// Reads run on the caller's thread with a pooled read-only connection (WAL: readers never
// wait for the writer). Store is thread-safe.
//
// The write-ahead log stays bounded: a thread copies it into the database after commits
// (passive checkpoints, which never wait). Those cannot empty the log while readers are
// always in it, as under a steady load, so once it passes `max_wal_bytes` the writer thread,
// between two batches, runs a truncating checkpoint, which waits at most
// `max_checkpoint_wait` for the readers in the log to finish (the next batch waits that long
// at worst) and then empties it. Reads starting meanwhile wait for it (that long at worst
// too): readers that follow one another without a pause would otherwise never leave the log
// free, and it would grow without bound.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <chrono>
#include <future>
#include <optional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "sla/policy.h"
#include "store/article_index.h"
#include "store/repo.h"
#include "store/sql.h"

namespace chamado::store {

struct StoreOptions {
  std::string path;        // the SQLite file; with `url`, the base name of local files (the help index)
  bool durable = true;     // synchronous=FULL (false only for benchmarks' baselines)
  size_t max_batch = 1024; // jobs per group commit
  int64_t max_wal_bytes = 64 * 1024 * 1024;  // the log's bound ([store] max_wal_bytes)
  std::chrono::milliseconds max_checkpoint_wait{200};  // how long a truncating checkpoint may hold writers
  std::string url;         // postgresql://...: the database is PostgreSQL's; empty: SQLite at `path`
  int max_readers = 16;    // PostgreSQL: connections reading at once (each request waits for one)
};

// How the store's files are doing (for /api/v1/health and the logs).
// PostgreSQL's side of the health check.
struct ServerHealth {
  std::string version;             // server_version
  bool in_recovery = false;        // a standby (read-only) answered: writes fail until a failover
  int64_t database_bytes = 0;      // the whole database, every schema's tables
  int readers_in_use = 0;          // this instance's reading connections held now
  int max_readers = 0;             // [store] max_readers
};

struct StorageHealth {
  std::string engine;              // "sqlite" or "postgresql"
  // SQLite: the database file. PostgreSQL: the desk's tables, indexes and TOAST in its schema.
  int64_t database_bytes = 0;
  // The rest of these are SQLite's write-ahead log (zero on PostgreSQL, whose log is the server's).
  int64_t wal_bytes = 0;
  int64_t max_wal_bytes = 0;
  bool bound_kept = true;             // false while the log is over its bound and could not be emptied
  double seconds_since_checkpoint = -1;  // the last checkpoint that copied the whole log; -1: none yet
  int64_t truncations = 0;            // times the log was emptied because it passed its bound
  int64_t failed_truncations = 0;     // readers or a writer did not let go in time
  std::chrono::microseconds worst_truncation_wait{0};  // the longest writers were held back
  std::optional<ServerHealth> server;  // PostgreSQL only; empty too when it could not be asked
};

// The statement that starts a transaction on `c`: a read snapshot, or the writer's (which
// holds SQLite's write lock from its start).
std::string_view BeginRead(const Connection& c);
std::string_view BeginWrite(const Connection& c);

// Opens a connection to the store's database: the writer's, or a pooled reader.
Result<std::unique_ptr<Connection>> OpenConnection(const StoreOptions& options, bool writer);

class Store {
 public:
  // Opens (creating if missing), migrates, and starts the writer.
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Runs `work` inside the next group-commit transaction on the writer thread, then calls
  // `done` (on the writer thread: keep it short, post elsewhere) with its result once the
  // transaction is durable, or with an error if the work or the commit failed. When `work`
  // fails, its own changes are rolled back and nothing it wrote is visible.
  template <class T>
  void Write(std::function<Result<T>(Repo&)> work, std::function<void(Result<T>)> done) {
    struct TypedJob final : Job {
      std::function<Result<T>(Repo&)> work;
      std::function<void(Result<T>)> done;
      std::optional<Result<T>> result;
      bool Run(Repo& repo) override {
        // An exception is a bug in `work`: it fails this job alone (rolled back, answered
        // with an internal error) and the batch goes on.
        try {
          result.emplace(work(repo));
        } catch (const std::exception& e) {
          result.emplace(Error::Internal(std::string("a write threw: ") + e.what()));
        } catch (...) {
          result.emplace(Error::Internal("a write threw a non-standard exception"));
        }
        return result->ok();
      }
      void Finish(const Result<void>& commit) override {
        if (!commit.ok()) done(Result<T>(commit.error()));
        else if (!result) done(Result<T>(Error::Internal("the write never ran")));
        else done(std::move(*result));
      }
    };
    auto job = std::make_unique<TypedJob>();
    job->work = std::move(work);
    job->done = std::move(done);
    Submit(std::move(job));
  }

  // Runs before each group commit, on the writer thread; a failure fails the batch (nothing
  // of it is committed). Set it once, before the first write. The server flushes deferred
  // attachment files here (BlobStore::SyncDeferred).
  void SetBeforeCommit(std::function<Result<void>()> hook) { before_commit_ = std::move(hook); }
  // Runs after each durable group commit, on the writer thread, before the jobs are answered:
  // keep it to a notification (the live feed wakes and reads the new events itself). May be
  // set while writes go on (the server's mail listener starts before its API).
  void SetAfterCommit(std::function<void()> hook) {
    std::lock_guard lock(after_commit_mu_);
    after_commit_ = std::move(hook);
  }

  // Write, and wait for the outcome (for the command line and tests).
  template <class T>
  Result<T> WriteSync(std::function<Result<T>(Repo&)> work) {
    std::promise<Result<T>> p;
    auto f = p.get_future();
    Write<T>(std::move(work), [&p](Result<T> r) { p.set_value(std::move(r)); });
    return f.get();
  }

  // Runs `work` in a read transaction on the calling thread.
  template <class T>
  Result<T> Read(const std::function<Result<T>(Repo&)>& work) {
    auto lease = AcquireReader();
    if (!lease.ok()) return std::move(lease).error();
    Connection& c = *lease->conn;
    if (auto b = c.Run(BeginRead(c), {}); !b.ok()) return std::move(b).error();
    Repo repo(c);
    Result<T> r = work(repo);
    (void)c.Run("COMMIT", {});
    return r;
  }

  // Runs `work` with a pooled reader and no explicit transaction: for a single statement
  // (each statement is its own consistent snapshot).
  template <class T>
  Result<T> ReadOne(const std::function<Result<T>(Repo&)>& work) {
    auto lease = AcquireReader();
    if (!lease.ok()) return std::move(lease).error();
    Repo repo(*lease->conn);
    return work(repo);
  }

  // The policy in effect: the latest applied version, or the built-in default. Cached;
  // reloaded after ApplyPolicy, and within a second when another process applies one.
  std::shared_ptr<const sla::Policy> policy() const;
  int64_t policy_version() const;  // 0: the built-in default
  // Its priorities and categories.
  std::shared_ptr<const core::Catalog> catalog() const;
  Result<void> ReloadPolicy();

  const std::string& path() const { return options_.path; }
  bool postgres() const { return !options_.url.empty(); }
  // The PostgreSQL URL as given, password included (empty on SQLite): for a connection of the
  // caller's own (store/bus.h), never for messages.
  const std::string& url() const { return options_.url; }
  // The database, for messages: the SQLite file, or the PostgreSQL URL without its password.
  std::string location() const;

  // Help-center search (GET /api/v1/help/search): the reader's language first, then the
  // others while fewer than `limit` were found. Ranked by BM25 over title, body, tags and
  // place (product and module), the title weighing most; an article needs one of the words
  // (stop words of its language dropped unless there is nothing else), and the more it has,
  // the higher it ranks; synonyms and spelling corrections count a fraction. The index first
  // takes whatever articles changed since it was last brought up to date.
  Result<std::vector<ArticleHit>> SearchArticles(const ArticleSearch& s);
  // Brings the help-center index up to date with the articles (also done before each
  // search); returns how many it applied. `rebuild`: empties it first.
  Result<int64_t> CatchUpArticles(bool rebuild = false);

  // One pass of the checkpoint thread: copies the log into the database and, when it is over
  // its bound, empties it (exposed so tests can run it at a chosen moment).
  Result<void> Checkpoint();
  // Asks the PostgreSQL server (one read); SQLite's figures are the process's own.
  StorageHealth storage();

 private:
  std::function<Result<void>()> before_commit_;
  std::mutex after_commit_mu_;
  std::function<void()> after_commit_;  // GUARDED_BY(after_commit_mu_)
  struct Job {
    virtual ~Job() = default;
    virtual bool Run(Repo& repo) = 0;  // must not throw; false: roll this job back
    virtual void Finish(const Result<void>& commit) = 0;
  };
  // A pooled reader, counted among the store's readers while held.
  struct ReaderLease {
    Store* store = nullptr;
    std::unique_ptr<Connection> conn;
    ReaderLease() = default;
    ReaderLease(ReaderLease&& o) noexcept : store(std::exchange(o.store, nullptr)), conn(std::move(o.conn)) {}
    ReaderLease& operator=(ReaderLease&&) = delete;
    ~ReaderLease();
  };

  explicit Store(StoreOptions options) : options_(std::move(options)) {}
  void Submit(std::unique_ptr<Job> job);
  void WriterLoop();
  void CheckpointLoop();
  Result<ReaderLease> AcquireReader();
  // Empties the log on `c` when it is over its bound; records how that went. The caller holds
  // checkpoint_mu_.
  Result<void> KeepLogBound(Connection& c);

  StoreOptions options_;
  std::unique_ptr<ArticleIndex> articles_;
  std::unique_ptr<Connection> writer_;
  std::unique_ptr<Connection> checkpointer_;
  std::mutex checkpoint_mu_;  // one checkpoint at a time (on checkpointer_, or the writer's truncation)

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Job>> queue_;  // GUARDED_BY(mu_)
  bool stopping_ = false;                   // GUARDED_BY(mu_)
  std::thread writer_thread_;
  std::thread checkpoint_thread_;
  std::condition_variable checkpoint_cv_;
  uint64_t commits_since_checkpoint_ = 0;  // GUARDED_BY(mu_)

  mutable std::mutex health_mu_;
  StorageHealth health_;                                       // GUARDED_BY(health_mu_)
  std::optional<std::chrono::steady_clock::time_point> last_complete_checkpoint_;  // GUARDED_BY(health_mu_)
  int64_t over_bound_passes_ = 0;                              // GUARDED_BY(health_mu_)

  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;  // GUARDED_BY(readers_mu_): idle ones
  int active_readers_ = 0;                            // GUARDED_BY(readers_mu_): leases held now
  int draining_ = 0;  // GUARDED_BY(readers_mu_): truncations waiting for the readers to leave the log

  mutable std::mutex policy_mu_;
  std::shared_ptr<const sla::Policy> policy_;  // GUARDED_BY(policy_mu_)
  int64_t policy_version_ = -1;                // GUARDED_BY(policy_mu_)
};

// The built-in default policy (TOML).
std::string_view DefaultPolicySource();

// Parses a stored policy (its text and the files it referred to, as stored).
Result<sla::Policy> ParseStoredPolicy(std::string_view source, std::string_view name,
                                      const std::vector<std::pair<std::string, std::string>>& files);

// Applies the engine's numbered migrations that are not yet applied; returns how many ran.
// Refuses (Conflict) a database whose schema is newer than this binary's.
Result<int> Migrate(Connection& c, Instant now);

// The schema version this binary's migrations lead to.
int64_t LatestSchemaVersion();
// How many of this binary's migrations are newer than schema `version` (numbers may have gaps:
// branches number their migrations apart).
int64_t PendingMigrations(int64_t version, std::string_view engine = "sqlite");
// The version a database is at: its highest applied migration, 0 for an empty database.
Result<int64_t> SchemaVersion(Connection& c);

}  // namespace chamado::store
