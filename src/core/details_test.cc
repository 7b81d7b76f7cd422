#include "core/details.h"

#include <gtest/gtest.h>

namespace chamado::core {
namespace {

// Seed 004's project category: a project number, the item's name, the steps, screenshots.
Category Projects() {
  Category c{"projects", "Projects"};
  c.details = {{"project_number", "Project number", {}, DetailKind::kNumber},
               {"item_name", "Item name", {}, DetailKind::kText},
               {"steps_taken", "Steps taken", {}, DetailKind::kText, /*required=*/false},
               {"screenshots", "Screenshots", {}, DetailKind::kAttachment}};
  return c;
}

NewTicket With(std::vector<CustomField> fields, std::vector<std::string> files) {
  NewTicket t;
  t.subject = "Cannot open the project";
  t.description = "It fails.";
  t.category = "projects";
  t.custom_fields = std::move(fields);
  t.detail_files = std::move(files);
  return t;
}

std::vector<std::string> FieldsOf(const Result<void>& r) {
  std::vector<std::string> out;
  if (r.ok()) return out;
  for (const auto& f : r.error().fields) out.push_back(f.field);
  return out;
}

TEST(CheckDetails, NamesEveryMissingDetailAtOnce) {
  using V = std::vector<std::string>;
  struct Case {
    const char* name;
    NewTicket ticket;
    V fields;  // the problems reported, in the category's order; empty: accepted
  };
  const Case cases[] = {
      {"nothing given", With({}, {}), V{"custom_fields.project_number", "custom_fields.item_name", "detail.screenshots"}},
      {"everything given", With({{"project_number", int64_t{1234}}, {"item_name", std::string("Roof")}}, {"screenshots"}), V{}},
      {"the optional one may be left out or given",
       With({{"project_number", int64_t{1}}, {"item_name", std::string("Roof")}, {"steps_taken", std::string("Opened it")}}, {"screenshots"}), V{}},
      {"blank text is missing", With({{"project_number", int64_t{1}}, {"item_name", std::string("  ")}}, {"screenshots"}), V{"custom_fields.item_name"}},
      {"a number as text (a form) counts", With({{"project_number", std::string(" 1234 ")}, {"item_name", std::string("Roof")}}, {"screenshots"}), V{}},
      {"a word is not a number", With({{"project_number", std::string("twelve")}, {"item_name", std::string("Roof")}}, {"screenshots"}), V{"custom_fields.project_number"}},
      {"a file for another detail does not count", With({{"project_number", 2.5}, {"item_name", std::string("Roof")}}, {"logo"}), V{"detail.screenshots"}},
  };
  for (const auto& c : cases) EXPECT_EQ(FieldsOf(CheckDetails(Projects(), c.ticket)), c.fields) << c.name;
}

TEST(CheckDetails, MessagesNameTheDetailAndTheCategory) {
  auto r = CheckDetails(Projects(), With({{"project_number", std::string("x")}}, {}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(r.error().fields.size(), 3u);
  EXPECT_EQ(r.error().fields[0].message, "Project number must be a number (category \"Projects\").");
  EXPECT_EQ(r.error().fields[1].message, "Item name is required (category \"Projects\").");
  EXPECT_EQ(r.error().fields[2].message, "Screenshots is required (category \"Projects\"): attach a file.");
  EXPECT_NE(r.error().message.find("2 more problem(s)"), std::string::npos);
}

TEST(CheckDetails, ACategoryWithoutDetailsAcceptsAnything) {
  EXPECT_TRUE(CheckDetails(Category{"billing", "Billing"}, NewTicket{}).ok());
}

}  // namespace
}  // namespace chamado::core
