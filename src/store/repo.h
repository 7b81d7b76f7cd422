// The repository: every query Chamado runs, written once in portable SQL over a
// Connection. Engines differ only in their connection and their migration files.
//
// Repo is the union of the aggregates, each in its own header with the tables it owns:
// tickets (store/repo_tickets.h), messages (repo_messages.h), the directory
// (repo_directory.h), SLA clocks (repo_clocks.h), policy automations (repo_automations.h), mail ids (repo_mail.h), the outbox
// (repo_outbox.h), survey answers and the feature-request report (repo_outcomes.h), policies (repo_policies.h), the reports' facts (repo_reports.h), search (repo_search.h), help-center articles
// (repo_articles.h), routing (repo_routing.h), agents' saved views (repo_views.h), canned replies (repo_macros.h), the chatbot's flows and sessions (repo_bot.h) live conversations (repo_conversations.h) and the WhatsApp channel's (repo_whatsapp.h). All of them work on the one
// connection Repo is given, so a unit of work spans aggregates in one transaction.
//
// A Repo does not own its connection and is used by one thread at a time; transactions
// are opened by the Store around a unit of work, never by the Repo.
#pragma once

#include "core/model.h"
#include "store/page.h"
#include "store/repo_articles.h"
#include "store/repo_automations.h"
#include "store/repo_bot.h"
#include "store/repo_clocks.h"
#include "store/repo_conversations.h"
#include "store/repo_directory.h"
#include "store/repo_macros.h"
#include "store/repo_mail.h"
#include "store/repo_messages.h"
#include "store/repo_outbox.h"
#include "store/repo_outcomes.h"
#include "store/repo_policies.h"
#include "store/repo_reports.h"
#include "store/repo_routing.h"
#include "store/repo_search.h"
#include "store/repo_tickets.h"
#include "store/repo_views.h"
#include "store/repo_whatsapp.h"
#include "store/sql.h"

namespace chamado::store {

using core::Id;

class Repo : public TicketRepo,
             public MessageRepo,
             public DirectoryRepo,
             public ClockRepo,
             public AutomationRepo,
             public MailRepo,
             public OutboxRepo,
             public OutcomeRepo,
             public PolicyRepo,
             public ReportRepo,
             public SearchRepo,
             public ArticleRepo,
             public RoutingRepo,
             public ViewRepo,
             public MacroRepo,
             public BotRepo,
             public ConversationRepo,
             public WhatsappRepo {
 public:
  explicit Repo(Connection& c)
      : TicketRepo(c), MessageRepo(c), DirectoryRepo(c), ClockRepo(c), AutomationRepo(c), MailRepo(c), OutboxRepo(c), OutcomeRepo(c), PolicyRepo(c), ReportRepo(c), SearchRepo(c), ArticleRepo(c),
        RoutingRepo(c), ViewRepo(c), MacroRepo(c), BotRepo(c), ConversationRepo(c), WhatsappRepo(c), c_(c) {}
  Connection& conn() { return c_; }

 private:
  Connection& c_;
};

}  // namespace chamado::store
