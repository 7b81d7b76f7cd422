#include "search/similar.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "search/stopwords.h"
#include "search/synonyms.h"

namespace chamado::search {

TermVector Vectorize(const Analyzer& analyzer, std::string_view subject, std::string_view body,
                     const std::function<int64_t(const std::string&)>& document_frequency, int64_t documents) {
  std::map<std::string, double> tf;
  auto count = [&](std::string_view text, double weight) {
    for (const auto& t : analyzer.Tokenize(text)) {
      if (t.kind == Token::Kind::kWord && (t.term.size() < 2 || IsStopword(analyzer.language(), text.substr(t.begin, t.end - t.begin))))
        continue;
      tf[CanonicalTerm(analyzer.language(), t.term)] += weight;
    }
  };
  count(subject, 2.0);
  count(body, 1.0);
  TermVector out;
  for (const auto& [term, n] : tf) {
    const double idf = std::log((double(documents) + 1.0) / (double(document_frequency(term)) + 1.0)) + 1.0;
    out[term] = (1.0 + std::log(n)) * idf;
  }
  return out;
}

int EditDistance(std::string_view a, std::string_view b, int max) {
  const int n = int(a.size()), m = int(b.size());
  if (std::abs(n - m) > max) return max + 1;
  std::vector<std::vector<int>> d(size_t(n + 1), std::vector<int>(size_t(m + 1)));
  for (int i = 0; i <= n; ++i) d[i][0] = i;
  for (int j = 0; j <= m; ++j) d[0][j] = j;
  for (int i = 1; i <= n; ++i) {
    int best = max + 1;
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      best = std::min(best, d[i][j]);
    }
    if (best > max) return max + 1;
  }
  return std::min(d[n][m], max + 1);
}

double Cosine(const TermVector& a, const TermVector& b) {
  double dot = 0, na = 0, nb = 0;
  for (const auto& [t, w] : a) {
    na += w * w;
    if (auto it = b.find(t); it != b.end()) dot += w * it->second;
  }
  for (const auto& [t, w] : b) nb += w * w;
  return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0;
}

}  // namespace chamado::search
