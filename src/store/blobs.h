// Content-addressed files for attachments: each file is stored once under its SHA-256,
// in DIR/attachments/ab/cd/abcd....
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace chamado::store {

class BlobStore {
 public:
  explicit BlobStore(std::string root) : root_(std::move(root)) {}

  // Writes `data` durably (temporary file, fsync, rename) unless it is already there;
  // returns its lower-case hex SHA-256.
  Result<std::string> Put(std::string_view data);

  // The path of a stored blob; empty when `sha256` is not a well-formed digest.
  std::string PathOf(std::string_view sha256) const;

  Result<std::string> Get(std::string_view sha256) const;

 private:
  std::string root_;
};

std::string Sha256Hex(std::string_view data);

}  // namespace chamado::store
