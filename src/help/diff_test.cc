#include "help/diff.h"

#include <gtest/gtest.h>

namespace chamado::help {
namespace {

// A diff written as lines "  same", "- removed", "+ added" with their numbers.
std::string Show(const std::vector<DiffLine>& lines) {
  std::string out;
  for (const auto& l : lines) {
    const char* mark = l.op == DiffLine::Op::kSame ? " " : l.op == DiffLine::Op::kRemoved ? "-" : "+";
    out += std::string(mark) + " " + std::to_string(l.before) + " " + std::to_string(l.after) + " " + l.text + "\n";
  }
  return out;
}

struct Case {
  const char* name;
  const char* before;
  const char* after;
  const char* expected;
};

TEST(LineDiffTest, Table) {
  const Case cases[] = {
      {"identical", "a\nb\n", "a\nb\n", "  1 1 a\n  2 2 b\n"},
      {"both empty", "", "", ""},
      {"from nothing", "", "a\nb", "+ 0 1 a\n+ 0 2 b\n"},
      {"to nothing", "a\nb\n", "", "- 1 0 a\n- 2 0 b\n"},
      {"one line changed: the old line first", "a\nb\nc\n", "a\nB\nc\n", "  1 1 a\n- 2 0 b\n+ 0 2 B\n  3 3 c\n"},
      {"a line inserted", "a\nc\n", "a\nb\nc\n", "  1 1 a\n+ 0 2 b\n  2 3 c\n"},
      {"a line removed", "a\nb\nc\n", "a\nc\n", "  1 1 a\n- 2 0 b\n  3 2 c\n"},
      {"CRLF is a line break", "a\r\nb\r\n", "a\nb\n", "  1 1 a\n  2 2 b\n"},
      {"a last line without a break", "a\nb", "a\nb\n", "  1 1 a\n  2 2 b\n"},
      {"blank lines count", "a\n\nb\n", "a\nb\n", "  1 1 a\n- 2 0 \n  3 2 b\n"},
      {"longer after than before: removal still first", "x\n", "y\nz\nw\n", "- 1 0 x\n+ 0 1 y\n+ 0 2 z\n+ 0 3 w\n"},
  };
  for (const auto& c : cases) EXPECT_EQ(Show(LineDiff(c.before, c.after)), c.expected) << c.name;
}

TEST(LineDiffTest, EveryLineOfBothTextsOnceInOrder) {
  std::string before, after;
  for (int i = 0; i < 300; ++i) {
    before += "line " + std::to_string(i) + "\n";
    if (i % 7 != 0) after += "line " + std::to_string(i) + "\n";
    if (i % 11 == 0) after += "new " + std::to_string(i) + "\n";
  }
  int next_before = 1, next_after = 1;
  for (const auto& l : LineDiff(before, after)) {
    if (l.before) EXPECT_EQ(l.before, next_before++);
    if (l.after) EXPECT_EQ(l.after, next_after++);
    if (l.op == DiffLine::Op::kRemoved) EXPECT_EQ(l.text.rfind("line ", 0), 0u);
    if (l.op == DiffLine::Op::kAdded) EXPECT_EQ(l.text.rfind("new ", 0), 0u);
  }
  EXPECT_EQ(next_before, 301);
  EXPECT_EQ(next_after, 300 - 43 + 28 + 1);
}

TEST(LineDiffTest, OpNames) {
  EXPECT_STREQ(OpName(DiffLine::Op::kSame), "same");
  EXPECT_STREQ(OpName(DiffLine::Op::kRemoved), "removed");
  EXPECT_STREQ(OpName(DiffLine::Op::kAdded), "added");
}

}  // namespace
}  // namespace chamado::help
