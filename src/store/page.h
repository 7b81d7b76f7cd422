// Keyset pagination for the repository's lists: a Page asks for up to `limit` items after
// an opaque cursor; a Paged answer carries the cursor of the next page. Cursors name the
// last item's sort keys, so a page stays correct while rows are inserted before it.
#pragma once

#include <string>
#include <vector>

namespace chamado::store {

struct Page {
  int limit = 50;     // clamped to 1..200
  std::string after;  // the `next` of the previous page; empty for the first
};

template <class T>
struct Paged {
  std::vector<T> items;
  std::string next;  // empty on the last page
};

}  // namespace chamado::store
