-- V015: automations of the policy ([automations] in the policy file). ticket_automations is
-- derived like ticket_clocks (recomputed from the ticket's status history and the policy on
-- every change): one row per ticket and rule while the rule has something left to do, with
-- its due instants. What it alone remembers is whether the reminder of the current waiting
-- period was sent, so it is sent once, across restarts. The close removes the row in the
-- transaction that closes the ticket, so it happens once too.
CREATE TABLE ticket_automations (
  ticket_number  INTEGER NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
  rule           TEXT NOT NULL,     -- 'auto_close'
  waiting_since  INTEGER NOT NULL,  -- ms: the ticket entered pending_customer (the period's start)
  remind_at      INTEGER,           -- ms; NULL: the rule has no reminder
  close_at       INTEGER NOT NULL,  -- ms
  reminded_at    INTEGER,           -- ms: the period's reminder went out
  next_fire_at   INTEGER NOT NULL,  -- ms: the next instant the scheduler acts
  PRIMARY KEY (ticket_number, rule)
) WITHOUT ROWID;
-- The scheduler reads the earliest due rows, never scans waiting tickets.
CREATE INDEX ticket_automations_next ON ticket_automations(next_fire_at);
