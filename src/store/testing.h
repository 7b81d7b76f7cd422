// Where a test's store lives. Tests open their store through TestStoreOptions so the same test
// runs on both engines: SQLite in the test's folder, or, when CHAMADO_TEST_POSTGRES holds a
// PostgreSQL URL (./scripts/test starts a throwaway server and sets it), a schema of its own on
// that server, dropped when the test program ends.
#pragma once

#include <filesystem>
#include <string>

#include "store/store.h"

namespace chamado::store {

// The options of a fresh, empty store for a test whose files go to `dir`.
StoreOptions TestStoreOptions(const std::filesystem::path& dir);

// "sqlite" or "postgresql": the engine TestStoreOptions chooses.
std::string TestEngine();

}  // namespace chamado::store
