#include "core/messages.h"

#include <algorithm>
#include <map>

#include "core/languages.h"
#include "core/mail.h"
#include "core/text.h"

namespace chamado::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& messages();
}

namespace chamado::core {
namespace {

using Catalog = std::map<std::string, std::string, std::less<>>;

std::vector<std::pair<std::string, std::string>> Parse(std::string_view file) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!file.empty()) {
    const size_t end = file.find('\n');
    std::string_view line = Trim(file.substr(0, end));
    file = end == std::string_view::npos ? std::string_view() : file.substr(end + 1);
    if (line.empty() || line.front() == '#') continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace_back(std::string(Trim(line.substr(0, eq))), std::string(Trim(line.substr(eq + 1))));
  }
  return out;
}

// Built once, on first use; read-only afterwards.
const std::map<std::string, Catalog, std::less<>>& Catalogs() {
  static const auto* all = [] {
    auto* m = new std::map<std::string, Catalog, std::less<>>();
    for (const auto& [file, text] : embedded::messages()) {
      std::string language(file.substr(0, file.rfind('.')));
      for (auto& [id, said] : Parse(text)) (*m)[language].emplace(std::move(id), std::move(said));
    }
    return m;
  }();
  return *all;
}

const std::string* Find(std::string_view language, std::string_view id) {
  const auto& all = Catalogs();
  auto c = all.find(language);
  if (c == all.end()) return nullptr;
  auto t = c->second.find(id);
  return t == c->second.end() ? nullptr : &t->second;
}

}  // namespace

std::string FillParameters(std::string_view text, const TextArgs& args) {
  std::string out;
  out.reserve(text.size() + 32);
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    const size_t close = ch == '{' ? text.find('}', i) : std::string_view::npos;
    if (close != std::string_view::npos) {
      const std::string_view name = text.substr(i + 1, close - i - 1);
      auto arg = std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
      if (arg != args.end()) {
        out += arg->second;
        i = close;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

std::string Say(std::string_view id, const TextArgs& args, std::string_view language) {
  const std::string* text = Find(language, id);
  if (!text) text = Find("en", id);
  if (!text) return std::string(id);
  return FillParameters(*text, args);
}

bool IsTextId(std::string_view id) { return Find("en", id) != nullptr; }

std::vector<std::pair<std::string, std::string>> CatalogOf(std::string_view language) {
  for (const auto& [file, text] : embedded::messages())
    if (file.substr(0, file.rfind('.')) == language) return Parse(text);
  return {};
}

std::string LanguageOfAcceptLanguage(std::string_view header) {
  struct Choice {
    std::string language;
    double q;
  };
  std::vector<Choice> choices;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view entry = Trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    double q = 1;
    if (const size_t semi = entry.find(';'); semi != std::string_view::npos) {
      std::string_view param = Trim(entry.substr(semi + 1));
      entry = Trim(entry.substr(0, semi));
      if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        q = 0;
        std::string_view digits = param.substr(2);
        // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
        if (!digits.empty() && digits[0] == '1') q = 1;
        double scale = 0.1;
        for (size_t i = 2; digits.size() > 1 && digits[0] == '0' && i < digits.size() && i < 5; ++i, scale /= 10)
          if (digits[i] >= '0' && digits[i] <= '9') q += (digits[i] - '0') * scale;
      }
    }
    if (q <= 0) continue;
    std::string language = DeskLanguage(entry);
    if (!language.empty()) choices.push_back({std::move(language), q});
  }
  std::stable_sort(choices.begin(), choices.end(), [](const Choice& a, const Choice& b) { return a.q > b.q; });
  return choices.empty() ? std::string() : choices.front().language;
}

}  // namespace chamado::core
