-- V031: V028's trigger read a clock's report facts again after every update of the clock,
-- and rewrote the ticket's report columns (and their covering indexes) even when the facts
-- stayed the same, as they do for a running clock whose used time grew. It now runs only
-- when what the facts derive from changed: the state, when the clock stopped or was
-- breached, and the business time of a stopped clock (the same as SQLite's V031).
DROP TRIGGER ticket_clocks_report_update ON ticket_clocks;
CREATE TRIGGER ticket_clocks_report_update AFTER UPDATE ON ticket_clocks
  FOR EACH ROW WHEN (NEW.target IN ('first_response', 'resolution')
                     AND (OLD.state IS DISTINCT FROM NEW.state OR OLD.stopped_at IS DISTINCT FROM NEW.stopped_at
                          OR OLD.breached_at IS DISTINCT FROM NEW.breached_at
                          OR (NEW.stopped_at IS NOT NULL AND OLD.used_ms IS DISTINCT FROM NEW.used_ms)
                          OR OLD.target IS DISTINCT FROM NEW.target OR OLD.ticket_number IS DISTINCT FROM NEW.ticket_number))
  EXECUTE FUNCTION ticket_clocks_report();
