-- depends: kit_0001_outbox_inbox
-- Wake the outbox relay when rows are added: one NOTIFY per inserting statement, delivered at
-- commit (and coalesced per transaction), with no extra round trip from the application.
CREATE OR REPLACE FUNCTION kit_outbox_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox_event', '');
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS outbox_event_notify ON outbox_event;
CREATE TRIGGER outbox_event_notify AFTER INSERT ON outbox_event
    FOR EACH STATEMENT EXECUTE FUNCTION kit_outbox_event_notify();
