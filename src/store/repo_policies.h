// The policy aggregate of the repository: every SLA policy ever applied, as its TOML text,
// newest version last. Owns the table policies (rows are only added: applying a policy
// adds a version, the history stays).
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "store/sql.h"

namespace chamado::store {

class PolicyRepo {
 public:
  explicit PolicyRepo(Connection& c) : c_(c) {}

  struct StoredPolicy {
    int64_t version = 0;
    std::string name;
    std::string source;
    std::vector<std::pair<std::string, std::string>> files;  // path -> contents
    Instant applied_at;
    std::optional<core::Id> applied_by;
  };
  Result<std::optional<StoredPolicy>> LatestPolicy();
  Result<int64_t> PolicyVersion();  // 0: none applied yet
  Result<int64_t> InsertPolicy(const StoredPolicy& p);

 private:
  Connection& c_;
};

}  // namespace chamado::store
