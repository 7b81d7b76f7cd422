-- V017: outcomes and the customer's word (issue 11). A solved ticket's resolution summary (what
-- the customer is told was done, with its resolution), the customers' answers to the
-- satisfaction survey (one per ticket, changeable for 7 days after it was first given), and the
-- key that signs survey links, made once per data folder and never sent anywhere.
ALTER TABLE tickets ADD COLUMN resolution_summary TEXT NOT NULL DEFAULT '';

CREATE TABLE survey_answers (
  ticket_number  INTEGER PRIMARY KEY REFERENCES tickets(number) ON DELETE CASCADE,
  rating         INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment        TEXT NOT NULL DEFAULT '',
  answered_at    INTEGER NOT NULL,  -- ms: first given; the change window counts from here
  updated_at     INTEGER NOT NULL   -- ms
);
-- Reports read answers by when they were given.
CREATE INDEX survey_answers_answered ON survey_answers(answered_at);

-- Feature requests are read by resolution, grouped by organization.
CREATE INDEX tickets_resolution ON tickets(resolution, organization_id) WHERE resolution IS NOT NULL;

INSERT INTO settings (key, value) VALUES ('survey_key', lower(hex(randomblob(32))));
