#include "core/model.h"

#include <gtest/gtest.h>

namespace chamado::core {
namespace {

TEST(Model, NamesRoundTrip) {
  for (auto s : {Status::kNew, Status::kOpen, Status::kPendingCustomer, Status::kOnHold, Status::kSolved, Status::kClosed})
    EXPECT_EQ(ParseStatus(Name(s)), s);
  for (auto c : {Channel::kEmail, Channel::kWeb, Channel::kChat, Channel::kPhone, Channel::kWhatsapp, Channel::kApi})
    EXPECT_EQ(ParseChannel(Name(c)), c);
  EXPECT_EQ(Name(Status::kPendingCustomer), "pending_customer");
  EXPECT_EQ(Name(MessageKind::kInternalNote), "internal_note");
  EXPECT_EQ(Name(Resolution::kWorksAsExpected), "works_as_expected");
  EXPECT_FALSE(ParseStatus("Open"));
  EXPECT_FALSE(ParseRole("root"));
}

TEST(Model, PriorityRank) {
  PriorityScale s{{{"P1", "Urgent"}, {"P2", "High"}, {"P3", "Medium"}, {"P4", "Low"}}, "P3"};
  EXPECT_EQ(s.Rank("P1"), 0);
  EXPECT_EQ(s.Rank("P4"), 3);
  EXPECT_FALSE(s.Rank("P5"));
  EXPECT_EQ(s.Names(), "P1, P2, P3, P4");
}

TEST(Model, TextForFallsBackByLanguage) {
  const Texts t = {{"en", "Urgent"}, {"pt-BR", "Urgente"}, {"de", "Dringend"}};
  EXPECT_EQ(TextFor(t, "pt-BR"), "Urgente");
  EXPECT_EQ(TextFor(t, "pt-PT"), "Urgente");
  EXPECT_EQ(TextFor(t, "de"), "Dringend");
  EXPECT_EQ(TextFor(t, "ru"), "Urgent");
  EXPECT_EQ(TextFor({{"es", "Urgente"}}, "ru"), "Urgente");
  EXPECT_EQ(TextFor({}, "en"), "");
}

}  // namespace
}  // namespace chamado::core
