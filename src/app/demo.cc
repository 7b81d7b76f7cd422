#include "app/demo.h"

#include "auth/credentials.h"
#include "bot/flow.h"
#include "store/bot.h"
#include "help/article.h"
#include "store/commands.h"
#include "store/directory.h"

namespace chamado::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& demo_bot();
}

namespace chamado::app {
using namespace core;
using store::Repo;

namespace {
// Appended to the built-in policy for the demo: the plans its organizations carry.
constexpr const char* kDemoPlans = R"(

# Added by `chamado demo`: the plans of the demo's organizations.
[plans.basic]
name = "Basic"

[plans.regular]
name = "Regular"

[plans.premium]
name = "Premium"
features = ["customer_escalation", "chat"]

# Added by `chamado demo` for its chatbot (seed 004's flow, examples/bots/): the live
# service's hours and the categories the bot opens tickets in.
[calendars.live_chat]
name = { en = "Live chat", pt-BR = "Atendimento ao vivo", es = "Atención en vivo", de = "Live-Chat", ru = "Живой чат" }
tz = "America/Sao_Paulo"
hours = { mon = [["09:00", "12:00"], ["13:00", "17:00"]], tue = [["09:00", "12:00"], ["13:00", "17:00"]], wed = [["09:00", "12:00"], ["13:00", "17:00"]], thu = [["09:00", "12:00"], ["13:00", "17:00"]], fri = [["09:00", "12:00"], ["13:00", "17:00"]] }

[[categories]]
key = "platform_question"
name = { en = "A question about the platform", pt-BR = "Dúvida sobre a plataforma", es = "Duda sobre la plataforma", de = "Frage zur Plattform", ru = "Вопрос о платформе" }

[[categories]]
key = "invoices"
name = { en = "Invoices", pt-BR = "Notas fiscais", es = "Facturas", de = "Rechnungen", ru = "Счета" }
group = "Billing"
)";

// The demo's chatbot, applied when the desk has none and it fits the policy in effect.
Result<void> ApplyDemoBot(store::Store& store, Instant now) {
  auto existing = store.Read<std::optional<store::StoredFlow>>([](Repo& r) { return r.LatestFlow(); });
  if (!existing.ok()) return std::move(existing).error();
  if (*existing) return Ok();
  const auto& file = embedded::demo_bot().at(0);
  auto flow = bot::ParseFlow(file.second, file.first, store.policy().get());
  if (!flow.ok()) return Ok();  // an operator's own policy without the seed's categories: no demo bot
  CHAMADO_TRY(store.WriteSync<int64_t>(
      [&](Repo& repo) { return store::ApplyBotFlowCommand(repo, flow->flow, std::nullopt, std::nullopt, now); }));
  return Ok();
}

// The demo's help center: two products in Portuguese, English and Spanish (some articles not
// in every language, to show the fallback; two with the same title in different modules).
struct DemoArticle {
  const char* key;
  const char* language;
  const char* title;
  const char* product;
  const char* module;
  std::vector<std::string> tags;
  const char* body;
};

const std::vector<DemoArticle>& DemoArticles() {
  static const std::vector<DemoArticle> articles = {
      {"invoices-issue", "pt-BR", "Como emitir uma nota fiscal", "Financeiro", "Notas fiscais", {"nfe", "faturamento"},
       "Emita a nota fiscal de um projeto concluído em **Financeiro > Notas fiscais**.\n\n"
       "1. Clique em **Nova nota**.\n2. Escolha o cliente e o projeto.\n3. Confira os impostos e clique em **Emitir**.\n\n"
       "| Campo | Obrigatório |\n|---|:-:|\n| CNPJ do cliente | sim |\n| Código do serviço | sim |\n| Observações | não |\n\n"
       "Veja o passo a passo em vídeo:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n"},
      {"invoices-issue", "en", "How to issue an invoice", "Billing", "Invoices", {"invoice", "billing"},
       "Issue the invoice of a finished project in **Billing > Invoices**.\n\n"
       "1. Click **New invoice**.\n2. Pick the client and the project.\n3. Check the taxes and click **Issue**.\n\n"
       "| Field | Required |\n|---|:-:|\n| Client tax id | yes |\n| Service code | yes |\n| Notes | no |\n\n"
       "Watch it step by step:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n"},
      {"invoices-issue", "es", "Cómo emitir una factura", "Facturación", "Facturas", {"factura"},
       "Emite la factura de un proyecto terminado en **Facturación > Facturas**.\n\n"
       "1. Haz clic en **Nueva factura**.\n2. Elige el cliente y el proyecto.\n3. Revisa los impuestos y haz clic en **Emitir**.\n"},
      {"invoices-cancel", "pt-BR", "Como cancelar uma nota fiscal", "Financeiro", "Notas fiscais", {"nfe", "cancelamento"},
       "Uma nota pode ser cancelada em até 24 horas depois da emissão.\n\n"
       "Abra a nota em **Financeiro > Notas fiscais**, clique em **Cancelar** e informe o motivo. "
       "Depois do prazo, emita uma nota de estorno.\n"},
      {"invoices-cancel", "en", "How to cancel an invoice", "Billing", "Invoices", {"invoice", "cancel"},
       "An invoice can be cancelled within 24 hours of being issued.\n\n"
       "Open it in **Billing > Invoices**, click **Cancel** and give the reason. After that, issue a credit note.\n"},
      {"boleto-payment", "pt-BR", "Pagamento por boleto", "Financeiro", "Pagamentos", {"boleto", "pagamento"},
       "O boleto vence em 3 dias úteis. A compensação leva até 2 dias úteis depois do pagamento.\n\n"
       "- [x] Gere o boleto em **Financeiro > Pagamentos**\n- [ ] Envie ao cliente\n"},
      {"boleto-payment", "en", "Paying by boleto", "Billing", "Payments", {"boleto", "payment"},
       "A boleto is due in 3 business days. Clearing takes up to 2 business days after payment.\n"},
      {"boleto-payment", "es", "Pago con boleto", "Facturación", "Pagos", {"boleto", "pago"},
       "El boleto vence en 3 días hábiles. La compensación tarda hasta 2 días hábiles después del pago.\n"},
      {"project-create", "pt-BR", "Como criar um projeto", "Projetos", "Cadastro", {"projeto"},
       "Em **Projetos > Novo projeto**, informe o número do projeto, o cliente e o prazo. "
       "O número aparece em todas as telas e nos chamados: informe-o sempre que pedir ajuda.\n"},
      {"project-create", "en", "How to create a project", "Projects", "Setup", {"project"},
       "In **Projects > New project**, enter the project number, the client and the deadline. "
       "The number shows on every screen and in tickets: give it whenever you ask for help.\n"},
      {"project-create", "es", "Cómo crear un proyecto", "Proyectos", "Configuración", {"proyecto"},
       "En **Proyectos > Nuevo proyecto**, indica el número del proyecto, el cliente y el plazo.\n"},
      {"project-timesheet", "pt-BR", "Apontamento de horas", "Projetos", "Horas", {"horas", "timesheet"},
       "Cada pessoa aponta as horas do dia em **Projetos > Horas**. O gestor aprova as horas toda sexta-feira.\n"},
      {"project-timesheet", "en", "Logging hours", "Projects", "Timesheets", {"hours", "timesheet"},
       "Everybody logs the day's hours in **Projects > Timesheets**. Managers approve them every Friday.\n"},
      {"reports-export-billing", "pt-BR", "Como exportar relatórios", "Financeiro", "Relatórios", {"relatorio", "exportar"},
       "Em **Financeiro > Relatórios**, escolha o período e clique em **Exportar CSV**: notas, boletos e recebimentos.\n"},
      {"reports-export-projects", "pt-BR", "Como exportar relatórios", "Projetos", "Relatórios", {"relatorio", "exportar"},
       "Em **Projetos > Relatórios**, escolha os projetos e clique em **Exportar CSV**: horas, prazos e custos.\n"},
      {"reports-export-projects", "en", "How to export reports", "Projects", "Reports", {"report", "export"},
       "In **Projects > Reports**, pick the projects and click **Export CSV**: hours, deadlines and costs.\n"},
  };
  return articles;
}
}  // namespace

