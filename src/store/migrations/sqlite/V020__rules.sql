-- V020: the policy's rules ([[automations.rules]]). ticket_rules holds, per ticket and time
-- rule, the instant the rule counts from (its anchor: the ticket's opening, the start of its
-- status, a customer's unanswered message, an agent's unanswered reply), when it is due, and
-- whether it fired for that anchor. Derived like ticket_clocks on every change of the ticket,
-- except fired_at, which only this table remembers: a rule fires once per anchor, across
-- restarts and however often its conditions come and go.
CREATE TABLE ticket_rules (
  ticket_number  INTEGER NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
  rule           TEXT NOT NULL,     -- the rule's name in the policy
  anchor         INTEGER NOT NULL,  -- ms: the instant the rule counts from
  due_at         INTEGER,           -- ms: when it fires; NULL once fired or while its conditions do not hold
  fired_at       INTEGER,           -- ms: it fired for this anchor
  PRIMARY KEY (ticket_number, rule)
) WITHOUT ROWID;
-- The scheduler reads the earliest due rows, never scans the tickets.
CREATE INDEX ticket_rules_due ON ticket_rules(due_at) WHERE due_at IS NOT NULL;
