-- V024: Chamado itself as a row of users (id 0), so what Chamado records without a person
-- behind it (a delivery failure notice answering a ticket) has an author the messages'
-- foreign key accepts, and nobody becomes a contact for it. The row never signs in (no
-- password, inactive, no address mail can come from), lists of people start after id 0, and
-- the API shows it as {"id": null, "name": "Chamado", "role": "system"}.
INSERT INTO users (id, email, name, role, organization_id, password_hash, active, created_at, updated_at)
VALUES (0, '', 'Chamado', 'customer', NULL, NULL, 0, 0, 0);

-- What a message is, for each reader's screen to say in their own language ("Escalation
-- requested" before a customer's business impact). Before, the words were written into the
-- body in the customer's language at request time, and everyone read them in that language:
-- those bodies lose their words and gain the label.
ALTER TABLE messages ADD COLUMN label TEXT NOT NULL DEFAULT '';
UPDATE messages SET label = 'escalation_requested', body = substr(body, length('Escalation requested. Business impact: ') + 1)
  WHERE kind = 'customer_message' AND substr(body, 1, length('Escalation requested. Business impact: ')) = 'Escalation requested. Business impact: ';
UPDATE messages SET label = 'escalation_requested', body = substr(body, length('Escalonamento solicitado. Impacto no negócio: ') + 1)
  WHERE kind = 'customer_message' AND substr(body, 1, length('Escalonamento solicitado. Impacto no negócio: ')) = 'Escalonamento solicitado. Impacto no negócio: ';
UPDATE messages SET label = 'escalation_requested', body = substr(body, length('Escalamiento solicitado. Impacto en el negocio: ') + 1)
  WHERE kind = 'customer_message' AND substr(body, 1, length('Escalamiento solicitado. Impacto en el negocio: ')) = 'Escalamiento solicitado. Impacto en el negocio: ';
UPDATE messages SET label = 'escalation_requested', body = substr(body, length('Eskalation angefordert. Geschäftliche Auswirkung: ') + 1)
  WHERE kind = 'customer_message' AND substr(body, 1, length('Eskalation angefordert. Geschäftliche Auswirkung: ')) = 'Eskalation angefordert. Geschäftliche Auswirkung: ';
UPDATE messages SET label = 'escalation_requested', body = substr(body, length('Запрошена эскалация. Влияние на бизнес: ') + 1)
  WHERE kind = 'customer_message' AND substr(body, 1, length('Запрошена эскалация. Влияние на бизнес: ')) = 'Запрошена эскалация. Влияние на бизнес: ';

-- An organization can be deactivated (docs/admin.md): its people cannot sign in or open
-- tickets by any channel, its tickets stay as they are, and reactivating restores everything.
ALTER TABLE organizations ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
