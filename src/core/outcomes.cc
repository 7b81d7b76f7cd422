#include "core/outcomes.h"

#include <algorithm>
#include <array>

#include "core/text.h"

namespace chamado::core {
namespace {

constexpr int kResolutionCount = static_cast<int>(Resolution::kUnsupported) + 1;

// In the enum's order. The wording follows the seeds' own (002: "submetemos o seu pedido de
// recurso para a equipe de produto"; 003: "não conseguimos reproduzir o erro").
const std::array<Texts, kResolutionCount>& Defaults() {
  static const std::array<Texts, kResolutionCount> kTexts{{
      {{"pt-BR", "Corrigimos o problema; tudo deve voltar a funcionar normalmente."},
       {"en", "We fixed the problem; everything should work normally again."},
       {"es", "Corregimos el problema; todo debería volver a funcionar con normalidad."},
       {"de", "Wir haben das Problem behoben; alles sollte wieder normal funktionieren."},
       {"ru", "Мы устранили проблему; всё должно снова работать как обычно."}},
      {{"pt-BR", "Respondemos à sua pergunta."},
       {"en", "We answered your question."},
       {"es", "Respondimos a su pregunta."},
       {"de", "Wir haben Ihre Frage beantwortet."},
       {"ru", "Мы ответили на ваш вопрос."}},
      {{"pt-BR", "O recurso está funcionando como esperado: ele foi feito para se comportar assim."},
       {"en", "The feature works as expected: it is designed to behave this way."},
       {"es", "La función se comporta como se espera: está diseñada para funcionar así."},
       {"de", "Die Funktion arbeitet wie vorgesehen: Sie ist so entworfen."},
       {"ru", "Функция работает так, как задумано."}},
      {{"pt-BR", "Enviamos o seu pedido de recurso para a nossa equipe de produto."},
       {"en", "We sent your feature request to our product team."},
       {"es", "Enviamos su solicitud de funcionalidad a nuestro equipo de producto."},
       {"de", "Wir haben Ihren Funktionswunsch an unser Produktteam weitergegeben."},
       {"ru", "Мы передали ваш запрос на новую функцию нашей продуктовой команде."}},
      {{"pt-BR", "Não conseguimos reproduzir o problema, por isso não pudemos atuar na solução. Se acontecer de novo, responda com os passos e capturas de tela."},
       {"en", "We could not reproduce the problem, so we could not act on it. If it happens again, reply with the steps and screenshots."},
       {"es", "No pudimos reproducir el problema, por lo que no pudimos actuar. Si vuelve a ocurrir, responda con los pasos y capturas de pantalla."},
       {"de", "Wir konnten das Problem nicht nachstellen und daher nicht beheben. Falls es wieder auftritt, antworten Sie bitte mit den Schritten und Screenshots."},
       {"ru", "Нам не удалось воспроизвести проблему, поэтому мы не смогли её устранить. Если она повторится, ответьте, описав шаги, и приложите снимки экрана."}},
      {{"pt-BR", "Um produto de terceiros está envolvido; entre em contato com o fornecedor dele para obter mais assistência."},
       {"en", "A third-party product is involved; please contact its provider for further help."},
       {"es", "Interviene un producto de terceros; póngase en contacto con su proveedor para obtener más ayuda."},
       {"de", "Ein Produkt eines Drittanbieters ist beteiligt; bitte wenden Sie sich für weitere Hilfe an dessen Anbieter."},
       {"ru", "Здесь задействован сторонний продукт; пожалуйста, обратитесь за помощью к его поставщику."}},
      {{"pt-BR", "Não conseguimos resolver, ou atualmente não oferecemos suporte para o item sobre o qual você nos contatou."},
       {"en", "We are unable to resolve this, or we do not currently support what you contacted us about."},
       {"es", "No podemos resolverlo, o actualmente no damos soporte a lo que nos consultó."},
       {"de", "Wir können dies nicht lösen, oder wir unterstützen das Angefragte derzeit nicht."},
       {"ru", "Мы не можем это решить, или то, о чём вы спрашивали, сейчас не поддерживается."}},
  }};
  return kTexts;
}

}  // namespace

const Texts& DefaultResolutionTexts(Resolution r) { return Defaults()[static_cast<size_t>(r)]; }

Outcomes WithDefaultTexts(Outcomes o) {
  std::vector<std::pair<Resolution, Texts>> texts;
  for (int i = 0; i < kResolutionCount; ++i) {
    const auto r = static_cast<Resolution>(i);
    Texts merged = DefaultResolutionTexts(r);
    for (const auto& [res, given] : o.texts) {
      if (res != r) continue;
      for (const auto& one : given) {
        auto it = std::find_if(merged.begin(), merged.end(), [&](const auto& p) { return p.first == one.first; });
        if (it == merged.end()) merged.push_back(one);
        else it->second = one.second;
      }
    }
    texts.emplace_back(r, std::move(merged));
  }
  o.texts = std::move(texts);
  return o;
}

Result<std::string> CheckSummary(std::string_view raw) {
  const std::string_view s = Trim(raw);
  if (s.size() > kMaxSummaryBytes)
    return Error::InvalidSaid("resolution_summary", "outcome.summary_too_long");
  if (!IsValidUtf8(s) || HasControlChars(s, true))
    return Error::InvalidSaid("resolution_summary", "outcome.summary_not_text");
  return std::string(s);
}

Result<Resolution> SolveOutcome(const Outcomes& outcomes, std::optional<Resolution> chosen, std::string_view summary,
                                bool by_agent) {
  if (chosen && !outcomes.Offers(*chosen))
    return Error::InvalidSaid("resolution", "outcome.resolution_not_offered",
                              {{"resolution", std::string(Name(*chosen))}, {"accepted", outcomes.OfferedNames()}});
  if (by_agent && outcomes.required) {
    if (!chosen)
      return Error::InvalidSaid("resolution", "outcome.resolution_required", {{"accepted", outcomes.OfferedNames()}});
    if (Trim(summary).empty())
      return Error::InvalidSaid("resolution_summary", "outcome.summary_required");
  }
  return chosen.value_or(Resolution::kAnswered);
}

Result<SurveyAnswer> AnswerSurvey(const Ticket& t, const std::optional<SurveyAnswer>& stored, int rating,
                                  std::string_view comment, Instant now) {
  if (rating < 1 || rating > 5) return Error::InvalidSaid("rating", "survey.rating_range");
  const std::string_view text = Trim(comment);
  if (text.size() > kMaxSurveyCommentBytes) return Error::InvalidSaid("comment", "survey.comment_too_long");
  if (!IsValidUtf8(text) || HasControlChars(text, true)) return Error::InvalidSaid("comment", "survey.comment_not_text");
  if (t.status != Status::kSolved && t.status != Status::kClosed)
    return Error::Said(ErrorCode::kConflict, "survey.reopened", {{"number", std::to_string(t.number)}});
  SurveyAnswer out;
  out.ticket_number = t.number;
  out.rating = rating;
  out.comment = std::string(text);
  out.answered_at = now;
  out.updated_at = now;
  if (stored) {
    if (now > SurveyChangeableUntil(stored->answered_at))
      return Error::Said(ErrorCode::kConflict, "survey.answer_final",
                         {{"number", std::to_string(t.number)}, {"when", FormatIsoUtc(stored->answered_at)}});
    out.answered_at = stored->answered_at;
  }
  return out;
}

}  // namespace chamado::core
