#include "app/resources.h"

#include <vector>

namespace chamado::app {
namespace fs = std::filesystem;

Whereabouts ThisProcess() {
  Whereabouts w;
  std::error_code ec;
  w.working = fs::current_path(ec);
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) w.binary = exe;
  return w;
}

std::string FindResource(const std::string& configured, const Resource& resource, const Whereabouts& where) {
  if (!configured.empty()) return configured;
  std::vector<fs::path> candidates = {where.working / resource.in_tree};
  if (where.binary) {
    candidates.push_back(where.binary->parent_path() / ".." / "share" / "chamado" / resource.installed);
    candidates.push_back(where.binary->parent_path() / ".." / ".." / ".." / resource.in_tree);
  }
  std::error_code ec;
  for (const auto& c : candidates) {
    const fs::path marker = c / resource.marker;
    if (resource.marker_is_folder ? fs::is_directory(marker, ec) : fs::is_regular_file(marker, ec))
      return fs::weakly_canonical(c, ec).string();
  }
  return {};
}

std::string FindMailTemplates(const std::string& configured) {
  return FindResource(configured, {"templates/mail", "templates/mail", "en", true}, ThisProcess());
}

std::string FindWebRoot(const std::string& configured) {
  return FindResource(configured, {"web/dist", "web", "index.html", false}, ThisProcess());
}

}  // namespace chamado::app
