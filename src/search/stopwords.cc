#include "search/stopwords.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "search/analyzer.h"

namespace chamado::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& stopwords();
}

namespace chamado::search {
namespace {

using Lists = std::map<std::string, std::set<std::string, std::less<>>, std::less<>>;

Lists Load() {
  Lists out;
  for (const auto& [file, contents] : embedded::stopwords()) {
    const auto language = LanguageOfListFile(file);
    if (language.empty()) continue;
    auto& words = out[std::string(language)];
    size_t at = 0;
    while (at < contents.size()) {
      size_t end = contents.find('\n', at);
      if (end == std::string_view::npos) end = contents.size();
      const std::string word = Fold(contents.substr(at, end - at));
      if (!word.empty()) words.insert(word);
      at = end + 1;
    }
  }
  return out;
}

}  // namespace

bool IsStopword(std::string_view language, std::string_view word) {
  static const Lists lists = Load();
  const auto it = lists.find(language.substr(0, language.find('-')));
  return it != lists.end() && it->second.contains(Fold(word));
}

}  // namespace chamado::search
