// `chamado help import FOLDER` and `chamado help export FOLDER`: the help center as one
// Markdown file per translation (help/article.h), the way teams move help centers.
//
// Import reads every *.md file under FOLDER; a file with a mistake is reported with its path
// and line and left out whole, the others are imported. Importing the same folder again
// changes nothing; a changed file updates its translation (key, language).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "app/cli.h"
#include "app/progress.h"
#include "help/article.h"

namespace chamado::app {
namespace fs = std::filesystem;

namespace {

constexpr uintmax_t kMaxArticleBytes = 1 << 20;

Result<help::Article> ReadArticle(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return Error::InvalidArgument("cannot read it: " + ec.message() + ".");
  if (size > kMaxArticleBytes) return Error::InvalidArgument("it is larger than 1 MiB; split the article.");
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in.good() && !in.eof()) return Error::InvalidArgument("cannot read it.");
  return help::ParseArticleFile(ss.str());
}

int Import(Installation& installation, const std::string& folder, const core::Clock& clock) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return Fail(folder + " is not a folder.");
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(folder, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".md") files.push_back(it->path());
  }
  if (ec) return Fail("Cannot read " + folder + ": " + ec.message());
  std::sort(files.begin(), files.end());

  std::vector<help::Article> articles;
  std::vector<std::string> problems;
  std::map<std::pair<std::string, std::string>, fs::path> first;  // (key, language) -> its file
  for (const auto& path : files) {
    auto a = ReadArticle(path);
    if (!a.ok()) {
      problems.push_back(path.string() + ": " + a.error().message);
      continue;
    }
    auto [it, fresh] = first.try_emplace({a->key, a->language}, path);
    if (!fresh) {
      problems.push_back(path.string() + ": key " + a->key + " in " + a->language + " is also in " + it->second.string() +
                         "; one file per translation.");
      continue;
    }
    articles.push_back(std::move(*a));
  }

  Progress progress("import", "articles", int64_t(articles.size()));
  int64_t created = 0, updated = 0, unchanged = 0;
  constexpr size_t kBatch = 200;
  for (size_t at = 0; at < articles.size(); at += kBatch) {
    const size_t end = std::min(articles.size(), at + kBatch);
    const Instant now = clock.Now();
    auto r = installation.store->WriteSync<std::vector<store::ArticleRepo::Put>>(
        [&](store::Repo& repo) -> Result<std::vector<store::ArticleRepo::Put>> {
          std::vector<store::ArticleRepo::Put> out;
          for (size_t i = at; i < end; ++i) {
            CHAMADO_ASSIGN_OR_RETURN(auto put, repo.PutArticle(articles[i], now));
            out.push_back(put);
          }
          return out;
        });
    if (!r.ok()) return Fail(r.error().message);
    for (auto put : *r) {
      if (put == store::ArticleRepo::Put::kCreated) ++created;
      else if (put == store::ArticleRepo::Put::kUpdated) ++updated;
      else ++unchanged;
    }
    progress.Update(int64_t(end));
  }
  progress.Finish(int64_t(articles.size()));
  // The search index takes them in now (a running server would at its next search).
  if (auto r = installation.store->CatchUpArticles(); !r.ok()) return Fail(r.error().message);
  std::cout << "imported " << folder << ": " << created << " created, " << updated << " updated, " << unchanged
            << " unchanged, " << problems.size() << " refused\n";
  for (const auto& p : problems) std::cerr << "chamado: " << p << "\n";
  return problems.empty() ? 0 : 1;
}

int Export(Installation& installation, const std::string& folder) {
  auto all = installation.store->ReadOne<std::vector<help::Article>>([](store::Repo& repo) { return repo.AllArticles(); });
  if (!all.ok()) return Fail(all.error().message);
  Progress progress("export", "articles", int64_t(all->size()));
  int64_t done = 0;
  for (const auto& a : *all) {
    const fs::path dir = fs::path(folder) / help::Slug(a.product.empty() ? "general" : a.product) /
                         help::Slug(a.module.empty() ? "general" : a.module);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Fail("Cannot create " + dir.string() + ": " + ec.message());
    const fs::path file = dir / (a.key + "." + a.language + ".md");
    const fs::path partial = file.string() + ".partial";
    {
      std::ofstream out(partial, std::ios::binary | std::ios::trunc);
      out << help::FormatArticleFile(a);
      if (!out.good()) return Fail("Cannot write " + partial.string() + ".");
    }
    fs::rename(partial, file, ec);
    if (ec) return Fail("Cannot write " + file.string() + ": " + ec.message());
    progress.Update(++done);
  }
  progress.Finish(done);
  std::cout << "exported " << done << " articles to " << folder << "\n";
  return 0;
}

}  // namespace

void AddHelpCommand(CommandLine& cl) {
  auto* help = cl.app().add_subcommand("help", "Help-center articles: import and export as Markdown files");
  help->require_subcommand(1);
  auto folder = std::make_shared<std::string>();
  auto* import = help->add_subcommand("import", "Import every *.md article under FOLDER (idempotent; bad files are reported and left out)");
  cl.AddDataOption(import);
  import->add_option("folder", *folder, "The folder of articles")->required();
  cl.OnRunInstalled(import, [folder, &cl](Installation& installation) { return Import(installation, *folder, cl.clock()); });
  auto* exp = help->add_subcommand("export", "Write every article to FOLDER as <product>/<module>/<key>.<language>.md");
  cl.AddDataOption(exp);
  exp->add_option("folder", *folder, "The folder to write to (created if needed)")->required();
  cl.OnRunInstalled(exp, [folder](Installation& installation) { return Export(installation, *folder); });
}

}  // namespace chamado::app
