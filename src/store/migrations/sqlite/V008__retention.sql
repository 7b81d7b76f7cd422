-- V008: what retention needs to find quickly: delivered notifications by age, and whether a
-- stored file is still named by an attachment or an email.
CREATE INDEX outbox_sent ON outbox(sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX attachments_sha256 ON attachments(sha256);
CREATE INDEX mail_ids_raw ON mail_ids(raw_sha256) WHERE raw_sha256 IS NOT NULL;
