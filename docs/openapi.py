# Generates docs/openapi.json (committed, embedded in the server): python3 docs/openapi.py > docs/openapi.json
# A test fails when the two disagree, and another when the document and the routes disagree.
import json
def ref(n): return {"$ref": f"#/components/schemas/{n}"}
def problem_resp(desc): return {"description": desc, "content": {"application/problem+json": {"schema": ref("Problem")}}}
# The problem responses, shared through components.responses; E maps a status to its $ref.
RESPONSES = {
 "400": ("BadRequest", "The request is invalid: a field (`errors` names each), a parameter, or the HTTP request itself."),
 "401": ("Unauthorized", "Not signed in, or the token is not valid."),
 "403": ("Forbidden", "Signed in, but this role may not do this (or the CSRF token is missing)."),
 "404": ("NotFound", "No such thing, or not visible to the caller."),
 "408": ("RequestTimeout", "The body arrived too slowly (`code: timeout`); the connection is closed."),
 "409": ("Conflict", "The change conflicts with the current state (for example an invalid status transition)."),
 "413": ("TooLarge", "The body or a file is too large (`code: too_large`); the connection is closed."),
 "415": ("UnsupportedMediaType", "The body is not JSON (or multipart where files are accepted)."),
 "429": ("TooManyRequests", "Too many attempts."),
 "431": ("HeadersTooLarge", "The request's headers are too large (`code: too_large`); the connection is closed."),
 "500": ("InternalError", "A bug on our side (`code: internal`): the answer is generic, the cause is logged."),
 "501": ("NotImplemented", "A Transfer-Encoding other than chunked; the connection is closed."),
 "503": ("Unavailable", "Temporarily unavailable, nothing done: too many open connections, the database busy or the server stopping (`code: unavailable`), or the disk full (`code: storage_full`, on changes); retry after Retry-After."),
}
E = {c: {"$ref": f"#/components/responses/{name}"} for c, (name, _) in RESPONSES.items()}
def errs(*codes): return {c: E[c] for c in codes}
def ok(code, desc, schema=None, ctype="application/json"):
    r = {"description": desc}
    if schema is not None: r["content"] = {ctype: {"schema": schema}}
    return {str(code): r}
def page_of(n): return {"type": "object", "required": ["items", "next"], "properties": {"items": {"type": "array", "items": ref(n)}, "next": {"type": ["string", "null"], "description": "Cursor for the next page (pass as `after`); null on the last page."}}}
P_LIMIT = {"name": "limit", "in": "query", "description": "At most this many items on the page.", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}}
P_AFTER = {"name": "after", "in": "query", "schema": {"type": "string"}, "description": "Opaque cursor from the previous page's `next`."}
def pid(name, desc): return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}, "description": desc}
P_NUMBER = pid("number", "The ticket number.")
P_ID = pid("id", "The id of what the path names (the attachment, token, view, macro, organization, contact, agent, group or message).")
def q(name, desc, t="string"): return {"name": name, "in": "query", "schema": {"type": t}, "description": desc}
def body(schema, required=True, multipart=None):
    c = {"application/json": {"schema": schema}}
    if multipart: c["multipart/form-data"] = {"schema": multipart}
    return {"required": required, "content": c}

S = {}
S["Problem"] = {"type": "object", "description": "RFC 9457 problem details.", "required": ["type", "title", "status", "detail"], "properties": {
  "type": {"type": "string"}, "status": {"type": "integer"}, "code": {"type": "string", "enum": ["invalid_argument","not_found","conflict","unauthenticated","permission_denied","too_large","unsupported_media_type","rate_limited","unavailable","storage_full","internal","timeout","not_implemented","whatsapp_window_closed"], "description": "What went wrong, for programs; `timeout` only with 408, `not_implemented` only with 501 (a transfer coding other than chunked); `whatsapp_window_closed` only with 409, when an agent writes freely to a WhatsApp customer more than 24 hours after their last message (`template_route` names the route that sends a template instead)."},
  "template_route": {"type": "string", "description": "With whatsapp_window_closed: the path of POST .../whatsapp/template for this conversation."},
  "title": {"type": "string", "description": "The kind of problem, in the caller's language (as `detail`)."},
  "detail": {"type": "string", "description": "One sentence saying what is wrong and what to do, in the caller's language: the signed-in person's `language`, else the first desk language of Accept-Language, else English (en, pt-BR, es, de, ru; docs/i18n.md). Programs read `code` and `errors[].field`, which are the same in every language."}, "instance": {"type": "string"},
  "errors": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string", "description": "The field, the same in every language."}, "message": {"type": "string", "description": "In the caller's language, as `detail`."}}}}}}
S["PersonRef"] = {"type": "object", "properties": {"id": {"type": ["integer", "null"]}, "name": {"type": "string"}, "role": {"type": "string", "enum": ["customer", "agent", "admin", "system"]}, "email": {"type": "string", "description": "Omitted for agents when a customer asks."}}}
S["Status"] = {"type": "string", "enum": ["new", "open", "pending_customer", "on_hold", "solved", "closed"]}
S["Channel"] = {"type": "string", "enum": ["email", "web", "chat", "phone", "whatsapp", "api"]}
S["Resolution"] = {"type": "string", "enum": ["fixed", "answered", "works_as_expected", "feature_request", "cannot_reproduce", "third_party", "unsupported"]}
S["CustomFields"] = {"type": "object", "additionalProperties": {"type": ["string", "number", "integer", "boolean"]}, "description": "Name (lower-case slug) to value."}
S["Ticket"] = {"type": "object", "properties": {
  "number": {"type": "integer"}, "subject": {"type": "string"}, "status": ref("Status"), "priority": {"type": "string"},
  "priority_description": {"type": "string"}, "channel": ref("Channel"), "requester": ref("PersonRef"),
  "links": {"type": "array", "description": "A single ticket (GET /tickets/{number} and the ticket that writes return): linked tickets the caller may see.", "items": {"type": "object", "properties": {"ticket": {"type": "integer"}, "subject": {"type": "string"}, "status": ref("Status"), "kind": {"type": "string", "enum": ["follow_up", "answered", "merged", "split"], "description": "follow_up: opened by a reply after closing; answered: opened by a reply from another sender; merged: merged into the other (while the merge holds); split: split off the other (docs/merge.md)."}, "direction": {"type": "string", "enum": ["to", "from"], "description": "to: this ticket points at the other (opened from a reply to it, merged into it, split off it); from: the other points at this one."}}}},
  "merged_into": {"type": ["integer", "null"], "description": "A single ticket: the ticket this one is merged into, while the merge holds (it is closed then); null otherwise."},
  "merged_from": {"type": "array", "items": {"type": "integer"}, "description": "A single ticket: the tickets merged into this one (whose messages it shows), those the caller may see."},
  "organization": {"type": ["object", "null"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
  "group": {"type": ["object", "null"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
  "assignee": {"oneOf": [ref("PersonRef"), {"type": "null"}]}, "tags": {"type": "array", "items": {"type": "string"}},
  "category": {"type": ["string", "null"]}, "custom_fields": ref("CustomFields"), "resolution": {"oneOf": [ref("Resolution"), {"type": "null"}]},
  "resolution_text": {"type": ["string", "null"], "description": "What the resolution tells the customer, in the caller's language (the policy's [outcomes.texts], else the desk's own text); null until solved."},
  "resolution_summary": {"type": ["string", "null"], "description": "What was done, as the customer was told when the ticket was solved (the solving public reply, or resolution_summary); null when none was given. Cleared when the ticket reopens."},
  "survey": {"oneOf": [ref("SurveyAnswer"), {"type": "null"}], "description": "A single ticket (GET /tickets/{number} and the ticket that writes return): the customer's answer to the satisfaction survey, once given."},
  "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
  "first_response_at": {"type": ["string", "null"], "format": "date-time"}, "solved_at": {"type": ["string", "null"], "format": "date-time"},
  "closed_at": {"type": ["string", "null"], "format": "date-time"},
  "escalation_level": {"type": "integer", "description": "Agents only: how often the ticket was escalated (SLA breaches, customer requests)."},
  "expected_resolution_at": {"type": ["string", "null"], "format": "date-time", "description": "When the running resolution clock is due."},
  "clocks": {"type": "array", "items": ref("Clock"), "description": "Agents only: one clock per SLA target the policy sets for this ticket."},
  "can_request_escalation": {"type": "boolean", "description": "A single ticket (GET /tickets/{number} and the ticket that writes return), customers: the plan allows asking for escalation and the ticket is active; false for agents."},
  "with_specialists": {"type": "boolean", "description": "A single ticket: it is in a group the policy's [routing] names a specialist group. Customers, who never see the group, are shown \"with our specialists\"."},
  "language": {"type": ["string", "null"], "description": "A single ticket: the language it is written in (what its text says clearly, else the requester's), which routing matches against agents' languages."}}}
S["Clock"] = {"type": "object", "properties": {
  "target": {"type": "string", "enum": ["first_response", "next_response", "resolution"]},
  "state": {"type": "string", "enum": ["running", "paused", "met", "breached", "exempt"]},
  "within": {"type": "string", "description": "The target as the policy writes it: 30m, 4h, 1d."},
  "calendar": {"type": "string"}, "started_at": {"type": "string", "format": "date-time"},
  "due_at": {"type": ["string", "null"], "format": "date-time", "description": "The last on-time instant (unknown while paused)."},
  "calendar_names": {"type": "object", "additionalProperties": {"type": "string"}, "description": "The calendar's name per language, when the policy gives one ([calendars.x] name)."},
  "due_shown_at": {"type": ["string", "null"], "format": "date-time", "description": "The due as people are shown it, agents and customers alike: a due at an opening of business hours is the close of business before it (the same instant in business time; expected_resolution_at follows the same rule)."},
  "breached_at": {"type": ["string", "null"], "format": "date-time"}, "stopped_at": {"type": ["string", "null"], "format": "date-time"},
  "used_minutes": {"type": "integer", "description": "Business minutes used (single ticket only)."},
  "remaining_minutes": {"type": "integer", "description": "Business minutes left; negative when overdue (single ticket only)."}}}
S["NewTicket"] = {"type": "object", "additionalProperties": False, "required": ["subject", "description"], "properties": {
  "subject": {"type": "string", "maxLength": 250}, "description": {"type": "string", "description": "The first message."},
  "requester": {"type": "object", "additionalProperties": False, "properties": {"email": {"type": "string"}, "name": {"type": "string"}}, "description": "Required when an agent opens the ticket; an unknown address becomes a new contact. Customers leave it out."},
  "priority": {"type": "string", "description": "One of GET /priorities; default is the policy's default (P3). Agents only."},
  "channel": ref("Channel"), "category": {"type": "string", "description": "A key from GET /categories."},
  "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 50}, "custom_fields": ref("CustomFields"),
  "group_id": {"type": "integer"}, "assignee_id": {"type": "integer"}}}
S["NewTicketForm"] = {"type": "object", "description": "The same as NewTicket, as form fields, with files.", "properties": {
  "subject": {"type": "string"}, "description": {"type": "string"}, "requester_email": {"type": "string"}, "requester_name": {"type": "string"},
  "priority": {"type": "string"}, "channel": {"type": "string"}, "category": {"type": "string"}, "tags": {"type": "string", "description": "Comma-separated."},
  "group_id": {"type": "integer"}, "assignee_id": {"type": "integer"},
  "attachments": {"type": "array", "items": {"type": "string", "format": "binary"}}},
  "patternProperties": {"^custom_fields\\.[a-z0-9_-]+$": {"type": "string", "description": "A custom field (a category's text or number detail)."},
                        "^detail\\.[a-z0-9_-]+$": {"type": "string", "format": "binary", "description": "A file for the category's attachment detail of that key (also kept as an attachment)."}}}
S["TicketPatch"] = {"type": "object", "additionalProperties": False, "properties": {
  "subject": {"type": "string"}, "status": ref("Status"), "priority": {"type": "string"},
  "group_id": {"type": ["integer", "null"]}, "assignee_id": {"type": ["integer", "null"]},
  "tags": {"type": "array", "items": {"type": "string"}}, "add_tags": {"type": "array", "items": {"type": "string"}}, "remove_tags": {"type": "array", "items": {"type": "string"}},
  "category": {"type": ["string", "null"]}, "custom_fields": {"type": "object", "description": "Merged by name; null removes a field."},
  "resolution": {"oneOf": [ref("Resolution"), {"type": "null"}]},
  "resolution_summary": {"type": "string", "description": "With status solved (or on a solved ticket): what was done, for the customer (the ticket_solved mail and the portal show it). When the policy says [outcomes] required = true, solving needs resolution and resolution_summary (400 naming the missing field)."}},
  "description": "Customers may only send {\"status\": \"solved\"}."}
S["Attachment"] = {"type": "object", "properties": {"id": {"type": "integer"}, "filename": {"type": "string"}, "content_type": {"type": "string"}, "size": {"type": "integer"}, "url": {"type": "string"}}}
S["Message"] = {"type": "object", "properties": {
  "id": {"type": "integer"}, "ticket_number": {"type": "integer"}, "kind": {"type": "string", "enum": ["customer_message", "public_reply", "internal_note", "system_notice"]},
  "public": {"type": "boolean"}, "author": ref("PersonRef"), "body": {"type": "string"},
  "label": {"type": ["string", "null"], "enum": ["escalation_requested", None], "description": "What the message is, for each reader's screen to say in their own language before the body: `escalation_requested` (the body is the customer's business impact, POST /tickets/{number}/escalation). Null for most messages. Messages by Chamado itself (a bounce answering a ticket) have `author.id` null and `author.role` system."},
  "quote_start": {"type": ["integer", "null"], "description": "Where quoted history (\"On ... wrote:\", \"> \" lines, an Outlook header block) begins in `body`, in UTF-16 code units; null when there is none. The body is kept whole; the UI folds from here."},
  "automatic": {"type": "boolean", "description": "Nobody wrote it by hand (an auto-reply, a bounce): it never counts as a reply."},
  "masked": {"type": "boolean", "description": "Secrets (API keys, tokens, private keys, passwords) in it were masked before it was stored."}, "channel": ref("Channel"),
  "created_at": {"type": "string", "format": "date-time"}, "attachments": {"type": "array", "items": ref("Attachment")}}}
S["NewMessage"] = {"type": "object", "additionalProperties": False, "required": ["body"], "properties": {
  "body": {"type": "string"}, "kind": {"type": "string", "enum": ["customer_message", "public_reply", "internal_note"], "description": "Default: public_reply for agents, customer_message for customers."},
  "status": ref("Status"), "resolution": {"allOf": [ref("Resolution")], "description": "With status solved. The public reply's body is the resolution summary the customer receives; when the policy says [outcomes] required = true, solving needs a resolution and a public reply (400 naming resolution or resolution_summary). A resolution not on the policy's [outcomes] resolutions is refused."}}}
S["NewMessageForm"] = {"type": "object", "properties": {"body": {"type": "string"}, "kind": {"type": "string"}, "status": {"type": "string"}, "resolution": {"type": "string"}, "attachments": {"type": "array", "items": {"type": "string", "format": "binary"}}}}
S["MessagePosted"] = {"type": "object", "properties": {"message": ref("Message"), "ticket": ref("Ticket"),
  "follow_up_of": {"type": ["integer", "null"], "description": "Set when a customer wrote on a closed ticket: the closed ticket's number. The message then opened a new ticket, its follow-up (linked to it, kind follow_up): `ticket` is that new ticket and `message.ticket_number` its number. Null when the message is on the ticket posted to (or, for a merged ticket, on the active ticket it was merged into: see `message.ticket_number`)."}}}
S["Event"] = {"type": "object", "properties": {"id": {"type": "integer"}, "kind": {"type": "string"}, "at": {"type": "string", "format": "date-time"}, "actor": ref("PersonRef"), "message_id": {"type": "integer"},
  "changes": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "before": {"type": ["string", "null"]}, "after": {"type": ["string", "null"]}}}}}}
S["Organization"] = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "plan": {"type": "string"}, "language": {"type": "string"}, "time_zone": {"type": "string"}, "domains": {"type": "array", "items": {"type": "string"}}, "notes": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"}, "active": {"type": "boolean", "description": "false: deactivated (docs/admin.md)."}}}
S["OrganizationInput"] = {"type": "object", "additionalProperties": False, "properties": {"name": {"type": "string"}, "plan": {"type": "string"}, "language": {"type": "string", "enum": ["en", "pt-BR", "es", "de", "ru"]}, "time_zone": {"type": "string"}, "domains": {"type": "array", "items": {"type": "string"}}, "notes": {"type": "string"}, "active": {"type": "boolean", "description": "false deactivates the organization: its people can no longer sign in (their sessions and API tokens answer 401 `unauthenticated`) or open tickets by any channel (an agent opening one for them gets 409; mail that would open one is refused for good, so the sender's mail system returns it with the reason; replies to its open tickets are still added). Its tickets stay readable and workable, their clocks running. true reactivates and restores all of it. Default true."}}}
S["User"] = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"}, "role": {"type": "string", "enum": ["customer", "agent", "admin"]}, "language": {"type": "string"}, "time_zone": {"type": "string"}, "active": {"type": "boolean"},
  "organization_id": {"type": ["integer", "null"]}, "group_ids": {"type": "array", "items": {"type": "integer"}}, "languages": {"type": "array", "items": {"type": "string"}}, "created_at": {"type": "string", "format": "date-time"}}}
S["ContactInput"] = {"type": "object", "additionalProperties": False, "properties": {"email": {"type": "string"}, "name": {"type": "string"}, "language": {"type": "string"}, "time_zone": {"type": "string"}, "active": {"type": "boolean"}, "organization_id": {"type": ["integer", "null"]}, "password": {"type": "string", "minLength": 8, "description": "Create only."}}}
S["AgentInput"] = {"type": "object", "additionalProperties": False, "properties": {"email": {"type": "string"}, "name": {"type": "string"}, "language": {"type": "string"}, "time_zone": {"type": "string"}, "active": {"type": "boolean"}, "role": {"type": "string", "enum": ["agent", "admin"]}, "group_ids": {"type": "array", "items": {"type": "integer"}}, "languages": {"type": "array", "items": {"type": "string"}}, "password": {"type": "string", "minLength": 8, "description": "Create only."}}}
S["Group"] = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "description": {"type": "string"}, "member_ids": {"type": "array", "items": {"type": "integer"}}, "created_at": {"type": "string", "format": "date-time"}}}
S["GroupInput"] = {"type": "object", "additionalProperties": False, "properties": {"name": {"type": "string"}, "description": {"type": "string"}}}
S["Session"] = {"type": "object", "properties": {"user": ref("User"), "csrf_token": {"type": "string", "description": "Send back in X-CSRF-Token on every POST, PATCH and DELETE made with the session cookie."}}}
S["Priority"] = {"type": "object", "properties": {"name": {"type": "string"}, "description": {"type": "string"}, "rank": {"type": "integer"}, "default": {"type": "boolean"}}}
S["CategoryDetail"] = {"type": "object", "additionalProperties": False, "required": ["key", "kind", "required", "field", "name", "label", "names"],
  "description": "A detail the category asks for when a ticket is opened (the policy's `details`); checked at opening only, never on later changes, and never for mail.", "properties": {
  "key": {"type": "string", "description": "The custom field's key (text, number), or the file's (attachment)."},
  "kind": {"type": "string", "enum": ["text", "number", "attachment"]},
  "required": {"type": "boolean"},
  "field": {"type": "string", "description": "Where it is given and where an error about it is reported: `custom_fields.KEY` (JSON custom_fields, or a form field of that name), or `detail.KEY` (a file in a multipart form)."},
  "name": {"type": "string", "description": "In English."},
  "label": {"type": "string", "description": "In the reader's language (or English)."},
  "names": {"type": "object", "additionalProperties": {"type": "string"}}}}
S["Category"] = {"type": "object", "additionalProperties": False, "required": ["key", "name", "details"], "properties": {"key": {"type": "string"}, "name": {"type": "string"},
  "details": {"type": "array", "items": ref("CategoryDetail"), "description": "Required when opening a ticket of this category; 400 names each one missing."}}}

paths = {}
def op(path, method, summary, tags, responses, params=None, request=None, security=True, description=None):
    o = {"summary": summary, "tags": tags, "responses": responses}
    if description: o["description"] = description
    if params: o["parameters"] = params
    if request: o["requestBody"] = request
    if not security: o["security"] = []
    paths.setdefault(path, {})[method] = o

