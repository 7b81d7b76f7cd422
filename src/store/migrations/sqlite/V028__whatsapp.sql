-- V028: the WhatsApp channel (issue 13, docs/whatsapp.md). A WhatsApp conversation is a row of
-- conversations (channel 'whatsapp', external_id the customer's WhatsApp id); these tables
-- keep what only this channel has.
--
-- What the customer's WhatsApp profile says, and when they last wrote: the desk may write
-- freely for 24 hours after it (core::kWhatsappWindow), then only approved templates.
CREATE TABLE whatsapp_chats (
  conversation_id   INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
  profile_name      TEXT NOT NULL DEFAULT '',
  last_inbound_at   INTEGER                      -- ms; NULL: the customer never wrote (a template started it)
);

-- Each conversation message that crossed WhatsApp, by Meta's id (wamid): an inbound one
-- redelivered is recognized by it, and delivery reports find the message they are about.
-- An outbound message has no wamid until the Graph API accepted it.
CREATE TABLE whatsapp_messages (
  conversation_id  INTEGER NOT NULL,
  seq              INTEGER NOT NULL,
  wamid            TEXT UNIQUE,                  -- NULL while queued
  direction        TEXT NOT NULL,                -- in | out
  status           TEXT NOT NULL,                -- core::WhatsappDelivery: received | queued | sent | delivered | read | failed
  error            TEXT NOT NULL DEFAULT '',     -- failed: Meta's error title, or why the file could not be fetched
  updated_at       INTEGER NOT NULL,             -- ms
  PRIMARY KEY (conversation_id, seq),
  FOREIGN KEY (conversation_id, seq) REFERENCES conversation_messages(conversation_id, seq) ON DELETE CASCADE
) WITHOUT ROWID;
