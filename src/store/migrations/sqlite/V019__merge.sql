-- V019: merging and splitting tickets (one case = one ticket; docs/merge.md).
--
-- A merge moves the merged ticket's messages (with their attachments) to the survivor and
-- closes the merged one; ticket_merges remembers it so it can be undone: the status the
-- merged ticket had, and (messages.merged_from) which messages came from it. A ticket is merged
-- at most once at a time (the primary key); undoing deletes the row, the history keeps both.
CREATE TABLE ticket_merges (
  merged_number    INTEGER PRIMARY KEY REFERENCES tickets(number) ON DELETE CASCADE,
  into_number      INTEGER NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
  previous_status  TEXT NOT NULL,
  merged_by        INTEGER NOT NULL,
  merged_at        INTEGER NOT NULL
);
CREATE INDEX ticket_merges_into ON ticket_merges(into_number, merged_number);

-- The ticket a message was moved from by a merge still in effect; NULL otherwise.
ALTER TABLE messages ADD COLUMN merged_from INTEGER;
CREATE INDEX messages_merged_from ON messages(merged_from) WHERE merged_from IS NOT NULL;

-- A message moved to another ticket (merge, undo, split) takes its text along in the search
-- indexes: both tickets' documents are taken out with their old text BEFORE the move and put
-- back AFTER it (V009's rule: an external-content document leaves with the values it came in
-- with).
CREATE TRIGGER ticket_search_message_moved_before BEFORE UPDATE OF ticket_number ON messages
WHEN NEW.ticket_number IS NOT OLD.ticket_number BEGIN
  INSERT INTO ticket_fts_pt (ticket_fts_pt, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_pt WHERE number IN (OLD.ticket_number, NEW.ticket_number);
  INSERT INTO ticket_fts_en (ticket_fts_en, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_en WHERE number IN (OLD.ticket_number, NEW.ticket_number);
  INSERT INTO ticket_fts_es (ticket_fts_es, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_es WHERE number IN (OLD.ticket_number, NEW.ticket_number);
  INSERT INTO ticket_fts_de (ticket_fts_de, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_de WHERE number IN (OLD.ticket_number, NEW.ticket_number);
  INSERT INTO ticket_fts_ru (ticket_fts_ru, rowid, subject, public, internal, people)
    SELECT 'delete', number, subject, public, internal, people FROM ticket_text_ru WHERE number IN (OLD.ticket_number, NEW.ticket_number);
END;
CREATE TRIGGER ticket_search_message_moved_after AFTER UPDATE OF ticket_number ON messages
WHEN NEW.ticket_number IS NOT OLD.ticket_number BEGIN
  INSERT INTO ticket_fts_pt (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_pt WHERE number IN (OLD.ticket_number, NEW.ticket_number);
  INSERT INTO ticket_fts_en (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_en WHERE number IN (OLD.ticket_number, NEW.ticket_number);
  INSERT INTO ticket_fts_es (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_es WHERE number IN (OLD.ticket_number, NEW.ticket_number);
  INSERT INTO ticket_fts_de (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_de WHERE number IN (OLD.ticket_number, NEW.ticket_number);
  INSERT INTO ticket_fts_ru (rowid, subject, public, internal, people)
    SELECT number, subject, public, internal, people FROM ticket_text_ru WHERE number IN (OLD.ticket_number, NEW.ticket_number);
END;
