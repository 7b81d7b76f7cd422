-- V005: messages whose secrets (API keys, passwords, tokens) were masked before storing.
ALTER TABLE messages ADD COLUMN masked INTEGER NOT NULL DEFAULT 0;
