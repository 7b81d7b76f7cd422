// The images of help-center articles: which uploaded bytes are an image the help center
// serves, the name an image gets in its URL, and the images a Markdown body shows (import
// stores relative ones and points them at their URL; export does the reverse). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chamado::help {

// The media type of an image by its first bytes: image/png, image/jpeg, image/gif or
// image/webp; empty for anything else (SVG included: it can carry script). The type a
// browser declares is not trusted.
std::string_view SniffImageType(std::string_view data);

// A name safe in a URL path and on any file system, from an uploaded or imported file's
// name: its last path component, accents dropped, other characters but [A-Za-z0-9._-] made
// '-', at most 100 bytes, ending with the extension of `media_type` (".png", ".jpg" or
// ".jpeg", ".gif", ".webp"), "image" when nothing is left.
std::string ImageFileName(std::string_view name, std::string_view media_type);

// "/api/v1/help/images/{id}/{filename}": where an image is served.
inline constexpr std::string_view kImageUrlPrefix = "/api/v1/help/images/";
std::string ImageUrl(int64_t id, std::string_view filename);
// The id in such an URL, when `url` is one.
std::optional<int64_t> ImageIdOfUrl(std::string_view url);
// The ids of every image URL written anywhere in `text` (images, links, code alike), in
// order, repeats included: what retention must not delete.
std::vector<int64_t> ImageIdsMentioned(std::string_view text);

// One inline image of a Markdown body, `![alt](target "title")` or `![alt](<target>)`.
// Images in fenced code blocks and code spans are examples, not images, and are skipped.
struct ImageRef {
  int line = 0;      // from 1
  size_t begin = 0;  // the target's bytes in the body: [begin, end)
  size_t end = 0;
  std::string target;  // as written (without the angle brackets)
};
std::vector<ImageRef> ImageRefs(std::string_view markdown);

// Whether a target names a file beside the article's file: not a URL ("https:", "data:",
// "//host"), not an absolute path, not a fragment.
bool IsRelativeTarget(std::string_view target);

// The target as a file path: %XX decoded, a "?query" or "#fragment" dropped.
std::string TargetPath(std::string_view target);

// The body with the targets of `refs` (from ImageRefs on this body) replaced by `targets`,
// one per ref, in the same order.
std::string ReplaceTargets(std::string_view markdown, const std::vector<ImageRef>& refs, const std::vector<std::string>& targets);

}  // namespace chamado::help
