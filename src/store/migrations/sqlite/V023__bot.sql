-- V023: the chatbot (issue 12). Flows are versioned like policies: applying one, or rolling
-- back to an earlier one, adds a version; the history stays. A session is one conversation
-- with the flow version it started on: its state (node, what the bot waits for, status), its
-- turns, and the articles that answered it (deflections).
CREATE TABLE bot_flows (
  version        INTEGER PRIMARY KEY,
  name           TEXT NOT NULL,
  source         TEXT NOT NULL,     -- the TOML as written, comments and all
  applied_at     INTEGER NOT NULL,  -- ms
  applied_by     INTEGER,           -- a user; NULL: the command line
  restored_from  INTEGER            -- a rollback: the version whose text this is
);

CREATE TABLE bot_sessions (
  id             INTEGER PRIMARY KEY,
  token_hash     TEXT NOT NULL,     -- SHA-256 of the session's secret token
  user_id        INTEGER REFERENCES users(id),  -- the signed-in customer; NULL: anonymous
  flow_version   INTEGER NOT NULL REFERENCES bot_flows(version),
  language       TEXT NOT NULL,
  node           TEXT NOT NULL,
  awaiting       TEXT NOT NULL,     -- bot::Awaiting's names
  status         TEXT NOT NULL,     -- bot::Status's names: active, ended, waiting_for_agent, ticket_opened
  scratch        TEXT NOT NULL DEFAULT '{}',  -- JSON: the question kept while asking for an email, the articles shown
  ticket_number  INTEGER REFERENCES tickets(number),
  turns          INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,  -- ms
  updated_at     INTEGER NOT NULL   -- ms: the last turn; a session idle too long expires
);
-- The live-chat console (issue 13) reads the sessions waiting for an agent, oldest first.
CREATE INDEX bot_sessions_status ON bot_sessions(status, updated_at);

CREATE TABLE bot_turns (
  session_id  INTEGER NOT NULL REFERENCES bot_sessions(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,   -- 1, 2, ... in the session
  author      TEXT NOT NULL,      -- bot | customer
  body        TEXT NOT NULL,      -- JSON: text, options, articles, ticket_number
  at          INTEGER NOT NULL,   -- ms
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;

CREATE TABLE bot_deflections (
  id           INTEGER PRIMARY KEY,
  article_key  TEXT NOT NULL,
  session_id   INTEGER NOT NULL REFERENCES bot_sessions(id) ON DELETE CASCADE,
  at           INTEGER NOT NULL
);
CREATE INDEX bot_deflections_article ON bot_deflections(article_key);