S["Storage"] = {"type": "object", "description": "Administrators only: the store's state. On SQLite, its files: the write-ahead log is kept under `max_wal_bytes` ([store] max_wal_bytes). On PostgreSQL, the server's answer (`postgresql`); its log and files are the server's own.", "required": ["engine", "database_bytes"], "properties": {
  "engine": {"type": "string", "enum": ["sqlite", "postgresql"]},
  "database_bytes": {"type": "integer", "description": "SQLite: the database file. PostgreSQL: the desk's tables with their indexes in its schema."},
  "wal_bytes": {"type": "integer", "description": "SQLite: the write-ahead log's size now."},
  "max_wal_bytes": {"type": "integer", "description": "SQLite: the log's bound."},
  "wal_bound_kept": {"type": "boolean", "description": "SQLite: false while the log is over its bound because readers did not leave it in time (a warning is logged)."},
  "seconds_since_checkpoint": {"type": ["number", "null"], "description": "SQLite: since the last checkpoint that copied the whole log into the database; null before the first."},
  "wal_truncations": {"type": "integer", "description": "SQLite: times the log passed its bound and was emptied."},
  "failed_wal_truncations": {"type": "integer", "description": "SQLite: times readers or a writer did not let go in time; retried."},
  "worst_truncation_wait_ms": {"type": "number", "description": "SQLite: the longest an emptying of the log held writes back."},
  "postgresql": {"type": ["object", "null"], "description": "PostgreSQL: what the server says; null when it did not answer (the reason is logged).", "required": ["server_version", "in_recovery", "database_bytes", "readers_in_use", "max_readers", "listening"], "properties": {
    "server_version": {"type": "string"},
    "in_recovery": {"type": "boolean", "description": "True when a standby answered: it refuses writes until it is promoted (docs/operations.md, Failover)."},
    "database_bytes": {"type": "integer", "description": "The whole database, every schema."},
    "readers_in_use": {"type": "integer", "description": "This instance's reading connections held now."},
    "max_readers": {"type": "integer", "description": "[store] max_readers: requests wait for a connection beyond it."},
    "listening": {"type": ["boolean", "null"], "description": "Whether this instance's connection that hears the other instances (LISTEN) is up; null when it has none."}}}}}
op("/api/v1/health", "get", "Liveness check (administrators also get the store's state)", ["system"], ok(200, "The server is up.", {"type": "object", "required": ["status", "time"], "properties": {"status": {"type": "string"}, "time": {"type": "string"}, "storage": ref("Storage")}}), security=False)
op("/api/v1/openapi.json", "get", "This document", ["system"], ok(200, "OpenAPI 3.1", {"type": "object"}), security=False)
op("/api/v1/session", "post", "Sign in", ["session"], {**ok(200, "Signed in; the session cookie is set.", ref("Session")), **errs("400", "401", "415", "429", "503")},
   request=body({"type": "object", "required": ["email", "password"], "properties": {"email": {"type": "string"}, "password": {"type": "string"}}}), security=False,
   description="Sets an HttpOnly, SameSite=Strict cookie `chamado_session`. At most 10 attempts per address per 5 minutes.")
op("/api/v1/session", "get", "The signed-in person", ["session"], {**ok(200, "Who is signed in.", ref("Session")), **errs("401")})
op("/api/v1/session", "delete", "Sign out", ["session"], {**ok(204, "Signed out."), **errs("401", "403")})
op("/api/v1/tickets", "get", "List tickets", ["tickets"], {**ok(200, "Newest first. Customers see their organization's tickets only.", page_of("Ticket")), **errs("400", "401")},
   params=[q("status", "Comma-separated statuses (repeatable)."), q("organization_id", "Only this organization's tickets.", "integer"), q("requester_id", "Only tickets whose requester is this contact.", "integer"), q("assignee_id", "An agent id, `me` or `none`."), q("group_id", "Only this group's tickets.", "integer"), q("priority", "Only this priority (a name from GET /priorities)."), q("tag", "Only tickets with this tag (case aside)."), P_LIMIT, P_AFTER])
op("/api/v1/tickets", "post", "Open a ticket", ["tickets"], {**ok(201, "Created; Location names the ticket.", ref("Ticket")), **errs("400", "401", "403", "409", "413", "415")},
   request=body(ref("NewTicket"), multipart=ref("NewTicketForm")),
   description="A category with `details` (GET /categories) needs each required one: text and number details in custom_fields, attachment details as files under `detail.KEY` in a multipart form. Otherwise 400 lists every missing detail in `errors` (field `custom_fields.KEY` or `detail.KEY`). Mail is never refused for missing details.")
op("/api/v1/tickets/{number}", "get", "A ticket", ["tickets"], {**ok(200, "The ticket.", ref("Ticket")), **errs("401", "404")}, params=[P_NUMBER])
op("/api/v1/tickets/{number}", "patch", "Change a ticket", ["tickets"], {**ok(200, "The changed ticket.", ref("Ticket")), **errs("400", "401", "403", "404", "409", "415")}, params=[P_NUMBER], request=body(ref("TicketPatch")),
   description="Status transitions are validated: a closed ticket never changes, a ticket is closed only once solved, nothing returns to new. A refused change answers 409 and changes nothing.")
op("/api/v1/tickets/{number}/messages", "get", "The conversation", ["tickets"], {**ok(200, "Oldest first; internal notes only for agents.", page_of("Message")), **errs("400", "401", "404")}, params=[P_NUMBER, P_LIMIT, P_AFTER])
op("/api/v1/tickets/{number}/messages", "post", "Reply, or add an internal note", ["tickets"], {**ok(201, "The message and the ticket after it.", ref("MessagePosted")), **errs("400", "401", "403", "404", "409", "413", "415")}, params=[P_NUMBER],
   request=body(ref("NewMessage"), multipart=ref("NewMessageForm")))
op("/api/v1/tickets/{number}/events", "get", "The audit trail of a ticket (agents)", ["tickets"], {**ok(200, "Oldest first.", page_of("Event")), **errs("401", "403", "404")}, params=[P_NUMBER, P_LIMIT, P_AFTER])
S["LiveEvent"] = {"type": "object", "required": ["id", "kind", "ticket", "by_customer"], "properties": {
  "id": {"type": "integer", "description": "The event's id, also the SSE `id:` line: it grows in commit order; send it back as Last-Event-ID to resume."},
  "kind": {"type": "string", "enum": ["ticket.created", "message.added", "ticket.updated", "ticket.merged", "ticket.unmerged", "ticket.split"], "description": "ticket.merged, ticket.unmerged and ticket.split: docs/merge.md; both tickets hear of it."},
  "ticket": {"type": "integer", "description": "The ticket's number; fetch the ticket or its messages for what changed."},
  "by_customer": {"type": "boolean", "description": "A customer acted (their new ticket, their reply)."},
  "message_kind": {"type": "string", "enum": ["customer_message", "public_reply", "internal_note", "system_notice"], "description": "message.added only. Customers never get internal notes."},
  "fields": {"type": "array", "items": {"type": "string"}, "description": "ticket.updated only: the fields that changed (`status`, `priority`, `tags`, `custom_fields.<key>`…); for customers only status, priority and subject, and no event when none of those changed."}}}
op("/api/v1/events", "get", "Live ticket events (server-sent events)", ["tickets"],
   {**ok(200, "A stream that stays open: `event: ticket` frames whose `data:` is a LiveEvent, `event: reload` when events were missed (fetch what is shown again), `: keep-alive` comments every 20 seconds. See docs/live-updates.md.", ref("LiveEvent"), "text/event-stream"), **errs("400", "401", "503")},
   params=[{"name": "Last-Event-ID", "in": "header", "schema": {"type": "string"}, "description": "The last event id received: events after it are sent first (browsers send it when they reconnect)."},
           q("last_event_id", "The same as Last-Event-ID, for a client that cannot set headers (a new EventSource).")],
   description="Agents and administrators get every ticket's events; a customer only those of tickets they may see (their own, or their organization's), never internal notes, and of changes only status, priority and subject. At most 8 open streams per user and 2,000 in all (503 beyond). A client that reads too slowly is cut off, and every stream ends after 10 minutes (the caller is authenticated again when it reconnects); both resume with Last-Event-ID.")
op("/api/v1/tickets/{number}/presence", "post", "Say an agent has the ticket open; learn who else has", ["tickets"],
   {**ok(200, "The other agents who have the ticket open now.", {"type": "object", "required": ["others"], "properties": {"others": {"type": "array", "items": {"type": "object", "required": ["id", "name", "state"], "properties": {
     "id": {"type": "integer"}, "name": {"type": "string"}, "state": {"type": "string", "enum": ["viewing", "replying"]}}}}}}), **errs("400", "401", "403", "404", "415")},
   params=[P_NUMBER], request=body({"type": "object", "additionalProperties": False, "required": ["state"], "properties": {"state": {"type": "string", "enum": ["viewing", "replying", "left"]}}}),
   description="Agents. The web desk sends it every 10 seconds while a ticket is open (replying while a reply is being written, left on leaving); a mark lasts 30 seconds. Kept in the server's memory.")
op("/api/v1/tickets/{number}/escalation", "post", "Ask for escalation (customers)", ["tickets"], {**ok(201, "The request, recorded as the customer's message (in their language), and the ticket (escalation level raised; back to open when it was waiting on the customer or on hold).", ref("MessagePosted")), **errs("400", "401", "403", "404", "409", "415")},
   params=[P_NUMBER], request=body({"type": "object", "required": ["impact"], "properties": {"impact": {"type": "string", "description": "What the problem stops the business from doing."}}}),
   description="Only when the organization's plan has the customer_escalation feature, the ticket is active, and no earlier request still waits for an agent's answer (409 then): the ticket's `can_request_escalation`. The group and the assignee are notified.")
S["MergeResult"] = {"type": "object", "required": ["merged", "survivor", "messages_moved"], "properties": {
  "merged": ref("Ticket"), "survivor": ref("Ticket"), "messages_moved": {"type": "integer", "description": "Messages moved between the two tickets (their attachments with them)."}}}
op("/api/v1/tickets/{number}/merge", "post", "Merge a ticket into another (agents)", ["tickets"],
   {**ok(200, "The merged ticket (closed, merged_into set) and the survivor (merged_from lists it; the messages moved in).", ref("MergeResult")), **errs("400", "401", "403", "404", "409", "415")},
   params=[P_NUMBER], request=body({"type": "object", "additionalProperties": False, "required": ["into"], "properties": {"into": {"type": "integer", "description": "The ticket that stays (the survivor)."}}}),
   description="One case = one ticket (docs/merge.md). The ticket's messages and attachments move to `into`, in time order; it closes pointing there; both histories record it (ticket.merged); each gets a public notice in its requester's language; the merged ticket's requester is mailed (ticket_merged); the SLA clocks of both are computed again and search finds the messages under the survivor. 400 (field `into`): the same ticket, a survivor that is closed or merged, or one of another organization (without organizations: another requester). 409: the ticket is merged already or closed.")
op("/api/v1/tickets/{number}/unmerge", "post", "Undo a merge (agents)", ["tickets"],
   {**ok(200, "The ticket (back in the status it had, merged_into null) and the survivor it was merged into.", ref("MergeResult")), **errs("401", "403", "404", "409")},
   params=[P_NUMBER],
   description="The messages that came from this ticket go back to it (wherever they are now), it takes back the status it had before the merge, both histories record it (ticket.unmerged) and both clocks are computed again. 409 when the ticket is not merged.")
op("/api/v1/tickets/{number}/split", "post", "Split chosen messages into a new ticket (agents)", ["tickets"],
   {**ok(201, "The original ticket and the new one (linked both ways, kind split).", {"type": "object", "required": ["original", "ticket"], "properties": {"original": ref("Ticket"), "ticket": ref("Ticket")}}), **errs("400", "401", "403", "404", "409", "415")},
   params=[P_NUMBER], request=body({"type": "object", "additionalProperties": False, "required": ["message_ids"], "properties": {
     "message_ids": {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 500, "description": "Messages of this ticket that move to the new one; at least one stays."},
     "subject": {"type": "string", "maxLength": 250, "description": "The new ticket's subject; default: the original's."}}}),
   description="The new ticket has the same requester, organization, channel, priority, category, group and agent, and status new; its clocks are computed from the messages it received, and the original's again. 409 when the ticket is closed.")
S["BulkChange"] = {"type": "object", "additionalProperties": False, "required": ["tickets"], "properties": {
  "tickets": {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 500, "description": "The ticket numbers, each once; at most 500 (400 otherwise)."},
  "status": ref("Status"), "priority": {"type": "string"}, "group_id": {"type": ["integer", "null"]}, "assignee_id": {"type": ["integer", "null"]},
  "add_tags": {"type": "array", "items": {"type": "string"}}, "remove_tags": {"type": "array", "items": {"type": "string"}},
  "merge_into": {"type": "integer", "description": "Merge every listed ticket into this one (which may be listed too); alone, without field changes."}}}
S["BulkResult"] = {"type": "object", "required": ["results", "succeeded", "failed"], "properties": {
  "results": {"type": "array", "items": {"type": "object", "required": ["ticket", "ok"], "properties": {
    "ticket": {"type": "integer"}, "ok": {"type": "boolean"},
    "survivor": {"type": "boolean", "description": "merge_into: this is the ticket the others were merged into."},
    "problem": {"allOf": [ref("Problem")], "description": "Why this ticket was not changed: the problem PATCH /tickets/{number} (or /merge) would have answered."}}}},
  "succeeded": {"type": "integer"}, "failed": {"type": "integer"}}}
op("/api/v1/tickets/bulk", "post", "Change many tickets at once (agents)", ["tickets"],
   {**ok(200, "Each ticket with its outcome, in the order given.", ref("BulkResult")), **errs("400", "401", "403", "415")},
   request=body(ref("BulkChange")),
   description="Applies the same change to every listed ticket through the single-ticket path (PATCH /tickets/{number}, or POST /tickets/{number}/merge with merge_into): the same checks, history, clocks, routing and mail. Each ticket is its own step: one that fails (not found, a refused transition) is rolled back alone and reported with its problem; the others are changed and committed together.")
op("/api/v1/attachments/{id}", "get", "Download an attachment", ["tickets"], {**ok(200, "The file, always as a download (Content-Disposition: attachment, nosniff, sandboxed), with its own content type (the attachment's `content_type`), except application/octet-stream for what a browser would run (HTML, SVG, XML, scripts).", {"type": "string", "format": "binary"}, "*/*"), **errs("401", "404")}, params=[P_ID])
op("/api/v1/queue", "get", "Open work, most urgent first", ["tickets"], {**ok(200, "New and open tickets by priority, then oldest first.", page_of("Ticket")), **errs("400", "401", "403")},
   params=[q("group_id", "Only this group's tickets.", "integer"), q("assignee_id", "An agent id, `me` or `none`."), q("priority", "Only this priority (a name from GET /priorities)."), q("tag", "Only tickets with this tag (case aside)."),
           {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["priority", "due"], "default": "priority"}, "description": "`due`: the most pressing SLA due first."}, P_LIMIT, P_AFTER])
