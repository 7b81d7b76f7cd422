-- V030: before V024, the sender of a delivery failure notice (mailer-daemon@...) became a
-- contact like any other sender: a customer of the organization its domain names, with the
-- notice as its message. Since V024 a bounce is Chamado's own note (user 0) and its sender is
-- nobody. The contacts made before are brought in line: what they wrote and did is Chamado's,
-- and they are deactivated and leave their organization (they never signed in: no password).
-- Tickets they opened keep them as requester, so their history reads as it did. On
-- PostgreSQL (whose schema begins at V028) such contacts come with a desk moved from SQLite.
UPDATE messages SET author_id = 0
  WHERE author_id IN (SELECT id FROM users WHERE id <> 0 AND role = 'customer' AND password_hash IS NULL
                                             AND lower(email) LIKE 'mailer-daemon@%');
UPDATE events SET actor_id = 0
  WHERE actor_id IN (SELECT id FROM users WHERE id <> 0 AND role = 'customer' AND password_hash IS NULL
                                           AND lower(email) LIKE 'mailer-daemon@%');
UPDATE users SET active = 0, organization_id = NULL
  WHERE id <> 0 AND role = 'customer' AND password_hash IS NULL AND lower(email) LIKE 'mailer-daemon@%';
