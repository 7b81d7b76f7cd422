-- Checks of V028__schema.sql's triggers (search documents marked stale, the vocabulary) and generated columns, run by scripts/schema-parity
-- on a freshly migrated database (psql -v ON_ERROR_STOP=1): each expectation that fails raises
-- an exception naming it. Everything happens in one transaction that is rolled back.
BEGIN;

CREATE FUNCTION pg_temp.expect(holds BOOLEAN, what TEXT) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  IF holds IS NOT TRUE THEN
    RAISE EXCEPTION 'check failed: %', what;
  END IF;
END
$$;

-- The ticket numbers whose documents are stale, in order.
CREATE FUNCTION pg_temp.stale() RETURNS BIGINT[] LANGUAGE sql AS $$
  SELECT coalesce(array_agg(number ORDER BY number), '{}') FROM ticket_search WHERE document IS NULL
$$;

-- What the application does before COMMIT (SearchRepo::FillStaleDocuments), with the 'simple'
-- configuration standing in for Chamado's analyzer: each stale document written from ticket_text.
CREATE FUNCTION pg_temp.fill() RETURNS VOID LANGUAGE sql AS $$
  UPDATE ticket_search s SET document = setweight(to_tsvector('simple', coalesce(x.subject, '')), 'A') ||
    setweight(to_tsvector('simple', x.people), 'B') || setweight(to_tsvector('simple', x.internal), 'C') ||
    setweight(to_tsvector('simple', x.public), 'D')
  FROM ticket_text x WHERE x.number = s.number AND s.document IS NULL
$$;

-- Whether ticket `n`'s document holds `term`, within the weights given.
CREATE FUNCTION pg_temp.finds(n BIGINT, term TEXT, weights "char"[] DEFAULT '{a,b,c,d}') RETURNS BOOLEAN LANGUAGE sql AS $$
  SELECT coalesce((SELECT ts_filter(document, weights) @@ CAST(quote_literal(term) AS tsquery)
                   FROM ticket_search WHERE number = n), false)
$$;

CREATE FUNCTION pg_temp.documents(l TEXT, t TEXT) RETURNS BIGINT LANGUAGE sql AS $$
  SELECT coalesce((SELECT documents FROM ticket_vocab WHERE language = l AND term = t), 0)
$$;

INSERT INTO organizations (id, name, created_at) VALUES (1, 'Acme', 1000);
INSERT INTO users (id, email, name, role, organization_id, language, created_at, updated_at) VALUES
  (10, 'ana@acme.example', 'Ana Souza', 'customer', 1, 'pt-BR', 1000, 1000),
  (11, 'bob@acme.example', 'Bob Stone', 'customer', 1, 'fr', 1000, 1000),
  (20, 'agent@desk.example', 'Carla Agent', 'agent', NULL, 'en', 1000, 1000);

INSERT INTO tickets (number, subject, requester_id, organization_id, channel, status, priority, priority_rank, created_at, updated_at)
VALUES (100, 'Impressora não imprime', 10, 1, 'email', 'new', 'P2', 1, 2000, 2000),
       (101, 'Printer jammed', 11, 1, 'web', 'pending_customer', 'P3', 2, 2000, 2000),
       (102, 'Toner', 11, 1, 'web', 'new', 'P3', 2, 2000, 2000);

DO $$ BEGIN
  -- A new ticket is indexed in its requester's language (fr has no index: en), its document stale.
  PERFORM pg_temp.expect((SELECT language FROM ticket_search WHERE number = 100) = 'pt', 'ticket 100 indexed in pt');
  PERFORM pg_temp.expect((SELECT language FROM ticket_search WHERE number = 101) = 'en', 'ticket 101 indexed in en');
  PERFORM pg_temp.expect((SELECT people FROM ticket_search WHERE number = 100) = 'Ana Souza ana@acme.example', 'people of 100');
  PERFORM pg_temp.expect(pg_temp.stale() = '{100,101,102}', 'new tickets stale');
END $$;
SELECT pg_temp.fill();

INSERT INTO messages (id, ticket_number, kind, author_id, body, channel, created_at) VALUES
  (1, 100, 'customer_message', 10, 'A impressora parou depois da atualização', 'email', 2000),
  (2, 100, 'internal_note', 20, 'Cliente usa firmware antigo', 'web', 2100),
  (3, 100, 'public_reply', 20, 'Reinicie o equipamento', 'email', 2200),
  (4, 101, 'customer_message', 11, 'Paper stuck in tray', 'web', 2000);

DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.stale() = '{100,101}', 'messages mark their tickets stale, no other');
  -- A stale document has no terms in the vocabulary.
  PERFORM pg_temp.expect(pg_temp.documents('pt', 'impressora') = 0, 'vocabulary: a stale document''s terms gone');
  -- ticket_text: public and internal bodies in message order, joined by a newline.
  PERFORM pg_temp.expect((SELECT public FROM ticket_text WHERE number = 100) =
                         E'A impressora parou depois da atualização\nReinicie o equipamento', 'public text of 100');
  PERFORM pg_temp.expect((SELECT internal FROM ticket_text WHERE number = 100) = 'Cliente usa firmware antigo', 'internal text of 100');
  PERFORM pg_temp.expect((SELECT internal FROM ticket_text_en WHERE number = 101) = '', 'no internal text of 101');
  PERFORM pg_temp.expect(NOT EXISTS (SELECT 1 FROM ticket_text_pt WHERE number = 101), '101 not in the pt view');
END $$;
SELECT pg_temp.fill();
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.stale() = '{}', 'filled documents stay');
  PERFORM pg_temp.expect(pg_temp.finds(100, 'impressora', '{a}') AND pg_temp.finds(100, 'souza', '{b}') AND
                         pg_temp.finds(100, 'firmware', '{c}') AND pg_temp.finds(100, 'reinicie', '{d}'), 'the filled document');
  -- The vocabulary counts documents, not occurrences ("impressora" is in 100's subject and body).
  PERFORM pg_temp.expect(pg_temp.documents('pt', 'impressora') = 1, 'vocabulary: impressora in 1 pt document');
  PERFORM pg_temp.expect(pg_temp.documents('en', 'paper') = 1, 'vocabulary: paper in 1 en document');
  PERFORM pg_temp.expect(pg_temp.documents('pt', 'paper') = 0, 'vocabulary is per language');
END $$;

-- Only filling a stale document keeps what was written: any other write of a row marks it stale.
UPDATE ticket_search SET document = 'forged' WHERE number = 102;
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.stale() = '{102}', 'a filled document is not overwritten');
  PERFORM pg_temp.expect(pg_temp.documents('en', 'forged') = 0 AND pg_temp.documents('en', 'toner') = 0, 'vocabulary: neither');
END $$;
SELECT pg_temp.fill();
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.documents('en', 'toner') = 1, 'vocabulary: filled again');
END $$;

-- A merge moves message 4 from 101 to 100: both documents go stale, and the text follows.
UPDATE messages SET ticket_number = 100, merged_from = 101 WHERE id = 4;
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.stale() = '{100,101}', 'a move marks both tickets');
  PERFORM pg_temp.expect((SELECT public FROM ticket_text WHERE number = 100) =
                         E'A impressora parou depois da atualização\nReinicie o equipamento\nPaper stuck in tray',
                         'moved message in the survivor''s text, in id order');
  PERFORM pg_temp.expect((SELECT public FROM ticket_text WHERE number = 101) = '', 'moved message gone from the merged ticket');
END $$;
SELECT pg_temp.fill();
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.documents('en', 'paper') = 0, 'vocabulary: paper left the en document');
  PERFORM pg_temp.expect(pg_temp.documents('pt', 'tray') = 1, 'vocabulary: tray joined the pt document');
END $$;
-- A change of a message that does not move it leaves the documents alone.
UPDATE messages SET created_at = 2001 WHERE id = 1;
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.stale() = '{}', 'an update that moves nothing');
END $$;

-- The requester renamed (their tickets only); the subject of 101 changed; 101 given another requester.
UPDATE users SET name = 'Ana Lima' WHERE id = 10;
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.stale() = '{100}', 'a rename marks the requester''s tickets');
  PERFORM pg_temp.expect((SELECT people FROM ticket_search WHERE number = 100) = 'Ana Lima ana@acme.example', 'renamed people');
END $$;
SELECT pg_temp.fill();
UPDATE users SET role = 'customer', updated_at = 5000 WHERE id = 10;
UPDATE tickets SET updated_at = 2500, priority = 'P2' WHERE number = 101;
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.stale() = '{}', 'other changes of people and tickets leave the documents alone');
END $$;
UPDATE tickets SET subject = 'Scanner jammed' WHERE number = 101;
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.stale() = '{101}', 'a new subject marks its ticket');
END $$;
SELECT pg_temp.fill();
UPDATE tickets SET requester_id = 10 WHERE number = 101;
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.stale() = '{101}', 'a new requester marks its ticket');
  PERFORM pg_temp.expect((SELECT people FROM ticket_search WHERE number = 101) = 'Ana Lima ana@acme.example', 'new requester');
  -- The index language stays the one the ticket was first indexed in.
  PERFORM pg_temp.expect((SELECT language FROM ticket_search WHERE number = 101) = 'en', 'language kept');
