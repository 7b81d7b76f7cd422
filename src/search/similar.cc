#include "search/similar.h"

#include <cmath>

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
