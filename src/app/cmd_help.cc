// `chamado help import FOLDER` and `chamado help export FOLDER`: the help center as one
// Markdown file per translation (help/article.h), the way teams move help centers.
//
// Import reads every *.md file under FOLDER. Images a file shows by a relative path
// (`![x](img/a.png)`, relative to the file) are stored as help images and the Markdown points
// at their URL. A file with a mistake, a missing image or one that is not a PNG, JPEG, GIF or
// WebP is reported with its path and line and left out whole, the others are imported.
// Importing the same folder again changes nothing (the same image is stored once, the same
// content makes no revision); a changed file updates its translation as a new revision.
//
// Export writes each translation to <product>/<module>/<key>.<language>.md and the images it
// shows beside it, in img/, pointing the Markdown back at them: importing the export into a
// fresh data folder gives the same help center.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "app/cli.h"
#include "app/progress.h"
#include "help/article.h"
#include "help/images.h"
#include "store/blobs.h"

namespace chamado::app {
namespace fs = std::filesystem;

namespace {

constexpr uintmax_t kMaxArticleBytes = 1 << 20;

Result<std::string> Slurp(const fs::path& path, uintmax_t max_bytes, const char* too_large) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return Error::InvalidArgument("cannot read it: " + ec.message() + ".");
  if (size > max_bytes) return Error::InvalidArgument(too_large);
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in.good() && !in.eof()) return Error::InvalidArgument("cannot read it.");
  return ss.str();
}

// An image file of the folder, read and stored in the attachment store.
struct ImageFile {
  std::string sha256;
  std::string filename;
  std::string content_type;
  int64_t size = 0;
};

// An article read from its file, with the relative images its body shows.
struct Pending {
  help::Article article;
  std::vector<help::ImageRef> refs;        // the relative ones, in body order
  std::vector<const ImageFile*> images;    // one per ref
};

class Importer {
 public:
  Importer(const fs::path& root, store::BlobStore& blobs, uintmax_t max_image_bytes)
      : root_(fs::weakly_canonical(root)), blobs_(blobs), max_image_bytes_(max_image_bytes) {}

  // The article of the file and its images (stored in the attachment store), or what is
  // wrong with it ("line 4: ...").
  Result<Pending> Read(const fs::path& path) {
    CHAMADO_ASSIGN_OR_RETURN(auto text, Slurp(path, kMaxArticleBytes, "it is larger than 1 MiB; split the article."));
    CHAMADO_ASSIGN_OR_RETURN(auto a, help::ParseArticleFile(text));
    // The body is the end of the file: its first line is the file's line after what precedes it.
    const int body_line = 1 + int(std::count(text.begin(), text.end() - std::ptrdiff_t(a.body.size()), '\n'));
    Pending p;
    for (auto& ref : help::ImageRefs(a.body)) {
      if (!help::IsRelativeTarget(ref.target)) continue;
      const std::string where = "line " + std::to_string(body_line + ref.line - 1) + ": the image \"" + ref.target + "\" ";
      CHAMADO_ASSIGN_OR_RETURN(auto image, Image(path.parent_path() / help::TargetPath(ref.target), where));
      p.refs.push_back(std::move(ref));
      p.images.push_back(image);
    }
    p.article = std::move(a);
    return p;
  }

