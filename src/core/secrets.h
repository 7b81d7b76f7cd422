// Secrets never rest in the store: API keys, bearer tokens, private keys and "password: ..."
// values in any incoming text are masked before it is stored, keeping only their first and
// last four characters ("sk_l••••••••wxyz"); shorter ones keep one character at each end.
//
// Patterns are RE2 (linear time: safe on untrusted text). Each names the capture group that
// holds the secret (0: the whole match). A SecretMasker is immutable and thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace re2 {
class RE2;
}

namespace chamado {

struct SecretPattern {
  std::string name;   // for operators: "aws_access_key"
  std::string regex;  // RE2 syntax
  int group = 0;      // the capture group holding the secret
};

class SecretMasker {
 public:
  // Compiles the patterns; an error names the pattern that does not compile.
  static Result<std::shared_ptr<const SecretMasker>> Make(const std::vector<SecretPattern>& patterns);
  static const std::vector<SecretPattern>& Defaults();
  ~SecretMasker();

  struct Masked {
    std::string text;
    int count = 0;  // how many secrets were masked
  };
  Masked Mask(std::string_view text) const;

 private:
  SecretMasker() = default;
  struct Compiled;
  std::vector<std::unique_ptr<Compiled>> patterns_;
};

// "sk_live_1234567890abcdef" -> "sk_l••••••••••••••••cdef".
std::string MaskSecret(std::string_view secret);

}  // namespace chamado