S["TicketSearchHit"] = {"type": "object", "required": ["ticket", "score", "subject", "snippet", "message"], "properties": {
  "ticket": ref("Ticket"),
  "score": {"type": "number", "description": "Relevance (BM25; the subject weighs most); higher is better. 0 for a search by filters alone."},
  "subject": {"type": "string", "description": "The subject as HTML: escaped text, matched words in `<mark>`."},
  "snippet": {"type": ["string", "null"], "description": "An excerpt of the message that matched most, as HTML of the same strict shape (escaped text, `<mark>`, an ellipsis where cut); the conversation's start when only the subject or the requester matched; null without messages or for a search by filters alone."},
  "message": {"type": ["object", "null"], "description": "The message the snippet is from, when a word matched in it.", "properties": {
    "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["customer_message", "public_reply", "internal_note"]}, "created_at": {"type": "string", "format": "date-time"}}}}}
op("/api/v1/search/tickets", "get", "Search tickets", ["tickets"], {**ok(200, "Ranked results.", {"type": "object", "required": ["items", "next", "total", "total_is_estimate", "ranked_recent"], "properties": {
     "items": {"type": "array", "items": ref("TicketSearchHit")},
     "next": {"type": ["string", "null"], "description": "The `offset` of the next page; null on the last (a search reaches its first 1,000 results)."},
     "total": {"type": "integer", "description": "Matches, counted up to 1,000."},
     "total_is_estimate": {"type": "boolean", "description": "There are more than `total`."},
     "ranked_recent": {"type": "boolean", "description": "The words matched more than 10,000 tickets: the 10,000 most recent of them were ranked. Another word or a filter narrows the search."}}}), **errs("400", "401")},
   params=[q("q", "What to find, with filters written in it: `status:open org:acme \"nota fiscal\" -teste configur*`. Words must all match (stemmed and accent-folded in the ticket's language); `\"...\"` is a phrase, `-word` excludes, `word*` is a prefix, `a OR b` either. Filters: `status:` (also `pending`, `hold`), `priority:`, `group:` (name or id), `assignee:` (`me`, `none`, email or name), `org:` (name or domain), `requester:` (`me`, email or name), `tag:`, `channel:`, several values with commas; `created` and `updated` with `>=`, `>`, `<`, `<=` or `:` and a day (YYYY-MM-DD, in the searcher's time zone). Without words, the tickets the filters select, newest first."),
           q("offset", "Results to skip (the previous page's `next`).", "integer"), q("limit", "1 to 100; 25 by default.", "integer")],
   description="Agents search every ticket, internal notes included. Customers search their organization's tickets (or their own, without one), never internal notes, and may not filter by group, assignee or organization. A filter naming nothing known (`org:nobody`) is a 400 that says so.")
S["HelpSearchHit"] = {"type": "object", "required": ["key", "title", "title_html", "language", "product", "product_slug", "module", "module_slug", "snippet", "url", "score", "updated_at"], "properties": {
  "key": {"type": "string", "description": "The article, across its translations."},
  "title": {"type": "string"}, "title_html": {"type": "string", "description": "The title as HTML: escaped text, matched words in `<mark>`."},
  "language": {"type": "string"}, "product": {"type": "string", "description": "\"General\" for an article without one."}, "module": {"type": "string", "description": "\"General\" for an article without one."},
  "product_slug": {"type": "string", "description": "The product in page addresses (/help/{language}/{product_slug})."}, "module_slug": {"type": "string"},
  "snippet": {"type": "string", "description": "An excerpt of the article's text (Markdown reduced to text) around the words that matched, as HTML: escaped text, `<mark>`, an ellipsis where cut."},
  "url": {"type": "string", "description": "The article's page: /help/{language}/{product}/{module}/{slug}."},
  "score": {"type": "number", "description": "Relevance; higher is better, comparable within one language."},
  "updated_at": {"type": "string", "format": "date-time"},
  "status": {"type": "string", "enum": ["draft"], "description": "Present on drafts (agents asking for them)."}}}
S["HelpFacet"] = {"type": "object", "required": ["name", "slug", "count"], "properties": {
  "name": {"type": "string"}, "slug": {"type": "string"}, "count": {"type": "integer", "description": "Articles among the question's best 50 matches."},
  "modules": {"type": "array", "items": ref("HelpFacet"), "description": "A product's modules."}}}
op("/api/v1/help/search", "get", "Search the help center", ["help"], {**ok(200, "The best articles in the reader's language, then in the others.", {"type": "object", "required": ["items", "facets"], "properties": {"items": {"type": "array", "items": ref("HelpSearchHit")},
     "facets": {"type": "object", "required": ["products"], "description": "How the question's best 50 matches, whatever product and module were asked for, spread over products and modules: the filters a reader may narrow to. Empty without words.", "properties": {"products": {"type": "array", "items": ref("HelpFacet")}}}}}), **errs("400", "403")},
   params=[q("q", "A question or words, as a reader types them (\"como cancelo uma nota?\"). An article needs one of the words (stop words aside; synonyms count for less), and ranks higher the more it has, in its title above all."),
           q("language", "The reader's language (en, pt-BR, es, de, ru; default en): its articles come first."), q("product", "Only this product (its exact name)."), q("module", "Only this module (its exact name)."),
           q("limit", "1 to 50; 10 by default.", "integer"), q("drafts", "`true`: drafts too (agents, signed in).")],
   security=False, description="Public: the help center needs no account. Published articles only, unless an agent asks for drafts.")
# The help center's authoring side (docs/help-authoring.md): agents only, but the images.
LANGUAGE_ENUM = ["en", "pt-BR", "es", "de", "ru"]
P_ARTICLE = [{"name": "key", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[a-z0-9._-]{1,100}$"}, "description": "The article's key, shared by its translations."},
             {"name": "language", "in": "path", "required": True, "schema": {"type": "string", "enum": LANGUAGE_ENUM}, "description": "The translation's language."}]
P_REVISION = {"name": "number", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}, "description": "The revision's number within the translation (1 is the first save)."}
S["Author"] = {"type": ["object", "null"], "description": "The agent who saved it; null for files (`chamado help import`).", "required": ["id", "name"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
ARTICLE_PROPS = {
  "key": {"type": "string"}, "language": {"type": "string", "enum": LANGUAGE_ENUM}, "title": {"type": "string"},
  "product": {"type": "string"}, "module": {"type": "string"}, "status": {"type": "string", "enum": ["draft", "published"]},
  "tags": {"type": "array", "items": {"type": "string"}, "description": "Accent- and case-folded."},
  "slug": {"type": "string", "description": "From the title."},
  "path": {"type": "string", "description": "The public page: /help/{language}/{product}/{module}/{slug}."},
  "revision": {"type": "integer", "description": "The latest revision's number (the one to send as base_revision)."},
  "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
  "updated_by": ref("Author")}
S["EditedArticle"] = {"type": "object", "required": list(ARTICLE_PROPS), "properties": ARTICLE_PROPS, "description": "A translation as the editor lists it (no body)."}
S["ArticleSource"] = {"type": "object", "required": [*ARTICLE_PROPS, "body"], "properties": {**ARTICLE_PROPS, "body": {"type": "string", "description": "Markdown."},
  "saved": {"type": "string", "enum": ["created", "updated", "unchanged"], "description": "Answers to a save: whether it made a revision (unchanged: the same content as the latest, no revision)."}}}
S["ArticleInput"] = {"type": "object", "additionalProperties": False, "required": ["title", "body"], "properties": {
  "title": {"type": "string", "maxLength": 300}, "body": {"type": "string", "description": "Markdown, at most 1 MiB."},
  "product": {"type": "string", "default": ""}, "module": {"type": "string", "default": ""},
  "status": {"type": "string", "enum": ["draft", "published"], "default": "draft"},
  "tags": {"type": "array", "items": {"type": "string", "maxLength": 64}, "maxItems": 30, "default": []},
  "base_revision": {"type": "integer", "minimum": 0, "description": "The revision the editor started from (0: creating it). When another revision was saved since, the save is refused with 409, naming who saved it and when; without it, the save always wins."}}}
S["ArticleRevision"] = {"type": "object", "required": ["number", "author", "created_at", "status", "title", "restored_from"], "properties": {
  "number": {"type": "integer"}, "author": ref("Author"), "created_at": {"type": "string", "format": "date-time"},
  "status": {"type": "string", "enum": ["draft", "published"]}, "title": {"type": "string"},
  "restored_from": {"type": ["integer", "null"], "description": "The revision whose content this one brought back."}}}
S["DiffLine"] = {"type": "object", "required": ["op", "text", "before", "after"], "properties": {
  "op": {"type": "string", "enum": ["same", "removed", "added"]}, "text": {"type": "string", "description": "The line, without its line break."},
  "before": {"type": ["integer", "null"], "description": "Its number in the previous revision's body (from 1); null when added."},
  "after": {"type": ["integer", "null"], "description": "Its number in this revision's body; null when removed."}}}
S["ArticleRevisionDetail"] = {"type": "object", "required": ["number", "author", "created_at", "status", "title", "restored_from", "body", "product", "module", "tags", "previous", "diff"], "properties": {
  **S["ArticleRevision"]["properties"], "body": {"type": "string"}, "product": {"type": "string"}, "module": {"type": "string"},
  "tags": {"type": "array", "items": {"type": "string"}}, "previous": {"type": ["integer", "null"], "description": "The revision the diff compares with; null for the first (its diff adds every line)."},
  "diff": {"type": "array", "items": ref("DiffLine"), "description": "Every line of both bodies in reading order; a removed line comes before the line added in its place."}}}
S["HelpImage"] = {"type": "object", "required": ["id", "url", "filename", "content_type", "size"], "properties": {
  "id": {"type": "integer"}, "url": {"type": "string", "description": "/api/v1/help/images/{id}/{filename}: what to write in the Markdown, `![name](url)`."},
  "filename": {"type": "string", "description": "The uploaded name made safe for a URL (a-z, 0-9, '.', '-', '_', accents dropped) with the image type's extension."},
  "content_type": {"type": "string", "enum": ["image/png", "image/jpeg", "image/gif", "image/webp"]}, "size": {"type": "integer", "description": "Bytes."}}}
op("/api/v1/help/editor/articles", "get", "The editor's list of articles", ["help-authoring"],
   {**ok(200, "Translations by key then language, drafts included, and how many each product and module has.", {"type": "object", "required": ["items", "next", "places"], "properties": {
     "items": {"type": "array", "items": ref("EditedArticle")}, "next": {"type": ["string", "null"], "description": "Cursor for the next page (pass as `after`); null on the last page."},
     "places": {"type": "array", "description": "Every product and module with its number of translations (for filters).", "items": {"type": "object", "required": ["product", "module", "articles"], "properties": {"product": {"type": "string"}, "module": {"type": "string"}, "articles": {"type": "integer"}}}}}}),
    **errs("400", "401", "403")},
   params=[q("key", "Only this article's translations."), q("product", "Only this product (exact)."), q("module", "Only this module (exact)."),
           {"name": "language", "in": "query", "schema": {"type": "string", "enum": LANGUAGE_ENUM}, "description": "Only this language."},
           {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["draft", "published"]}, "description": "Only drafts or only published ones."}, P_LIMIT, P_AFTER])
op("/api/v1/help/articles/{key}/{language}", "get", "An article translation as stored", ["help-authoring"], {**ok(200, "Its Markdown and fields, latest revision, and who saved it last.", ref("ArticleSource")), **errs("400", "401", "403", "404")}, params=P_ARTICLE)
op("/api/v1/help/articles/{key}/{language}", "put", "Create or change an article translation", ["help-authoring"],
   {**ok(201, "Created (revision 1).", ref("ArticleSource")), **ok(200, "Saved as a new revision, or unchanged (`saved`).", ref("ArticleSource")), **errs("400", "401", "403", "404", "409", "415")},
   params=P_ARTICLE, request=body(ref("ArticleInput")))
op("/api/v1/help/articles/{key}/{language}/revisions", "get", "A translation's revisions", ["help-authoring"], {**ok(200, "Newest first, without bodies.", {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref("ArticleRevision")}}}), **errs("400", "401", "403", "404")}, params=P_ARTICLE)
op("/api/v1/help/articles/{key}/{language}/revisions/{number}", "get", "One revision with its diff", ["help-authoring"], {**ok(200, "The revision's content and a line diff of its body against the revision before it.", ref("ArticleRevisionDetail")), **errs("400", "401", "403", "404")}, params=[*P_ARTICLE, P_REVISION])
op("/api/v1/help/articles/{key}/{language}/revisions/{number}/restore", "post", "Bring a revision back", ["help-authoring"], {**ok(200, "The translation now: a new revision with that revision's content (`restored_from`), or unchanged when it is the latest's.", ref("ArticleSource")), **errs("400", "401", "403", "404")}, params=[*P_ARTICLE, P_REVISION])
op("/api/v1/help/images", "post", "Upload an image for articles", ["help-authoring"], {**ok(201, "Stored (the same bytes under the same name are one image: uploading it again gives the same id).", ref("HelpImage")), **errs("400", "401", "403", "413", "415")},
   request={"required": True, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary", "description": "One PNG, JPEG, GIF or WebP image, at most the attachment size limit ([limits] max_attachment_bytes). Its type is read from its bytes, not from what the browser declares; anything else (SVG included) is 415."}}}}}})
op("/api/v1/help/images/{id}/{filename}", "get", "An article's image", ["help-authoring"], {**ok(200, "The image, cacheable for ever (immutable), with its type and nosniff.", {"type": "string", "format": "binary"}, "image/*"), **errs("404")},
   params=[pid("id", "The image's id."), {"name": "filename", "in": "path", "required": True, "schema": {"type": "string"}, "description": "The image's filename, as in its url."}], security=False)
P_HELP_LANGUAGE = q("language", "The reader's language (en, pt-BR, es, de, ru; default en). An article without a translation in it is served in the first of en, pt-BR, any other that it has (`fallback: true`).")
P_DRAFTS = q("drafts", "`true`: drafts too, with `status` and the readers' `feedback` counts (agents, signed in; 403 for anybody else).")
P_KEY = {"name": "key", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[a-z0-9._-]{1,100}$"}, "description": "The article's key, shared by its translations."}
S["HelpFeedback"] = {"type": "object", "required": ["helpful", "unhelpful", "deflections"], "description": "Agents: what readers said of the article, all its translations together.", "properties": {
  "helpful": {"type": "integer", "description": "Readers who voted it helpful."}, "unhelpful": {"type": "integer", "description": "Readers who voted it not helpful."},
  "deflections": {"type": "integer", "description": "Customers who, about to open a ticket, said it solved their problem."}}}
S["HelpArticleSummary"] = {"type": "object", "required": ["key", "language", "title", "product", "product_slug", "module", "module_slug", "slug", "path", "updated_at", "tags", "description", "fallback"], "properties": {
  "key": {"type": "string", "description": "The article, across its translations."},
  "language": {"type": "string", "description": "The translation served (the reader's, or a fallback)."},
  "title": {"type": "string"}, "product": {"type": "string", "description": "\"General\" for an article without one."}, "product_slug": {"type": "string"},
  "module": {"type": "string", "description": "\"General\" for an article without one."}, "module_slug": {"type": "string"},
  "slug": {"type": "string", "description": "From the title."},
  "path": {"type": "string", "description": "The article's page for this reader: /help/{reader's language}/{product_slug}/{module_slug}/{slug}."},
  "updated_at": {"type": "string", "format": "date-time"}, "tags": {"type": "array", "items": {"type": "string"}},
  "description": {"type": "string", "description": "The body's first words as plain text, at most 160 bytes (what the page's meta description says)."},
  "fallback": {"type": "boolean", "description": "The reader's language has no translation: another is served."},
  "status": {"type": "string", "enum": ["published", "draft"], "description": "With drafts=true (agents)."},
  "feedback": ref("HelpFeedback")}}
S["HelpArticle"] = {"allOf": [ref("HelpArticleSummary"), {"type": "object", "required": ["requested_language", "canonical_path", "html", "translations", "related", "breadcrumbs"], "properties": {
  "requested_language": {"type": "string", "description": "The language asked for."},
  "canonical_path": {"type": "string", "description": "The served translation's own page: /help/{language}/{product}/{module}/{slug}."},
  "html": {"type": "string", "description": "The Markdown body rendered (GitHub's dialect: tables, strikethrough, autolinks, task lists) and sanitized: an allow-list of elements and attributes; links http(s), mailto or relative; images https or /api/v1/help/images/...; video only as YouTube (youtube-nocookie) or Vimeo players (docs/help-center.md)."},
  "translations": {"type": "array", "description": "The article's other translations.", "items": {"type": "object", "required": ["language", "title", "path"], "properties": {"language": {"type": "string"}, "title": {"type": "string"}, "path": {"type": "string"}}}},
  "related": {"type": "array", "items": ref("HelpArticleSummary"), "description": "At most 5 other articles in the served language, by how alike they read (a search with the title and tags), those of the same module and with shared tags first."},
  "breadcrumbs": {"type": "array", "description": "The help center, the product and the module, each with its page.", "items": {"type": "object", "required": ["name", "path"], "properties": {"name": {"type": "string"}, "path": {"type": "string"}}}}}}]}
S["HelpModule"] = {"type": "object", "required": ["name", "slug", "articles"], "properties": {"name": {"type": "string"}, "slug": {"type": "string"}, "articles": {"type": "integer", "description": "Published articles shown to this reader (one per key)."}}}
op("/api/v1/help/products", "get", "List the help center's products", ["help"], {**ok(200, "Every product with its modules, by name, in the reader's language (fallbacks included).", {"type": "object", "required": ["language", "items"], "properties": {"language": {"type": "string"},
     "items": {"type": "array", "items": {"type": "object", "required": ["name", "slug", "articles", "modules"], "properties": {"name": {"type": "string"}, "slug": {"type": "string"}, "articles": {"type": "integer"}, "modules": {"type": "array", "items": ref("HelpModule")}}}}}}), **errs("400")},
   params=[P_HELP_LANGUAGE], security=False, description="Public. Each published article counts once (its translation for this reader).")
op("/api/v1/help/articles", "get", "List help-center articles", ["help"], {**ok(200, "The articles, one translation each, by title.", {"type": "object", "required": ["language", "items"], "properties": {"language": {"type": "string"}, "items": {"type": "array", "items": ref("HelpArticleSummary")}}}), **errs("400", "403", "404")},
   params=[P_HELP_LANGUAGE, q("product", "Only this product: its name or its slug. 404 when the help center has none such."), q("module", "Only this module of the product: its name or its slug (needs product). 404 when the product has none such."),
           q("slug", "Only the article with this slug (a page address's last part)."), P_DRAFTS],
   security=False, description="Public: published articles, each in the reader's language or its fallback. Agents asking for drafts also see drafts, and every article's status and feedback counts (reports).")
op("/api/v1/help/articles/{key}", "get", "Read a help-center article", ["help"], {**ok(200, "The article in the reader's language, or its fallback.", ref("HelpArticle")), **errs("400", "403", "404")},
   params=[P_KEY, P_HELP_LANGUAGE, P_DRAFTS], security=False, description="Public. 404 when no published translation has this key. Rendered answers are kept in memory until any article changes ([help] page_cache).")
P_FEEDBACK_LANGUAGE = {"language": {"type": "string", "enum": ["en", "pt-BR", "es", "de", "ru"], "description": "The language the article was read in."}}
op("/api/v1/help/articles/{key}/votes", "post", "Vote on a help-center article", ["help"], {**ok(200, "Recorded: the reader's one vote on this article (a new vote replaces it).", {"type": "object", "required": ["key", "language", "helpful"], "properties": {"key": {"type": "string"}, "language": {"type": "string"}, "helpful": {"type": "boolean"}}}), **errs("400", "404", "429")},
   params=[P_KEY], request=body({"type": "object", "required": ["language", "helpful"], "additionalProperties": False, "properties": {**P_FEEDBACK_LANGUAGE, "helpful": {"type": "boolean", "description": "Was this helpful?"}}}),
   security=False, description="Public: \"was this helpful?\". A reader is their chamado_reader cookie (set on the first answer, HttpOnly, a year): one vote per reader and article. At most 60 votes and deflections per client address per 10 minutes (429 with Retry-After).")
op("/api/v1/help/articles/{key}/deflections", "post", "Count a help-center article as having solved a problem", ["help"], {**ok(200, "Recorded, once per reader and article.", {"type": "object", "required": ["key", "language", "counted"], "properties": {"key": {"type": "string"}, "language": {"type": "string"}, "counted": {"type": "boolean", "description": "False when this reader had already said so."}}}), **errs("400", "404", "429")},
   params=[P_KEY], request=body({"type": "object", "required": ["language"], "additionalProperties": False, "properties": P_FEEDBACK_LANGUAGE}),
   security=False, description="Public: a customer about to open a ticket read the suggested article and said \"this solved my problem\" (the portal's new ticket form). Counted per article for reports (GET /api/v1/help/articles?drafts=true). Same reader cookie and limits as votes.")
S["SimilarTicket"] = {"type": "object", "required": ["ticket", "score", "likely"], "properties": {
  "ticket": ref("Ticket"),
  "score": {"type": "number", "description": "How alike the two read, 0 to 1: cosine similarity of TF-IDF term vectors (Chamado's analyzer, stop words dropped, synonyms merged, subject words counting double)."},
  "likely": {"type": "boolean", "description": "score >= 0.35: probably the same case (precision 0.91 on Chamado's labelled pairs, docs/search.md)."}}}
SIMILAR_LIST = {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref("SimilarTicket")}}}
op("/api/v1/tickets/{number}/similar", "get", "Open tickets that look like the same case", ["tickets"], {**ok(200, "At most 5, the likeliest first; only scores of 0.15 and above.", SIMILAR_LIST), **errs("400", "401", "404")},
   params=[P_NUMBER], description="New, open, pending or on-hold tickets of the same organization (or, without one, the same requester), compared by subject and description.")
op("/api/v1/tickets/similar", "post", "Open tickets that look like a ticket not yet sent", ["tickets"], {**ok(200, "At most 5, the likeliest first.", SIMILAR_LIST), **errs("400", "401", "415")},
   request=body({"type": "object", "properties": {"subject": {"type": "string"}, "description": {"type": "string"},
     "organization_id": {"type": "integer", "description": "Agents: whose tickets to compare with."}, "requester_email": {"type": "string", "description": "Agents: or the requester's (their organization's, else their own)."}}}),
   description="For the new-ticket form, while the subject and description are typed. Customers compare with their organization's tickets (or their own); agents say whose.")
S["SavedView"] = {"type": "object", "required": ["id", "name", "query", "pinned", "position", "created_at"], "properties": {
  "id": {"type": "integer"}, "name": {"type": "string", "description": "1 to 100 characters, unique among the agent's views (case aside)."},
  "query": {"type": "string", "description": "A search as GET /search/tickets reads its `q`: `status:open priority:P1 assignee:me`."},
  "pinned": {"type": "boolean", "description": "Shown beside the queue, with its count of results."},
  "position": {"type": "integer", "description": "Order among the agent's views, ascending; a new view goes last."},
  "created_at": {"type": "string", "format": "date-time"}}}
S["SavedViewInput"] = {"type": "object", "additionalProperties": False, "properties": {
  "name": {"type": "string", "maxLength": 100}, "query": {"type": "string", "maxLength": 1000, "description": "Checked as a search is: a query the search would refuse is a 400 with the search's sentence."},
  "pinned": {"type": "boolean", "default": False}, "position": {"type": "integer", "minimum": 0, "maximum": 10000}}}
S["ApiToken"] = {"type": "object", "required": ["id", "name", "user", "created_at", "last_used_at"], "properties": {
  "id": {"type": "integer"}, "name": {"type": "string", "description": "What the token is for."},
  "user": {"type": "object", "required": ["id", "email"], "properties": {"id": {"type": "integer"}, "email": {"type": "string"}}, "description": "Whose it is: requests with it act as this person."},
  "created_at": {"type": "string", "format": "date-time"},
  "last_used_at": {"type": ["string", "null"], "format": "date-time", "description": "The last request made with it, to the minute; null: never used."}}}
TOKENS_NOTE = "A person sees and revokes their own tokens; administrators everyone's. Another's token is 404. `chamado token create|list|revoke` do the same from the command line."
op("/api/v1/tokens", "get", "API tokens", ["session"], {**ok(200, "Newest first.", {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref("ApiToken")}}}), **errs("400", "401", "403")},
   params=[q("user_id", "Only this person's (administrators; others may give their own id).", "integer")], description=TOKENS_NOTE)
op("/api/v1/tokens", "post", "Create an API token", ["session"], {**ok(201, "Created; `token` is the secret, shown this once (send it as `Authorization: Bearer <token>`).", {**S["ApiToken"], "required": S["ApiToken"]["required"] + ["token"], "properties": {**S["ApiToken"]["properties"], "token": {"type": "string"}}}), **errs("400", "401", "415")},
   request=body({"type": "object", "additionalProperties": False, "required": ["name"], "properties": {"name": {"type": "string", "maxLength": 100}, "user_id": {"type": "integer", "description": "Administrators: whose token (default: the caller's)."}}}),
   description=TOKENS_NOTE)
op("/api/v1/tokens/{id}", "delete", "Revoke an API token", ["session"], {**ok(204, "Revoked: requests with it are refused from now on."), **errs("401", "404")}, params=[P_ID], description=TOKENS_NOTE)
VIEWS_NOTE = "Agents only. A view is its agent's: another's is 404."
op("/api/v1/views", "get", "My saved views", ["search"], {**ok(200, "The caller's views by position.", {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref("SavedView")}}}), **errs("401", "403")},
   description=VIEWS_NOTE)
op("/api/v1/views", "post", "Save a search as a view", ["search"], {**ok(201, "Saved, last of the caller's views.", ref("SavedView")), **errs("400", "401", "403", "409", "415")},
   request=body({**S["SavedViewInput"], "required": ["name", "query"]}),
   description=VIEWS_NOTE + " 409 when the agent has a view of that name already, or 50 views.")
op("/api/v1/views/{id}", "patch", "Rename, change, pin or move a view", ["search"], {**ok(200, "The view as it is now.", ref("SavedView")), **errs("400", "401", "403", "404", "409", "415")},
   params=[P_ID], request=body(ref("SavedViewInput")), description=VIEWS_NOTE + " Only the fields sent change.")
op("/api/v1/views/{id}", "delete", "Delete a view", ["search"], {**ok(204, "Deleted."), **errs("401", "403", "404")}, params=[P_ID], description=VIEWS_NOTE)
PLACEHOLDERS = "{{customer.name}}, {{ticket.number}}, {{ticket.subject}}, {{ticket.priority}}, {{ticket.priority_description}}, {{ticket.due}} (the expected resolution, in the requester's time zone and language), {{agent.name}}"
MACRO_FIELDS = {
  "status": {"oneOf": [ref("Status"), {"type": "null"}], "description": "Set when the reply is sent; null: left as it is."},
  "priority": {"type": ["string", "null"], "description": "A priority of the policy in effect; null: left as it is."},
  "add_tags": {"type": "array", "items": {"type": "string"}, "description": "Added when the reply is sent."},
  "group_id": {"type": ["integer", "null"], "description": "The group the ticket moves to; null: left as it is."}}
S["MacroFields"] = {"type": "object", "required": ["status", "priority", "add_tags", "group_id"], "properties": MACRO_FIELDS}
S["Macro"] = {"type": "object", "required": ["id", "name", "body", "shared", "editable", "status", "priority", "add_tags", "group_id", "created_at", "updated_at"], "properties": {
  "id": {"type": "integer"}, "name": {"type": "string", "description": "1 to 100 characters, unique (case aside) among the agent's own macros, and among the shared ones."},
  "body": {"type": "string", "description": "The reply's text, with placeholders: " + PLACEHOLDERS + "."},
  "shared": {"type": "boolean", "description": "Seen by every agent, changed by administrators; false: the caller's own."},
  "editable": {"type": "boolean", "description": "Whether the caller may change or delete it."},
  **MACRO_FIELDS,
  "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}}
S["MacroInput"] = {"type": "object", "additionalProperties": False, "properties": {
  "name": {"type": "string", "maxLength": 100},
  "body": {"type": "string", "maxLength": 20000, "description": "A placeholder other than " + PLACEHOLDERS + " is a 400 naming it."},
  "shared": {"type": "boolean", "default": False, "description": "On creation only; administrators only (403)."},
  "status": {"oneOf": [ref("Status"), {"type": "null"}]}, "priority": {"type": ["string", "null"], "description": "Not on the policy's scale: 400."},
  "add_tags": {"type": "array", "items": {"type": "string"}, "maxItems": 50}, "group_id": {"type": ["integer", "null"], "description": "A group that does not exist: 400."}}}
MACROS_NOTE = "Agents only (customers 403). Canned replies: an agent's own macros, which another agent cannot see (404), and shared ones, which every agent sees and only administrators change (403)."
op("/api/v1/macros", "get", "Canned replies", ["macros"], {**ok(200, "The shared macros and the caller's own, by name.", {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref("Macro")}}}), **errs("401", "403")},
   description=MACROS_NOTE)