 private:
  Result<const ImageFile*> Image(const fs::path& raw, const std::string& where) {
    std::error_code ec;
    const fs::path path = fs::weakly_canonical(raw, ec);
    if (ec) return Error::InvalidArgument(where + "cannot be read: " + ec.message() + ".");
    if (auto it = images_.find(path); it != images_.end()) return &it->second;
    const auto inside = path.lexically_relative(root_);
    if (inside.empty() || *inside.begin() == "..")
      return Error::InvalidArgument(where + "is outside the folder imported; keep images under it.");
    if (!fs::is_regular_file(path, ec)) return Error::InvalidArgument(where + "is not there (" + path.string() + ").");
    auto data = Slurp(path, max_image_bytes_, "");
    if (!data.ok())
      return Error::InvalidArgument(where + (data.error().message.empty()
                                                 ? "is larger than " + std::to_string(max_image_bytes_ / (1024 * 1024)) + " MiB."
                                                 : data.error().message));
    const std::string_view type = help::SniffImageType(*data);
    if (type.empty()) return Error::InvalidArgument(where + "is not a PNG, JPEG, GIF or WebP image.");
    CHAMADO_ASSIGN_OR_RETURN(auto sha, blobs_.PutDeferred(*data));
    ImageFile f{std::move(sha), help::ImageFileName(path.filename().string(), type), std::string(type), int64_t(data->size())};
    return &images_.emplace(path, std::move(f)).first->second;
  }

  fs::path root_;
  store::BlobStore& blobs_;
  uintmax_t max_image_bytes_;
  std::map<fs::path, ImageFile> images_;  // by canonical path
};

// Records the article's images and saves it with its Markdown pointing at their URLs.
Result<store::ArticleRepo::Put> PutPending(store::Repo& repo, const Pending& p, Instant now) {
  help::Article a = p.article;
  std::vector<std::string> urls;
  for (const ImageFile* f : p.images) {
    CHAMADO_ASSIGN_OR_RETURN(auto image, repo.AddHelpImage({0, f->sha256, f->filename, f->content_type, f->size, {}}, std::nullopt, now));
    urls.push_back(help::ImageUrl(image.id, image.filename));
  }
  a.body = help::ReplaceTargets(a.body, p.refs, urls);
  return repo.PutArticle(std::move(a), now);
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

  store::BlobStore blobs((fs::path(installation.config.data) / "attachments").string());
  Importer importer(folder, blobs, uintmax_t(installation.config.max_attachment_bytes));
  std::vector<Pending> articles;
  std::vector<std::string> problems;
  std::map<std::pair<std::string, std::string>, fs::path> first;  // (key, language) -> its file
  for (const auto& path : files) {
    auto p = importer.Read(path);
    if (!p.ok()) {
      problems.push_back(path.string() + ": " + p.error().message);
      continue;
    }
    const auto& a = p->article;
    auto [it, fresh] = first.try_emplace({a.key, a.language}, path);
    if (!fresh) {
      problems.push_back(path.string() + ": key " + a.key + " in " + a.language + " is also in " + it->second.string() +
                         "; one file per translation.");
      continue;
    }
    articles.push_back(std::move(*p));
  }
  // The images' files are on the disk before any row names them.
  if (auto r = blobs.SyncDeferred(); !r.ok()) return Fail(r.error().message);

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
            CHAMADO_ASSIGN_OR_RETURN(auto put, PutPending(repo, articles[i], now));
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

// Writes `data` to `file` whole or not at all (a temporary file renamed).
Result<void> WriteFile(const fs::path& file, std::string_view data) {
  const fs::path partial = file.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << data;
    if (!out.good()) return Error::InvalidArgument("Cannot write " + partial.string() + ".");
  }
  std::error_code ec;
  fs::rename(partial, file, ec);
  if (ec) return Error::InvalidArgument("Cannot write " + file.string() + ": " + ec.message());
  return Ok();
}

class Exporter {
 public:
  Exporter(store::Store& store, const store::BlobStore& blobs) : store_(store), blobs_(blobs) {}

