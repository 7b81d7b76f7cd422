-- V006: the email channel.

-- Every Message-ID Chamado has received or sent: replies thread through it, and the same
-- delivery is stored once. Mail without a Message-ID is known by the SHA-256 of its bytes.
CREATE TABLE mail_ids (
  message_id     TEXT PRIMARY KEY,
  direction      TEXT NOT NULL,              -- 'in' or 'out'
  ticket_number  INTEGER REFERENCES tickets(number) ON DELETE CASCADE,
  message_row    INTEGER REFERENCES messages(id) ON DELETE CASCADE,  -- what it became, if anything
  raw_sha256     TEXT,                       -- the original mail, as a blob (inbound)
  outcome        TEXT NOT NULL,              -- 'opened', 'appended', 'ignored', 'sent'
  created_at     INTEGER NOT NULL
);
CREATE INDEX mail_ids_ticket ON mail_ids(ticket_number, created_at);
CREATE INDEX mail_ids_message ON mail_ids(message_row) WHERE message_row IS NOT NULL;

-- Tickets that point at each other: a reply from someone else, or after closing, opens a
-- new ticket linked to the one it answered.
CREATE TABLE ticket_links (
  ticket_number  INTEGER NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
  linked_number  INTEGER NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
  kind           TEXT NOT NULL,              -- 'follow_up' (after closing), 'answered' (another sender)
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (ticket_number, linked_number)
);
CREATE INDEX ticket_links_linked ON ticket_links(linked_number);
