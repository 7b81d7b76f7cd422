// Reading TOML files people write (policies, bot flows): every problem is collected with the
// file, the line and the key ("policy.toml:23: targets[2].calendar: ..."), and all of them
// are reported at once, in the order of the file. Not thread-safe: one reader per parse.
#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"

namespace chamado::sla {

// Parses TOML text; a syntax error names the file and line.
inline Result<toml::table> ParseTomlText(std::string_view text, std::string_view source) {
  try {
    return toml::parse(text, std::string(source));
  } catch (const toml::parse_error& e) {
    const std::string where = std::string(source) + ":" + std::to_string(e.source().begin.line);
    Error err = Error::InvalidArgument(where + ": " + std::string(e.description()));
    err.fields.push_back({where, "TOML syntax: " + std::string(e.description())});
    return err;
  }
}

class TomlReader {
 public:
  explicit TomlReader(std::string_view source) : source_(source) {}

  void Fail(const toml::node* at, const std::string& key, const std::string& message) {
    const int line = at ? int(at->source().begin.line) : 0;
    std::string where = std::string(source_) + (line ? ":" + std::to_string(line) : "");
    errors_.push_back({where + ": " + key, message});
  }
  // The same with a problem said with a catalog sentence (a calendar's checks): the API says
  // it in the reader's language (core/messages.h); the file and line stay as they are.
  void Fail(const toml::node* at, const std::string& key, const Error& e) {
    Fail(at, key, e.message);
    errors_.back().text_id = e.text_id;
    errors_.back().args = e.args;
  }
  // A problem that does not stop the file from being used (an unreachable node), reported
  // beside the errors in the same form.
  void Warn(const toml::node* at, const std::string& key, const std::string& message) {
    const int line = at ? int(at->source().begin.line) : 0;
    warnings_.push_back({std::string(source_) + (line ? ":" + std::to_string(line) : "") + ": " + key, message});
  }
  const std::vector<FieldError>& warnings() const { return warnings_; }
  bool ok() const { return errors_.empty(); }
  size_t count() const { return errors_.size(); }

  Error Result() const {
    // In the order of the file: by line number, then as found.
    auto errors = errors_;
    auto line_of = [](const FieldError& e) {
      const size_t colon = e.field.find(':');
      if (colon == std::string::npos) return 0;
      int n = 0;
      for (size_t i = colon + 1; i < e.field.size() && e.field[i] >= '0' && e.field[i] <= '9'; ++i) n = n * 10 + (e.field[i] - '0');
      return n;
    };
    std::stable_sort(errors.begin(), errors.end(), [&](const auto& a, const auto& b) { return line_of(a) < line_of(b); });
    std::string msg = errors.front().field + ": " + errors.front().message;
    if (errors.size() > 1) msg += " (and " + std::to_string(errors.size() - 1) + " more problem(s))";
    Error e = Error::InvalidArgument(msg);
    e.fields = std::move(errors);
    return e;
  }

  // Unknown keys of a table are errors.
  void KnownKeys(const toml::table& t, const std::string& path, std::initializer_list<std::string_view> known) {
    for (const auto& [k, v] : t) {
      if (std::find(known.begin(), known.end(), k.str()) != known.end()) continue;
      std::string list;
      for (auto n : known) list += (list.empty() ? "" : ", ") + std::string(n);
      Fail(&v, Join(path, k.str()), "Unknown key \"" + std::string(k.str()) + "\"; the keys here are " + list + ".");
    }
  }

  static std::string Join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

  std::optional<std::string> Str(const toml::table& t, const std::string& path, std::string_view key, bool required) {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) Fail(&t, Join(path, key), "is missing.");
      return std::nullopt;
    }
    if (!n->is_string()) {
      Fail(n, Join(path, key), "must be a string.");
      return std::nullopt;
    }
    return n->value<std::string>();
  }

  // A string or a list of strings.
  std::vector<std::string> Strings(const toml::table& t, const std::string& path, std::string_view key) {
    std::vector<std::string> out;
    const toml::node* n = t.get(key);
    if (!n) return out;
    if (n->is_string()) {
      out.push_back(*n->value<std::string>());
      return out;
    }
    const auto* a = n->as_array();
    if (!a) {
      Fail(n, Join(path, key), "must be a string or a list of strings.");
      return out;
    }
    for (const auto& e : *a) {
      if (!e.is_string()) {
        Fail(&e, Join(path, key), "must be a list of strings.");
        continue;
      }
      out.push_back(*e.value<std::string>());
    }
    return out;
  }

  // A string (in `bare_language`) or a table of language = text.
  core::Texts Texts(const toml::table& t, const std::string& path, std::string_view key, bool required,
                    std::string_view bare_language = "en") {
    core::Texts out;
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) Fail(&t, Join(path, key), "is missing.");
      return out;
    }
    if (n->is_string()) {
      out.emplace_back(std::string(bare_language), *n->value<std::string>());
      return out;
    }
    const auto* tbl = n->as_table();
    if (!tbl) {
      Fail(n, Join(path, key), "must be a string, or a table of texts per language such as { en = \"...\", pt-BR = \"...\" }.");
      return out;
    }
    for (const auto& [lang, text] : *tbl) {
      if (!text.is_string()) {
        Fail(&text, Join(path, key) + "." + std::string(lang.str()), "must be a string.");
        continue;
      }
      out.emplace_back(std::string(lang.str()), *text.value<std::string>());
    }
    if (out.empty()) Fail(n, Join(path, key), "has no text.");
    return out;
  }

 private:
  std::string_view source_;
  std::vector<FieldError> errors_;
  std::vector<FieldError> warnings_;
};

}  // namespace chamado::sla
