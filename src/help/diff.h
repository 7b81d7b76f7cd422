// Line diffs between two revisions of an article's Markdown, for the editor's history view.
// Pure; computed by Debian's dtl (libdtl-dev, Wu's O(NP) algorithm), whose shortest edit
// script keeps the lines the two texts share in order and marks the rest removed or added.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chamado::help {

struct DiffLine {
  enum class Op { kSame, kRemoved, kAdded };
  Op op = Op::kSame;
  std::string text;  // the line, without its line break
  int before = 0;    // its number (from 1) in the earlier text; 0 for an added line
  int after = 0;     // its number (from 1) in the later text; 0 for a removed line
};

// Every line of both texts in reading order: a removed line comes before the line added in
// its place. "\r\n" counts as a line break; a last line without a break is still a line.
std::vector<DiffLine> LineDiff(std::string_view before, std::string_view after);

// "same", "removed" or "added" (the API's words).
const char* OpName(DiffLine::Op op);

}  // namespace chamado::help
