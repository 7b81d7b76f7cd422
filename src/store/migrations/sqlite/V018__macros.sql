-- V018: canned replies ("macros"): a text with placeholders an agent inserts into a reply, and
-- the fields that reply then sets. A personal macro has its agent as owner and goes with them;
-- a shared one has no owner, is seen by every agent and changed by admins only.
-- add_tags: a JSON array of lower-case tags.
CREATE TABLE macros (
  id          INTEGER PRIMARY KEY,
  owner_id    INTEGER REFERENCES users(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  body        TEXT NOT NULL,
  status      TEXT,
  priority    TEXT,
  add_tags    TEXT NOT NULL DEFAULT '[]',
  group_id    INTEGER REFERENCES agent_groups(id) ON DELETE SET NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX macros_name ON macros(coalesce(owner_id, 0), lower(name));
