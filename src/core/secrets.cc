#include "core/secrets.h"

#include <re2/re2.h>

#include <algorithm>

#include "core/text.h"

namespace chamado {

struct SecretMasker::Compiled {
  std::string name;
  std::unique_ptr<RE2> re;
  int group = 0;
};

SecretMasker::~SecretMasker() = default;

const std::vector<SecretPattern>& SecretMasker::Defaults() {
  // The words that introduce a password, in the desk's five languages; "pass" only before
  // ":" or "=" ("the bus pass is valid until 2027" is no secret).
  static const std::string words = "password|passwd|pwd|senha|contraseña|contrasena|passwort|kennwort|пароль";
  static const std::string password = "(?i)\\b(?:" + words + ")";
  static const std::string labelled_password = "(?i)\\b(?:" + words + "|pass)";
  // "-----BEGIN ... PRIVATE KEY-----" and the characters of the key material after it
  // (encrypted keys carry header lines: Proc-Type: 4,ENCRYPTED / DEK-Info: ...).
  static const std::string key_begin = R"(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----\s*)";
  static const std::string key_material = R"([A-Za-z0-9+/=:,\-\s])";
  static const std::vector<SecretPattern> defaults = {
      {"private_key", key_begin + "(" + key_material + R"({16,}?)\s*-----END [A-Z0-9 ]*PRIVATE KEY-----)", 1},
      // A block pasted without its end: everything of the key that came.
      {"private_key_truncated", key_begin + "(" + key_material + "{16,})", 1},
      // A quoted password may hold spaces: password: "correct horse battery staple".
      {"password_quoted", password + R"re(\s*[:=]\s*"([^"\n]{3,})")re", 1},
      // "a senha é Abacaxi2024!", "the password is Tr0ub4dor&3": only a value with a digit or
      // a symbol ("my password is not working" is no secret).
      {"password_said", password + R"(\s+(?:is|é|e|es|ist|это)\s+["']?([^\s"']*[0-9!@#$%^&*()_+=\[\]{};:,.<>?/\\|~-][^\s"']*))", 1},
      // "password: hunter2", "senha = ...".
      {"password", labelled_password + R"(\s*[:=]\s*["']?([^\s"']{3,}))", 1},
      {"bearer_token", R"((?i)\bbearer\s+([A-Za-z0-9\-._~+/]{16,}=*))", 1},
      {"basic_auth", R"((?i)\bauthorization:\s*basic\s+([A-Za-z0-9+/]{8,}=*))", 1},
      // "api_key: ...", "D360-API-KEY: ...", "token=...", "client_secret: ..."
      {"labelled_key",
       R"((?i)\b(?:[a-z0-9]+[-_])*(?:api[-_ ]?key|apikey|access[-_ ]?key|secret[-_ ]?key|client[-_ ]?secret|secret|token|access[-_ ]?token|auth[-_ ]?token)\b["']?\s*[:=]\s*["']?([A-Za-z0-9\-_.+/=]{12,}))",
       1},
      {"stripe_key", R"(\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b)", 0},
      {"aws_access_key", R"(\b(?:AKIA|ASIA)[0-9A-Z]{16}\b)", 0},
      {"github_token", R"(\bgh[pousr]_[A-Za-z0-9]{30,}\b)", 0},
      {"slack_token", R"(\bxox[abprs]-[A-Za-z0-9-]{10,}\b)", 0},
      {"google_api_key", R"(\bAIza[0-9A-Za-z\-_]{35}\b)", 0},
      {"jwt", R"(\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b)", 0},
      // Meta (WhatsApp Cloud API, Graph API) access tokens.
      {"meta_access_token", R"(\bEAA[A-Za-z0-9]{30,}\b)", 0},
  };
  return defaults;
}

Result<std::shared_ptr<const SecretMasker>> SecretMasker::Make(const std::vector<SecretPattern>& patterns) {
  std::shared_ptr<SecretMasker> m(new SecretMasker());
  for (const auto& p : patterns) {
    RE2::Options opt;
    opt.set_log_errors(false);
    opt.set_max_mem(8 << 20);
    auto re = std::make_unique<RE2>(p.regex, opt);
    if (!re->ok())
      return Error::InvalidArgument("The secret pattern \"" + p.name + "\" does not compile: " + re->error());
    if (p.group < 0 || p.group > re->NumberOfCapturingGroups())
      return Error::InvalidArgument("The secret pattern \"" + p.name + "\" has no capture group " + std::to_string(p.group) + ".");
    m->patterns_.push_back(std::make_unique<Compiled>(Compiled{p.name, std::move(re), p.group}));
  }
  return std::shared_ptr<const SecretMasker>(std::move(m));
}

std::string MaskSecret(std::string_view s) {
  // Characters, not bytes: a secret may hold UTF-8.
  std::vector<std::string_view> chars;
  for (size_t i = 0; i < s.size();) {
    size_t n = 1;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0) n = 4;
    else if (c >= 0xE0) n = 3;
    else if (c >= 0xC0) n = 2;
    n = std::min(n, s.size() - i);
    chars.push_back(s.substr(i, n));
    i += n;
  }
  const size_t keep = chars.size() >= 12 ? 4 : chars.size() >= 3 ? 1 : 0;
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (i < keep || i + keep >= chars.size()) out += chars[i];
    else out += "\u2022";  // •
  }
  return out;
}

SecretMasker::Masked SecretMasker::Mask(std::string_view text) const {
  Masked out{std::string(text), 0};
  for (const auto& p : patterns_) {
    std::string result;
    re2::StringPiece input(out.text);
    const int groups = p->re->NumberOfCapturingGroups() + 1;
    std::vector<re2::StringPiece> m(static_cast<size_t>(groups));
    size_t pos = 0;
    bool any = false;
    while (pos <= out.text.size() &&
           p->re->Match(input, pos, out.text.size(), RE2::UNANCHORED, m.data(), groups)) {
      const re2::StringPiece secret = m[size_t(p->group)];
      const re2::StringPiece whole = m[0];
      if (secret.empty() || secret.data() == nullptr) {
        pos = size_t(whole.data() - out.text.data()) + std::max<size_t>(whole.size(), 1);
        continue;
      }
      const size_t start = size_t(secret.data() - out.text.data());
      // Already masked (a pattern met the dots of another): leave it.
      if (secret.find("\u2022") != re2::StringPiece::npos) {
        pos = size_t(whole.data() - out.text.data()) + std::max<size_t>(whole.size(), 1);
        continue;
      }
      result.append(out.text, pos, start - pos);
      result += MaskSecret(std::string_view(secret.data(), secret.size()));
      pos = start + secret.size();
      const size_t whole_end = size_t(whole.data() - out.text.data()) + whole.size();
      if (whole_end > pos) {
        result.append(out.text, pos, whole_end - pos);
        pos = whole_end;
      }
      if (whole.empty()) {
        if (pos < out.text.size()) result += out.text[pos];
        ++pos;
      }
      ++out.count;
      any = true;
    }
    if (any) {
      if (pos < out.text.size()) result.append(out.text, pos, std::string::npos);
      out.text = std::move(result);
    }
  }
  return out;
}

}  // namespace chamado
