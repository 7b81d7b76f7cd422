-- V007: how much mail went to one address lately (acknowledgements are limited per hour, so
-- a misbehaving autoresponder cannot start a mail loop).
CREATE INDEX outbox_recipient ON outbox(recipient, event, created_at);
