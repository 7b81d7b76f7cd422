-- V031: V027's trigger read a clock's report facts again after every update of the clock,
-- and rewrote the ticket's report columns (and their five covering indexes) even when the
-- facts stayed the same, as they do for a running clock whose used time grew. It now runs
-- only when what the facts derive from changed: the state, when the clock stopped or was
-- breached, and the business time of a stopped clock (the scheduler's pass firing 1,000
-- breaches wrote each ticket's row two or three times; bench/scheduler_bench.cc).
DROP TRIGGER ticket_clocks_report_update;
CREATE TRIGGER ticket_clocks_report_update AFTER UPDATE ON ticket_clocks
WHEN NEW.target IN ('first_response', 'resolution')
 AND (OLD.state IS NOT NEW.state OR OLD.stopped_at IS NOT NEW.stopped_at OR OLD.breached_at IS NOT NEW.breached_at
      OR (NEW.stopped_at IS NOT NULL AND OLD.used_ms IS NOT NEW.used_ms)
      OR OLD.target IS NOT NEW.target OR OLD.ticket_number IS NOT NEW.ticket_number) BEGIN
  UPDATE tickets SET (first_response_business_ms, first_response_outcome, first_response_decided_at) =
    (SELECT business_ms, outcome, decided_at FROM ticket_clock_report_facts WHERE ticket_number = NEW.ticket_number AND target = 'first_response'),
    (resolution_business_ms, resolution_outcome, resolution_decided_at) =
    (SELECT business_ms, outcome, decided_at FROM ticket_clock_report_facts WHERE ticket_number = NEW.ticket_number AND target = 'resolution')
  WHERE number = NEW.ticket_number;
END;