op("/api/v1/macros", "post", "Create a canned reply", ["macros"], {**ok(201, "Created.", ref("Macro")), **errs("400", "401", "403", "409", "415")},
   request=body({**S["MacroInput"], "required": ["name", "body"]}),
   description=MACROS_NOTE + " 409 when a macro of that name exists among the caller's own (or the shared ones), or there are 200 of them.")
op("/api/v1/macros/{id}", "patch", "Change a canned reply", ["macros"], {**ok(200, "The macro as it is now.", ref("Macro")), **errs("400", "401", "403", "404", "409", "415")},
   params=[P_ID], request=body(ref("MacroInput")), description=MACROS_NOTE + " Only the fields sent change; null clears a field change. `shared` cannot change (400).")
op("/api/v1/macros/{id}", "delete", "Delete a canned reply", ["macros"], {**ok(204, "Deleted."), **errs("401", "403", "404")}, params=[P_ID], description=MACROS_NOTE)
op("/api/v1/tickets/{number}/macros/{id}/preview", "post", "A canned reply filled for a ticket", ["macros"],
   {**ok(200, "The text to insert in the reply, and the fields to set when it is sent.", {"type": "object", "required": ["macro_id", "text", "fields"], "properties": {
     "macro_id": {"type": "integer"}, "text": {"type": "string", "description": "The body with its placeholders filled; a value the ticket lacks (no due time) is empty."},
     "fields": ref("MacroFields")}}), **errs("401", "403", "404")},
   params=[P_NUMBER, pid("id", "The macro's id.")],
   description=MACROS_NOTE + " Writes nothing: the composer inserts the text, and the fields are set by PATCH /tickets/{number} when the reply is sent.")
for kind, schema, inp, who_create, who_patch in [("organizations", "Organization", "OrganizationInput", "Agents.", "Agents."), ("contacts", "User", "ContactInput", "Agents.", "Agents; a contact may change their own name, language and time zone."), ("agents", "User", "AgentInput", "Administrators.", "Administrators; an agent may change their own name, languages, language and time zone. Nobody deactivates themselves or changes their own role (400 naming the field), so the desk keeps an administrator. `active: false` ends the person's sessions and refuses their API tokens until they are reactivated."), ("groups", "Group", "GroupInput", "Administrators.", "Administrators.")]:
    params = [P_LIMIT, P_AFTER]
    people_q = q("q", "A part of the name or the email (letters A-Z in either case); at most 200 bytes.")
    active_q = {"name": "active", "in": "query", "schema": {"type": "string", "enum": ["true", "false"]}, "description": "Only the active (`true`) or the deactivated (`false`); absent: both."}
    if kind == "organizations": params = [q("q", "A part of the name (letters A-Z in either case) or of one of its email domains; at most 200 bytes."), P_LIMIT, P_AFTER]
    if kind == "contacts": params = [q("organization_id", "Only this organization's contacts.", "integer"), q("email", "Email prefix."), people_q, active_q, P_LIMIT, P_AFTER]
    if kind == "agents": params = [q("group_id", "Members of this group.", "integer"), q("email", "Email prefix."), people_q, active_q, P_LIMIT, P_AFTER]
    if kind == "groups": params = []
    op(f"/api/v1/{kind}", "get", f"List {kind}", ["directory"], {**ok(200, "Agents only.", page_of(schema)), **errs("400", "401", "403")}, params=params or None)
    op(f"/api/v1/{kind}", "post", f"Create one of the {kind}", ["directory"], {**ok(201, who_create, ref(schema)), **errs("400", "401", "403", "409", "415")}, request=body(ref(inp)))
    op(f"/api/v1/{kind}/{{id}}", "get", f"One of the {kind}", ["directory"], {**ok(200, "Found.", ref(schema)), **errs("401", "403", "404")}, params=[P_ID])
    op(f"/api/v1/{kind}/{{id}}", "patch", f"Change one of the {kind}", ["directory"], {**ok(200, who_patch, ref(schema)), **errs("400", "401", "403", "404", "409", "415")}, params=[P_ID], request=body(ref(inp)))
S["Availability"] = {"type": "object", "description": "An agent as routing sees them ([routing] in the policy; docs/routing.md).", "required": ["agent_id", "name", "email", "active", "away", "away_since", "capacity", "open", "languages", "group_ids", "last_routed_at"], "properties": {
  "agent_id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"}, "active": {"type": "boolean"},
  "away": {"type": "boolean", "description": "Away agents get no tickets from routing."}, "away_since": {"type": ["string", "null"], "format": "date-time"},
  "capacity": {"type": ["integer", "null"], "description": "Their own capacity (open tickets); null: their group's in the policy; 0: no limit."},
  "open": {"type": "integer", "description": "Open work: tickets assigned to them in new or open (what capacity counts)."},
  "languages": {"type": "array", "items": {"type": "string"}}, "group_ids": {"type": "array", "items": {"type": "integer"}},
  "last_routed_at": {"type": ["string", "null"], "format": "date-time", "description": "When routing last gave them a ticket (round robin's order)."}}}
S["Tam"] = {"type": "object", "required": ["tam_id", "tam_backup_id"], "properties": {
  "tam_id": {"type": ["integer", "null"], "description": "The organization's technical account manager (an agent)."},
  "tam_backup_id": {"type": ["integer", "null"], "description": "Who takes their tickets while they are away."}}}
op("/api/v1/contacts/{id}/surveys", "get", "A contact's satisfaction history", ["outcomes"], {**ok(200, "Agents. Newest first, at most 200, with their mean rating.", {"type": "object", "required": ["items", "count", "mean_rating"], "properties": {
   "items": {"type": "array", "items": {"type": "object", "required": ["ticket", "subject", "rating", "comment", "answered_at"], "properties": {"ticket": {"type": "integer"}, "subject": {"type": "string"}, "rating": {"type": "integer", "minimum": 1, "maximum": 5}, "comment": {"type": "string"}, "answered_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}, "changeable_until": {"type": "string", "format": "date-time"}}}},
   "count": {"type": "integer"}, "mean_rating": {"type": ["number", "null"], "description": "Of the answers listed; null without any."}}}), **errs("401", "403", "404")}, params=[P_ID])
op("/api/v1/routing", "get", "The team's board: routed groups and agents' availability", ["routing"], {**ok(200, "Agents.", {"type": "object", "required": ["by_language", "group", "groups", "agents"], "properties": {
   "by_language": {"type": "boolean", "description": "Agents who read the ticket's language are preferred ([routing] by_language)."},
   "group": {"type": ["string", "null"], "description": "The group new tickets join when their category names none."},
   "groups": {"type": "array", "items": {"type": "object", "required": ["id", "name", "mode", "capacity", "specialist", "waiting"], "properties": {
     "id": {"type": "integer"}, "name": {"type": "string"}, "mode": {"type": "string", "enum": ["manual", "round_robin", "least_loaded"]},
     "capacity": {"type": "integer", "description": "Open tickets per agent; 0: no limit."}, "specialist": {"type": "boolean", "description": "Customers see \"with our specialists\" while their ticket is here."},
     "waiting": {"type": "integer", "description": "Unassigned open tickets of the group."}}}},
   "agents": {"type": "array", "items": ref("Availability")}}}), **errs("401", "403")},
   description="Agents. What the policy's [routing] says per group, and each agent's availability, capacity and open work.")
op("/api/v1/agents/{id}/availability", "get", "An agent's availability and open work", ["routing"], {**ok(200, "Agents.", ref("Availability")), **errs("401", "403", "404")}, params=[P_ID])
op("/api/v1/agents/{id}/availability", "patch", "Mark an agent away or back, or set their capacity", ["routing"], {**ok(200, "As it is now; an agent who came back has already taken the oldest waiting tickets they may.", ref("Availability")), **errs("400", "401", "403", "404", "415")},
   params=[P_ID], request=body({"type": "object", "properties": {"away": {"type": "boolean"}, "capacity": {"type": ["integer", "null"], "minimum": 0, "maximum": 10000, "description": "Administrators only. null: the group's capacity."}}}),
   description="An agent marks only themself; administrators anyone, and set capacity.")
op("/api/v1/organizations/{id}/tam", "get", "An organization's technical account manager", ["routing"], {**ok(200, "Agents.", ref("Tam")), **errs("401", "403", "404")}, params=[P_ID])
op("/api/v1/organizations/{id}/tam", "put", "Set an organization's technical account manager and backup", ["routing"], {**ok(200, "As it is now.", ref("Tam")), **errs("400", "401", "403", "404", "415")},
   params=[P_ID], request=body(ref("Tam")),
   description="Administrators. New tickets of an organization whose plan has the tam feature go to the TAM first, to the backup while the TAM is away, else by their group's routing.")
op("/api/v1/priorities", "get", "The priority list of the policy in effect", ["policy"], {**ok(200, "Most urgent first.", {"type": "object", "properties": {"items": {"type": "array", "items": ref("Priority")}}}), **errs("401")})
op("/api/v1/categories", "get", "Request categories", ["policy"], {**ok(200, "In display order.", {"type": "object", "properties": {"items": {"type": "array", "items": ref("Category")}}}), **errs("401")})

S["Policy"] = {"type": "object", "description": "The policy in effect: its TOML source and what it says.", "properties": {
  "version": {"type": "integer", "description": "0: the built-in default."}, "name": {"type": "string", "description": "In English (or as written)."}, "description": {"type": "string"},
  "names": {"type": "object", "additionalProperties": {"type": "string"}, "description": "The name per language, when the policy gives them: name = { en = \"...\", pt-BR = \"...\" }."},
  "descriptions": {"type": "object", "additionalProperties": {"type": "string"}},
  "default_priority": {"type": "string"}, "calendars": {"type": "array", "items": {"type": "object", "description": "name (the id targets use), names (per language, from [calendars.x] name), tz, always_open, hours, holidays (how many), day_length_minutes.", "properties": {"hours": {"type": "array", "minItems": 7, "maxItems": 7, "description": "The opening hours of each weekday, Monday first, in the calendar's time zone: [{\"start\": \"09:00\", \"end\": \"18:00\"}], end 24:00 for midnight; empty when closed all day (always-open calendars: empty too, see always_open).", "items": {"type": "array", "items": {"type": "object", "required": ["start", "end"], "properties": {"start": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}, "end": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}}}}}}}},
  "priorities": {"type": "array", "items": {"type": "object"}}, "categories": {"type": "array", "items": {"type": "object", "description": "key, name (English), names (per language), group, details (each a CategoryDetail, its label in English).", "properties": {"details": {"type": "array", "items": ref("CategoryDetail")}}}},
  "plans": {"type": "array", "items": {"type": "object"}}, "targets": {"type": "array", "items": {"type": "object"}},
  "pause": {"type": "object"}, "exemptions": {"type": "array", "items": {"type": "object"}}, "warnings": {"type": "array", "items": {"type": "object"}},
  "escalations": {"type": "array", "items": {"type": "object"}},
  "automations": {"type": "object", "description": "What the desk does by itself ([automations] in the file); a rule the policy does not set is absent.", "properties": {
    "auto_close": {"type": "object", "description": "[automations.auto_close]: a ticket waiting on the customer (pending_customer) for `after` is closed by the system (resolution kept, or answered), with the event automation.closed and the auto_closed mail to the requester; `reminder_before` that, the event automation.reminded and the auto_close_reminder mail, once per waiting period. Automatic replies (out of office) do not count as an answer.", "properties": {
      "after": {"type": "string", "description": "As written: 48h, 2d."}, "after_minutes": {"type": "integer", "description": "Business minutes on `calendar`; real minutes when it is null."},
      "reminder_before": {"type": ["string", "null"], "description": "As written; null: no reminder."}, "reminder_before_minutes": {"type": ["integer", "null"]},
      "calendar": {"type": ["string", "null"], "description": "The calendar both count on; null: around the clock."}, "line": {"type": "integer", "description": "Where the section starts in the file."}}},
    "rules": {"type": "array", "description": "[[automations.rules]] in file order (docs/automations.md): named rules fired by time (`on` = time: `after` the `since` instant, once per occurrence of it) or by an event (ticket_created, customer_replied, agent_replied, status_changed), when their conditions hold. Each firing records automation.fired (or automation.failed with the reason) in the ticket's history.", "items": {"type": "object", "required": ["name", "on", "since", "after", "after_minutes", "calendar", "when", "set", "add_tags", "remove_tags", "notify", "mail", "webhook", "line"], "properties": {
      "name": {"type": "string"},
      "on": {"type": "string", "enum": ["time", "ticket_created", "customer_replied", "agent_replied", "status_changed"]},
      "since": {"type": ["string", "null"], "enum": ["created", "status", "customer_reply", "agent_reply", None], "description": "Time rules: the instant they count from (the ticket opened; it entered its status; the customer's message no agent has answered; the agent's reply the customer has not answered). Null for event rules."},
      "after": {"type": ["string", "null"], "description": "As written: 4h, 2d. Null for event rules."},
      "after_minutes": {"type": ["integer", "null"], "description": "Business minutes on `calendar`; real minutes when it is null."},
      "calendar": {"type": ["string", "null"]},
      "when": {"type": "object", "description": "Conditions, all of which must hold (within one, any listed value): plan, priority, channel, organization, category, tag, status, not_tag, group (lower case), assigned.", "additionalProperties": True},
      "set": {"type": "object", "description": "Fields the rule sets, as the desk: status, resolution, priority, group (by name), assignee (by email; empty: unassign).", "additionalProperties": {"type": "string"}},
      "add_tags": {"type": "array", "items": {"type": "string"}}, "remove_tags": {"type": "array", "items": {"type": "string"}},
      "notify": {"type": "array", "items": {"type": "string"}, "description": "assignee, group or email addresses: the automation_notice mail."},
      "mail": {"type": ["object", "null"], "description": "The rule's own mail to the requester, per language (mustache, the mail templates' variables).", "properties": {"subject": {"type": "object", "additionalProperties": {"type": "string"}}, "body": {"type": "object", "additionalProperties": {"type": "string"}}}},
      "webhook": {"type": "string", "description": "Empty: none."},
      "line": {"type": "integer"}}}}}},
  "routing": {"type": "object", "description": "[routing]: who takes new and waiting tickets (docs/routing.md). Without the section every group is manual.", "required": ["mode", "capacity", "group", "by_language", "groups", "specialists", "line"], "properties": {
    "mode": {"type": "string", "enum": ["manual", "round_robin", "least_loaded"], "description": "For groups not listed in `groups`."},
    "capacity": {"type": "integer", "description": "Open tickets (new or open) per agent; 0: no limit. An agent's own capacity wins."},
    "group": {"type": ["string", "null"], "description": "The group new tickets join when their category names none."},
    "by_language": {"type": "boolean"},
    "groups": {"type": "array", "items": {"type": "object", "required": ["name", "mode", "capacity"], "properties": {"name": {"type": "string", "description": "Lower case."}, "mode": {"type": "string", "enum": ["manual", "round_robin", "least_loaded"]}, "capacity": {"type": "integer"}}}},
    "specialists": {"type": "array", "items": {"type": "string"}, "description": "Specialist groups (lower case): customers see \"with our specialists\"."},
    "line": {"type": "integer", "description": "Where [routing] starts in the file; 0: the policy has none."}}},
  "visibility": {"type": "object", "description": "[visibility]: what customers do not see of their tickets (the group is never shown to them).", "properties": {
    "internal_tags": {"type": "array", "items": {"type": "string"}, "description": "Tags, whole or a prefix ending in * (internal-*)."},
    "internal_fields": {"type": "array", "items": {"type": "string"}, "description": "Custom fields by key."}}},
  "outcomes": {"type": "object", "description": "[outcomes]: what solving takes.", "properties": {
    "required": {"type": "boolean", "description": "Solving (by an agent) needs a resolution and a summary for the customer."},
    "resolutions": {"type": "array", "description": "The resolutions agents choose from, in the policy's order (all seven by default), each with its customer text per language.", "items": {"type": "object", "properties": {"key": ref("Resolution"), "texts": {"type": "object", "additionalProperties": {"type": "string"}}}}}}},
  "surveys": {"type": "object", "description": "[surveys]: the satisfaction survey link in the ticket_solved mail.", "properties": {
    "enabled": {"type": "boolean"}, "after_auto_close": {"type": "boolean", "description": "Also in the auto_closed mail."}}},
  "source": {"type": "string"},
  "files": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "bytes": {"type": "integer"}}}, "description": "Files stored with the policy (holidays_ics); a PUT that does not send one again keeps the stored one."}}}
S["SurveyAnswer"] = {"type": "object", "required": ["rating", "comment", "answered_at", "updated_at", "changeable_until"], "properties": {
  "rating": {"type": "integer", "minimum": 1, "maximum": 5, "description": "1 (poor) to 5 (excellent)."}, "comment": {"type": "string"},
  "answered_at": {"type": "string", "format": "date-time", "description": "When it was first given."}, "updated_at": {"type": "string", "format": "date-time"},
  "changeable_until": {"type": "string", "format": "date-time", "description": "7 days after it was first given: until then the customer may change it through their link."}}}
S["Survey"] = {"type": "object", "required": ["ticket", "language", "requester_name", "open", "answer"], "properties": {
  "ticket": {"type": "object", "properties": {"number": {"type": "integer"}, "subject": {"type": "string"}, "status": ref("Status"), "resolution": {"oneOf": [ref("Resolution"), {"type": "null"}]},
    "resolution_text": {"type": ["string", "null"], "description": "In the customer's language."}, "resolution_summary": {"type": ["string", "null"]}}},
  "language": {"type": "string", "description": "The customer's language: the survey page speaks it."}, "requester_name": {"type": "string"},
  "open": {"type": "boolean", "description": "The ticket is solved or closed, so it takes an answer (a reopened ticket does not)."},
  "answer": {"oneOf": [ref("SurveyAnswer"), {"type": "null"}]}}}
P_SIG = {"name": "sig", "in": "query", "required": True, "schema": {"type": "string"}, "description": "The link's signature, as the ticket_solved (or auto_closed) mail gives it."}
op("/api/v1/surveys/{number}", "get", "A ticket's satisfaction survey, from its signed link", ["outcomes"], {**ok(200, "The survey and the answer given so far.", ref("Survey")), **errs("400", "404")},
   params=[pid("number", "The ticket number."), P_SIG], security=False,
   description="No sign-in: the link in the customer's mail carries an HMAC-SHA256 of the ticket number under the data folder's own key. A wrong signature or an unknown ticket is the same 404.")
op("/api/v1/surveys/{number}", "put", "Answer (or change the answer to) a ticket's satisfaction survey", ["outcomes"], {**ok(200, "The survey with the answer as it now stands.", ref("Survey")), **errs("400", "404", "409", "415")},
   params=[pid("number", "The ticket number."), P_SIG], security=False,
   request=body({"type": "object", "additionalProperties": False, "required": ["rating"], "properties": {"rating": {"type": "integer", "minimum": 1, "maximum": 5}, "comment": {"type": "string", "maxLength": 4000}}}),
   description="One answer per ticket: a second PUT changes it, for 7 days after it was first given (409 after that, or while the ticket is reopened). Secrets in the comment are masked. The ticket's history records survey.answered.")
S["FeatureRequests"] = {"type": "object", "required": ["total", "groups"], "properties": {
  "total": {"type": "integer"},
  "groups": {"type": "array", "description": "One per organization, by name (tickets without one last).", "items": {"type": "object", "properties": {
    "organization": {"type": ["object", "null"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "plan": {"type": "string"}}},
    "count": {"type": "integer"},
    "tickets": {"type": "array", "items": {"type": "object", "properties": {"number": {"type": "integer"}, "subject": {"type": "string"}, "summary": {"type": "string", "description": "The resolution summary: what was sent to the product team."},
      "status": ref("Status"), "requester": {"type": "object", "properties": {"name": {"type": "string"}, "email": {"type": "string"}}},
      "created_at": {"type": "string", "format": "date-time"}, "solved_at": {"type": ["string", "null"], "format": "date-time"}}}}}}}}}
op("/api/v1/reports/feature-requests", "get", "Feature requests, grouped by organization", ["outcomes"],
   {200: {"description": "JSON, or CSV with ?format=csv or Accept: text/csv (columns organization, plan, ticket, subject, summary, requester, requester_email, status, created_at, solved_at; a cell starting with = + - @ gets a leading apostrophe).",
          "content": {"application/json": {"schema": ref("FeatureRequests")}, "text/csv": {"schema": {"type": "string"}}}}, **errs("400", "401", "403")},
   params=[q("since", "Only those solved on or after this date (2026-03-01) or instant."), {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]}, "description": "Default json (or what Accept asks for)."}],
   description="Agents. Every ticket solved with the resolution feature_request, with who asked: the product team's list (also `chamado report feature-requests`).")
