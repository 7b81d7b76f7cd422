-- V002: policies as data. The policy in effect is the latest version; its priorities and
-- categories come from it (the tables V001 seeded are dropped: one source of truth).
-- Status changes are kept as facts: SLA clocks are derived from them.

CREATE TABLE policies (
  version     INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  source      TEXT NOT NULL,   -- the TOML as written, comments and all
  files       TEXT NOT NULL DEFAULT '{}',  -- files it refers to (holidays_ics), by path
  applied_at  INTEGER NOT NULL,
  applied_by  INTEGER
);

DROP TABLE priorities;
DROP TABLE categories;

CREATE TABLE status_changes (
  id             INTEGER PRIMARY KEY,
  ticket_number  INTEGER NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
  at             INTEGER NOT NULL,
  status         TEXT NOT NULL
);
CREATE INDEX status_changes_ticket ON status_changes(ticket_number, at);

-- Tickets opened before this version: their opening, and their status since the last change.
INSERT INTO status_changes (ticket_number, at, status) SELECT number, created_at, 'new' FROM tickets;
INSERT INTO status_changes (ticket_number, at, status) SELECT number, updated_at, status FROM tickets WHERE status <> 'new';
