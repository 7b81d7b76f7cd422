-- V013: the ticket indexes also hold every two adjacent terms as one (the tokenizer's
-- "pairs": src/store/sqlite.cc), so a phrase of common words is matched through the short
-- list of its pairs rather than through both words' long ones and their positions. An
-- index's tokenizer is fixed when the table is made, so the five are made again, empty, with
-- their vocabularies; and every ticket is marked not yet indexed, for the server's
-- background pass (or `chamado search reindex`) to index them again.
-- Until it has, a ticket not yet indexed again is not found by words (filters still find it).
-- The triggers of V009 name the tables and need no change.

DROP TABLE ticket_vocab_pt;
DROP TABLE ticket_fts_pt;
CREATE VIRTUAL TABLE ticket_fts_pt USING fts5(subject, public, internal, people,
  content = 'ticket_text_pt', content_rowid = 'number', tokenize = 'chamado pt pairs');
CREATE VIRTUAL TABLE ticket_vocab_pt USING fts5vocab(ticket_fts_pt, 'row');

DROP TABLE ticket_vocab_en;
DROP TABLE ticket_fts_en;
CREATE VIRTUAL TABLE ticket_fts_en USING fts5(subject, public, internal, people,
  content = 'ticket_text_en', content_rowid = 'number', tokenize = 'chamado en pairs');
CREATE VIRTUAL TABLE ticket_vocab_en USING fts5vocab(ticket_fts_en, 'row');

DROP TABLE ticket_vocab_es;
DROP TABLE ticket_fts_es;
CREATE VIRTUAL TABLE ticket_fts_es USING fts5(subject, public, internal, people,
  content = 'ticket_text_es', content_rowid = 'number', tokenize = 'chamado es pairs');
CREATE VIRTUAL TABLE ticket_vocab_es USING fts5vocab(ticket_fts_es, 'row');

DROP TABLE ticket_vocab_de;
DROP TABLE ticket_fts_de;
CREATE VIRTUAL TABLE ticket_fts_de USING fts5(subject, public, internal, people,
  content = 'ticket_text_de', content_rowid = 'number', tokenize = 'chamado de pairs');
CREATE VIRTUAL TABLE ticket_vocab_de USING fts5vocab(ticket_fts_de, 'row');

DROP TABLE ticket_vocab_ru;
DROP TABLE ticket_fts_ru;
CREATE VIRTUAL TABLE ticket_fts_ru USING fts5(subject, public, internal, people,
  content = 'ticket_text_ru', content_rowid = 'number', tokenize = 'chamado ru pairs');
CREATE VIRTUAL TABLE ticket_vocab_ru USING fts5vocab(ticket_fts_ru, 'row');

DELETE FROM ticket_search;
