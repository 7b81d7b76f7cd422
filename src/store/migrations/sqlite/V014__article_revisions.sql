-- V014: help-center search moves to Xapian (src/store/article_index.h): a question's common
-- words occur in tens of thousands of articles, and FTS5 scores every one of them. The
-- articles table stays the truth; the Xapian index is derived from it and learns of changes
-- by revision: every insert and every change raises the article's revision past all others,
-- and the index takes the articles past the revision it holds.
--
-- The FTS5 indexes of V010 and V011, their views and triggers, are dropped.
DROP TRIGGER article_search_new;
DROP TRIGGER article_search_update_before;
DROP TRIGGER article_search_update_after;
DROP TRIGGER article_search_gone;

DROP TABLE article_vocab_pt;
DROP TABLE article_fts_pt;
DROP VIEW article_text_pt;

DROP TABLE article_vocab_en;
DROP TABLE article_fts_en;
DROP VIEW article_text_en;

DROP TABLE article_vocab_es;
DROP TABLE article_fts_es;
DROP VIEW article_text_es;

DROP TABLE article_vocab_de;
DROP TABLE article_fts_de;
DROP VIEW article_text_de;

DROP TABLE article_vocab_ru;
DROP TABLE article_fts_ru;
DROP VIEW article_text_ru;

ALTER TABLE articles ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
UPDATE articles SET revision = id;
CREATE INDEX articles_revision ON articles(revision);

CREATE TRIGGER articles_revision_new AFTER INSERT ON articles BEGIN
  UPDATE articles SET revision = (SELECT max(revision) FROM articles) + 1 WHERE id = NEW.id;
END;

CREATE TRIGGER articles_revision_changed
AFTER UPDATE OF key, language, title, body, product, module, slug, status, tags ON articles BEGIN
  UPDATE articles SET revision = (SELECT max(revision) FROM articles) + 1 WHERE id = NEW.id;
END;
