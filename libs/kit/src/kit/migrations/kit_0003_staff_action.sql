-- Every request a staff member makes to this service (MB-6.1, MB-7.3, PA-9.1): who, with which roles,
-- what, when, and — for reads of personal data — why. Appended by the kit's staff check; never updated.
CREATE TABLE staff_action (
    id          bigserial PRIMARY KEY,
    actor       text        NOT NULL,
    roles       text[]      NOT NULL,
    method      text        NOT NULL,
    path        text        NOT NULL,
    allowed     boolean     NOT NULL,
    reason      text,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_action_actor ON staff_action (actor, at);