const std::vector<DemoLogin>& DemoLogins() {
  static const std::vector<DemoLogin> logins = {
      {"admin", "admin@chamado.example", "chamado-admin"},
      {"agent", "lucas@chamado.example", "chamado-agent"},
      {"agent", "sofia@chamado.example", "chamado-agent"},
      {"customer", "maria@acme.com.br", "chamado-customer"},
      {"customer", "hans@globex.de", "chamado-customer"},
      {"customer", "peter@initech.com", "chamado-customer"},
  };
  return logins;
}

Result<std::vector<DemoLogin>> LoadDemo(store::Store& store, Instant now) {
  auto existing = store.Read<std::optional<User>>([](Repo& r) { return r.FindUserByEmail("admin@chamado.example"); });
  if (!existing.ok()) return std::move(existing).error();
  if (*existing) return std::vector<DemoLogin>{};

  // Hash outside the transaction: argon2id is deliberately slow.
  std::vector<std::string> hashes;
  for (const auto& l : DemoLogins()) {
    CHAMADO_ASSIGN_OR_RETURN(auto h, auth::HashPassword(l.password));
    hashes.push_back(std::move(h));
  }
  // The demo's organizations are on three plans; while the built-in policy (which names no
  // plans) is in effect, the demo applies it with those plans added, so that what plans
  // allow (Premium customers asking for escalation) works out of the box. An operator's
  // own policy is left as it is.
  if (store.policy_version() == 0) {
    const std::string source = std::string(store::DefaultPolicySource()) + kDemoPlans;
    CHAMADO_ASSIGN_OR_RETURN(auto demo_policy, store::ParseStoredPolicy(source, "demo policy", {}));
    CHAMADO_TRY(store.WriteSync<int64_t>([&](Repo& repo) {
      return store::ApplyPolicyCommand(repo, demo_policy, {}, std::nullopt, now);
    }));
    CHAMADO_TRY(store.ReloadPolicy());
  }
  CHAMADO_TRY(ApplyDemoBot(store, now));
  auto policy = store.policy();
  const auto masker = *SecretMasker::Make(SecretMasker::Defaults());
  using std::chrono::hours;
  using std::chrono::minutes;
  const Instant t0 = now - hours(50);

  auto r = store.WriteSync<bool>([&](Repo& repo) -> Result<bool> {
    auto org = [&](const char* name, const char* plan, const char* lang, const char* tz, const char* domain) {
      store::OrganizationInput o;
      o.name = name;
      o.plan = plan;
      o.language = lang;
      o.time_zone = tz;
      o.domains = std::vector<std::string>{domain};
      return store::CreateOrganizationCommand(repo, o, 0, t0);
    };
    CHAMADO_ASSIGN_OR_RETURN(auto acme, org("Acme Brasil Ltda", "premium", "pt-BR", "America/Sao_Paulo", "acme.com.br"));
    CHAMADO_ASSIGN_OR_RETURN(auto globex, org("Globex GmbH", "regular", "de", "Europe/Berlin", "globex.de"));
    CHAMADO_ASSIGN_OR_RETURN(auto initech, org("Initech", "basic", "en", "America/New_York", "initech.com"));

    auto group = [&](const char* name, const char* desc) {
      return store::CreateGroupCommand(repo, {std::string(name), std::string(desc)}, 0, t0);
    };
    CHAMADO_ASSIGN_OR_RETURN(auto l1, group("L1 Support", "First line: triage, answers, routing."));
    CHAMADO_ASSIGN_OR_RETURN(auto eng, group("Engineering", "Investigates defects and outages escalated by L1."));
    CHAMADO_ASSIGN_OR_RETURN(auto billing, group("Billing", "Invoices, plans and payments."));
    (void)billing;

    auto person = [&](size_t i, const char* name, Role role, std::optional<Id> org_id, const char* lang, const char* tz,
                      std::vector<Id> groups, std::vector<std::string> langs) -> Result<User> {
      const bool contact = role == Role::kCustomer;
      store::UserInput u;
      u.email = DemoLogins()[i].email;
      u.name = name;
      u.language = lang;
      u.time_zone = tz;
      if (contact) {
        u.organization_id = org_id;
      } else {
        u.role = std::string(Name(role));
        u.group_ids = std::move(groups);
        u.languages = std::move(langs);
      }
      return store::CreateUserCommand(repo, contact ? store::UserKind::kContact : store::UserKind::kAgent, u, hashes[i], 0, t0);
    };
    CHAMADO_ASSIGN_OR_RETURN(auto admin, person(0, "Ana Administradora", Role::kAdmin, std::nullopt, "pt-BR", "America/Sao_Paulo", {l1.id, eng.id}, {"pt-BR", "en", "es"}));
    CHAMADO_ASSIGN_OR_RETURN(auto lucas, person(1, "Lucas Pereira", Role::kAgent, std::nullopt, "pt-BR", "America/Sao_Paulo", {l1.id}, {"pt-BR", "en", "es"}));
    CHAMADO_ASSIGN_OR_RETURN(auto sofia, person(2, "Sofia Weber", Role::kAgent, std::nullopt, "en", "Europe/Berlin", {eng.id}, {"en", "de", "ru"}));
    CHAMADO_ASSIGN_OR_RETURN(auto maria, person(3, "Maria Souza", Role::kCustomer, acme.id, "pt-BR", "America/Sao_Paulo", {}, {}));
    CHAMADO_ASSIGN_OR_RETURN(auto hans, person(4, "Hans Müller", Role::kCustomer, globex.id, "de", "Europe/Berlin", {}, {}));
    CHAMADO_ASSIGN_OR_RETURN(auto peter, person(5, "Peter Gibbons", Role::kCustomer, initech.id, "en", "America/New_York", {}, {}));
    (void)admin;

    auto open = [&](const User& who, const char* subject, const char* text, const char* category,
                    std::vector<std::string> tags, Instant at) -> Result<Ticket> {
      store::OpenTicketRequest req;
      req.ticket.subject = subject;
      req.ticket.description = text;
      // The policy in effect may name its categories differently.
      if (policy->catalog.HasCategory(category)) req.ticket.category = category;
      req.ticket.tags = std::move(tags);
      req.ticket.channel = Channel::kWeb;
      req.require_details = false;  // the sample tickets carry no details, whatever the policy asks
      CHAMADO_ASSIGN_OR_RETURN(auto opened, store::OpenTicketCommand(repo, *policy, *masker, who, req, at));
      return opened.ticket;
    };
    auto reply = [&](const User& who, Id number, MessageKind kind, const char* text, std::optional<Status> status,
                     Instant at) -> Result<void> {
      NewMessage m;
      m.kind = kind;
      m.body = text;
      m.status = status;
      CHAMADO_TRY(store::AddMessageCommand(repo, *policy, *masker, who, number, m, at));
      return Ok();
    };
    auto triage = [&](const User& who, Id number, const char* priority, Id group, std::optional<Id> assignee, Instant at) -> Result<void> {
      store::ChangeTicketRequest req;
      if (policy->catalog.priorities.Rank(priority)) req.patch.priority = priority;
      req.group_id = std::optional<Id>(group);
      if (assignee) req.assignee_id = std::optional<Id>(*assignee);
      CHAMADO_TRY(store::ChangeTicketCommand(repo, *policy, *masker, who, number, req, at));
      return Ok();
    };

    CHAMADO_ASSIGN_OR_RETURN(auto t1, open(maria, "Mensagens do WhatsApp não estão sendo entregues",
                                           "Desde as 9h nenhuma mensagem enviada pela API chega aos clientes. Erro 131047 no webhook.",
                                           "problem", {"whatsapp", "api"}, t0 + hours(46)));
    CHAMADO_TRY(triage(lucas, t1.number, "P1", eng.id, sofia.id, t0 + hours(46) + minutes(6)));
    CHAMADO_TRY(reply(sofia, t1.number, MessageKind::kInternalNote,
                      "Meta status page shows degraded delivery in LATAM; checking our queue too.", std::nullopt,
                      t0 + hours(46) + minutes(12)));
    CHAMADO_TRY(reply(sofia, t1.number, MessageKind::kPublicReply,
                      "Olá Maria, estamos investigando com prioridade máxima. Próxima atualização em 30 minutos.",
                      std::nullopt, t0 + hours(46) + minutes(15)));

    CHAMADO_ASSIGN_OR_RETURN(auto t2, open(hans, "Rechnung für Oktober doppelt belastet",
                                           "Unsere Kreditkarte wurde für die Oktober-Rechnung zweimal belastet.", "billing",
                                           {"invoice"}, t0 + hours(30)));
    CHAMADO_TRY(triage(lucas, t2.number, "P3", l1.id, lucas.id, t0 + hours(31)));
    CHAMADO_TRY(reply(lucas, t2.number, MessageKind::kPublicReply,
                      "Hallo Hans, could you send us the last four digits of the card and the two transaction ids?",
                      Status::kPendingCustomer, t0 + hours(31) + minutes(5)));

    CHAMADO_ASSIGN_OR_RETURN(auto t3, open(peter, "How do I export last month's conversations?",
                                           "I need a CSV of all conversations from October for an audit.", "question",
                                           {"export"}, t0 + hours(48)));
    (void)t3;
    CHAMADO_ASSIGN_OR_RETURN(auto t4, open(maria, "Dúvida sobre limite de usuários no plano Premium",
                                           "Quantos agentes posso adicionar no plano Premium?", "question", {}, t0 + hours(10)));
    CHAMADO_TRY(triage(lucas, t4.number, "P4", l1.id, lucas.id, t0 + hours(10) + minutes(20)));
    CHAMADO_TRY(reply(lucas, t4.number, MessageKind::kPublicReply,
                      "Oi Maria! O plano Premium inclui até 50 agentes; acima disso, fale com seu gerente de conta.",
                      Status::kSolved, t0 + hours(10) + minutes(25)));
    CHAMADO_ASSIGN_OR_RETURN(auto t5, open(peter, "Webhook retries stop after 3 attempts",
                                           "Our endpoint was down for 10 minutes and we lost events. Is the retry policy configurable?",
                                           "problem", {"webhooks"}, t0 + hours(44)));
    CHAMADO_TRY(triage(lucas, t5.number, "P2", eng.id, std::nullopt, t0 + hours(44) + minutes(40)));

    for (const auto& d : DemoArticles()) {
      help::Article a;
      a.key = d.key;
      a.language = d.language;
      a.title = d.title;
      a.product = d.product;
      a.module = d.module;
      a.tags = d.tags;
      a.body = d.body;
      a.slug = help::Slug(a.title);
      a.published = true;
      CHAMADO_TRY(repo.PutArticle(std::move(a), t0 + hours(2)));
    }
    return true;
  });
  if (!r.ok()) return std::move(r).error();
  return DemoLogins();
}

}  // namespace chamado::app
