#include "store/repo_policies.h"

#include <boost/json.hpp>

namespace chamado::store {
namespace json = boost::json;

Result<std::optional<PolicyRepo::StoredPolicy>> PolicyRepo::LatestPolicy() {
  std::optional<StoredPolicy> out;
  CHAMADO_TRY(c_.Run("SELECT version, name, source, files, applied_at, applied_by FROM policies ORDER BY version DESC LIMIT 1",
                     {}, [&](const RowView& r) {
                       StoredPolicy p;
                       p.version = r.Int(0);
                       p.name = r.Str(1);
                       p.source = r.Str(2);
                       boost::system::error_code ec;
                       json::value files = json::parse(r.Text(3), ec);
                       if (!ec && files.is_object())
                         for (const auto& kv : files.as_object())
                           if (kv.value().is_string()) p.files.emplace_back(std::string(kv.key()), std::string(kv.value().as_string()));
                       p.applied_at = FromUnixMillis(r.Int(4));
                       p.applied_by = r.OptInt(5);
                       out = std::move(p);
                     }));
  return out;
}

Result<int64_t> PolicyRepo::PolicyVersion() {
  int64_t v = 0;
  CHAMADO_TRY(c_.Run("SELECT coalesce(max(version), 0) FROM policies", {}, [&](const RowView& r) { v = r.Int(0); }));
  return v;
}

Result<int64_t> PolicyRepo::InsertPolicy(const StoredPolicy& p) {
  json::object files;
  for (const auto& [path, text] : p.files) files[path] = text;
  int64_t version = 0;
  CHAMADO_TRY(c_.Run("INSERT INTO policies (name, source, files, applied_at, applied_by) VALUES ($1, $2, $3, $4, $5) RETURNING version",
                     {p.name, p.source, json::serialize(files), ToUnixMillis(p.applied_at), p.applied_by},
                     [&](const RowView& r) { version = r.Int(0); }));
  return version;
}

}  // namespace chamado::store