# The support lead's reports (docs/reports.md): one filter for all, JSON or CSV, each figure with
# the query (`drill`) that lists its tickets through GET /api/v1/reports/tickets.
P_REPORT = [q("from", "The period's start: a date (its 00:00 UTC) or an instant. Default: 30 days before `to`."),
            q("to", "The period's end, exclusive: a date means through the end of that day; or an instant. Default: now. At most 366 days after `from`."),
            q("plan", "Only tickets of organizations on this plan (a key of the policy's plans)."),
            q("priority", "Only this priority (a name from GET /priorities)."),
            q("group", "Only tickets of this group (id).", "integer"), q("agent", "Only tickets assigned to this agent (id).", "integer"),
            q("organization", "Only this organization's tickets (id).", "integer"),
            {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]}, "description": "Default json (or what Accept asks for: text/csv)."}]
S["ReportPeriod"] = {"type": "object", "additionalProperties": False, "required": ["from", "to"], "properties": {"from": {"type": "string", "format": "date-time"}, "to": {"type": "string", "format": "date-time", "description": "Exclusive."}}}
S["ReportDrill"] = {"type": "object", "required": ["set"], "description": "The query parameters that, added to the report's own filter, list the figure's tickets at GET /api/v1/reports/tickets.", "properties": {
  "set": {"type": "string", "enum": ["created", "first_responded", "solved", "clocks", "backlog", "rated"]}, "priority": {"type": "string"}, "channel": ref("Channel"),
  "resolution": {"type": "string"}, "target": {"type": "string", "enum": ["first_response", "next_response", "resolution"]}, "rating": {"type": "integer", "minimum": 1, "maximum": 5},
  "at": {"type": "string", "format": "date-time"}}}
S["DurationSummary"] = {"type": "object", "additionalProperties": False, "required": ["count", "mean_minutes", "median_minutes", "p90_minutes"], "properties": {
  "count": {"type": "integer", "description": "Tickets measured."}, "mean_minutes": {"type": ["number", "null"]},
  "median_minutes": {"type": ["number", "null"], "description": "With an even count, the mean of the two middle values."},
  "p90_minutes": {"type": ["number", "null"], "description": "Nearest rank: the smallest time at least 90 % of the tickets took no longer than."}}}
S["TimeFigures"] = {"type": "object", "required": ["calendar", "business"], "properties": {
  "calendar": ref("DurationSummary"), "business": {"allOf": [ref("DurationSummary")], "description": "Business time on the calendar of each ticket's target (its SLA clock); tickets without a clock for the target are not counted."},
  "priority": {"type": "string"}, "drill": ref("ReportDrill"),
  "by_priority": {"type": "array", "description": "The same per priority, most urgent first.", "items": ref("TimeFigures")}}}
S["ResponseTimesReport"] = {"type": "object", "additionalProperties": False, "required": ["period", "first_response", "resolution"], "properties": {
  "period": ref("ReportPeriod"), "first_response": {"allOf": [ref("TimeFigures")], "description": "Tickets first answered in the period: from opening to the first agent's public reply that is not automatic."},
  "resolution": {"allOf": [ref("TimeFigures")], "description": "Tickets solved in the period: from opening to the solve."}}}
S["SlaReport"] = {"type": "object", "additionalProperties": False, "required": ["period", "rows"], "properties": {"period": ref("ReportPeriod"), "rows": {"type": "array", "description": "Per target, each priority then the target's total (priority null).", "items": {
  "type": "object", "additionalProperties": False, "required": ["target", "priority", "met", "breached", "achievement", "drill"], "properties": {
    "target": {"type": "string", "enum": ["first_response", "next_response", "resolution"]}, "priority": {"type": ["string", "null"]},
    "met": {"type": "integer", "description": "Clocks stopped in the period within their target."}, "breached": {"type": "integer", "description": "Clocks whose target passed in the period."},
    "achievement": {"type": ["number", "null"], "description": "met / (met + breached), 0 to 1."}, "drill": ref("ReportDrill")}}}}}
S["BacklogReport"] = {"type": "object", "additionalProperties": False, "required": ["period", "days"], "properties": {"period": ref("ReportPeriod"), "days": {"type": "array", "items": {
  "type": "object", "additionalProperties": False, "required": ["day", "created", "solved", "open", "drill"], "properties": {
    "day": {"type": "string", "format": "date", "description": "A UTC day."}, "created": {"type": "integer"}, "solved": {"type": "integer"},
    "open": {"type": "integer", "description": "Tickets open (created, not yet solved) at the end of the day, or at `to`."}, "drill": ref("ReportDrill")}}}}}
S["ChannelReport"] = {"type": "object", "additionalProperties": False, "required": ["period", "rows"], "properties": {"period": ref("ReportPeriod"), "rows": {"type": "array", "items": {
  "type": "object", "additionalProperties": False, "required": ["channel", "created", "solved", "drill"], "properties": {
    "channel": ref("Channel"), "created": {"type": "integer"}, "solved": {"type": "integer"},
    "drill": {"type": "object", "properties": {"created": ref("ReportDrill"), "solved": ref("ReportDrill")}}}}}}}
S["OutcomeReport"] = {"type": "object", "additionalProperties": False, "required": ["period", "rows"], "properties": {"period": ref("ReportPeriod"), "rows": {"type": "array", "description": "Most first.", "items": {
  "type": "object", "additionalProperties": False, "required": ["resolution", "count", "share", "drill"], "properties": {
    "resolution": {"type": "string", "description": "A resolution, or none (solved without one)."}, "count": {"type": "integer"},
    "share": {"type": ["number", "null"], "description": "Of the tickets solved in the period, 0 to 1."}, "drill": ref("ReportDrill")}}}}}
S["SatisfactionReport"] = {"type": "object", "additionalProperties": False, "required": ["period", "solved", "answered", "mean_rating", "response_rate", "by_rating", "drill"], "properties": {
  "period": ref("ReportPeriod"), "solved": {"type": "integer", "description": "Tickets solved in the period (each was offered the survey when the policy's [surveys] is on)."},
  "answered": {"type": "integer", "description": "Of those, the ones whose customer answered."}, "mean_rating": {"type": ["number", "null"], "description": "1 to 5."},
  "response_rate": {"type": ["number", "null"], "description": "answered / solved, 0 to 1."}, "drill": ref("ReportDrill"),
  "by_rating": {"type": "array", "items": {"type": "object", "additionalProperties": False, "required": ["rating", "count", "drill"], "properties": {"rating": {"type": "integer", "minimum": 1, "maximum": 5}, "count": {"type": "integer"}, "drill": ref("ReportDrill")}}}}}
for path, summary, schema, columns, what in [
    ("response-times", "First-response and resolution times", "ResponseTimesReport", "target, priority (empty: all), time (calendar or business), count, mean_minutes, median_minutes, p90_minutes", "Mean, median and 90th percentile, in calendar time and in business time of each target's calendar, overall and per priority."),
    ("sla", "SLA achievement per target and priority", "SlaReport", "target, priority, met, breached, achievement", "Clocks decided in the period: met when they stopped in time, breached at the instant their target passed. Running, paused and exempt clocks do not count."),
    ("backlog", "Backlog over time", "BacklogReport", "day, created, solved, open", "Per UTC day of the period: tickets created, solved, and open at its end (a reopened ticket counts as open from its creation again)."),
    ("channels", "Tickets created and solved by channel", "ChannelReport", "channel, created, solved", "Created in the period and solved in the period, per channel."),
    ("outcomes", "Outcomes of the tickets solved", "OutcomeReport", "resolution, count, share", "Tickets solved in the period, per resolution."),
    ("satisfaction", "Satisfaction: ratings and response rate", "SatisfactionReport", "rating, answers; then all, solved, mean_rating, response_rate", "The survey answers of the tickets solved in the period.")]:
    op(f"/api/v1/reports/{path}", "get", summary, ["reports"],
       {200: {"description": f"JSON, or CSV with ?format=csv or Accept: text/csv (columns {columns}).", "content": {"application/json": {"schema": ref(schema)}, "text/csv": {"schema": {"type": "string"}}}}, **errs("400", "401", "403")},
       params=P_REPORT, description=f"Agents. {what} Filters as every report (docs/reports.md).")
op("/api/v1/reports/tickets", "get", "The tickets behind a report's figure", ["reports"], {**ok(200, "Newest (highest number) first.", page_of("Ticket")), **errs("400", "401", "403")},
   params=[p for p in P_REPORT if p["name"] != "format"] + [
     {"name": "set", "in": "query", "required": True, "schema": {"type": "string", "enum": ["created", "first_responded", "solved", "clocks", "backlog", "rated"]}, "description": "Which event of the period: created, first answered, solved, a clock decided (met or breached), open at `at` (backlog), solved with a survey answer (rated)."},
     {"name": "channel", "in": "query", "schema": ref("Channel"), "description": "created, solved: only this channel."},
     q("resolution", "solved: only this resolution (or none)."),
     {"name": "target", "in": "query", "schema": {"type": "string", "enum": ["first_response", "next_response", "resolution"]}, "description": "clocks (required there): the clocks of this target."},
     {"name": "state", "in": "query", "schema": {"type": "string", "enum": ["met", "breached"]}, "description": "clocks: only met or only breached."},
     {"name": "rating", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 5}, "description": "rated: only this rating."},
     {"name": "at", "in": "query", "schema": {"type": "string", "format": "date-time"}, "description": "backlog: open at this instant (default `to`)."}, P_LIMIT, P_AFTER],
   description="Agents. Every figure of the reports carries a `drill` object: its parameters here, with the report's filter, list exactly the tickets it counts.")
S["PublicResponseTime"] = {"type": "object", "additionalProperties": False, "required": ["average_first_response_minutes", "median_first_response_minutes", "tickets", "time", "window_days", "as_of"], "properties": {
  "average_first_response_minutes": {"type": ["number", "null"], "description": "The mean time to first response of the tickets first answered in the window; null when there were none."},
  "median_first_response_minutes": {"type": ["number", "null"]}, "tickets": {"type": "integer"},
  "time": {"type": "string", "enum": ["calendar", "business"], "description": "As [reports] publish_response_time says."},
  "window_days": {"type": "integer"}, "as_of": {"type": "string", "format": "date-time"}}}
op("/api/v1/public/response-time", "get", "The published average response time", ["reports"], {**ok(200, "The figure (cacheable for 5 minutes).", ref("PublicResponseTime")), **errs("404")}, security=False,
   description="Public, when an administrator opts in with [reports] publish_response_time = \"calendar\" or \"business\" (404 while it is off, the default): seed 002 publishes its average response time, and the status page shows it.")
op("/api/v1/policy", "get", "The policy in effect", ["policy"], {**ok(200, "Agents.", ref("Policy")), **errs("401", "403")})
op("/api/v1/policy", "put", "Apply a new policy", ["policy"], {**ok(200, "The policy now in effect.", ref("Policy")), **errs("400", "401", "403", "409", "415")},
   request=body({"type": "object", "required": ["source"], "properties": {"source": {"type": "string", "description": "The policy, TOML (see docs/policies.md)."}, "files": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Files it refers to (holidays_ics), by name."}}}),
   description="Administrators. Every problem is listed in `errors` with the line and the key. Refused with 409 when tickets use a priority the policy no longer lists.")
S["BotFlow"] = {"type": "object", "additionalProperties": False, "required": ["version", "name", "applied_at", "applied_by", "restored_from"], "properties": {
  "version": {"type": "integer", "description": "1, 2, ...: every apply and every rollback adds one."}, "name": {"type": "string"},
  "applied_at": {"type": "string", "format": "date-time"}, "applied_by": {"type": ["integer", "null"], "description": "The administrator; null: the command line."},
  "restored_from": {"type": ["integer", "null"], "description": "A rollback: the version whose text this is."},
  "source": {"type": "string", "description": "The flow file's TOML, as written (docs/chatbot.md)."},
  "warnings": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}, "description": "What does not stop the flow (a node no path reaches), each with the file, line and node; for the flow in effect also a category or calendar a later policy dropped."}}}
S["BotTurn"] = {"type": "object", "additionalProperties": False, "required": ["seq", "author", "text", "options", "articles", "ticket", "at"], "properties": {
  "seq": {"type": "integer", "description": "1, 2, ... in the conversation."}, "author": {"type": "string", "enum": ["bot", "customer"]},
  "text": {"type": "string", "description": "In the session's language (the flow's default language where the flow has no text in it). A customer's chosen option is shown as its label."},
  "options": {"type": "array", "items": {"type": "object", "additionalProperties": False, "required": ["id", "label"], "properties": {"id": {"type": "string", "description": "Send it back as `option`."}, "label": {"type": "string"}}}, "description": "The choices the bot offers with this turn (answer the last turn's)."},
  "articles": {"type": "array", "items": {"type": "object", "additionalProperties": False, "required": ["key", "title", "url"], "properties": {"key": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string", "description": "/help/{language}/{product}/{module}/{slug}"}}}, "description": "A search node's answer: the best articles for the words sent."},
  "ticket": {"type": ["object", "null"], "additionalProperties": False, "properties": {"number": {"type": "integer"}, "url": {"type": "string", "description": "The ticket's page in the customer portal."}}, "description": "The ticket the bot opened, on the turn that says so."},
  "at": {"type": "string", "format": "date-time"}}}
S["BotSession"] = {"type": "object", "additionalProperties": False, "required": ["id", "language", "flow_version", "status", "awaiting", "signed_in", "ticket_number", "turn_count", "created_at", "updated_at", "turns"], "properties": {
  "id": {"type": "integer"}, "token": {"type": "string", "description": "Only when the session starts: the secret to send as X-Bot-Token on every later call (anonymous visitors need it; a signed-in customer may also use their credentials)."},
  "language": {"type": "string", "enum": ["en", "pt-BR", "es", "de", "ru"]}, "flow_version": {"type": "integer", "description": "The flow version the conversation runs on, whatever is applied meanwhile."},
  "status": {"type": "string", "enum": ["active", "ended", "waiting_for_agent", "ticket_opened", "expired"], "description": "waiting_for_agent: handed to a person: the answer carries `conversation`, the live chat that continues it in the agents' console; expired: 30 minutes without a message."},
  "awaiting": {"type": "string", "enum": ["choice", "words", "helped", "description", "email", "nothing"], "description": "What the bot waits for: one of the options, the words of a search, whether the articles helped (an option), the question for a ticket, an email address (anonymous visitors), or nothing more."},
  "signed_in": {"type": "boolean", "description": "The conversation belongs to a signed-in customer."},
  "ticket_number": {"type": ["integer", "null"]}, "turn_count": {"type": "integer"},
  "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
  "turns": {"type": "array", "items": ref("BotTurn"), "description": "GET: the whole transcript; POST: the turns this call added (the customer's, then the bot's)."},
  "conversation": {"type": "object", "additionalProperties": False, "required": ["id", "chat_id", "status", "token"], "description": "POST, once the flow handed the customer to a person: the live conversation that continues this session with its turns (docs/chat.md), and its token for X-Conversation-Token (also its WebSocket's hello).", "properties": {
    "id": {"type": "integer"}, "chat_id": {"type": "string"}, "status": {"type": "string", "enum": ["bot", "waiting", "active", "waiting_on_customer", "closed"]}, "token": {"type": "string"}}}}}
P_BOT_TOKEN = {"name": "X-Bot-Token", "in": "header", "schema": {"type": "string"}, "description": "The session's token from POST /api/v1/bot/sessions; not needed by the signed-in customer whose session it is."}
P_SESSION = pid("id", "The bot session.")
op("/api/v1/bot/flow", "get", "The chatbot's flow in effect", ["bot"], {**ok(200, "Agents. Its TOML and warnings.", ref("BotFlow")), **errs("401", "403", "404")})
op("/api/v1/bot/flow", "put", "Apply a new chatbot flow", ["bot"], {**ok(200, "The flow now in effect, as a new version.", ref("BotFlow")), **errs("400", "401", "403", "415")},
   request=body({"type": "object", "additionalProperties": False, "required": ["source"], "properties": {"source": {"type": "string", "description": "The flow file, TOML (docs/chatbot.md)."}}}),
   description="Administrators. Checked against the policy in effect (categories, calendars); every problem is listed in `errors` with the file, the line and the node, all at once (also `chamado bot apply FILE`).")
op("/api/v1/bot/flow/history", "get", "The chatbot flow's versions", ["bot"], {**ok(200, "Newest first, without their sources.", {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref("BotFlow")}}}), **errs("401", "403")},
   description="Agents. Every version ever applied (also `chamado bot history`).")
op("/api/v1/bot/flow/rollback", "post", "Go back to an earlier chatbot flow", ["bot"], {**ok(200, "The flow now in effect: a new version with that version's text.", ref("BotFlow")), **errs("400", "401", "403", "415")},
   request=body({"type": "object", "additionalProperties": False, "required": ["version"], "properties": {"version": {"type": "integer", "minimum": 1}}}),
   description="Administrators. The text is checked again against the policy in effect (also `chamado bot rollback N`).")
op("/api/v1/bot/deflections", "get", "Articles that answered the bot's customers", ["bot"], {**ok(200, "Per article key, most first.", {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"type": "object", "additionalProperties": False, "required": ["key", "count"], "properties": {"key": {"type": "string"}, "count": {"type": "integer"}}}}}}), **errs("401", "403")},
   description="Agents. Each time a customer answered yes to \"did one of these help?\", each article shown counts once.")
op("/api/v1/bot/sessions", "post", "Start a conversation with the chatbot", ["bot"], {**ok(201, "The session, its token and the bot's first turn.", ref("BotSession")), **errs("400", "401", "403", "404", "415", "429")},
   request=body({"type": "object", "additionalProperties": False, "properties": {"language": {"type": "string", "enum": ["en", "pt-BR", "es", "de", "ru"], "description": "The language the bot speaks; default the signed-in customer's, else the flow's."}}}, required=False),
   security=False, description="Public: anonymous visitors may talk to the bot; with credentials (a signed-in customer) the session is theirs, their plan decides live chat and their tickets open in their name. 404 when no flow is applied. At most 60 conversations per address per 10 minutes (429).")
op("/api/v1/bot/sessions/{id}", "get", "A conversation's transcript", ["bot"], {**ok(200, "Every turn, oldest first.", ref("BotSession")), **errs("401", "404")}, params=[P_SESSION, P_BOT_TOKEN],
   security=False, description="The holder of the session's token, or its signed-in customer; 404 for anyone else.")
op("/api/v1/bot/sessions/{id}/messages", "post", "Answer the chatbot", ["bot"], {**ok(200, "The turns this answer added and the session's state.", ref("BotSession")), **errs("400", "401", "403", "404", "409", "415", "429")}, params=[P_SESSION, P_BOT_TOKEN],
   request=body({"type": "object", "additionalProperties": False, "properties": {"option": {"type": "string", "description": "The id of one of the options of the last turn."}, "text": {"type": "string", "maxLength": 2000, "description": "Words: a search, a ticket's question, an email address; or an option's label typed out. At most 2,000 bytes."}}}),
   security=False, description="Send `option` or `text`. An answer that matches no option is said so (or follows the node's no_match). 409 when the session expired (30 minutes idle), reached 200 turns, or moved on meanwhile; 429 past 30 messages a minute.")
TEXTS = {"type": "object", "additionalProperties": {"type": "string"}, "propertyNames": {"enum": ["en", "pt-BR", "es", "de", "ru"]}, "description": "Per desk language: {\"en\": \"...\", \"pt-BR\": \"...\"}."}
TS = {"type": "string", "format": "date-time"}
TS_NULL = {"type": ["string", "null"], "format": "date-time"}
COMPONENT_PROPS = {
  "id": {"type": "integer"}, "key": {"type": "string", "description": "Lower-case slug; the policy's [status.targets] names components by it."},
  "name": {"type": "string", "description": "In the reader's language (`language`, else Accept-Language), else English."}, "names": TEXTS,
  "description": {"type": "string"}, "descriptions": TEXTS, "position": {"type": "integer", "description": "Order on the page, ascending."},
  "created_at": {**TS, "description": "Uptime counts from here."}}
COMPONENT_REQUIRED = ["id", "key", "name", "names", "description", "descriptions", "position", "created_at"]
S["StatusComponent"] = {"type": "object", "additionalProperties": False, "required": COMPONENT_REQUIRED, "properties": COMPONENT_PROPS}
S["StatusDay"] = {"type": "object", "additionalProperties": False, "required": ["date", "percent", "up_ms", "down_ms", "unknown_ms", "maintenance_ms"], "properties": {
  "date": {"type": "string", "format": "date", "description": "The local day in the policy's [status] time_zone."},
  "percent": {"type": ["number", "null"], "description": "Uptime of the day (up / (up + down)); null when nothing was known."},
  "up_ms": {"type": "integer"}, "down_ms": {"type": "integer"}, "unknown_ms": {"type": "integer", "description": "No probe sample held and no outage was declared (docs/status-page.md)."}, "maintenance_ms": {"type": "integer"}}}
