// Rendered help-center responses kept in memory: an article's JSON (its Markdown rendered and
// sanitized, its related articles searched) and the crawlable pages, each stored with the
// articles' revision it was made at (store/repo_articles.h: every change to any article raises
// it). A lookup with another revision misses, so a change to an article is never served stale,
// whichever process made it. Bounded: once full, it is emptied and fills again. Capacity 0:
// nothing is kept. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace chamado::http {

class HelpCache {
 public:
  explicit HelpCache(size_t capacity) : capacity_(capacity) {}

  std::optional<std::string> Get(const std::string& key, int64_t revision) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.revision != revision) return std::nullopt;
    return it->second.body;
  }
  void Put(const std::string& key, int64_t revision, std::string body) {
    if (capacity_ == 0) return;
    std::lock_guard lock(mu_);
    if (entries_.size() >= capacity_ && !entries_.contains(key)) entries_.clear();
    entries_[key] = Entry{revision, std::move(body)};
  }

 private:
  struct Entry {
    int64_t revision = 0;
    std::string body;
  };
  const size_t capacity_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mu_)
};

}  // namespace chamado::http