END $$;
SELECT pg_temp.fill();
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.finds(100, 'lima', '{b}') AND NOT pg_temp.finds(100, 'souza'), 'found by the new name only');
  PERFORM pg_temp.expect(pg_temp.finds(101, 'scanner', '{a}') AND NOT pg_temp.finds(101, 'printer'), 'new subject');
END $$;

-- A ticket not indexed yet (its row removed, as `search reindex` finds it) stays unindexed
-- when a message arrives; indexing it is inserting its row (stale) and filling it.
DELETE FROM ticket_search WHERE number = 101;
INSERT INTO messages (id, ticket_number, kind, author_id, body, channel, created_at)
  VALUES (5, 101, 'public_reply', 20, 'Scanner replaced', 'web', 3000);
DO $$ BEGIN
  PERFORM pg_temp.expect(NOT EXISTS (SELECT 1 FROM ticket_search WHERE number = 101), 'unindexed ticket stays so');
  PERFORM pg_temp.expect(pg_temp.documents('en', 'scanner') = 0, 'vocabulary: the removed document''s terms');
END $$;
INSERT INTO ticket_search (number, language, people, document) VALUES (101, 'en', 'Ana Lima ana@acme.example', 'forged');
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.stale() = '{101}', 'an inserted row is stale, whatever it was given');
END $$;
SELECT pg_temp.fill();
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.finds(101, 'replaced', '{d}'), 'indexed by inserting its row');
  PERFORM pg_temp.expect(pg_temp.documents('en', 'scanner') = 1, 'vocabulary: scanner back');
END $$;

-- SLA clocks: the report facts of first_response and resolution land on the ticket.
INSERT INTO ticket_clocks (ticket_number, target, cycle_start, state, calendar, within_text, within_ms, used_ms,
                           due_at, breached_at, stopped_at, computed_at)
VALUES (100, 'first_response', 2000, 'met', 'business', '4h', 14400000, 600000, 16400000, NULL, 602000, 3000),
       (100, 'resolution', 2000, 'running', 'business', '2d', 57600000, 600000, 57602000, NULL, NULL, 3000),
       (100, 'next_response', 2000, 'breached', 'business', '4h', 14400000, 14500000, 14402000, 14402000, NULL, 3000);
DO $$ BEGIN
  PERFORM pg_temp.expect((SELECT (first_response_business_ms, first_response_outcome, first_response_decided_at)
                            = (600000::BIGINT, 'met'::TEXT, 602000::BIGINT) FROM tickets WHERE number = 100), 'first response met');
  PERFORM pg_temp.expect((SELECT resolution_business_ms IS NULL AND resolution_outcome IS NULL AND resolution_decided_at IS NULL
                          FROM tickets WHERE number = 100), 'resolution undecided');
END $$;
UPDATE ticket_clocks SET state = 'breached', breached_at = 57602000 WHERE ticket_number = 100 AND target = 'resolution';
DO $$ BEGIN
  PERFORM pg_temp.expect((SELECT resolution_business_ms IS NULL AND resolution_outcome = 'breached' AND resolution_decided_at = 57602000
                          FROM tickets WHERE number = 100), 'resolution breached, not stopped: no business time');
END $$;
UPDATE ticket_clocks SET stopped_at = 60000000, used_ms = 58000000 WHERE ticket_number = 100 AND target = 'resolution';
DELETE FROM ticket_clocks WHERE ticket_number = 100 AND target = 'first_response';
DO $$ BEGIN
  PERFORM pg_temp.expect((SELECT (resolution_business_ms, resolution_outcome, resolution_decided_at)
                            = (58000000::BIGINT, 'breached'::TEXT, 57602000::BIGINT) FROM tickets WHERE number = 100), 'resolution stopped late');
  PERFORM pg_temp.expect((SELECT first_response_business_ms IS NULL AND first_response_outcome IS NULL AND first_response_decided_at IS NULL
                          FROM tickets WHERE number = 100), 'first response facts gone with its clock');
END $$;

-- Generated columns.
DO $$ BEGIN
  PERFORM pg_temp.expect((SELECT in_queue FROM tickets WHERE number = 100) = 1, 'new ticket in the queue');
  PERFORM pg_temp.expect((SELECT in_queue FROM tickets WHERE number = 101) = 0, 'pending ticket not in the queue');
END $$;
UPDATE tickets SET status = 'solved' WHERE number = 100;
DO $$ BEGIN
  PERFORM pg_temp.expect((SELECT in_queue FROM tickets WHERE number = 100) = 0, 'solved ticket leaves the queue');
END $$;

