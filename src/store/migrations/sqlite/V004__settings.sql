-- V004: small facts the server keeps about itself, such as which policy version the stored
-- SLA clocks were last computed under.
CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
