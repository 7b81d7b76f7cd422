// Status probes: the checks the scheduler runs for the status page's components. A check is up
// to 1 + retries attempts; its sample (store/repo_status.h) is its start instant and whether
// an attempt succeeded. An HTTP(S) attempt succeeds when the answer has the expected status
// (any 2xx when none is set) and, when set, the body contains the expected text; a TCP attempt
// when the connection opens. Each attempt has the probe's timeout.
//
// Checks run outside any store transaction (they wait on the network); the samples and the
// probes' next due instants are written afterwards in one short one. Not thread-safe: one pass
// at a time (the scheduler's probe thread, or the test clock).
#pragma once

#include <memory>
#include <string>

#include "core/time.h"
#include "store/repo_status.h"
#include "store/store.h"

namespace chamado::jobs {

// One attempt's outcome.
struct Attempt {
  bool up = false;
  int64_t latency_ms = 0;
  std::string error;  // why it failed, for people ("expected status 200, got 503"); empty when up
};

// The network seam: how one attempt is made (libcurl in the server).
class ProbeTransport {
 public:
  virtual ~ProbeTransport() = default;
  virtual Attempt Try(const store::StatusProbe& probe) = 0;
};

// HTTP(S) and TCP attempts through libcurl.
std::unique_ptr<ProbeTransport> MakeCurlTransport();

// One check at `at`: attempts until one succeeds or the retries are spent.
store::StatusSample Check(ProbeTransport& transport, const store::StatusProbe& probe, Instant at);

// Runs every probe due at `now` (a batch of 50 at most) and writes their samples; returns how
// many ran. A probe's next run is its last due instant plus its interval, or a whole interval
// after `now` when it fell behind (missed checks are not run late: their time stays unknown).
Result<int> RunDueProbes(store::Store& store, ProbeTransport& transport, Instant now);

}  // namespace chamado::jobs
