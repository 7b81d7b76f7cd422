-- V021: the help center's authoring side: every saved state of an article translation, and
-- the images its Markdown shows.
--
-- article_revisions keeps the full content of each save (API, editor, import), numbered 1, 2,
-- ... per translation; the articles row stays the current state the readers and the search
-- index see. A save that changes nothing makes no revision. author_id NULL means the
-- revision came from files (`chamado help import`), or predates this migration: those are
-- backfilled here as revision 1, dated by the article's last change.
CREATE TABLE article_revisions (
  id             INTEGER PRIMARY KEY,
  article_id     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  number         INTEGER NOT NULL,   -- 1, 2, ... within the translation
  title          TEXT NOT NULL,
  body           TEXT NOT NULL,      -- Markdown
  product        TEXT NOT NULL,
  module         TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  tags           TEXT NOT NULL,      -- one per line, as articles.tags
  author_id      INTEGER REFERENCES users(id),
  restored_from  INTEGER,            -- the number of the revision this one brought back
  created_at     INTEGER NOT NULL    -- ms, UTC
);
CREATE UNIQUE INDEX article_revisions_number ON article_revisions(article_id, number);

INSERT INTO article_revisions (article_id, number, title, body, product, module, status, tags, created_at)
  SELECT id, 1, title, body, product, module, status, tags, updated_at FROM articles;

-- Images uploaded for articles (POST /api/v1/help/images, import). The bytes are in the
-- attachment store under sha256; the same bytes under the same name are one image, so
-- importing a folder again finds the images it stored before.
CREATE TABLE help_images (
  id            INTEGER PRIMARY KEY,
  sha256        TEXT NOT NULL,
  filename      TEXT NOT NULL,      -- safe in a URL: [A-Za-z0-9._-], with the type's extension
  content_type  TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
  size          INTEGER NOT NULL,   -- bytes
  created_by    INTEGER REFERENCES users(id),  -- NULL: an import
  created_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX help_images_content ON help_images(sha256, filename);
