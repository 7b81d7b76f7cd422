// Finding what an installation ships beside the binary: the mail templates and the built web
// UI. A configured folder wins; otherwise the first of these that holds the resource:
//   <working folder>/<in_tree>                 (a checkout, run from its root)
//   <binary's folder>/../share/chamado/<installed>   (installed under a prefix)
//   <binary's folder>/../../../<in_tree>       (the build tree: build/src/app/chamado)
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace chamado::app {

struct Resource {
  std::string in_tree;    // relative to a checkout's root: "templates/mail"
  std::string installed;  // relative to <prefix>/share/chamado: "templates/mail"
  std::string marker;     // what the right folder holds: "en", "index.html"
  bool marker_is_folder = false;
};

// Where this process looks: its working folder and its binary (nullopt when unknown).
struct Whereabouts {
  std::filesystem::path working;
  std::optional<std::filesystem::path> binary;
};
Whereabouts ThisProcess();

// The folder, canonical; empty when there is none.
std::string FindResource(const std::string& configured, const Resource& resource, const Whereabouts& where);

// Folders of <language>/<event>.txt, "en" at least.
std::string FindMailTemplates(const std::string& configured);
// The built web UI: index.html and its assets.
std::string FindWebRoot(const std::string& configured);

}  // namespace chamado::app
