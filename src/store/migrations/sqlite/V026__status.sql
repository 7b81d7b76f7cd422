-- V026: the status page (issue 14). Components are what customers see (the web interface, the
-- API); probes check them on the scheduler and every check is a sample. Old samples are rolled
-- up per component (per minute, then per hour: status_rollups) so a year stays small, and
-- status_components.rolled_until says up to where only rollups remain. Incidents have states
-- and timed public updates per language, affected components with their impact, and linked
-- tickets; planned maintenance windows name their components. Subscribers get the updates by
-- e-mail once their address is confirmed. Texts per language are JSON objects {"en": "...", "pt-BR": "..."}.
CREATE TABLE status_components (
  id            INTEGER PRIMARY KEY,
  key           TEXT NOT NULL UNIQUE,   -- slug: the policy's [status.targets] names it
  names         TEXT NOT NULL,          -- JSON per language
  descriptions  TEXT NOT NULL DEFAULT '{}',
  position      INTEGER NOT NULL DEFAULT 0,  -- order on the page
  created_at    INTEGER NOT NULL,       -- ms: uptime counts from here
  rolled_until  INTEGER                 -- ms: samples before it live only in status_rollups; NULL: none rolled
);

CREATE TABLE status_probes (
  id             INTEGER PRIMARY KEY,
  component_id   INTEGER NOT NULL REFERENCES status_components(id) ON DELETE CASCADE,
  kind           TEXT NOT NULL,          -- http | tcp
  target         TEXT NOT NULL,          -- http: the URL (http or https); tcp: host:port
  expect_status  INTEGER,                -- http: the status the answer must have; NULL: any 2xx
  expect_body    TEXT NOT NULL DEFAULT '',  -- http: text the body must contain; '': none
  interval_ms    INTEGER NOT NULL,
  timeout_ms     INTEGER NOT NULL,
  retries        INTEGER NOT NULL DEFAULT 0,  -- failed attempts retried before the check says down
  active         INTEGER NOT NULL DEFAULT 1,
  next_run_at    INTEGER NOT NULL,       -- ms: the scheduler's due instant
  created_at     INTEGER NOT NULL
);
CREATE INDEX status_probes_due ON status_probes(active, next_run_at);

-- One check: its start, its outcome after the retries.
CREATE TABLE status_samples (
  probe_id    INTEGER NOT NULL REFERENCES status_probes(id) ON DELETE CASCADE,
  at          INTEGER NOT NULL,        -- ms
  up          INTEGER NOT NULL,        -- 1 up, 0 down
  latency_ms  INTEGER NOT NULL,        -- of the last attempt
  attempts    INTEGER NOT NULL,
  error       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (probe_id, at)
) WITHOUT ROWID;

-- What the component's probes saw over [start_at, start_at + bucket_ms): up_ms and down_ms of
-- it, the rest unknown (status/uptime.h RollUp).
CREATE TABLE status_rollups (
  component_id  INTEGER NOT NULL REFERENCES status_components(id) ON DELETE CASCADE,
  bucket_ms     INTEGER NOT NULL,        -- 60000 or 3600000
  start_at      INTEGER NOT NULL,        -- ms
  up_ms         INTEGER NOT NULL,
  down_ms       INTEGER NOT NULL,
  PRIMARY KEY (component_id, start_at, bucket_ms)
) WITHOUT ROWID;

CREATE TABLE status_incidents (
  id           INTEGER PRIMARY KEY,
  titles       TEXT NOT NULL,            -- JSON per language
  state        TEXT NOT NULL,            -- investigating | identified | monitoring | resolved
  started_at   INTEGER NOT NULL,         -- ms: the impact counts from here
  resolved_at  INTEGER,                  -- ms: and up to here; NULL while open
  created_by   INTEGER REFERENCES users(id),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX status_incidents_started ON status_incidents(started_at);

CREATE TABLE status_incident_components (
  incident_id   INTEGER NOT NULL REFERENCES status_incidents(id) ON DELETE CASCADE,
  component_id  INTEGER NOT NULL REFERENCES status_components(id) ON DELETE CASCADE,
  impact        TEXT NOT NULL,           -- degraded | partial | major
  PRIMARY KEY (incident_id, component_id)
) WITHOUT ROWID;
CREATE INDEX status_incident_components_component ON status_incident_components(component_id);

CREATE TABLE status_incident_updates (
  id           INTEGER PRIMARY KEY,
  incident_id  INTEGER NOT NULL REFERENCES status_incidents(id) ON DELETE CASCADE,
  state        TEXT NOT NULL,            -- the incident's state this update put it in
  bodies       TEXT NOT NULL,            -- JSON per language
  at           INTEGER NOT NULL,         -- ms: shown as the update's time
  author_id    INTEGER REFERENCES users(id),
  notified     INTEGER NOT NULL DEFAULT 0  -- mails queued for it (requesters and subscribers)
);
CREATE INDEX status_incident_updates_incident ON status_incident_updates(incident_id, at);

CREATE TABLE status_maintenance (
  id          INTEGER PRIMARY KEY,
  titles      TEXT NOT NULL,             -- JSON per language
  bodies      TEXT NOT NULL DEFAULT '{}',
  starts_at   INTEGER NOT NULL,          -- ms
  ends_at     INTEGER NOT NULL,          -- ms, after starts_at
  created_by  INTEGER REFERENCES users(id),
  created_at  INTEGER NOT NULL
);
CREATE INDEX status_maintenance_starts ON status_maintenance(starts_at);

CREATE TABLE status_maintenance_components (
  maintenance_id  INTEGER NOT NULL REFERENCES status_maintenance(id) ON DELETE CASCADE,
  component_id    INTEGER NOT NULL REFERENCES status_components(id) ON DELETE CASCADE,
  PRIMARY KEY (maintenance_id, component_id)
) WITHOUT ROWID;

CREATE TABLE status_incident_tickets (
  incident_id    INTEGER NOT NULL REFERENCES status_incidents(id) ON DELETE CASCADE,
  ticket_number  INTEGER NOT NULL REFERENCES tickets(number),
  linked_at      INTEGER NOT NULL,
  linked_by      INTEGER REFERENCES users(id),
  PRIMARY KEY (incident_id, ticket_number)
) WITHOUT ROWID;
CREATE INDEX status_incident_tickets_ticket ON status_incident_tickets(ticket_number);

CREATE TABLE status_subscribers (
  id          INTEGER PRIMARY KEY,
  email       TEXT NOT NULL UNIQUE,      -- lower case
  language    TEXT NOT NULL,             -- a desk language: the mails' language
  token       TEXT NOT NULL UNIQUE,      -- the secret of the links in its mails (confirm, unsubscribe)
  created_at  INTEGER NOT NULL,
  confirmed_at INTEGER                   -- ms; NULL until the address confirmed (subscribed from the page); only confirmed ones get mail
);
