-- V001: organizations, people, groups, tickets, messages, attachments, audit trail, auth.
-- Instants are INTEGER milliseconds since the Unix epoch (UTC).

CREATE TABLE organizations (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  plan        TEXT NOT NULL DEFAULT '',
  language    TEXT NOT NULL DEFAULT 'en',
  time_zone   TEXT NOT NULL DEFAULT 'UTC',
  notes       TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX organizations_name ON organizations(lower(name));

CREATE TABLE organization_domains (
  domain           TEXT PRIMARY KEY,
  organization_id  INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE
);
CREATE INDEX organization_domains_org ON organization_domains(organization_id);

CREATE TABLE users (
  id               INTEGER PRIMARY KEY,
  email            TEXT NOT NULL UNIQUE,
  name             TEXT NOT NULL DEFAULT '',
  role             TEXT NOT NULL CHECK (role IN ('customer', 'agent', 'admin')),
  organization_id  INTEGER REFERENCES organizations(id),
  language         TEXT NOT NULL DEFAULT 'en',
  time_zone        TEXT NOT NULL DEFAULT 'UTC',
  languages        TEXT NOT NULL DEFAULT '',
  password_hash    TEXT,
  active           INTEGER NOT NULL DEFAULT 1,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX users_organization ON users(organization_id, id);
CREATE INDEX users_role ON users(role, id);

CREATE TABLE agent_groups (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  description  TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX agent_groups_name ON agent_groups(lower(name));

CREATE TABLE group_members (
  group_id  INTEGER NOT NULL REFERENCES agent_groups(id) ON DELETE CASCADE,
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX group_members_user ON group_members(user_id);

-- The ordered priority list of the policy in effect; rank 0 is the most urgent.
CREATE TABLE priorities (
  rank         INTEGER PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  description  TEXT NOT NULL DEFAULT '',
  is_default   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO priorities (rank, name, description, is_default) VALUES
  (0, 'P1', 'Urgent: the service is down or data is lost, and there is no workaround.', 0),
  (1, 'P2', 'High: core features are unavailable or badly degraded; a temporary workaround may exist.', 0),
  (2, 'P3', 'Medium: a partial, non-critical problem.', 1),
  (3, 'P4', 'Low: questions, training, documentation and small bugs.', 0);

CREATE TABLE categories (
  key       TEXT PRIMARY KEY,
  name      TEXT NOT NULL,
  position  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO categories (key, name, position) VALUES
  ('question', 'Question about the product', 0),
  ('problem', 'Something is not working', 1),
  ('billing', 'Billing and invoices', 2),
  ('account', 'Account access', 3),
  ('feature_request', 'Feature request', 4);

CREATE TABLE tickets (
  number             INTEGER PRIMARY KEY,
  subject            TEXT NOT NULL,
  requester_id       INTEGER NOT NULL REFERENCES users(id),
  organization_id    INTEGER REFERENCES organizations(id),
  channel            TEXT NOT NULL,
  status             TEXT NOT NULL,
  priority           TEXT NOT NULL,
  priority_rank      INTEGER NOT NULL,
  group_id           INTEGER REFERENCES agent_groups(id),
  assignee_id        INTEGER REFERENCES users(id),
  category           TEXT NOT NULL DEFAULT '',
  custom_fields      TEXT NOT NULL DEFAULT '{}',
  resolution         TEXT,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  first_response_at  INTEGER,
  solved_at          INTEGER,
  closed_at          INTEGER,
  -- Open work waiting for the team; computed by the database, never written.
  in_queue           INTEGER GENERATED ALWAYS AS (status IN ('new', 'open')) VIRTUAL
);
-- The queue: open work by priority, then oldest first (an equality, then an ordered range:
-- no sort, whatever else the planner knows).
CREATE INDEX tickets_queue ON tickets(in_queue, priority_rank, created_at, number);
CREATE INDEX tickets_organization ON tickets(organization_id, number);
CREATE INDEX tickets_requester ON tickets(requester_id, number);
CREATE INDEX tickets_assignee ON tickets(assignee_id, number);
CREATE INDEX tickets_group ON tickets(group_id, number);
CREATE INDEX tickets_status ON tickets(status, number);

CREATE TABLE ticket_tags (
  ticket_number  INTEGER NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
  tag            TEXT NOT NULL,
  PRIMARY KEY (ticket_number, tag)
) WITHOUT ROWID;
CREATE INDEX ticket_tags_tag ON ticket_tags(tag, ticket_number);

CREATE TABLE messages (
  id             INTEGER PRIMARY KEY,
  ticket_number  INTEGER NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
  kind           TEXT NOT NULL,
  author_id      INTEGER NOT NULL REFERENCES users(id),
  body           TEXT NOT NULL,
  automatic      INTEGER NOT NULL DEFAULT 0,
  channel        TEXT NOT NULL,
  created_at     INTEGER NOT NULL
);
CREATE INDEX messages_ticket ON messages(ticket_number, id);

CREATE TABLE attachments (
  id            INTEGER PRIMARY KEY,
  message_id    INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  sha256        TEXT NOT NULL,
  filename      TEXT NOT NULL,
  content_type  TEXT NOT NULL,
  size          INTEGER NOT NULL
);
CREATE INDEX attachments_message ON attachments(message_id);

-- The audit trail: every change, written in the transaction of the change.
CREATE TABLE events (
  id             INTEGER PRIMARY KEY,
  ticket_number  INTEGER,
  kind           TEXT NOT NULL,
  actor_id       INTEGER NOT NULL,
  at             INTEGER NOT NULL,
  message_id     INTEGER,
  data           TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_ticket ON events(ticket_number, id);

CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash    TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER
);
