#include "store/testing.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "store/postgres.h"

namespace chamado::store {
namespace {

std::string AdminUrl() {
  const char* url = std::getenv("CHAMADO_TEST_POSTGRES");
  return url && *url ? url : "";
}

void Exec(const std::string& url, const std::string& sql) {
  auto c = OpenPostgres(url, {});
  if (!c.ok()) throw std::runtime_error("CHAMADO_TEST_POSTGRES: " + c.error().message);
  // No notices ("drop cascades to ..."): they would be logged, maybe after the log is gone.
  if (auto r = (*c)->Script("SET client_min_messages = warning; " + sql); !r.ok())
    throw std::runtime_error("CHAMADO_TEST_POSTGRES: " + sql + ": " + r.error().message);
}

// The schemas this program made, dropped at its end.
struct Schemas {
  std::mutex mu;
  std::vector<std::string> names;
  ~Schemas() {
    const std::string admin = AdminUrl();
    for (const auto& n : names) {
      try {
        Exec(admin, "DROP SCHEMA IF EXISTS " + n + " CASCADE");
      } catch (const std::exception&) {
        // The server may be gone already; it is a throwaway one.
      }
    }
  }
};
Schemas& Made() {
  static Schemas s;
  return s;
}

}  // namespace

std::string TestEngine() { return AdminUrl().empty() ? "sqlite" : "postgresql"; }

StoreOptions TestStoreOptions(const std::filesystem::path& dir) {
  StoreOptions o;
  o.path = (dir / "chamado.db").string();
  const std::string admin = AdminUrl();
  if (admin.empty()) return o;
  static std::atomic<int> counter{0};
  const std::string schema = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  Exec(admin, "DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
  {
    std::lock_guard lock(Made().mu);
    Made().names.push_back(schema);
  }
  o.url = admin + (admin.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
  return o;
}

}  // namespace chamado::store
