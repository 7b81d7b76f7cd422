#include "jobs/mailer.h"

#include <gtest/gtest.h>

namespace chamado::jobs {
namespace {

TEST(Mailer, FormatsLocalTimesAsEachLanguageWritesThem) {
  const Instant t = *ParseIsoInstant("2026-11-24T20:00:00Z");
  EXPECT_EQ(FormatLocal(t, "pt-BR", "America/Sao_Paulo"), "24/11/2026 17:00 (America/Sao_Paulo)");
  EXPECT_EQ(FormatLocal(t, "de", "Europe/Berlin"), "24.11.2026 21:00 (Europe/Berlin)");
  EXPECT_EQ(FormatLocal(t, "en", "UTC"), "2026-11-24 20:00 (UTC)");
  EXPECT_EQ(FormatLocal(t, "ru", "No/Such_Zone"), "24.11.2026 20:00 (UTC)");
}

TEST(Mailer, MessageIdsAreStableAndNameTheTicket) {
  store::Repo::QueuedNotification n;
  n.id = 17;
  n.row.ticket_number = 1234;
  n.row.created_at = FromUnixMillis(1000);
  const auto id = OutboxMessageId(n, "desk.example");
  EXPECT_EQ(id, "chamado.1234.17.rs@desk.example");
  EXPECT_EQ(OutboxMessageId(n, "desk.example"), id);
  EXPECT_EQ(core::TicketOfChamadoMessageId(id), 1234);
}

}  // namespace
}  // namespace chamado::jobs