S["StatusPageComponent"] = {"type": "object", "additionalProperties": False, "required": COMPONENT_REQUIRED + ["condition", "percent", "target_percent", "days"], "properties": {**COMPONENT_PROPS,
  "condition": {"type": "string", "enum": ["operational", "degraded", "partial", "major", "maintenance", "unknown"], "description": "Now: the worst open incident's impact (major when a probe says down), else maintenance, else the probes' last word (unknown when one has no sample that still holds)."},
  "percent": {"type": ["number", "null"], "description": "Uptime over the days shown."}, "target_percent": {"type": "number"},
  "days": {"type": "array", "items": ref("StatusDay"), "description": "Oldest first; the last is today so far."}}}
S["StatusProbe"] = {"type": "object", "additionalProperties": False, "required": ["id", "component_id", "kind", "target", "expect_status", "expect_body", "interval_seconds", "timeout_seconds", "retries", "active", "next_run_at", "last_sample"], "properties": {
  "id": {"type": "integer"}, "component_id": {"type": "integer"}, "kind": {"type": "string", "enum": ["http", "tcp"]},
  "target": {"type": "string", "description": "http: an http:// or https:// URL; tcp: host:port."},
  "expect_status": {"type": ["integer", "null"], "description": "http: the status the answer must have; null: any 2xx."},
  "expect_body": {"type": "string", "description": "http: text the body must contain (in its first MiB); empty: none."},
  "interval_seconds": {"type": "integer", "minimum": 10, "maximum": 86400}, "timeout_seconds": {"type": "integer", "minimum": 1, "description": "Per attempt; below the interval."},
  "retries": {"type": "integer", "minimum": 0, "maximum": 5, "description": "Failed attempts retried before the check says down."}, "active": {"type": "boolean"},
  "next_run_at": TS, "last_sample": {"oneOf": [{"type": "null"}, {"type": "object", "additionalProperties": False, "required": ["at", "up", "latency_ms", "attempts", "error"], "properties": {
    "at": TS, "up": {"type": "boolean"}, "latency_ms": {"type": "integer"}, "attempts": {"type": "integer"}, "error": {"type": "string"}}}]}}}
S["StatusIncident"] = {"type": "object", "additionalProperties": False, "required": ["id", "title", "titles", "state", "started_at", "resolved_at", "components", "updates"], "properties": {
  "id": {"type": "integer"}, "title": {"type": "string"}, "titles": TEXTS,
  "state": {"type": "string", "enum": ["investigating", "identified", "monitoring", "resolved"]},
  "started_at": {**TS, "description": "The impact counts from here."}, "resolved_at": {**TS_NULL, "description": "And up to here; null while open."},
  "components": {"type": "array", "items": {"type": "object", "additionalProperties": False, "required": ["id", "impact"], "properties": {"id": {"type": "integer"}, "impact": {"type": "string", "enum": ["degraded", "partial", "major"]}}}},
  "updates": {"type": "array", "description": "Newest first.", "items": {"type": "object", "additionalProperties": False, "required": ["id", "state", "body", "bodies", "at"], "properties": {
    "id": {"type": "integer"}, "state": {"type": "string", "enum": ["investigating", "identified", "monitoring", "resolved"]}, "body": {"type": "string"}, "bodies": TEXTS, "at": TS,
    "notified": {"type": "integer", "description": "Agents only: the mails the update queued (requesters of linked tickets, one each, and subscribers)."}}}},
  "tickets": {"type": "array", "items": {"type": "integer"}, "description": "Agents only: the linked tickets' numbers."}}}
S["StatusMaintenance"] = {"type": "object", "additionalProperties": False, "required": ["id", "title", "titles", "body", "bodies", "starts_at", "ends_at", "components"], "properties": {
  "id": {"type": "integer"}, "title": {"type": "string"}, "titles": TEXTS, "body": {"type": "string"}, "bodies": TEXTS, "starts_at": TS, "ends_at": TS,
  "components": {"type": "array", "items": {"type": "integer"}}}}
S["Uptime"] = {"type": "object", "additionalProperties": False, "required": ["component_id", "from", "to", "time_zone", "percent", "lower_bound_percent", "target_percent", "met", "total_ms", "up_ms", "down_ms", "unknown_ms", "maintenance_ms", "budget_ms", "budget_left_ms", "month", "window"], "properties": {
  "component_id": {"type": "integer"}, "from": {**TS, "description": "The window's start, or the component's creation when later."}, "to": {**TS, "description": "The window's end, or now when earlier."},
  "time_zone": {"type": "string"}, "month": {"type": ["string", "null"]}, "window": {"type": ["string", "null"], "enum": ["30d", "90d", None]},
  "percent": {"type": ["number", "null"], "description": "up / (up + down) x 100; null when nothing is known."},
  "lower_bound_percent": {"type": "number", "description": "up / (up + down + unknown) x 100: the figure if every unknown minute had been down."},
  "target_percent": {"type": "number", "description": "The policy's [status] target for this component."}, "met": {"type": ["boolean", "null"]},
  "total_ms": {"type": "integer"}, "up_ms": {"type": "integer"}, "down_ms": {"type": "integer"}, "unknown_ms": {"type": "integer"}, "maintenance_ms": {"type": "integer", "description": "Excluded from both sides."},
  "budget_ms": {"type": "integer", "description": "(100 - target) % of the time that is not maintenance."}, "budget_left_ms": {"type": "integer", "description": "budget - down; negative once spent."},
  "explanation": {"type": "array", "description": "With explain=1: every interval of the window, in order; their sums are the figures above.", "items": {"type": "object", "additionalProperties": False, "required": ["from", "to", "state", "up_ms", "down_ms", "unknown_ms", "maintenance_ms", "incident_id", "maintenance_id"], "properties": {
    "from": TS, "to": TS, "state": {"type": "string", "enum": ["up", "down", "mixed", "unknown", "degraded", "partial", "major", "maintenance"], "description": "up, down, unknown: what the probes saw; mixed: a rolled-up bucket with both; degraded, partial, major: a declared incident's impact (incident_id); maintenance (maintenance_id)."},
    "up_ms": {"type": "integer"}, "down_ms": {"type": "integer"}, "unknown_ms": {"type": "integer"}, "maintenance_ms": {"type": "integer"},
    "incident_id": {"type": ["integer", "null"]}, "maintenance_id": {"type": ["integer", "null"]}}}}}}
P_LANGUAGE = {"name": "language", "in": "query", "schema": {"type": "string", "enum": ["en", "pt-BR", "es", "de", "ru"]}, "description": "The language of `name`, `title` and `body`; default the caller's (Accept-Language)."}
P_DAYS = {"name": "days", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 366, "default": 90}, "description": "How many local days back."}
P_COMPONENT = pid("id", "The status component.")
def items_of(n): return {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref(n)}}}
COMPONENT_IN = {"type": "object", "additionalProperties": False, "properties": {"key": {"type": "string", "pattern": "^[a-z0-9_-]{1,64}$"}, "names": TEXTS, "descriptions": TEXTS, "position": {"type": "integer"}}}
PROBE_IN = {"type": "object", "additionalProperties": False, "properties": {"kind": {"type": "string", "enum": ["http", "tcp"]}, "target": {"type": "string"}, "expect_status": {"type": ["integer", "null"], "minimum": 100, "maximum": 599},
  "expect_body": {"type": "string"}, "interval_seconds": {"type": "integer", "minimum": 10, "maximum": 86400}, "timeout_seconds": {"type": "integer", "minimum": 1}, "retries": {"type": "integer", "minimum": 0, "maximum": 5}, "active": {"type": "boolean"}}}
AFFECTED = {"type": "array", "items": {"type": "object", "additionalProperties": False, "required": ["id", "impact"], "properties": {"id": {"type": "integer"}, "impact": {"type": "string", "enum": ["degraded", "partial", "major"]}}}}
INCIDENT_PROPS = {"titles": TEXTS, "state": {"type": "string", "enum": ["investigating", "identified", "monitoring", "resolved"]}, "started_at": TS, "resolved_at": {**TS, "description": "With state resolved; default now."}, "components": AFFECTED}
MAINTENANCE_IN = {"type": "object", "additionalProperties": False, "properties": {"titles": TEXTS, "bodies": TEXTS, "starts_at": TS, "ends_at": TS, "components": {"type": "array", "items": {"type": "integer"}, "minItems": 1}}}
RULES = "Counting rules (docs/status-page.md, the policy's [status]): time-weighted; maintenance excluded from both sides; time no probe sample holds is unknown, never up; a declared major outage counts down, a partial one `partial_weight` down (default 1), degraded counts up."
op("/api/v1/status", "get", "The status page", ["status"], {**ok(200, "Components with their condition and daily figures, open incidents, maintenance to come and the incidents of the period.", {"type": "object", "additionalProperties": False, "required": ["time_zone", "days", "generated_at", "components", "incidents", "maintenance", "history"], "properties": {
  "time_zone": {"type": "string"}, "days": {"type": "integer"}, "generated_at": TS, "components": {"type": "array", "items": ref("StatusPageComponent")},
  "incidents": {"type": "array", "items": ref("StatusIncident"), "description": "Open, newest first."}, "maintenance": {"type": "array", "items": ref("StatusMaintenance"), "description": "Going on or to come."},
  "history": {"type": "array", "items": ref("StatusIncident"), "description": "Resolved within the days shown, newest first."}}}), **errs("400")},
   params=[P_DAYS, P_LANGUAGE], security=False, description="Public: no sign-in. " + RULES)
op("/api/v1/status/feed.atom", "get", "The incidents as an Atom feed", ["status"], ok(200, "The incidents of the last 90 days, newest first, each with its updates.", {"type": "string"}, "application/atom+xml"),
   params=[P_LANGUAGE], security=False, description="Public: for feed readers.")
op("/api/v1/status/components/{id}/uptime", "get", "A component's uptime, explained", ["status"], {**ok(200, "The figure, and with explain=1 the intervals that make it.", ref("Uptime")), **errs("400", "404")},
   params=[P_COMPONENT, q("month", "A calendar month such as 2026-03, cut in the policy's [status] time_zone."), {"name": "window", "in": "query", "schema": {"type": "string", "enum": ["30d", "90d"]}, "description": "A rolling window ending now (default 30d when no month is given)."},
           {"name": "explain", "in": "query", "schema": {"type": "string", "enum": ["0", "1", "true", "false"]}, "description": "1: list the intervals."}],
   security=False, description="Public: anyone can audit the figure. " + RULES)
op("/api/v1/status/components", "post", "Add a status component", ["status"], {**ok(201, "Created.", ref("StatusComponent")), **errs("400", "401", "403", "409", "415")},
   request=body({**COMPONENT_IN, "required": ["key", "names"]}), description="Administrators. 409 when another component has the key.")
op("/api/v1/status/components/{id}", "patch", "Change a status component", ["status"], {**ok(200, "The component as it is now.", ref("StatusComponent")), **errs("400", "401", "403", "404", "409", "415")},
   params=[P_COMPONENT], request=body(COMPONENT_IN), description="Administrators. Only the fields sent change.")
op("/api/v1/status/components/{id}", "delete", "Remove a status component", ["status"], {**ok(204, "Removed, with its probes, samples and rollups."), **errs("401", "403", "404")},
   params=[P_COMPONENT], description="Administrators.")
op("/api/v1/status/components/{id}/probes", "get", "A component's probes", ["status"], {**ok(200, "With each one's last sample.", items_of("StatusProbe")), **errs("401", "403", "404")},
   params=[P_COMPONENT], description="Administrators.")
op("/api/v1/status/components/{id}/probes", "post", "Add a probe", ["status"], {**ok(201, "Created; due at once.", ref("StatusProbe")), **errs("400", "401", "403", "404", "415")},
   params=[P_COMPONENT], request=body({**PROBE_IN, "required": ["kind", "target"]}), description="Administrators. The scheduler runs it every interval_seconds; a sample holds interval + timeout x (retries + 1) at most.")
op("/api/v1/status/probes/{id}", "patch", "Change a probe", ["status"], {**ok(200, "The probe as it is now.", ref("StatusProbe")), **errs("400", "401", "403", "404", "415")},
   params=[pid("id", "The probe.")], request=body(PROBE_IN), description="Administrators. Only the fields sent change.")
op("/api/v1/status/probes/{id}", "delete", "Remove a probe", ["status"], {**ok(204, "Removed, with its samples."), **errs("401", "403", "404")},
   params=[pid("id", "The probe.")], description="Administrators.")
op("/api/v1/status/incidents", "get", "Incidents", ["status"], {**ok(200, "Those open or resolved within `days`, newest first, with their linked tickets.", items_of("StatusIncident")), **errs("400", "401", "403")},
   params=[P_DAYS, P_LANGUAGE], description="Agents.")
op("/api/v1/status/incidents", "post", "Declare an incident", ["status"], {**ok(201, "Created.", ref("StatusIncident")), **errs("400", "401", "403", "415")},
   request=body({"type": "object", "additionalProperties": False, "required": ["titles"], "properties": {**INCIDENT_PROPS, "update": {**TEXTS, "description": "Its first public update (at started_at)."}}}),
   description="Agents. state defaults to investigating, started_at to now.")
op("/api/v1/status/incidents/{id}", "get", "An incident", ["status"], {**ok(200, "With its updates.", ref("StatusIncident")), **errs("400", "404")},
   params=[pid("id", "The incident."), P_LANGUAGE], security=False, description="Public.")
op("/api/v1/status/incidents/{id}", "patch", "Change an incident", ["status"], {**ok(200, "The incident as it is now.", ref("StatusIncident")), **errs("400", "401", "403", "404", "415")},
   params=[pid("id", "The incident.")], request=body({"type": "object", "additionalProperties": False, "properties": INCIDENT_PROPS}),
   description="Agents. Only the fields sent change; `components` replaces the list. Changing started_at, resolved_at or impacts changes the figures of the time they cover.")
op("/api/v1/status/incidents/{id}", "delete", "Delete an incident", ["status"], {**ok(204, "Deleted, with its updates and links."), **errs("401", "403", "404")},
   params=[pid("id", "The incident.")], description="Administrators: for an incident declared by mistake.")
op("/api/v1/status/incidents/{id}/updates", "post", "Post a timed public update", ["status"], {**ok(201, "The incident with the update.", ref("StatusIncident")), **errs("400", "401", "403", "404", "415")},
   params=[pid("id", "The incident.")], request=body({"type": "object", "additionalProperties": False, "required": ["state", "bodies"], "properties": {"state": {"type": "string", "enum": ["investigating", "identified", "monitoring", "resolved"]}, "bodies": TEXTS, "at": {**TS, "description": "Default now; not before the incident started."},
     "notify": {"type": "boolean", "default": False, "description": "Mail the update to the requesters of the linked tickets, each in their language, threaded into their ticket (one mail per requester), and to the subscribers who are not among them."}}}),
   description="Agents. The incident takes the update's state; resolved ends it at the update's time, another state reopens it.")
op("/api/v1/status/incidents/{id}/tickets/{number}", "put", "Link a ticket to an incident", ["status"], {**ok(200, "The incident with its tickets.", ref("StatusIncident")), **errs("401", "403", "404")},
   params=[pid("id", "The incident."), P_NUMBER], description="Agents. Linking twice changes nothing.")
op("/api/v1/status/incidents/{id}/tickets/{number}", "delete", "Unlink a ticket", ["status"], {**ok(204, "Unlinked."), **errs("401", "403", "404")},
   params=[pid("id", "The incident."), P_NUMBER], description="Agents.")
op("/api/v1/status/maintenance", "get", "Planned maintenance", ["status"], {**ok(200, "Windows that end after `days` ago, by start.", items_of("StatusMaintenance")), **errs("400", "401", "403")},
   params=[P_DAYS, P_LANGUAGE], description="Agents.")
op("/api/v1/status/maintenance", "post", "Plan maintenance", ["status"], {**ok(201, "Created.", ref("StatusMaintenance")), **errs("400", "401", "403", "415")},
   request=body({**MAINTENANCE_IN, "required": ["titles", "starts_at", "ends_at", "components"]}), description="Agents. Its time is excluded from the components' uptime, on both sides.")
op("/api/v1/status/maintenance/{id}", "patch", "Change planned maintenance", ["status"], {**ok(200, "The window as it is now.", ref("StatusMaintenance")), **errs("400", "401", "403", "404", "415")},
   params=[pid("id", "The maintenance window.")], request=body(MAINTENANCE_IN), description="Agents. Only the fields sent change.")
op("/api/v1/status/maintenance/{id}", "delete", "Cancel planned maintenance", ["status"], {**ok(204, "Deleted."), **errs("401", "403", "404")},
   params=[pid("id", "The maintenance window.")], description="Agents.")
S["StatusSubscriber"] = {"type": "object", "additionalProperties": False, "required": ["id", "email", "language", "created_at", "confirmed_at"], "properties": {
  "id": {"type": "integer"}, "email": {"type": "string", "description": "Lower case."}, "language": {"type": "string", "enum": ["en", "pt-BR", "es", "de", "ru"]}, "created_at": TS,
  "confirmed_at": {**TS_NULL, "description": "Null while an address that subscribed on the status page has not opened its confirmation link: no update goes to it."}}}
op("/api/v1/status/subscribers", "get", "E-mail subscribers to incident updates", ["status"], {**ok(200, "By subscription.", items_of("StatusSubscriber")), **errs("401", "403")},
   description="Agents.")
op("/api/v1/status/subscribers", "post", "Subscribe an address to incident updates", ["status"], {**ok(201, "Subscribed.", ref("StatusSubscriber")), **errs("400", "401", "403", "409", "415")},
   request=body({"type": "object", "additionalProperties": False, "required": ["email"], "properties": {"email": {"type": "string"}, "language": {"type": "string", "enum": ["en", "pt-BR", "es", "de", "ru"], "default": "en", "description": "The mails' language."}}}),
   description="Agents (a customer's technical contact asks to be told). Updates posted with `notify` reach every subscriber who is not a requester of a linked ticket, each mail with a link that unsubscribes. 409 when the address is subscribed already.")
op("/api/v1/status/subscribers/{id}", "delete", "Remove a subscriber", ["status"], {**ok(204, "Removed."), **errs("401", "403", "404")},
   params=[pid("id", "The subscriber.")], description="Agents.")
op("/api/v1/status/unsubscribe", "post", "Unsubscribe with the link of a mail", ["status"], {**ok(204, "Unsubscribed."), **errs("400", "404", "415")},
   request=body({"type": "object", "additionalProperties": False, "required": ["token"], "properties": {"token": {"type": "string", "description": "From the mail's link (/status?unsubscribe=TOKEN)."}}}),
   security=False, description="Public: the token is the credential. 404 when it names no subscription (already unsubscribed).")
op("/api/v1/status/subscribe", "post", "Subscribe to incident updates from the status page", ["status"], {**ok(202, "A mail with a confirmation link is on its way (or nothing, when the address is subscribed already)."), **errs("400", "415", "429")},
   request=body({"type": "object", "additionalProperties": False, "required": ["email"], "properties": {"email": {"type": "string"}, "language": {"type": "string", "enum": ["en", "pt-BR", "es", "de", "ru"], "default": "en", "description": "The mails' language."}}}),
   security=False, description="Public. The address gets a mail whose link confirms (/status?confirm=TOKEN); nothing else is sent to it until then. The answer is the same whether the address was subscribed or not. At most 60 a client address per 10 minutes (429).")
op("/api/v1/status/subscribe/confirm", "post", "Confirm a subscription with the link of its mail", ["status"], {**ok(204, "Subscribed: updates posted with notify reach the address."), **errs("400", "404", "415")},
   request=body({"type": "object", "additionalProperties": False, "required": ["token"], "properties": {"token": {"type": "string", "description": "From the mail's link (/status?confirm=TOKEN)."}}}),
   security=False, description="Public: the token is the credential. 404 when it names no subscription (unsubscribed since).")
