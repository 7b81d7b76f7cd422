-- V022: what readers say of help-center articles, for reports; and articles found by the
-- slug of their page address (/help/{language}/{product}/{module}/{slug}).
--
-- A vote ("was this helpful?") and a deflection ("this solved my problem", from the portal's
-- suggestions while a customer writes a new ticket) belong to an article's key (all its
-- translations), and record the language it was read in. `reader` is the SHA-256 of the
-- reader's cookie (chamado_reader): one vote per reader and article, changed by voting again,
-- and one deflection per reader and article.
CREATE TABLE article_votes (
  article_key TEXT NOT NULL,
  reader      TEXT NOT NULL,
  language    TEXT NOT NULL,
  helpful     INTEGER NOT NULL CHECK (helpful IN (0, 1)),
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (article_key, reader)
);

CREATE TABLE article_deflections (
  article_key TEXT NOT NULL,
  reader      TEXT NOT NULL,
  language    TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (article_key, reader)
);

CREATE INDEX articles_slug ON articles(slug);
