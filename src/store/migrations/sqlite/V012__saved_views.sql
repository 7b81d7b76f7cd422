-- V012: agents' saved searches ("My open P1s"): a name and the query as typed in the search
-- box (search::ParseTicketQuery's language), pinned ones shown beside the queue in `position`
-- order. A view is its agent's alone and goes with them.
CREATE TABLE saved_views (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  query       TEXT NOT NULL,
  pinned      INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
  position    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX saved_views_name ON saved_views(user_id, lower(name));