-- Article revisions: every insert and every change raises the revision past all others.
INSERT INTO articles (key, language, title, body, slug, status, created_at, updated_at) VALUES
  ('reset', 'pt-BR', 'Redefinir senha', 'Passos', 'redefinir-senha', 'published', 1000, 1000),
  ('reset', 'fr', 'Réinitialiser', 'Étapes', 'reinitialiser', 'draft', 1000, 1000);
DO $$ BEGIN
  PERFORM pg_temp.expect((SELECT array_agg(revision ORDER BY id) FROM articles) = '{1,2}', 'one revision per inserted row');
  PERFORM pg_temp.expect((SELECT array_agg(search_language ORDER BY id) FROM articles) = '{pt,en}', 'search_language');
END $$;
UPDATE articles SET updated_at = 5000;
DO $$ BEGIN
  PERFORM pg_temp.expect((SELECT array_agg(revision ORDER BY id) FROM articles) = '{1,2}', 'a column the index ignores');
END $$;
UPDATE articles SET title = title || '!';
DO $$ BEGIN
  PERFORM pg_temp.expect((SELECT array_agg(revision ORDER BY id) FROM articles) = '{3,4}', 'each changed row its own revision');
END $$;

-- A merge of all of a ticket's messages in one statement, and its undo (repo_messages.cc).
UPDATE messages SET ticket_number = 101, merged_from = coalesce(merged_from, 100) WHERE ticket_number = 100;
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.stale() = '{100,101}', 'a merge marks both tickets');
  PERFORM pg_temp.expect((SELECT internal FROM ticket_text WHERE number = 100) = '', 'no notes left on the merged ticket');
  PERFORM pg_temp.expect((SELECT internal FROM ticket_text WHERE number = 101) = 'Cliente usa firmware antigo', 'notes moved in');
END $$;
SELECT pg_temp.fill();
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.finds(101, 'firmware', '{c}') AND pg_temp.finds(101, 'reinicie', '{d}'), 'all moved in');
  PERFORM pg_temp.expect(NOT pg_temp.finds(100, 'firmware') AND pg_temp.finds(100, 'impressora', '{a}'), 'all moved out');
END $$;
UPDATE messages SET ticket_number = 100, merged_from = NULL WHERE merged_from = 100;
UPDATE messages SET ticket_number = 100 WHERE id = 4;
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.stale() = '{100,101}', 'the undo marks both tickets');
END $$;
SELECT pg_temp.fill();
DO $$ BEGIN
  PERFORM pg_temp.expect(pg_temp.finds(100, 'firmware', '{c}') AND NOT pg_temp.finds(101, 'firmware'), 'undone');
  PERFORM pg_temp.expect(pg_temp.finds(100, 'tray', '{d}'), 'the earlier merge''s message is back too');
END $$;

-- A deleted ticket leaves the index and the vocabulary.
DELETE FROM ticket_clocks WHERE ticket_number = 100;
DELETE FROM tickets WHERE number = 100;
DO $$ BEGIN
  PERFORM pg_temp.expect(NOT EXISTS (SELECT 1 FROM ticket_search WHERE number = 100), 'deleted ticket unindexed');
  PERFORM pg_temp.expect(pg_temp.documents('pt', 'impressora') = 0, 'vocabulary: deleted ticket''s terms');
  PERFORM pg_temp.expect(pg_temp.documents('en', 'scanner') = 1, 'vocabulary: other tickets'' terms stay');
END $$;

-- A stale document left at the end (the next batch or the indexer fills it) has no terms counted.
INSERT INTO messages (ticket_number, kind, author_id, body, channel, created_at) VALUES (102, 'customer_message', 11, 'Cyan', 'web', 4000);

-- After all of the above, the vocabulary holds exactly each language's documents' terms.
DO $$ BEGIN
  PERFORM pg_temp.expect(NOT EXISTS (
    (SELECT language, term, documents FROM ticket_vocab WHERE documents <> 0
     EXCEPT SELECT language, term, count(*) FROM ticket_search, unnest(tsvector_to_array(document)) AS term GROUP BY 1, 2)
    UNION ALL
    (SELECT language, term, count(*) FROM ticket_search, unnest(tsvector_to_array(document)) AS term GROUP BY 1, 2
     EXCEPT SELECT language, term, documents FROM ticket_vocab)), 'ticket_vocab counts the documents'' terms');
END $$;

-- What the migration itself wrote: Chamado as user 0, the survey key.
DO $$ BEGIN
  PERFORM pg_temp.expect((SELECT name FROM users WHERE id = 0) = 'Chamado', 'user 0');
  PERFORM pg_temp.expect((SELECT value ~ '^[0-9a-f]{64}$' FROM settings WHERE key = 'survey_key'), 'survey key');
END $$;

ROLLBACK;
