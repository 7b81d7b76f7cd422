-- V027: reports (issue 14). Every report reads the tickets whose event fell in a period:
-- created, first answered, solved, or whose SLA clock was decided (met when it stopped,
-- breached when it was passed). One index per event keeps a month of a million tickets a
-- range read instead of a scan.
CREATE INDEX tickets_created ON tickets(created_at);
CREATE INDEX tickets_first_response ON tickets(first_response_at) WHERE first_response_at IS NOT NULL;
CREATE INDEX tickets_solved ON tickets(solved_at) WHERE solved_at IS NOT NULL;
-- The instant a clock's outcome became known; reports match this exact expression.
CREATE INDEX ticket_clocks_decided ON ticket_clocks(CASE WHEN state = 'breached' THEN breached_at ELSE stopped_at END)
  WHERE state IN ('met', 'breached');
