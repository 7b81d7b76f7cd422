-- V016: routing ([routing] in the policy; core/routing.h has the rules, store/routing.h carries
-- them out). An organization's technical account manager and their backup; each agent's
-- availability, own capacity and when routing last gave them a ticket (round robin's order);
-- the language a ticket is written in, decided once when it opens.
ALTER TABLE organizations ADD COLUMN tam_id INTEGER REFERENCES users(id);
ALTER TABLE organizations ADD COLUMN tam_backup_id INTEGER REFERENCES users(id);
ALTER TABLE tickets ADD COLUMN language TEXT NOT NULL DEFAULT '';

CREATE TABLE agent_routing (
  user_id           INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  away              INTEGER NOT NULL DEFAULT 0,
  away_since        INTEGER,  -- ms
  capacity          INTEGER,  -- open tickets; NULL: the group's capacity in the policy
  last_assigned_at  INTEGER   -- ms: routing last gave them a ticket
);

-- An agent's open work (what capacity counts) without reading their closed history.
CREATE INDEX tickets_open_work ON tickets(assignee_id) WHERE status IN ('new', 'open');
-- A group's waiting tickets, oldest first.
CREATE INDEX tickets_waiting ON tickets(group_id, created_at, number) WHERE assignee_id IS NULL AND status IN ('new', 'open');
