-- V025: live conversations (issue 13): the web chat widget today, other channels (WhatsApp)
-- on the same rows. A conversation starts with the bot (its bot_sessions row), goes to people
-- in the live-chat hours, and may become one ticket. Messages carry a per-conversation
-- sequence number: clients acknowledge and resume by it. core/conversation.h has the rules.
CREATE TABLE conversations (
  id                 INTEGER PRIMARY KEY,
  public_id          TEXT NOT NULL UNIQUE,  -- the chat id the customer sees: "CH-7K3M9Q2P"
  channel            TEXT NOT NULL,         -- core::Channel's names: chat (the widget), whatsapp
  external_id        TEXT NOT NULL DEFAULT '',  -- the channel's id of the customer (a WhatsApp number); '' for the widget
  token_hash         TEXT NOT NULL DEFAULT '',  -- the widget: SHA-256 of the visitor's secret token
  organization_id    INTEGER REFERENCES organizations(id),
  contact_id         INTEGER REFERENCES users(id),  -- NULL: an anonymous visitor
  email              TEXT NOT NULL DEFAULT '',      -- an anonymous visitor's address, once given
  language           TEXT NOT NULL,
  subject            TEXT NOT NULL DEFAULT '',
  status             TEXT NOT NULL,         -- bot | waiting | active | waiting_on_customer | closed
  bot_session_id     INTEGER REFERENCES bot_sessions(id),
  agent_id           INTEGER REFERENCES users(id),
  group_id           INTEGER REFERENCES agent_groups(id),
  ticket_number      INTEGER REFERENCES tickets(number),  -- the one ticket it became or was linked to
  last_seq           INTEGER NOT NULL DEFAULT 0,
  customer_read_seq  INTEGER NOT NULL DEFAULT 0,
  agent_read_seq     INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,      -- ms
  updated_at         INTEGER NOT NULL,      -- ms
  handed_off_at      INTEGER,               -- ms: first entered waiting; the SLA clocks start here
  accepted_at        INTEGER,
  closed_at          INTEGER,
  close_reason       TEXT,                  -- agent | customer | auto_close | converted | bot
  escalated          INTEGER NOT NULL DEFAULT 0,
  breach_fired_at    INTEGER,               -- ms: the latest breach already escalated
  next_fire_at       INTEGER                -- ms: the next breach or auto-close (sla/live_chat.h); NULL: none
);
-- The agents' queue (open conversations by status, oldest hand-off first), the scheduler's
-- index, and one open conversation per customer of a channel with external ids.
CREATE INDEX conversations_queue ON conversations(status, handed_off_at);
CREATE INDEX conversations_fire ON conversations(next_fire_at) WHERE next_fire_at IS NOT NULL;
CREATE INDEX conversations_agent ON conversations(agent_id, status);
CREATE INDEX conversations_contact ON conversations(contact_id);
CREATE UNIQUE INDEX conversations_external ON conversations(channel, external_id)
  WHERE external_id <> '' AND status <> 'closed';
-- A ticket is linked to at most one conversation.
CREATE UNIQUE INDEX conversations_ticket ON conversations(ticket_number) WHERE ticket_number IS NOT NULL;

-- Every message, stored before it is acknowledged. `client_id` is the sender's id for a
-- message it may send twice (a reconnect): the second is recognized, never stored again.
CREATE TABLE conversation_messages (
  conversation_id  INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  seq              INTEGER NOT NULL,   -- 1, 2, ... in the conversation
  author           TEXT NOT NULL,      -- customer | agent | bot | system
  author_id        INTEGER REFERENCES users(id),
  body             TEXT NOT NULL,      -- plain text, secrets masked
  masked           INTEGER NOT NULL DEFAULT 0,
  extra            TEXT NOT NULL DEFAULT '{}',  -- JSON: the bot's options and articles, a system notice's kind
  client_id        TEXT,
  at               INTEGER NOT NULL,   -- ms
  PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX conversation_messages_client ON conversation_messages(conversation_id, client_id)
  WHERE client_id IS NOT NULL;

-- Files sent in a conversation: content-addressed like tickets' (the same blob store), so a
-- conversion to a ticket carries them without copying bytes.
CREATE TABLE conversation_attachments (
  id               INTEGER PRIMARY KEY,
  conversation_id  INTEGER NOT NULL,
  seq              INTEGER NOT NULL,
  sha256           TEXT NOT NULL,
  filename         TEXT NOT NULL,
  content_type     TEXT NOT NULL,
  size             INTEGER NOT NULL,
  FOREIGN KEY (conversation_id, seq) REFERENCES conversation_messages(conversation_id, seq) ON DELETE CASCADE
);
CREATE INDEX conversation_attachments_message ON conversation_attachments(conversation_id, seq);

-- The status history the clocks and the auto-close are computed from (sla/live_chat.h).
CREATE TABLE conversation_statuses (
  conversation_id  INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  at               INTEGER NOT NULL,  -- ms
  status           TEXT NOT NULL
);
CREATE INDEX conversation_statuses_of ON conversation_statuses(conversation_id, at);

-- The secret each organization's site signs its signed-in customers' chat identity with
-- (HMAC-SHA256, docs/chat.md); empty: the organization has none, identities are refused.
ALTER TABLE organizations ADD COLUMN chat_secret TEXT NOT NULL DEFAULT '';
