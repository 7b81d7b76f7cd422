// Retention: what may be pruned so the store does not only grow, and nothing else. Delivered
// notifications older than `outbox_days`, the transcripts of chatbot conversations idle for
// `bot_transcript_days` (the sessions and their counts stay), help-center images no article
// revision shows that were uploaded `unused_image_days` ago, status probe samples older than
// `status_raw_days` (rolled up per minute first, and minutes older than `status_minute_days`
// into hours: store/status.h RollUpSamples, the uptime figures unchanged), and stored files no
// row names any more (older than `orphan_grace`: a file is written before the transaction that
// names it commits) are deleted;
// the pages they freed go back to the file system (incremental vacuum). Tickets, their
// messages, events and attachments in use are never touched. Each pass that pruned something
// is recorded in the audit trail (`retention.pruned`).
#pragma once

#include <chrono>
#include <cstdint>

#include "core/time.h"
#include "store/blobs.h"
#include "store/store.h"

namespace chamado::store {

struct RetentionOptions {
  int outbox_days = 30;                       // 0: keep delivered notifications forever
  int bot_transcript_days = 90;               // 0: keep chatbot transcripts forever
  int unused_image_days = 7;                  // 0: keep help images nothing shows forever
  std::chrono::hours orphan_grace{24};        // a file nobody names is deleted after this
  int64_t vacuum_pages_per_pass = 10000;      // pages returned to the file system per pass
  int status_raw_days = 7;                    // probe samples kept raw
  int status_minute_days = 90;                // per-minute rollups kept before they become hours
};

struct Pruned {
  int64_t outbox_rows = 0;
  int64_t bot_transcripts = 0;  // sessions whose turns were deleted
  int64_t help_images = 0;
  int64_t files = 0;
  int64_t file_bytes = 0;
  int64_t pages_freed = 0;
  int64_t status_samples = 0;  // rolled up and deleted
  bool any() const { return outbox_rows || bot_transcripts || help_images || files || pages_freed || status_samples; }
};

// One pass, in short transactions of its own (never one long one).
Result<Pruned> RunRetention(Store& store, const BlobStore& blobs, const RetentionOptions& options, Instant now);

}  // namespace chamado::store
