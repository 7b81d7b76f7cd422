-- V009: ticket search. Each ticket is one document (subject, public conversation, internal
-- notes, requester) in the full-text index of its language, FTS5 with Chamado's tokenizer
-- (Snowball stemming and accent folding: src/search/analyzer.h). The index is kept by the
-- triggers below in the transaction that changes the ticket, so a ticket is findable the
-- moment it is acknowledged.
--
-- The indexes hold no copy of the text: their content is the view ticket_text_<language>,
-- read from tickets and messages. A document is taken out of an index with the exact values
-- it was put in with, so every trigger removes a ticket's document BEFORE its text changes
-- and puts it back AFTER. Messages never change once written.
--
-- A ticket is indexed once it has a ticket_search row: new tickets get theirs on insert;
-- tickets older than this migration are indexed by `chamado search reindex` (or by the
-- server's background pass), which can stop and resume anywhere.

-- The language a ticket is indexed in (its requester's, when first indexed; one of pt, en,
-- es, de, ru) and the requester's name and email as indexed.
CREATE TABLE ticket_search (
  number    INTEGER PRIMARY KEY REFERENCES tickets(number) ON DELETE CASCADE,
  language  TEXT NOT NULL CHECK (language IN ('pt', 'en', 'es', 'de', 'ru')),
  people    TEXT NOT NULL DEFAULT ''
);

CREATE VIEW ticket_text AS
SELECT t.number AS number, s.language AS language, t.subject AS subject,
  coalesce((SELECT group_concat(body, char(10)) FROM (
     SELECT body FROM messages WHERE ticket_number = t.number AND kind IN ('customer_message', 'public_reply')
     ORDER BY id)), '') AS public,
  coalesce((SELECT group_concat(body, char(10)) FROM (
     SELECT body FROM messages WHERE ticket_number = t.number AND kind = 'internal_note' ORDER BY id)), '') AS internal,
  s.people AS people
FROM ticket_search s JOIN tickets t ON t.number = s.number;

CREATE VIEW ticket_text_pt AS
  SELECT number, subject, public, internal, people FROM ticket_text WHERE language = 'pt';
CREATE VIRTUAL TABLE ticket_fts_pt USING fts5(subject, public, internal, people,
  content = 'ticket_text_pt', content_rowid = 'number', tokenize = 'chamado pt');

CREATE VIEW ticket_text_en AS
  SELECT number, subject, public, internal, people FROM ticket_text WHERE language = 'en';
CREATE VIRTUAL TABLE ticket_fts_en USING fts5(subject, public, internal, people,
  content = 'ticket_text_en', content_rowid = 'number', tokenize = 'chamado en');

CREATE VIEW ticket_text_es AS
  SELECT number, subject, public, internal, people FROM ticket_text WHERE language = 'es';
CREATE VIRTUAL TABLE ticket_fts_es USING fts5(subject, public, internal, people,
  content = 'ticket_text_es', content_rowid = 'number', tokenize = 'chamado es');

CREATE VIEW ticket_text_de AS
  SELECT number, subject, public, internal, people FROM ticket_text WHERE language = 'de';
CREATE VIRTUAL TABLE ticket_fts_de USING fts5(subject, public, internal, people,
  content = 'ticket_text_de', content_rowid = 'number', tokenize = 'chamado de');

CREATE VIEW ticket_text_ru AS
  SELECT number, subject, public, internal, people FROM ticket_text WHERE language = 'ru';
CREATE VIRTUAL TABLE ticket_fts_ru USING fts5(subject, public, internal, people,
  content = 'ticket_text_ru', content_rowid = 'number', tokenize = 'chamado ru');

-- A new ticket: indexed in its requester's language, with its subject (its messages follow).
CREATE TRIGGER ticket_search_new AFTER INSERT ON tickets BEGIN
  INSERT INTO ticket_search (number, language, people)
    SELECT NEW.number,
           CASE WHEN lower(substr(language, 1, 2)) IN ('pt', 'en', 'es', 'de', 'ru') THEN lower(substr(language, 1, 2))
                ELSE 'en' END,
           trim(name || ' ' || email)
    FROM users WHERE id = NEW.requester_id;
  INSERT INTO ticket_fts_pt (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_pt WHERE number = NEW.number;
  INSERT INTO ticket_fts_en (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_en WHERE number = NEW.number;
  INSERT INTO ticket_fts_es (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_es WHERE number = NEW.number;
  INSERT INTO ticket_fts_de (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_de WHERE number = NEW.number;
  INSERT INTO ticket_fts_ru (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_ru WHERE number = NEW.number;
END;

CREATE TRIGGER ticket_search_message_before BEFORE INSERT ON messages BEGIN
  INSERT INTO ticket_fts_pt (ticket_fts_pt, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_pt WHERE number = NEW.ticket_number;
  INSERT INTO ticket_fts_en (ticket_fts_en, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_en WHERE number = NEW.ticket_number;
  INSERT INTO ticket_fts_es (ticket_fts_es, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_es WHERE number = NEW.ticket_number;
  INSERT INTO ticket_fts_de (ticket_fts_de, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_de WHERE number = NEW.ticket_number;
  INSERT INTO ticket_fts_ru (ticket_fts_ru, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_ru WHERE number = NEW.ticket_number;
END;
CREATE TRIGGER ticket_search_message_after AFTER INSERT ON messages BEGIN
  INSERT INTO ticket_fts_pt (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_pt WHERE number = NEW.ticket_number;
  INSERT INTO ticket_fts_en (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_en WHERE number = NEW.ticket_number;
  INSERT INTO ticket_fts_es (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_es WHERE number = NEW.ticket_number;
  INSERT INTO ticket_fts_de (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_de WHERE number = NEW.ticket_number;
  INSERT INTO ticket_fts_ru (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_ru WHERE number = NEW.ticket_number;
END;

CREATE TRIGGER ticket_search_update_before BEFORE UPDATE OF subject, requester_id ON tickets
WHEN NEW.subject IS NOT OLD.subject OR NEW.requester_id IS NOT OLD.requester_id BEGIN
  INSERT INTO ticket_fts_pt (ticket_fts_pt, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_pt WHERE number = OLD.number;
  INSERT INTO ticket_fts_en (ticket_fts_en, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_en WHERE number = OLD.number;
  INSERT INTO ticket_fts_es (ticket_fts_es, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_es WHERE number = OLD.number;
  INSERT INTO ticket_fts_de (ticket_fts_de, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_de WHERE number = OLD.number;
  INSERT INTO ticket_fts_ru (ticket_fts_ru, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_ru WHERE number = OLD.number;
END;
CREATE TRIGGER ticket_search_update_after AFTER UPDATE OF subject, requester_id ON tickets
WHEN NEW.subject IS NOT OLD.subject OR NEW.requester_id IS NOT OLD.requester_id BEGIN
  UPDATE ticket_search SET people = (SELECT trim(name || ' ' || email) FROM users WHERE id = NEW.requester_id)
    WHERE number = NEW.number;
  INSERT INTO ticket_fts_pt (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_pt WHERE number = NEW.number;
  INSERT INTO ticket_fts_en (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_en WHERE number = NEW.number;
  INSERT INTO ticket_fts_es (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_es WHERE number = NEW.number;
  INSERT INTO ticket_fts_de (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_de WHERE number = NEW.number;
  INSERT INTO ticket_fts_ru (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_ru WHERE number = NEW.number;
END;

-- A requester renamed: their tickets are found under the new name.
CREATE TRIGGER ticket_search_person_before BEFORE UPDATE OF name, email ON users
WHEN NEW.name IS NOT OLD.name OR NEW.email IS NOT OLD.email BEGIN
  INSERT INTO ticket_fts_pt (ticket_fts_pt, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_pt WHERE number IN (SELECT number FROM tickets WHERE requester_id = OLD.id);
  INSERT INTO ticket_fts_en (ticket_fts_en, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_en WHERE number IN (SELECT number FROM tickets WHERE requester_id = OLD.id);
  INSERT INTO ticket_fts_es (ticket_fts_es, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_es WHERE number IN (SELECT number FROM tickets WHERE requester_id = OLD.id);
  INSERT INTO ticket_fts_de (ticket_fts_de, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_de WHERE number IN (SELECT number FROM tickets WHERE requester_id = OLD.id);
  INSERT INTO ticket_fts_ru (ticket_fts_ru, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_ru WHERE number IN (SELECT number FROM tickets WHERE requester_id = OLD.id);
END;
CREATE TRIGGER ticket_search_person_after AFTER UPDATE OF name, email ON users
WHEN NEW.name IS NOT OLD.name OR NEW.email IS NOT OLD.email BEGIN
  UPDATE ticket_search SET people = trim(NEW.name || ' ' || NEW.email)
    WHERE number IN (SELECT number FROM tickets WHERE requester_id = NEW.id);
  INSERT INTO ticket_fts_pt (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_pt WHERE number IN (SELECT number FROM tickets WHERE requester_id = NEW.id);
  INSERT INTO ticket_fts_en (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_en WHERE number IN (SELECT number FROM tickets WHERE requester_id = NEW.id);
  INSERT INTO ticket_fts_es (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_es WHERE number IN (SELECT number FROM tickets WHERE requester_id = NEW.id);
  INSERT INTO ticket_fts_de (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_de WHERE number IN (SELECT number FROM tickets WHERE requester_id = NEW.id);
  INSERT INTO ticket_fts_ru (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_ru WHERE number IN (SELECT number FROM tickets WHERE requester_id = NEW.id);
END;

CREATE TRIGGER ticket_search_gone BEFORE DELETE ON tickets BEGIN
  INSERT INTO ticket_fts_pt (ticket_fts_pt, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_pt WHERE number = OLD.number;
  INSERT INTO ticket_fts_en (ticket_fts_en, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_en WHERE number = OLD.number;
  INSERT INTO ticket_fts_es (ticket_fts_es, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_es WHERE number = OLD.number;
  INSERT INTO ticket_fts_de (ticket_fts_de, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_de WHERE number = OLD.number;
  INSERT INTO ticket_fts_ru (ticket_fts_ru, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_ru WHERE number = OLD.number;
  DELETE FROM ticket_search WHERE number = OLD.number;
END;