  // The body with the help images it shows written to `dir`/img/ and pointed at there.
  // Two different images of one name in a folder: the second gets its content's hash in
  // its name, so an export always names the same images the same way.
  Result<std::string> Body(const help::Article& a, const fs::path& dir) {
    std::vector<help::ImageRef> refs;
    std::vector<std::string> targets;
    for (auto& ref : help::ImageRefs(a.body)) {
      const auto id = help::ImageIdOfUrl(ref.target);
      if (!id) continue;
      auto it = images_.find(*id);
      if (it == images_.end()) {
        CHAMADO_ASSIGN_OR_RETURN(auto image, store_.ReadOne<std::optional<store::HelpImage>>(
                                                 [&](store::Repo& repo) { return repo.GetHelpImage(*id); }));
        it = images_.emplace(*id, std::move(image)).first;
      }
      if (!it->second) continue;  // an image nobody stored: the address stays as written
      const auto& image = *it->second;
      std::string name = image.filename;
      auto at = written_.find(dir / "img" / name);
      if (at != written_.end() && at->second != image.sha256) {
        const fs::path n(name);
        name = n.stem().string() + "-" + image.sha256.substr(0, 8) + n.extension().string();
        at = written_.find(dir / "img" / name);
      }
      if (at == written_.end()) {
        CHAMADO_ASSIGN_OR_RETURN(auto data, blobs_.Get(image.sha256));
        std::error_code ec;
        fs::create_directories(dir / "img", ec);
        if (ec) return Error::InvalidArgument("Cannot create " + (dir / "img").string() + ": " + ec.message());
        CHAMADO_TRY(WriteFile(dir / "img" / name, data));
        written_.emplace(dir / "img" / name, image.sha256);
        ++images_written_;
      }
      refs.push_back(std::move(ref));
      targets.push_back("img/" + name);
    }
    return help::ReplaceTargets(a.body, refs, targets);
  }
  int64_t images_written() const { return images_written_; }

 private:
  store::Store& store_;
  const store::BlobStore& blobs_;
  std::map<core::Id, std::optional<store::HelpImage>> images_;
  std::map<fs::path, std::string> written_;  // image file -> its content's hash
  int64_t images_written_ = 0;
};

int Export(Installation& installation, const std::string& folder) {
  auto all = installation.store->ReadOne<std::vector<help::Article>>([](store::Repo& repo) { return repo.AllArticles(); });
  if (!all.ok()) return Fail(all.error().message);
  const store::BlobStore blobs((fs::path(installation.config.data) / "attachments").string());
  Exporter exporter(*installation.store, blobs);
  Progress progress("export", "articles", int64_t(all->size()));
  int64_t done = 0;
  for (auto& a : *all) {
    const fs::path dir = fs::path(folder) / help::Slug(a.product.empty() ? "general" : a.product) /
                         help::Slug(a.module.empty() ? "general" : a.module);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Fail("Cannot create " + dir.string() + ": " + ec.message());
    auto body = exporter.Body(a, dir);
    if (!body.ok()) return Fail(body.error().message);
    a.body = std::move(*body);
    if (auto r = WriteFile(dir / (a.key + "." + a.language + ".md"), help::FormatArticleFile(a)); !r.ok())
      return Fail(r.error().message);
    progress.Update(++done);
  }
  progress.Finish(done);
  std::cout << "exported " << done << " articles and " << exporter.images_written() << " images to " << folder << "\n";
  return 0;
}

}  // namespace

void AddHelpCommand(CommandLine& cl) {
  auto* help = cl.app().add_subcommand("help", "Help-center articles: import and export as Markdown files with their images");
  help->require_subcommand(1);
  auto folder = std::make_shared<std::string>();
  auto* import = help->add_subcommand("import", "Import every *.md article under FOLDER with the images it shows by relative path (idempotent: the same content makes no new revision; a bad file, or one with a missing image, is reported with its path and line and left out whole)");
  cl.AddDataOption(import);
  import->add_option("folder", *folder, "The folder of articles")->required();
  cl.OnRunInstalled(import, [folder, &cl](Installation& installation) { return Import(installation, *folder, cl.clock()); });
  auto* exp = help->add_subcommand("export", "Write every article to FOLDER as <product>/<module>/<key>.<language>.md, its images beside it in img/ (import it again to get the same help center)");
  cl.AddDataOption(exp);
  exp->add_option("folder", *folder, "The folder to write to (created if needed)")->required();
  cl.OnRunInstalled(exp, [folder](Installation& installation) { return Export(installation, *folder); });
}

}  // namespace chamado::app
