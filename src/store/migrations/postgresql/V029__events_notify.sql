-- V029: instances sharing the database hear of new ticket events at once (store/bus.h). A
-- statement that inserts events notifies channel chamado_events_<16 hex digits of the md5 of
-- the schema's name> (channels belong to the database; desks in two schemas keep apart);
-- PostgreSQL delivers it at commit, once per transaction, to every instance listening, whose
-- live feed then reads the events (GET /api/v1/events) instead of waiting for its next poll.
CREATE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('chamado_events_' || left(md5(current_schema()), 16), '');
  RETURN NULL;
END
$$;
CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION events_notify();
