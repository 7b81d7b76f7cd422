// libFuzzer target: the bot's flow file (TOML -> Flow with all its checks), read against seed
// 004's policy (examples/policies/004_agency_management.toml) and without a policy; a flow
// it accepts is then walked.
// Checks, beyond not crashing:
// - a refusal names the file in each problem and says a sentence, all valid UTF-8;
// - an accepted flow keeps its text, its start node exists, every node an option, no_match,
//   yes, no or ticket leads to exists, and no node has more options than allowed; against the
//   policy, every ticket node's category is one of the policy's;
// - a conversation walked from the start (always the first, second or third choice offered,
//   or words where the bot waits for text) only ever stands on nodes of the flow and says
//   valid UTF-8, and a ticket it opens has a category.
// Build and run: ./scripts/fuzz flow [seconds].
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string_view>

#include "bot/conversation.h"
#include "bot/flow.h"
#include "core/text.h"
#include "core/time.h"
#include "sla/policy_toml.h"

namespace {

using namespace chamado;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const sla::Policy& SeedPolicy() {
  static const sla::Policy policy = [] {
    const std::string dir = CHAMADO_EXAMPLES "/policies/";
    auto p = sla::ParsePolicy(ReadFile(dir + "004_agency_management.toml"), "policy.toml",
                              [&](std::string_view path) -> Result<std::string> { return ReadFile(dir + std::string(path)); });
    Check(p.ok());
    return std::move(*p);
  }();
  return policy;
}

void CheckRefusal(const Error& e) {
  Check(!e.fields.empty() && IsValidUtf8(e.message));
  for (const auto& f : e.fields) Check(f.field.starts_with("bot.toml") && !f.message.empty() && IsValidUtf8(f.message));
}

void CheckFlow(const bot::Flow& flow, std::string_view text, const sla::Policy* policy) {
  Check(flow.source == text);
  Check(flow.Find(flow.start) != nullptr);
  Check(flow.nodes.size() <= bot::kMaxNodes);
  auto leads = [&](const std::string& id) { Check(id.empty() || flow.Find(id) != nullptr); };
  for (const auto& n : flow.nodes) {
    Check(n.options.size() <= bot::kMaxOptions);
    for (const auto& o : n.options) Check(flow.Find(o.next) != nullptr);
    leads(n.no_match);
    leads(n.yes);
    leads(n.no);
    leads(n.ticket);
    if (policy && n.kind == bot::NodeKind::kTicket) {
      bool known = false;
      for (const auto& c : policy->catalog.categories) known = known || c.key == n.category;
      Check(known);
    }
  }
}

void CheckOutcome(const bot::Flow& flow, const bot::Outcome& o) {
  Check(o.state.node.empty() || flow.Find(o.state.node) != nullptr);
  for (const auto& s : o.said) {
    Check(IsValidUtf8(s.text));
    for (const auto& c : s.options) Check(IsValidUtf8(c.label));
  }
  if (o.ticket) Check(!o.ticket->category.empty());
}

void Walk(const bot::Flow& flow, const sla::Policy& policy, size_t pick) {
  bot::Facts facts;
  facts.language = "pt-BR";
  facts.now = *ParseIsoInstant("2026-01-06T14:00:00Z");
  facts.plan_has_chat = true;
  facts.calendars = &policy.calendars;
  facts.found = {{"boleto", "Como emitir um boleto", "/help/pt-BR/financeiro/boletos/como-emitir-um-boleto"}};
  bot::Outcome o = bot::Start(flow, facts);
  CheckOutcome(flow, o);
  for (int turn = 0; turn < 12 && o.state.status == bot::Status::kActive; ++turn) {
    if (o.ticket) {
      o = bot::TicketOpened(flow, o.state, 42, facts);
      CheckOutcome(flow, o);
      continue;
    }
    bot::Input input;
    const auto choices = bot::ChoicesOf(flow, o.state, facts.language);
    if (!choices.empty()) input.option = choices[pick % choices.size()].id;
    else input.text = o.state.awaiting == bot::Awaiting::kEmail ? "ana@example.com" : "como emitir boleto";
    o = bot::Step(flow, o.state, input, facts);
    CheckOutcome(flow, o);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const sla::Policy& policy = SeedPolicy();
  auto with_policy = bot::ParseFlow(text, "bot.toml", &policy);
  auto alone = bot::ParseFlow(text, "bot.toml", nullptr);
  // The policy only adds checks: a flow it accepts is accepted without it.
  if (with_policy.ok()) Check(alone.ok());
  if (!alone.ok()) CheckRefusal(alone.error());
  if (!with_policy.ok()) {
    CheckRefusal(with_policy.error());
    return 0;
  }
  CheckFlow(with_policy->flow, text, &policy);
  CheckFlow(alone->flow, text, nullptr);
  for (size_t pick = 0; pick < 3; ++pick) Walk(with_policy->flow, policy, pick);
  return 0;
}
