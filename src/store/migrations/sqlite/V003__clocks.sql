-- V003: SLA clocks. ticket_clocks is derived (recomputed from the ticket's history and the
-- policy on every change); what it alone remembers is which warnings and breach of the
-- current cycle have fired, so each fires exactly once, across restarts.

CREATE TABLE ticket_clocks (
  ticket_number  INTEGER NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
  target         TEXT NOT NULL,
  cycle_start    INTEGER NOT NULL,
  state          TEXT NOT NULL,
  calendar       TEXT NOT NULL,
  within_text    TEXT NOT NULL,
  within_ms      INTEGER NOT NULL,
  used_ms        INTEGER NOT NULL,
  due_at         INTEGER,
  breached_at    INTEGER,
  stopped_at     INTEGER,
  warn_at        TEXT NOT NULL DEFAULT '',      -- the warning instants, space-separated ms
  warnings_fired INTEGER NOT NULL DEFAULT 0,    -- how many of them have fired
  breach_fired   INTEGER NOT NULL DEFAULT 0,
  next_fire_at   INTEGER,                       -- the next instant the scheduler acts
  computed_at    INTEGER NOT NULL,
  PRIMARY KEY (ticket_number, target)
) WITHOUT ROWID;
-- The scheduler reads the earliest due rows, never scans all tickets.
CREATE INDEX ticket_clocks_next ON ticket_clocks(next_fire_at) WHERE next_fire_at IS NOT NULL;

-- How many times the ticket was escalated (by breaches, or by its customer).
ALTER TABLE tickets ADD COLUMN escalation_level INTEGER NOT NULL DEFAULT 0;
-- The earliest due instant of its running clocks (derived, kept by the clock refresh);
-- 253402300799000 (9999-12-31) when none, so every engine sorts it last.
ALTER TABLE tickets ADD COLUMN sla_due_at INTEGER NOT NULL DEFAULT 253402300799000;
CREATE INDEX tickets_queue_due ON tickets(in_queue, sla_due_at, number);

-- Notifications to send (email, webhook), written in the transaction of what caused them.
CREATE TABLE outbox (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL,          -- 'email' or 'webhook'
  recipient      TEXT NOT NULL,          -- an address or a URL
  ticket_number  INTEGER,
  event          TEXT NOT NULL,          -- 'sla.warning', 'sla.breached', ...
  payload        TEXT NOT NULL,          -- JSON
  created_at     INTEGER NOT NULL,
  attempts       INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  sent_at        INTEGER,
  last_error     TEXT
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE sent_at IS NULL;