S["Conversation"] = {"type": "object", "additionalProperties": False, "required": ["id", "chat_id", "channel", "status", "language", "subject", "contact_id", "organization_id", "email", "agent_id", "group_id", "ticket_number", "last_seq", "customer_read_seq", "agent_read_seq", "created_at", "updated_at", "handed_off_at", "accepted_at", "closed_at", "close_reason", "escalated", "wait_seconds"], "properties": {
  "id": {"type": "integer"}, "chat_id": {"type": "string", "pattern": "^CH-[2-9A-HJKMNP-Z]{8}$", "description": "The chat id the customer sees and quotes (seed 000: \"the widget shows a chat id\")."},
  "channel": {"type": "string", "enum": ["chat", "whatsapp"], "description": "chat: the web widget."},
  "status": {"type": "string", "enum": ["bot", "waiting", "active", "waiting_on_customer", "closed"], "description": "bot: nobody at the desk is asked yet (the chatbot talks, or nobody can take it: out of hours, no chat in the plan); waiting: queued for an agent; active: an agent holds it and owes the answer; waiting_on_customer: the agent answered; closed."},
  "language": {"type": "string", "enum": ["en", "pt-BR", "es", "de", "ru"]}, "subject": {"type": "string", "description": "The customer's first words."},
  "contact_id": {"type": ["integer", "null"], "description": "The customer; null: an anonymous visitor."}, "organization_id": {"type": ["integer", "null"]},
  "email": {"type": "string", "description": "The customer's address (an anonymous visitor's once given); empty when unknown."},
  "agent_id": {"type": ["integer", "null"]}, "group_id": {"type": ["integer", "null"]},
  "ticket_number": {"type": ["integer", "null"], "description": "The one ticket it became (or continues); never a second."},
  "last_seq": {"type": "integer", "description": "The newest message's sequence number (1, 2, ...)."},
  "customer_read_seq": {"type": "integer", "description": "Read mark: the newest message the customer has seen."}, "agent_read_seq": {"type": "integer", "description": "Read mark of the desk."},
  "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
  "handed_off_at": {"type": ["string", "null"], "format": "date-time", "description": "Went to people: its SLA clocks start here."},
  "accepted_at": {"type": ["string", "null"], "format": "date-time"}, "closed_at": {"type": ["string", "null"], "format": "date-time"},
  "close_reason": {"type": ["string", "null"], "enum": ["agent", "customer", "auto_close", "converted", "bot", None]},
  "escalated": {"type": "boolean", "description": "One of its SLA clocks breached and was escalated."},
  "wait_seconds": {"type": ["integer", "null"], "description": "Waiting: how long since the hand-off; null otherwise."},
  "contact_name": {"type": "string", "description": "The list only."}, "contact_email": {"type": "string", "description": "The list only."},
  "organization_name": {"type": "string", "description": "The list only."}, "agent_name": {"type": "string", "description": "The list only."},
  "clocks": {"type": "array", "items": ref("Clock"), "description": "Agents: first_response and next_response from the policy's targets for channel chat, from the hand-off."},
  "messages": {"type": "array", "items": ref("ConversationMessage"), "description": "GET one: the messages after `after`, in order."},
  "whatsapp": ref("WhatsappState")}}
S["WhatsappState"] = {"type": "object", "additionalProperties": False, "required": ["number", "profile_name", "window_open", "window_closes_at", "deliveries"], "description": "Agents, channel whatsapp only (docs/whatsapp.md).", "properties": {
  "number": {"type": "string", "description": "The customer's WhatsApp id (their number, digits only): the conversation's external id."},
  "profile_name": {"type": "string", "description": "The name on the customer's WhatsApp profile; the number is not matched to a contact."},
  "window_open": {"type": "boolean", "description": "The desk may write freely: less than 24 hours since the customer's last message. Closed: only a template (POST .../whatsapp/template)."},
  "window_closes_at": {"type": ["string", "null"], "format": "date-time", "description": "24 hours after the customer's last message; null when they never wrote."},
  "deliveries": {"type": "object", "description": "By message sequence number (as a string): each message that crossed WhatsApp.", "additionalProperties": {"type": "object", "additionalProperties": False, "required": ["status", "error"], "properties": {
    "status": {"type": "string", "enum": ["received", "queued", "sent", "delivered", "read", "failed"], "description": "received: the customer's; queued: stored, not yet accepted by the Graph API; sent, delivered, read: Meta's reports (never backwards); failed: refused."},
    "error": {"type": ["string", "null"], "description": "failed: Meta's error title (and details); received: why the file could not be fetched."}}}}}}
