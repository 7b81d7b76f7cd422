#include "store/retention.h"

#include <spdlog/spdlog.h>

#include "store/status.h"

namespace chamado::store {

namespace {

// Runs `prune(repo, batch)` in transactions of its own until a batch comes back short, so
// writers never wait long behind retention; the total pruned.
template <typename Prune>
Result<int64_t> InBatches(Store& store, int batch, Prune prune) {
  int64_t total = 0;
  while (true) {
    CHAMADO_ASSIGN_OR_RETURN(const int64_t n, store.WriteSync<int64_t>([&](Repo& repo) { return prune(repo, batch); }));
    total += n;
    if (n < batch) return total;
  }
}

}  // namespace

Result<Pruned> RunRetention(Store& store, const BlobStore& blobs, const RetentionOptions& o, Instant now) {
  Pruned p;
  if (o.outbox_days > 0) {
    const Instant cutoff = now - std::chrono::days(o.outbox_days);
    CHAMADO_ASSIGN_OR_RETURN(p.outbox_rows, InBatches(store, 5000, [&](Repo& repo, int n) { return repo.PruneDeliveredOutbox(cutoff, n); }));
  }
  if (o.bot_transcript_days > 0) {
    const Instant cutoff = now - std::chrono::days(o.bot_transcript_days);
    CHAMADO_ASSIGN_OR_RETURN(p.bot_transcripts,
                             InBatches(store, 500, [&](Repo& repo, int n) { return repo.PruneBotTranscripts(cutoff, n); }));
  }
  // Before the files: the bytes of an image pruned here are swept in the same pass.
  if (o.unused_image_days > 0) {
    const Instant cutoff = now - std::chrono::days(o.unused_image_days);
    CHAMADO_ASSIGN_OR_RETURN(p.help_images, store.WriteSync<int64_t>([&](Repo& repo) { return repo.PruneUnusedHelpImages(cutoff); }));
  }

  CHAMADO_ASSIGN_OR_RETURN(auto rolled, RollUpSamples(store, {o.status_raw_days, o.status_minute_days}, now));
  p.status_samples = rolled.samples_deleted;

  // Files nobody names: from a write whose transaction failed, or (later) a pruned message.
  const Instant grace = now - o.orphan_grace;
  CHAMADO_ASSIGN_OR_RETURN(auto files, blobs.List());
  for (const auto& f : files) {
    if (f.modified >= grace) continue;
    CHAMADO_ASSIGN_OR_RETURN(const bool named, store.ReadOne<bool>([&](Repo& repo) { return repo.IsFileNamed(f.sha256); }));
    if (named || !blobs.RemoveIfUnchangedSince(f, grace)) continue;
    ++p.files;
    p.file_bytes += f.bytes;
  }

  // Pages freed by the deletions go back to the file system (databases created with
  // auto_vacuum=INCREMENTAL; older ones reuse them for new rows instead). PostgreSQL's
  // autovacuum does its own.
  CHAMADO_ASSIGN_OR_RETURN(p.pages_freed, store.WriteSync<int64_t>([&](Repo& repo) -> Result<int64_t> {
    if (IsPostgres(repo.conn())) return int64_t{0};
    int64_t before = 0, after = 0;
    auto count = [](int64_t& into) { return [&into](const RowView& r) { into = r.Int(0); }; };
    CHAMADO_TRY(repo.conn().Run("PRAGMA freelist_count", {}, count(before)));
    if (before == 0) return int64_t{0};
    CHAMADO_TRY(repo.conn().Run("PRAGMA incremental_vacuum(" + std::to_string(o.vacuum_pages_per_pass) + ")", {}));
    CHAMADO_TRY(repo.conn().Run("PRAGMA freelist_count", {}, count(after)));
    return before - after;
  }));

  if (p.any()) {
    spdlog::info("retention: {} delivered notification(s), {} chatbot transcript(s), {} unused help image(s), "
                 "{} status sample(s) rolled up, {} unnamed file(s) ({} bytes), {} free page(s) returned",
                 p.outbox_rows, p.bot_transcripts, p.help_images, p.status_samples, p.files, p.file_bytes, p.pages_freed);
    CHAMADO_TRY(store.WriteSync<bool>([&](Repo& repo) -> Result<bool> {
      CHAMADO_TRY(repo.InsertEvents({{"retention.pruned", 0, 0, now,
                                      {{"outbox_rows", "", std::to_string(p.outbox_rows)},
                                       {"bot_transcripts", "", std::to_string(p.bot_transcripts)},
                                       {"help_images", "", std::to_string(p.help_images)},
                                       {"status_samples", "", std::to_string(p.status_samples)},
                                       {"files", "", std::to_string(p.files)},
                                       {"file_bytes", "", std::to_string(p.file_bytes)},
                                       {"pages_freed", "", std::to_string(p.pages_freed)}},
                                      0}},
                                    0, 0));
      return true;
    }));
  }
  return p;
}

}  // namespace chamado::store
