#include "help/diff.h"

#include <dtl/dtl.hpp>

namespace chamado::help {
namespace {

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.emplace_back(line);
    at = end + 1;
  }
  return out;
}

}  // namespace

std::vector<DiffLine> LineDiff(std::string_view before, std::string_view after) {
  const auto a = Lines(before), b = Lines(after);
  dtl::Diff<std::string, std::vector<std::string>> diff(a, b);
  diff.compose();
  std::vector<DiffLine> out;
  // dtl lists an addition before the removal it replaces when it walked the shorter text
  // first; a reader expects the old line first, so each run of changes is put in that order.
  std::vector<DiffLine> removed, added;
  auto flush = [&] {
    for (auto& l : removed) out.push_back(std::move(l));
    for (auto& l : added) out.push_back(std::move(l));
    removed.clear();
    added.clear();
  };
  for (const auto& [text, info] : diff.getSes().getSequence()) {
    if (info.type == dtl::SES_COMMON) {
      flush();
      out.push_back({DiffLine::Op::kSame, text, int(info.beforeIdx), int(info.afterIdx)});
    } else if (info.type == dtl::SES_DELETE) {
      removed.push_back({DiffLine::Op::kRemoved, text, int(info.beforeIdx), 0});
    } else {
      added.push_back({DiffLine::Op::kAdded, text, 0, int(info.afterIdx)});
    }
  }
  flush();
  return out;
}

const char* OpName(DiffLine::Op op) {
  switch (op) {
    case DiffLine::Op::kSame: return "same";
    case DiffLine::Op::kRemoved: return "removed";
    case DiffLine::Op::kAdded: return "added";
  }
  return "same";
}

}  // namespace chamado::help
