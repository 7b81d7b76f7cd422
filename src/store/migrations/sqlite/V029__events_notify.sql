-- V029: nothing on SQLite. On PostgreSQL the events table's inserts notify the other
-- instances sharing the database (store/bus.h); a SQLite file is one instance's, whose live
-- feed hears its own commits. The number is kept so both engines report the same schema.
SELECT 1;
