-- V010: help-center articles and their search index.
--
-- An article is one translation: `key` is shared by the translations of one article, and
-- (key, language) is unique. Bodies are Markdown. Each translation is a document in the
-- full-text index of its language (FTS5 with Chamado's tokenizer), kept by the triggers below
-- in the transaction that writes it; the index holds no copy of the text (its content is the
-- view article_text_<language>).
CREATE TABLE articles (
  id          INTEGER PRIMARY KEY,
  key         TEXT NOT NULL,
  language    TEXT NOT NULL,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  product     TEXT NOT NULL DEFAULT '',
  module      TEXT NOT NULL DEFAULT '',
  slug        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  tags        TEXT NOT NULL DEFAULT '',  -- one per line
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  -- The index the article is in: the base subtag of its language when stemmed, else en.
  search_language TEXT GENERATED ALWAYS AS (
    CASE WHEN lower(substr(language, 1, 2)) IN ('pt', 'en', 'es', 'de', 'ru') THEN lower(substr(language, 1, 2)) ELSE 'en' END
  ) VIRTUAL
);
CREATE UNIQUE INDEX articles_key ON articles(key, language);
CREATE INDEX articles_place ON articles(language, product, module);

CREATE VIEW article_text_pt AS
  SELECT id, title, body, tags, product || ' ' || module AS place FROM articles WHERE search_language = 'pt';
CREATE VIRTUAL TABLE article_fts_pt USING fts5(title, body, tags, place,
  content = 'article_text_pt', content_rowid = 'id', tokenize = 'chamado pt');

CREATE VIEW article_text_en AS
  SELECT id, title, body, tags, product || ' ' || module AS place FROM articles WHERE search_language = 'en';
CREATE VIRTUAL TABLE article_fts_en USING fts5(title, body, tags, place,
  content = 'article_text_en', content_rowid = 'id', tokenize = 'chamado en');

CREATE VIEW article_text_es AS
  SELECT id, title, body, tags, product || ' ' || module AS place FROM articles WHERE search_language = 'es';
CREATE VIRTUAL TABLE article_fts_es USING fts5(title, body, tags, place,
  content = 'article_text_es', content_rowid = 'id', tokenize = 'chamado es');

CREATE VIEW article_text_de AS
  SELECT id, title, body, tags, product || ' ' || module AS place FROM articles WHERE search_language = 'de';
CREATE VIRTUAL TABLE article_fts_de USING fts5(title, body, tags, place,
  content = 'article_text_de', content_rowid = 'id', tokenize = 'chamado de');

CREATE VIEW article_text_ru AS
  SELECT id, title, body, tags, product || ' ' || module AS place FROM articles WHERE search_language = 'ru';
CREATE VIRTUAL TABLE article_fts_ru USING fts5(title, body, tags, place,
  content = 'article_text_ru', content_rowid = 'id', tokenize = 'chamado ru');

CREATE TRIGGER article_search_new AFTER INSERT ON articles BEGIN
  INSERT INTO article_fts_pt (rowid, title, body, tags, place)
    SELECT id, title, body, tags, place FROM article_text_pt WHERE id = NEW.id;
  INSERT INTO article_fts_en (rowid, title, body, tags, place)
    SELECT id, title, body, tags, place FROM article_text_en WHERE id = NEW.id;
  INSERT INTO article_fts_es (rowid, title, body, tags, place)
    SELECT id, title, body, tags, place FROM article_text_es WHERE id = NEW.id;
  INSERT INTO article_fts_de (rowid, title, body, tags, place)
    SELECT id, title, body, tags, place FROM article_text_de WHERE id = NEW.id;
  INSERT INTO article_fts_ru (rowid, title, body, tags, place)
    SELECT id, title, body, tags, place FROM article_text_ru WHERE id = NEW.id;
END;
CREATE TRIGGER article_search_update_before BEFORE UPDATE OF title, body, tags, product, module, language ON articles BEGIN
  INSERT INTO article_fts_pt (article_fts_pt, rowid, title, body, tags, place)
    SELECT 'delete', id, title, body, tags, place FROM article_text_pt WHERE id = OLD.id;
  INSERT INTO article_fts_en (article_fts_en, rowid, title, body, tags, place)
    SELECT 'delete', id, title, body, tags, place FROM article_text_en WHERE id = OLD.id;
  INSERT INTO article_fts_es (article_fts_es, rowid, title, body, tags, place)
    SELECT 'delete', id, title, body, tags, place FROM article_text_es WHERE id = OLD.id;
  INSERT INTO article_fts_de (article_fts_de, rowid, title, body, tags, place)
    SELECT 'delete', id, title, body, tags, place FROM article_text_de WHERE id = OLD.id;
  INSERT INTO article_fts_ru (article_fts_ru, rowid, title, body, tags, place)
    SELECT 'delete', id, title, body, tags, place FROM article_text_ru WHERE id = OLD.id;
END;
CREATE TRIGGER article_search_update_after AFTER UPDATE OF title, body, tags, product, module, language ON articles BEGIN
  INSERT INTO article_fts_pt (rowid, title, body, tags, place)
    SELECT id, title, body, tags, place FROM article_text_pt WHERE id = NEW.id;
  INSERT INTO article_fts_en (rowid, title, body, tags, place)
    SELECT id, title, body, tags, place FROM article_text_en WHERE id = NEW.id;
  INSERT INTO article_fts_es (rowid, title, body, tags, place)
    SELECT id, title, body, tags, place FROM article_text_es WHERE id = NEW.id;
  INSERT INTO article_fts_de (rowid, title, body, tags, place)
    SELECT id, title, body, tags, place FROM article_text_de WHERE id = NEW.id;
  INSERT INTO article_fts_ru (rowid, title, body, tags, place)
    SELECT id, title, body, tags, place FROM article_text_ru WHERE id = NEW.id;
END;
CREATE TRIGGER article_search_gone BEFORE DELETE ON articles BEGIN
  INSERT INTO article_fts_pt (article_fts_pt, rowid, title, body, tags, place)
    SELECT 'delete', id, title, body, tags, place FROM article_text_pt WHERE id = OLD.id;
  INSERT INTO article_fts_en (article_fts_en, rowid, title, body, tags, place)
    SELECT 'delete', id, title, body, tags, place FROM article_text_en WHERE id = OLD.id;
  INSERT INTO article_fts_es (article_fts_es, rowid, title, body, tags, place)
    SELECT 'delete', id, title, body, tags, place FROM article_text_es WHERE id = OLD.id;
  INSERT INTO article_fts_de (article_fts_de, rowid, title, body, tags, place)
    SELECT 'delete', id, title, body, tags, place FROM article_text_de WHERE id = OLD.id;
  INSERT INTO article_fts_ru (article_fts_ru, rowid, title, body, tags, place)
    SELECT 'delete', id, title, body, tags, place FROM article_text_ru WHERE id = OLD.id;
END;
