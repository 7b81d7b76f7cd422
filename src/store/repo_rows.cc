#include "store/repo_rows.h"

#include <sodium.h>

#include <cstring>

namespace chamado::store {

std::vector<std::string> SplitSpaces(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string EncodeCursor(const std::vector<int64_t>& keys) {
  std::string plain;
  for (auto k : keys) {
    if (!plain.empty()) plain += '.';
    plain += std::to_string(k);
  }
  std::string out(sodium_base64_encoded_len(plain.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::vector<int64_t>> DecodeCursor(std::string_view cursor, size_t expected) {
  if (cursor.size() > 200) return std::nullopt;
  std::string bin(cursor.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), cursor.data(), cursor.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return std::nullopt;
  bin.resize(len);
  std::vector<int64_t> keys;
  size_t i = 0;
  while (i <= bin.size()) {
    size_t j = bin.find('.', i);
    if (j == std::string::npos) j = bin.size();
    std::string_view part(bin.data() + i, j - i);
    if (part.empty() || part.size() > 19) return std::nullopt;
    int64_t v = 0;
    bool neg = part[0] == '-';
    for (size_t k = neg ? 1 : 0; k < part.size(); ++k) {
      if (part[k] < '0' || part[k] > '9') return std::nullopt;
      v = v * 10 + (part[k] - '0');
    }
    keys.push_back(neg ? -v : v);
    i = j + 1;
  }
  if (keys.size() != expected) return std::nullopt;
  return keys;
}

}  // namespace chamado::store