S["ConversationMessage"] = {"type": "object", "required": ["seq", "author", "author_id", "text", "masked", "client_id", "at", "attachments"], "properties": {
  "seq": {"type": "integer", "description": "1, 2, ... in the conversation: acknowledge and resume by it."},
  "author": {"type": "string", "enum": ["customer", "agent", "bot", "system"]}, "author_id": {"type": ["integer", "null"]},
  "text": {"type": "string", "description": "Secrets masked; a system notice in the conversation's language."},
  "masked": {"type": "boolean", "description": "Secrets in it were masked before it was stored."},
  "client_id": {"type": ["string", "null"], "description": "The sender's id for it: sent again, the message is recognized, not stored twice."},
  "at": {"type": "string", "format": "date-time"},
  "attachments": {"type": "array", "items": {"type": "object", "additionalProperties": False, "required": ["id", "filename", "content_type", "size", "url"], "properties": {"id": {"type": "integer"}, "filename": {"type": "string"}, "content_type": {"type": "string", "description": "As the sender declared it (cleaned); served as application/octet-stream when a browser would run it."}, "size": {"type": "integer", "description": "Bytes."}, "url": {"type": "string", "description": "GET it (as the conversation's customer, with its token, or as staff) to download the file."}}}, "description": "The files sent with the message (multipart POST .../messages)."},
  "options": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string", "description": "Send it back as `option`."}, "label": {"type": "string"}}}, "description": "The bot's choices with this message."},
  "articles": {"type": "array", "items": {"type": "object", "properties": {"key": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string"}}}, "description": "Help-center articles the bot found."},
  "notice": {"type": "string", "enum": ["waiting", "closed_hours", "no_chat", "accepted", "transferred_agent", "transferred_group", "closed", "auto_closed", "converted", "offer_ticket", "linked", "whatsapp_media_failed", "whatsapp_unsupported"], "description": "A system message: what it announces. whatsapp_*: notes for the agents (a file that could not be fetched from WhatsApp, a kind of message not taken); not sent to the customer."},
  "back_at": {"type": "string", "format": "date-time", "description": "closed_hours: the live-chat calendar's next opening."},
  "offer_ticket": {"type": "boolean", "description": "closed_hours and no_chat: nobody can take the conversation; the customer may convert it to a ticket."},
  "offered_ticket": {"type": "object", "properties": {"number": {"type": "integer"}, "subject": {"type": "string"}}, "description": "offer_ticket: the customer's open ticket that reads like their first words (POST .../link continues there)."},
  "ticket_number": {"type": "integer", "description": "converted, linked, or the bot's ticket."},
  "agent": {"type": "string"}, "reason": {"type": "string"}}}
S["ConversationUpdate"] = {"type": "object", "additionalProperties": False, "required": ["conversation", "messages", "duplicate"], "properties": {
  "conversation": ref("Conversation"), "messages": {"type": "array", "items": ref("ConversationMessage"), "description": "The messages this call stored, in order (stored before this answer)."},
  "duplicate": {"type": "boolean", "description": "The message's client_id was stored before: `messages` holds that message, nothing new was stored."},
  "token": {"type": "string", "description": "Only when the conversation starts: the secret to send as X-Conversation-Token on every later call."},
  "ticket_number": {"type": "integer", "description": "convert: the ticket."}, "created": {"type": "boolean", "description": "convert: false when the ticket existed (converted before, or linked)."}}}
P_CONV_TOKEN = {"name": "X-Conversation-Token", "in": "header", "schema": {"type": "string"}, "description": "The conversation's token from POST /api/v1/conversations; not needed by agents or by the signed-in customer whose conversation it is."}
P_CONV = pid("id", "The conversation.")
CONV_HOLDERS = "Agents, the holder of the conversation's token, or its signed-in customer; 404 for anyone else."
op("/api/v1/conversations", "get", "Live conversations for agents", ["conversations"], {**ok(200, "Open conversations (or those of `status`), the longest waiting first, with their wait and clocks.", {"type": "object", "additionalProperties": False, "required": ["items", "held", "max_per_agent"], "properties": {"items": {"type": "array", "items": ref("Conversation")}, "held": {"type": "integer", "description": "How many of them the caller holds."}, "max_per_agent": {"type": "integer", "description": "[chat] max_per_agent; 0: no limit."}}}), **errs("400", "401", "403")},
   params=[q("status", "Only these statuses, comma-separated; default every open one."), {"name": "mine", "in": "query", "schema": {"type": "string", "enum": ["true", "false"]}, "description": "true: only the caller's."}],
   description="Agents. At most 200.")
op("/api/v1/conversations", "post", "Start a live conversation", ["conversations"], {**ok(201, "The conversation, its token and its first messages (the bot's, or the desk's notice).", ref("ConversationUpdate")), **errs("400", "401", "403", "415", "429")},
   request=body({"type": "object", "additionalProperties": False, "properties": {"language": {"type": "string", "enum": ["en", "pt-BR", "es", "de", "ru"], "description": "Default: the signed-in customer's, else Accept-Language's, else the flow's."}, "email": {"type": "string", "description": "An anonymous visitor's address, when the widget asked for it."}, "identity": {"type": "string", "maxLength": 1024, "description": "A signed-in customer of the host site: \"<organization id>:<expiry, Unix seconds>:<email>:<signature>\", the signature the HMAC-SHA256 of the part before it under the organization's chat secret, base64url without padding (docs/chat.md). 400 (field identity) when it does not check."}}}, required=False),
   security=False, description="Public (the chat widget). With a bot flow in effect the bot talks first; without one the conversation goes to people when the customer's plan has chat and the policy's live-chat calendar is open ([chat] calendar), else a notice says when people are back, or that chat is not in the plan, and offers a ticket. A signed-in customer's conversation is theirs. At most 60 per address per 10 minutes (429).")
op("/api/v1/conversations/{id}", "get", "A live conversation and its messages", ["conversations"], {**ok(200, "The conversation and its messages after `after` (at most 500).", ref("Conversation")), **errs("400", "401", "404")}, params=[P_CONV, P_CONV_TOKEN, q("after", "Only messages with a higher sequence number: resume where the client left off.", "integer")],
   security=False, description=CONV_HOLDERS)
op("/api/v1/conversations/{id}/messages", "post", "Write in a live conversation", ["conversations"], {**ok(201, "Stored (before this answer): the message and what followed it (the bot's answer, a notice).", ref("ConversationUpdate")), **ok(200, "The same client_id was sent before: that message, nothing stored again.", ref("ConversationUpdate")), **errs("400", "401", "403", "404", "409", "413", "415", "429")}, params=[P_CONV, P_CONV_TOKEN],
   request=body({"type": "object", "additionalProperties": False, "properties": {"text": {"type": "string", "maxLength": 4000}, "option": {"type": "string", "description": "The customer: one of the bot's options."}, "client_id": {"type": "string", "maxLength": 64, "description": "The sender's id for this message; resending it after a lost answer never stores it twice."}}},
                multipart={"type": "object", "properties": {"text": {"type": "string", "maxLength": 4000, "description": "May be empty when files are sent."}, "client_id": {"type": "string", "maxLength": 64}, "attachments": {"type": "array", "maxItems": 20, "items": {"type": "string", "format": "binary"}, "description": "Files, each at most [limits] max_attachment_bytes (413 naming the file), at most 20 (400, field attachments)."}}}),
   security=False, description=CONV_HOLDERS + " A customer's message goes to the bot while it talks; an agent's stops the bot and takes a conversation nobody holds (409 past [chat] max_per_agent, or when another agent holds it; on WhatsApp it is queued to the customer, and refused with 409 code whatsapp_window_closed more than 24 hours after their last message). Secrets are masked. 429 past 30 customer messages a minute. With files it is a multipart form, under the limits and checks of tickets' uploads: the files are stored only once the caller may write in the conversation now (a refused message keeps no file), and a body larger than [limits] max_body_bytes is read only from someone holding the conversation (anyone else: 413). A message with files skips the bot.")
op("/api/v1/conversations/{id}/attachments/{attachment}", "get", "Download a file sent in a conversation", ["conversations"], {**ok(200, "The file, always as a download (Content-Disposition: attachment, nosniff, sandboxed), with its own content type, except application/octet-stream for what a browser would run (HTML, SVG, XML, scripts) — as tickets' attachments.", {"type": "string", "format": "binary"}, "*/*"), **errs("400", "401", "404")}, params=[P_CONV, pid("attachment", "The file (a message's `attachments[].id`)."), P_CONV_TOKEN],
   security=False, description=CONV_HOLDERS + " 404 too for a file of another conversation.")
op("/api/v1/conversations/{id}/accept", "post", "Accept a waiting conversation", ["conversations"], {**ok(200, "The agent holds it; the customer is told.", ref("ConversationUpdate")), **errs("401", "403", "404", "409")}, params=[P_CONV],
   description="Agents. 409 when it is not waiting (another agent took it) or the caller holds [chat] max_per_agent conversations already. Accepting one's own again changes nothing.")
op("/api/v1/conversations/{id}/transfer", "post", "Pass a conversation to an agent or a group", ["conversations"], {**ok(200, "Passed on; the customer is told.", ref("ConversationUpdate")), **errs("400", "401", "403", "404", "409", "415")}, params=[P_CONV],
   request=body({"type": "object", "additionalProperties": False, "properties": {"agent_id": {"type": "integer", "description": "The agent holds it at once (within their limit)."}, "group_id": {"type": "integer", "description": "Back to waiting, for that group."}}}),
   description="Agents. One of agent_id or group_id.")
op("/api/v1/conversations/{id}/close", "post", "Close a conversation", ["conversations"], {**ok(200, "Closed.", ref("ConversationUpdate")), **errs("401", "403", "404", "409")}, params=[P_CONV, P_CONV_TOKEN],
   security=False, description=CONV_HOLDERS + " The customer closing a conversation the desk owes an answer (handed off and not yet accepted, or they wrote last) with their address known does not lose the case: it becomes the one ticket in their name, as a conversion would (close_reason converted, ticket_number set, a notice saying the answer comes by mail). 409 when it is closed already.")
op("/api/v1/conversations/{id}/convert", "post", "Turn a conversation into a ticket", ["conversations"], {**ok(201, "A new ticket: the transcript (with the chat id) its first message, the files sent, channel chat, tag chat; the conversation is linked to it and closed.", ref("ConversationUpdate")), **ok(200, "No new ticket: the conversation's ticket existed (converted before, or linked to an open ticket, which got the transcript).", ref("ConversationUpdate")), **errs("400", "401", "403", "404", "409")}, params=[P_CONV, P_CONV_TOKEN],
   security=False, description=CONV_HOLDERS + " The customer may convert too (out of hours, offered a ticket). 400 (field `email`) for an anonymous visitor who gave no address.")
op("/api/v1/conversations/{id}/read", "post", "Mark messages read", ["conversations"], {**ok(200, "The conversation with its read marks.", ref("Conversation")), **errs("400", "401", "403", "404", "415")}, params=[P_CONV, P_CONV_TOKEN],
   request=body({"type": "object", "additionalProperties": False, "required": ["seq"], "properties": {"seq": {"type": "integer", "minimum": 0}}}),
   security=False, description=CONV_HOLDERS + " The caller's side (the customer's, or the desk's) has read up to `seq`; a mark never goes back.")
op("/api/v1/conversations/{id}/link", "post", "Continue on an open ticket", ["conversations"], {**ok(200, "Linked: converting adds the transcript to that ticket.", ref("ConversationUpdate")), **errs("400", "401", "403", "404", "409", "415")}, params=[P_CONV],
   request=body({"type": "object", "additionalProperties": False, "required": ["ticket_number"], "properties": {"ticket_number": {"type": "integer"}}}),
   security=False, description="Agents or the signed-in customer. One case = one ticket: the ticket is one of the customer's open tickets (the one offered in an offer_ticket notice) and no other conversation's.")
op("/api/v1/conversations/{id}/email", "put", "An anonymous visitor's email address", ["conversations"], {**ok(200, "Recorded.", ref("ConversationUpdate")), **errs("400", "401", "403", "404", "409", "415")}, params=[P_CONV, P_CONV_TOKEN],
   request=body({"type": "object", "additionalProperties": False, "required": ["email"], "properties": {"email": {"type": "string"}}}),
   security=False, description=CONV_HOLDERS + " Needed before an anonymous visitor's conversation becomes a ticket.")
op("/api/v1/conversations/{id}/transcript", "post", "Mail the transcript to the customer", ["conversations"], {**ok(202, "Queued: the transcript as it stands goes to this address.", {"type": "object", "additionalProperties": False, "required": ["to"], "properties": {"to": {"type": "string", "description": "The conversation's contact's address, or the one an anonymous visitor gave."}}}), **errs("400", "401", "403", "404")}, params=[P_CONV, P_CONV_TOKEN],
   security=False, description=CONV_HOLDERS + " The chat widget's \"Email me the transcript\": one mail in the conversation's language (template conversation_transcript), secrets masked. 400 (field email) while an anonymous visitor has given no address.")
op("/api/v1/conversations/{id}/socket", "get", "A live conversation's WebSocket", ["conversations"], {"101": {"description": "Switching to the WebSocket protocol (same port as HTTP): JSON text frames both ways."}, **errs("400", "404")}, params=[P_CONV],
   security=False, description="Connect with Upgrade: websocket; agents' cookies (or a bearer token) come with the handshake, the widget proves it holds the conversation in its first frame. Client frames: `{\"type\":\"hello\",\"token\":\"...\",\"after\":N}` (first; `after` the newest sequence number the client has, 0 at first), `{\"type\":\"send\",\"client_id\":\"...\",\"text\":\"...\"}` (or `option`, the customer answering the bot), `{\"type\":\"typing\"}`, `{\"type\":\"read\",\"seq\":N}`. Server frames: `welcome` (the conversation), `message` (a ConversationMessage, each once, in sequence order: first those after `after`, then each as it is stored), `ack` (`client_id`, `seq`: stored before this frame; `duplicate` when the client_id was stored before, so a resend after a reconnect never stores twice), `conversation` (its new state), `typing` (`by`), `read` (`by`, `seq`), `error` (`code`, `detail`, and `client_id` when it answers a send). A client that reconnects says hello with the newest seq it has and gets exactly what it missed. docs/chat.md.")
WHATSAPP_OFF = " 404 when the channel is not configured ([whatsapp] verify_token)."
op("/api/v1/channels/whatsapp/webhook", "get", "Meta's verification of the WhatsApp webhook", ["conversations"], {**ok(200, "hub.challenge, echoed as text/plain.", {"type": "string"}, "text/plain"), **errs("400", "403", "404")},
   params=[q("hub.mode", "subscribe."), q("hub.verify_token", "Must be [whatsapp] verify_token."), q("hub.challenge", "Echoed back.")], security=False,
   description="Public: Meta calls it once when the webhook URL is registered (docs/whatsapp.md). 403 when hub.mode is not subscribe or the token does not match." + WHATSAPP_OFF)
op("/api/v1/channels/whatsapp/webhook", "post", "Meta's WhatsApp webhook: messages and delivery reports", ["conversations"], {**ok(200, "Stored before this answer (or recognized as a redelivery, or ignored).", {"type": "object", "additionalProperties": False, "required": ["stored", "duplicates", "statuses", "ignored"], "properties": {
     "stored": {"type": "integer", "description": "Customer messages stored."}, "duplicates": {"type": "integer", "description": "Messages whose id was stored before (Meta redelivers)."},
     "refused": {"type": "integer", "description": "Messages a conversation refused (at its message limit); logged."},
     "statuses": {"type": "integer", "description": "Delivery reports that moved a message forward."}, "ignored": {"type": "integer", "description": "Changes of other fields or objects, other business numbers, untracked statuses."}}}), **errs("400", "401", "404", "503")},
   params=[{"name": "X-Hub-Signature-256", "in": "header", "required": True, "schema": {"type": "string"}, "description": "sha256= and the hex HMAC-SHA256 of the raw body under [whatsapp] app_secret."}],
   request=body({"type": "object", "description": "Meta's webhook payload: object whatsapp_business_account, entry[].changes[] of field messages with value.messages (text, image, document, audio, video, sticker, interactive, button) and value.statuses (sent, delivered, read, failed)."}), security=False,
   description="Public, signed: 401 when X-Hub-Signature-256 is missing or wrong; 400 when the signed body is not JSON or a message lacks its id, sender or timestamp. A customer's message goes to their open WhatsApp conversation or starts one (the bot first when a flow is in effect); files are fetched from the Graph API and stored as the message's attachments (a note says so when that fails; the caption is kept). Other fields and objects are acknowledged with 200 and ignored." + WHATSAPP_OFF)
op("/api/v1/conversations/{id}/whatsapp/template", "post", "Send an approved WhatsApp template", ["conversations"], {**ok(201, "Stored as the agent's message and queued to the Graph API.", {"type": "object", "additionalProperties": False, "required": ["conversation_id", "messages"], "properties": {"conversation_id": {"type": "integer"}, "messages": {"type": "array", "items": {"type": "object", "required": ["seq", "text"], "properties": {"seq": {"type": "integer"}, "text": {"type": "string"}}}}}}), **errs("400", "401", "403", "404", "409", "415")}, params=[P_CONV],
   request=body({"type": "object", "additionalProperties": False, "required": ["name", "language"], "properties": {"name": {"type": "string", "description": "The template's name as approved at Meta: lower-case letters, digits and _."}, "language": {"type": "string", "description": "Its language code at Meta: en_US, pt_BR, es."}, "parameters": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 1024}, "description": "The body's {{1}}, {{2}}, ... in order."}}}),
   description="Agents; WhatsApp conversations only (409 otherwise). The way to write to a customer after the 24-hour window closed; allowed inside it too." + WHATSAPP_OFF)
op("/api/v1/organizations/{id}/chat-secret", "post", "A new chat identity secret for an organization", ["conversations"], {**ok(201, "The secret, shown this once: the organization's site signs its customers' chat identities with it; the previous one stops working.", {"type": "object", "additionalProperties": False, "required": ["organization_id", "secret"], "properties": {"organization_id": {"type": "integer"}, "secret": {"type": "string"}}}), **errs("401", "403", "404")}, params=[pid("id", "The organization.")],
   description="Administrators. Recorded in the audit trail (organization.chat_secret_rotated). docs/chat.md shows how a site signs an identity.")
op("/api/v1/test/clock", "post", "Move the test clock", ["system"], {**ok(200, "The new now, after the scheduler fired what was due.", {"type": "object", "properties": {"now": {"type": "string", "format": "date-time"}}}), **errs("400", "404")},
   request=body({"type": "object", "properties": {"set": {"type": "string", "format": "date-time"}, "advance": {"type": "string", "description": "90m, 4h, 2d (real time)."}}}), security=False,
   description="Exists only when the server runs with `--test-clock` (tests): time stands still until this sets or advances it.")

S["Notification"] = {"type": "object", "properties": {"id": {"type": "integer"}, "kind": {"type": "string", "enum": ["email", "webhook", "whatsapp"]}, "recipient": {"type": "string"},
  "ticket_number": {"type": ["integer", "null"]}, "event": {"type": "string", "description": "`mail.<template>` for mail (`mail.ticket_opened`: docs/mail.md), `sla.warning` or `sla.breached` for an escalation's webhook."}, "payload": {"type": "object"}, "created_at": {"type": "string", "format": "date-time"},
  "attempts": {"type": "integer"}, "sent_at": {"type": ["string", "null"], "format": "date-time"}, "last_error": {"type": ["string", "null"]}}}
op("/api/v1/outbox", "get", "Queued notifications (email and webhooks)", ["system"], {**ok(200, "Newest first.", page_of("Notification")), **errs("400", "401", "403")},
   params=[q("ticket_number", "Only this ticket's.", "integer"), P_LIMIT, P_AFTER], description="Administrators: what Chamado has to send, has sent, and why a delivery failed.")

S["MailIntake"] = {"type": "object", "description": "What became of an email.", "properties": {
  "outcome": {"type": "string", "enum": ["opened", "appended", "duplicate", "ignored"], "description": "opened: a new ticket; appended: a message on the ticket it answers; duplicate: this Message-ID was received before (stored once); ignored: Chamado's own mail come back, or an automatic reply to a closed ticket."},
  "ticket": {"type": ["integer", "null"]}, "message": {"type": ["integer", "null"], "description": "The message it became."},
  "linked_to": {"type": ["integer", "null"], "description": "A new ticket's link to the ticket it answered (a reply from someone other than the requester, or after closing)."},
  "automatic": {"type": "string", "enum": ["none", "auto_reply", "bounce"]}, "reason": {"type": "string"}}}
op("/api/v1/mail/inbound", "post", "Deliver an email (the mail gateway)", ["mail"], {**ok(201, "A new ticket was opened.", ref("MailIntake")), **ok(200, "Appended, a duplicate, or ignored.", ref("MailIntake")), **errs("400", "401", "403", "413", "415")},
   params=[{"name": "X-Envelope-Sender", "in": "header", "schema": {"type": "string"}, "description": "The SMTP envelope sender, used when the mail names no sender in its headers."}],
   request={"required": True, "content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}}}},
   description="Administrators (the token of `chamado mailgate`). The raw RFC 5322 message is the body. It is parsed, secrets are masked, and it is threaded: it joins the ticket it answers (In-Reply-To, References or a [#number] subject tag) when it comes from the requester or an agent; from anybody else, or after closing, it opens a new linked ticket. Auto-replies and bounces never reopen a ticket. 400 means the mail cannot be taken (no sender at all, or an agent's mail that answers no ticket): the gateway makes the MTA bounce it.")
op("/api/v1/messages/{id}/original", "get", "The email a message came from", ["mail"], {**ok(200, "The original, byte for byte, as a download.", {"type": "string", "format": "binary"}, "message/rfc822"), **errs("401", "403", "404")}, params=[P_ID],
   description="Agents. Everything a message could not hold (a very long text, more than 20 files, files over the size limit) is in here.")

# Every operation's operationId (camelCase, stable: clients generate code from them) and, for
# those op() gave none, its description. A route missing here, or an entry naming no route, stops
# the generator, so a new route cannot be published without both.
OPERATIONS = {
 "GET /api/v1/health": ("getHealth", "Public: answers while the server runs. Administrators also get the store's state (`storage`): SQLite's files and write-ahead log, or what the PostgreSQL server says."),
 "GET /api/v1/openapi.json": ("getOpenApi", "Public: the OpenAPI 3.1 description of this API, as this server runs it."),
 "POST /api/v1/session": ("signIn", None),
 "GET /api/v1/session": ("getSession", "The person the session cookie or token acts as, and the CSRF token to send with changes."),
 "DELETE /api/v1/session": ("signOut", "Ends the session of the cookie and clears it."),
 "GET /api/v1/tickets": ("listTickets", "Agents see every ticket; customers those of their organization (their own, without one). Filters combine."),
 "POST /api/v1/tickets": ("createTicket", None),
 "GET /api/v1/tickets/{number}": ("getTicket", "With its links, merges and survey answer; agents also get the SLA clocks and the escalation level. A ticket the caller may not see is 404."),
 "PATCH /api/v1/tickets/{number}": ("updateTicket", None),
 "GET /api/v1/tickets/{number}/messages": ("listMessages", "The ticket's messages with their attachments. Customers never get internal notes."),
 "POST /api/v1/tickets/{number}/messages": ("postMessage", "Agents reply publicly or add an internal note; customers add a message. JSON, or a multipart form with files. The status (and, when solving, the resolution) may change with it. A customer's message reopens a ticket that is pending_customer or solved. On a closed ticket it opens a follow-up, the same rule as for mail (docs/mail.md): a new ticket of the customer's, the message (with its attachments) its first, linked to the closed one (kind follow_up, visible in both tickets' `links`), acknowledged by mail like any new ticket; the answer names it in `follow_up_of`. When the closed ticket was merged into a ticket still active, the message goes there instead. An agent's message on a closed ticket is refused with 409 (open a new ticket for the customer)."),
 "GET /api/v1/tickets/{number}/events": ("listTicketEvents", "Agents. Every change to the ticket, who made it and when, field by field."),
 "GET /api/v1/events": ("streamEvents", None),
 "POST /api/v1/tickets/{number}/presence": ("markPresence", None),
 "POST /api/v1/tickets/{number}/escalation": ("requestEscalation", None),
 "POST /api/v1/tickets/{number}/merge": ("mergeTicket", None),
 "POST /api/v1/tickets/{number}/unmerge": ("unmergeTicket", None),
 "POST /api/v1/tickets/{number}/split": ("splitTicket", None),
 "POST /api/v1/tickets/bulk": ("bulkUpdateTickets", None),
 "GET /api/v1/attachments/{id}": ("getAttachment", "The file of an attachment of a message the caller may see (customers: of public messages of their tickets); otherwise 404."),
 "GET /api/v1/queue": ("getQueue", "Agents. The work waiting: new and open tickets, filtered like GET /tickets."),
 "GET /api/v1/search/tickets": ("searchTickets", None),
 "GET /api/v1/help/search": ("searchHelp", None),
 "GET /api/v1/help/editor/articles": ("listEditedArticles", "Agents. Every article translation, drafts included, with its latest revision, filtered by the parameters given."),
 "GET /api/v1/help/articles/{key}/{language}": ("getArticleSource", "Agents. The translation as stored: its Markdown body, status, tags, latest revision number and who saved it when."),
 "PUT /api/v1/help/articles/{key}/{language}": ("putArticleSource", "Agents. Saves the translation as a new revision by the caller; the same content as the latest makes none (`saved: unchanged`). Unpublish with status draft; articles are not deleted. Every invalid field is named in `errors`; an invalid key or language in the path is a 400 naming it."),
 "GET /api/v1/help/articles/{key}/{language}/revisions": ("listArticleRevisions", "Agents. Every saved state of the translation: number, author, time, status and title."),
 "GET /api/v1/help/articles/{key}/{language}/revisions/{number}": ("getArticleRevision", "Agents. What the translation was at that revision, and what it changed in the body."),
 "POST /api/v1/help/articles/{key}/{language}/revisions/{number}/restore": ("restoreArticleRevision", "Agents. The revision's content becomes the translation's, as a new revision by the caller; nothing is lost: the revisions in between stay in the history."),
 "POST /api/v1/help/images": ("uploadHelpImage", "Agents. Stores an image in the attachment store and answers its public url, to write in an article's Markdown."),
 "GET /api/v1/help/images/{id}/{filename}": ("getHelpImage", "Public: articles' readers need no account. Another filename than the image's is 404."),
 "GET /api/v1/help/products": ("listHelpProducts", None),
 "GET /api/v1/help/articles": ("listHelpArticles", None),
 "GET /api/v1/help/articles/{key}": ("getHelpArticle", None),
 "POST /api/v1/help/articles/{key}/votes": ("voteHelpArticle", None),
 "POST /api/v1/help/articles/{key}/deflections": ("deflectHelpArticle", None),
 "GET /api/v1/tickets/{number}/similar": ("listSimilarTickets", None),
 "POST /api/v1/tickets/similar": ("findSimilarTickets", None),
 "GET /api/v1/tokens": ("listTokens", None),
 "POST /api/v1/tokens": ("createToken", None),
 "DELETE /api/v1/tokens/{id}": ("revokeToken", None),
 "GET /api/v1/views": ("listViews", None),
 "POST /api/v1/views": ("createView", None),
 "PATCH /api/v1/views/{id}": ("updateView", None),
 "DELETE /api/v1/views/{id}": ("deleteView", None),
 "GET /api/v1/macros": ("listMacros", None),
 "POST /api/v1/macros": ("createMacro", None),
 "PATCH /api/v1/macros/{id}": ("updateMacro", None),
 "DELETE /api/v1/macros/{id}": ("deleteMacro", None),
 "POST /api/v1/tickets/{number}/macros/{id}/preview": ("previewMacro", None),
 "GET /api/v1/contacts/{id}/surveys": ("listContactSurveys", "Agents. The satisfaction survey answers the contact gave, with the tickets they were about."),
 "GET /api/v1/routing": ("getRoutingBoard", None),
 "GET /api/v1/agents/{id}/availability": ("getAvailability", "Agents. Whether the agent is away, their capacity and the open tickets assigned to them, as routing sees them."),
 "PATCH /api/v1/agents/{id}/availability": ("updateAvailability", None),
 "GET /api/v1/organizations/{id}/tam": ("getTam", "Agents. The organization's technical account manager and their backup (agents' ids), or null."),
 "PUT /api/v1/organizations/{id}/tam": ("setTam", None),
 "GET /api/v1/priorities": ("listPriorities", "The priorities the policy in effect defines, with their descriptions; the default is marked."),
 "GET /api/v1/categories": ("listCategories", "The categories the policy in effect defines, in the reader's language, with the details each asks for when a ticket is opened."),
 "GET /api/v1/surveys/{number}": ("getSurvey", None),
 "PUT /api/v1/surveys/{number}": ("answerSurvey", None),
 "GET /api/v1/reports/feature-requests": ("getFeatureRequests", None),
 "GET /api/v1/reports/response-times": ("getResponseTimesReport", None),
 "GET /api/v1/reports/sla": ("getSlaReport", None),
 "GET /api/v1/reports/backlog": ("getBacklogReport", None),
 "GET /api/v1/reports/channels": ("getChannelReport", None),
 "GET /api/v1/reports/outcomes": ("getOutcomeReport", None),
 "GET /api/v1/reports/satisfaction": ("getSatisfactionReport", None),
 "GET /api/v1/reports/tickets": ("listReportTickets", None),
 "GET /api/v1/public/response-time": ("getPublicResponseTime", None),
 "GET /api/v1/policy": ("getPolicy", "Agents. The policy's TOML source and what it says: calendars, priorities, targets, plans, automations, routing, outcomes."),
 "PUT /api/v1/policy": ("applyPolicy", None),
 "GET /api/v1/bot/flow": ("getBotFlow", "Agents. The flow in effect: its version, TOML and warnings (a node no path reaches; a category or calendar the policy no longer has). 404 before any flow is applied (also `chamado bot export`)."),
 "PUT /api/v1/bot/flow": ("applyBotFlow", None),
 "GET /api/v1/bot/flow/history": ("listBotFlowVersions", None),
 "POST /api/v1/bot/flow/rollback": ("rollbackBotFlow", None),
 "GET /api/v1/bot/deflections": ("listBotDeflections", None),
 "POST /api/v1/bot/sessions": ("startBotSession", None),
 "GET /api/v1/bot/sessions/{id}": ("getBotSession", None),
 "POST /api/v1/bot/sessions/{id}/messages": ("answerBot", None),
 "GET /api/v1/conversations": ("listConversations", None),
 "POST /api/v1/conversations": ("startConversation", None),
 "GET /api/v1/conversations/{id}": ("getConversation", None),
 "POST /api/v1/conversations/{id}/messages": ("postConversationMessage", None),
 "POST /api/v1/conversations/{id}/accept": ("acceptConversation", None),
 "POST /api/v1/conversations/{id}/transfer": ("transferConversation", None),
 "POST /api/v1/conversations/{id}/close": ("closeConversation", None),
 "POST /api/v1/conversations/{id}/convert": ("convertConversation", None),
 "POST /api/v1/conversations/{id}/read": ("readConversation", None),
 "POST /api/v1/conversations/{id}/link": ("linkConversationTicket", None),
 "PUT /api/v1/conversations/{id}/email": ("setConversationEmail", None),
 "POST /api/v1/conversations/{id}/transcript": ("mailConversationTranscript", None),
 "GET /api/v1/conversations/{id}/socket": ("conversationSocket", None),
 "GET /api/v1/conversations/{id}/attachments/{attachment}": ("getConversationAttachment", None),
 "GET /api/v1/channels/whatsapp/webhook": ("verifyWhatsappWebhook", None),
 "POST /api/v1/channels/whatsapp/webhook": ("receiveWhatsappWebhook", None),
 "POST /api/v1/conversations/{id}/whatsapp/template": ("sendWhatsappTemplate", None),
 "POST /api/v1/organizations/{id}/chat-secret": ("rotateChatSecret", None),
 "POST /api/v1/test/clock": ("moveTestClock", None),
 "GET /api/v1/status": ("getStatusPage", None),
 "GET /api/v1/status/feed.atom": ("getStatusFeed", None),
 "GET /api/v1/status/components/{id}/uptime": ("getComponentUptime", None),
 "POST /api/v1/status/components": ("createStatusComponent", None),
 "PATCH /api/v1/status/components/{id}": ("updateStatusComponent", None),
 "DELETE /api/v1/status/components/{id}": ("deleteStatusComponent", None),
 "GET /api/v1/status/components/{id}/probes": ("listStatusProbes", None),
 "POST /api/v1/status/components/{id}/probes": ("createStatusProbe", None),
 "PATCH /api/v1/status/probes/{id}": ("updateStatusProbe", None),
 "DELETE /api/v1/status/probes/{id}": ("deleteStatusProbe", None),
 "GET /api/v1/status/incidents": ("listStatusIncidents", None),
 "POST /api/v1/status/incidents": ("createStatusIncident", None),
 "GET /api/v1/status/incidents/{id}": ("getStatusIncident", None),
 "PATCH /api/v1/status/incidents/{id}": ("updateStatusIncident", None),
 "DELETE /api/v1/status/incidents/{id}": ("deleteStatusIncident", None),
 "POST /api/v1/status/incidents/{id}/updates": ("postStatusIncidentUpdate", None),
 "PUT /api/v1/status/incidents/{id}/tickets/{number}": ("linkStatusIncidentTicket", None),
 "DELETE /api/v1/status/incidents/{id}/tickets/{number}": ("unlinkStatusIncidentTicket", None),
 "GET /api/v1/status/maintenance": ("listStatusMaintenance", None),
 "POST /api/v1/status/maintenance": ("createStatusMaintenance", None),
 "PATCH /api/v1/status/maintenance/{id}": ("updateStatusMaintenance", None),
 "DELETE /api/v1/status/maintenance/{id}": ("deleteStatusMaintenance", None),
 "GET /api/v1/status/subscribers": ("listStatusSubscribers", None),
 "POST /api/v1/status/subscribers": ("createStatusSubscriber", None),
 "DELETE /api/v1/status/subscribers/{id}": ("deleteStatusSubscriber", None),
 "POST /api/v1/status/unsubscribe": ("unsubscribeFromStatus", None),
 "POST /api/v1/status/subscribe": ("subscribeToStatus", None),
 "POST /api/v1/status/subscribe/confirm": ("confirmStatusSubscription", None),
 "GET /api/v1/outbox": ("listOutbox", None),
 "POST /api/v1/mail/inbound": ("deliverMail", None),
 "GET /api/v1/messages/{id}/original": ("getOriginalMail", None),
}
for kind, one, unique in [("organizations", "Organization", "name"), ("contacts", "Contact", "email"), ("agents", "Agent", "email"), ("groups", "Group", "name")]:
    OPERATIONS[f"GET /api/v1/{kind}"] = (f"list{one}s", f"Agents. The {kind}, a page at a time, filtered by the parameters given." if kind != "groups" else "Agents. Every group, with its members' ids.")
    OPERATIONS[f"POST /api/v1/{kind}"] = (f"create{one}", f"Creates one of the {kind}; 409 (field `{unique}`) when one with that {unique} exists.")
    OPERATIONS[f"GET /api/v1/{kind}/{{id}}"] = (f"get{one}", f"One of the {kind} by id.")
    OPERATIONS[f"PATCH /api/v1/{kind}/{{id}}"] = (f"update{one}", f"Only the fields sent change; 409 (field `{unique}`) when another has that {unique}.")
TAGS = [
 ("tickets", "Tickets, their conversations, history, live events, merging, splitting, bulk changes and search."),
 ("search", "Agents' saved views: searches kept by name."),
 ("macros", "Canned replies agents insert into a reply."),
 ("directory", "Organizations, contacts, agents and groups."),
 ("routing", "Who takes new tickets: agents' availability and capacity, technical account managers."),
 ("outcomes", "What solving tells the customer: satisfaction surveys and feature requests."),
 ("reports", "The support lead's reports: response and resolution times, SLA achievement, backlog, channels, outcomes, satisfaction; their tickets; the published response time (docs/reports.md)."),
 ("policy", "The SLA policy: priorities, categories, targets and the rest of its TOML."),
 ("help", "The public help center."),
 ("help-authoring", "Agents write the help center: articles as Markdown with revisions, diffs and restore, and their images."),
 ("bot", "The chatbot: its flow (TOML, versioned) and conversations any front end can hold (docs/chatbot.md)."),
 ("status", "The public status page: components, probes, incidents, maintenance and time-weighted uptime (docs/status-page.md)."),
 ("conversations", "Live conversations: the chat widget and the agents' console, one case = one ticket (docs/chat.md)."),
 ("mail", "The mail gateway and the emails messages came from."),
 ("session", "Signing in and out, and API tokens."),
 ("system", "Health, this document, the outbox and the test clock."),
]
UNSAFE = {"post", "put", "patch", "delete"}
ids = set()
for path, methods in paths.items():
    for method, o in methods.items():
        key = f"{method.upper()} {path}"
        assert key in OPERATIONS, f"{key} has no entry in OPERATIONS"
        oid, description = OPERATIONS.pop(key)
        assert oid not in ids, f"operationId {oid} is used twice"
        ids.add(oid)
        if description:
            assert "description" not in o, f"{key}: give its description in op() or in OPERATIONS, not both"
            o["description"] = description
        assert o.get("description"), f"{key} has no description"
        # What any request may meet, whatever the route: a malformed request, headers too large, a
        # transfer coding we do not speak, a bug, too many connections; a body too large or too
        # slow where one is read; and the CSRF check on changes made with the cookie.
        extra = ["400", "431", "500", "501", "503"]
        if "requestBody" in o: extra += ["408", "413"]
        if method in UNSAFE and o.get("security") != []: extra += ["403"]
        responses = {**o["responses"], **{c: E[c] for c in extra if c not in o["responses"]}}
        o["responses"] = dict(sorted(responses.items(), key=lambda kv: str(kv[0])))
        methods[method] = {"operationId": oid, **o}
assert not OPERATIONS, f"OPERATIONS names no route for {sorted(OPERATIONS)}"
used_tags = {t for methods in paths.values() for o in methods.values() for t in o["tags"]}
assert used_tags == {t for t, _ in TAGS}, f"tags used {sorted(used_tags)} differ from TAGS"

doc = {"openapi": "3.1.0", "info": {"title": "Chamado API", "version": "1", "description": "The REST API of Chamado, a help desk whose heart is an SLA engine. Errors are RFC 9457 problem details. Lists use cursor pagination: pass `next` as `after`. Authenticate with `Authorization: Bearer <token>` (from `chamado token create` or POST /api/v1/tokens) or with the session cookie from POST /api/v1/session plus the X-CSRF-Token header on state-changing requests. A method a path does not have answers 405 (a problem, `code: invalid_argument`) with Allow naming those it has."},
       "servers": [{"url": "/", "description": "The desk that serves this document (every installation serves its own at /api/v1/openapi.json)."}],
       "tags": [{"name": t, "description": d} for t, d in TAGS],
       "security": [{"bearer": []}, {"session": []}],
       "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}, "session": {"type": "apiKey", "in": "cookie", "name": "chamado_session"}}, "schemas": S,
                      "responses": {name: problem_resp(desc) for name, desc in RESPONSES.values()}},
       "paths": paths}
print(json.dumps(doc, indent=1))
