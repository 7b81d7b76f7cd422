-- V027: reports (issue 14). Every report reads the tickets whose event fell in a period:
-- created, first answered, solved, or whose SLA clock was decided (met when it stopped in
-- time, breached at the instant its target passed).
--
-- What the reports read of the first-response and resolution clocks is kept on the ticket by
-- the triggers below, so that a report over a year of a million tickets is one range read of
-- one covering index, not a join per ticket: the business time a stopped clock used, its
-- outcome, and when that outcome was decided. next_response keeps its cycles in ticket_clocks
-- alone and is read from there.
ALTER TABLE tickets ADD COLUMN first_response_business_ms INTEGER;  -- a stopped, met or breached clock's; else NULL
ALTER TABLE tickets ADD COLUMN first_response_outcome TEXT;         -- 'met', 'breached'; NULL while undecided
ALTER TABLE tickets ADD COLUMN first_response_decided_at INTEGER;   -- met: when it stopped; breached: when it was passed
ALTER TABLE tickets ADD COLUMN resolution_business_ms INTEGER;
ALTER TABLE tickets ADD COLUMN resolution_outcome TEXT;
ALTER TABLE tickets ADD COLUMN resolution_decided_at INTEGER;

CREATE TRIGGER ticket_clocks_report_first_response_insert AFTER INSERT ON ticket_clocks WHEN NEW.target = 'first_response' BEGIN
  UPDATE tickets SET
    first_response_business_ms = CASE WHEN NEW.stopped_at IS NOT NULL AND NEW.state IN ('met', 'breached') THEN NEW.used_ms END,
    first_response_outcome = CASE WHEN NEW.state IN ('met', 'breached') THEN NEW.state END,
    first_response_decided_at = CASE NEW.state WHEN 'met' THEN NEW.stopped_at WHEN 'breached' THEN NEW.breached_at END
  WHERE number = NEW.ticket_number;
END;
CREATE TRIGGER ticket_clocks_report_first_response_update AFTER UPDATE ON ticket_clocks WHEN NEW.target = 'first_response' BEGIN
  UPDATE tickets SET
    first_response_business_ms = CASE WHEN NEW.stopped_at IS NOT NULL AND NEW.state IN ('met', 'breached') THEN NEW.used_ms END,
    first_response_outcome = CASE WHEN NEW.state IN ('met', 'breached') THEN NEW.state END,
    first_response_decided_at = CASE NEW.state WHEN 'met' THEN NEW.stopped_at WHEN 'breached' THEN NEW.breached_at END
  WHERE number = NEW.ticket_number;
END;
CREATE TRIGGER ticket_clocks_report_first_response_delete AFTER DELETE ON ticket_clocks WHEN OLD.target = 'first_response' BEGIN
  UPDATE tickets SET first_response_business_ms = NULL, first_response_outcome = NULL, first_response_decided_at = NULL
  WHERE number = OLD.ticket_number;
END;
CREATE TRIGGER ticket_clocks_report_resolution_insert AFTER INSERT ON ticket_clocks WHEN NEW.target = 'resolution' BEGIN
  UPDATE tickets SET
    resolution_business_ms = CASE WHEN NEW.stopped_at IS NOT NULL AND NEW.state IN ('met', 'breached') THEN NEW.used_ms END,
    resolution_outcome = CASE WHEN NEW.state IN ('met', 'breached') THEN NEW.state END,
    resolution_decided_at = CASE NEW.state WHEN 'met' THEN NEW.stopped_at WHEN 'breached' THEN NEW.breached_at END
  WHERE number = NEW.ticket_number;
END;
CREATE TRIGGER ticket_clocks_report_resolution_update AFTER UPDATE ON ticket_clocks WHEN NEW.target = 'resolution' BEGIN
  UPDATE tickets SET
    resolution_business_ms = CASE WHEN NEW.stopped_at IS NOT NULL AND NEW.state IN ('met', 'breached') THEN NEW.used_ms END,
    resolution_outcome = CASE WHEN NEW.state IN ('met', 'breached') THEN NEW.state END,
    resolution_decided_at = CASE NEW.state WHEN 'met' THEN NEW.stopped_at WHEN 'breached' THEN NEW.breached_at END
  WHERE number = NEW.ticket_number;
END;
CREATE TRIGGER ticket_clocks_report_resolution_delete AFTER DELETE ON ticket_clocks WHEN OLD.target = 'resolution' BEGIN
  UPDATE tickets SET resolution_business_ms = NULL, resolution_outcome = NULL, resolution_decided_at = NULL
  WHERE number = OLD.ticket_number;
END;

-- The clocks computed before this migration.
UPDATE tickets SET
  first_response_business_ms = CASE WHEN c.stopped_at IS NOT NULL AND c.state IN ('met', 'breached') THEN c.used_ms END,
  first_response_outcome = CASE WHEN c.state IN ('met', 'breached') THEN c.state END,
  first_response_decided_at = CASE c.state WHEN 'met' THEN c.stopped_at WHEN 'breached' THEN c.breached_at END
FROM ticket_clocks c WHERE c.ticket_number = tickets.number AND c.target = 'first_response';
UPDATE tickets SET
  resolution_business_ms = CASE WHEN c.stopped_at IS NOT NULL AND c.state IN ('met', 'breached') THEN c.used_ms END,
  resolution_outcome = CASE WHEN c.state IN ('met', 'breached') THEN c.state END,
  resolution_decided_at = CASE c.state WHEN 'met' THEN c.stopped_at WHEN 'breached' THEN c.breached_at END
FROM ticket_clocks c WHERE c.ticket_number = tickets.number AND c.target = 'resolution';

-- One covering index per event: a report's period is a range of it, and what the report
-- groups, measures and filters by (organization and so plan, group, agent) is in the index
-- itself, so no report reads the ticket's row.
CREATE INDEX tickets_created ON tickets(created_at, channel, priority, organization_id, group_id, assignee_id);
CREATE INDEX tickets_first_response ON tickets(first_response_at, created_at, priority_rank, priority, first_response_business_ms,
  organization_id, group_id, assignee_id) WHERE first_response_at IS NOT NULL;
CREATE INDEX tickets_solved ON tickets(solved_at, created_at, priority_rank, priority, resolution_business_ms, channel, resolution,
  organization_id, group_id, assignee_id) WHERE solved_at IS NOT NULL;
CREATE INDEX tickets_first_response_decided ON tickets(first_response_decided_at, priority_rank, priority, first_response_outcome,
  organization_id, group_id, assignee_id) WHERE first_response_decided_at IS NOT NULL;
CREATE INDEX tickets_resolution_decided ON tickets(resolution_decided_at, priority_rank, priority, resolution_outcome,
  organization_id, group_id, assignee_id) WHERE resolution_decided_at IS NOT NULL;
-- next_response clocks by the instant their outcome became known; reports match this exact
-- expression. The target comes first: a year of other targets' clocks is not scanned for them.
CREATE INDEX ticket_clocks_decided ON ticket_clocks(target, (CASE WHEN state = 'breached' THEN breached_at ELSE stopped_at END), state)
  WHERE state IN ('met', 'breached');
