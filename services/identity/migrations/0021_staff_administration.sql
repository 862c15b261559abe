-- Staff accounts administered by operators (MB-6.1, PA-5.1): disabled and enabled with a reason, roles
-- changed; every change recorded (`staff_change`), and the member's tokens revoked at once: tokens issued
-- before `issued_before` are refused by every service (auth.revocation.v1, claim "sub"), announced again
-- until `expires_at`, when every such token has expired anyway.
CREATE TABLE staff_change (
    id            bigserial   PRIMARY KEY,
    staff_id      uuid        NOT NULL REFERENCES staff (id),
    change        text        NOT NULL CHECK (change IN ('disabled', 'enabled', 'roles')),
    roles_before  text[]      NOT NULL,
    roles_after   text[]      NOT NULL,
    reason        text,
    changed_by    text        NOT NULL,
    changed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_change_member ON staff_change (staff_id, id);

CREATE TABLE staff_revocation (
    id             bigserial   PRIMARY KEY,
    staff_id       uuid        NOT NULL REFERENCES staff (id),
    issued_before  timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    reason         text        NOT NULL
);
CREATE INDEX staff_revocation_member ON staff_revocation (staff_id, issued_before DESC);
CREATE INDEX staff_revocation_expires ON staff_revocation (expires_at);

CREATE INDEX staff_listing ON staff (created_at, id);
