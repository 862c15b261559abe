-- MB-7.3, PA-9.1: a V application's proof files are opened by staff one at a time, with a reason, and every
-- opening is recorded (who, which application and file, why, when) in the transaction that opens it.
-- Files are numbered within their application (1, 2, ...): the order they were listed, for files that
-- existed before this migration their filename's.
ALTER TABLE proof_file ADD COLUMN ordinal integer;
UPDATE proof_file p SET ordinal = n.ordinal
  FROM (SELECT id, row_number() OVER (PARTITION BY application_id ORDER BY filename, id) AS ordinal
          FROM proof_file) n
 WHERE n.id = p.id;
ALTER TABLE proof_file ALTER COLUMN ordinal SET NOT NULL;
CREATE UNIQUE INDEX proof_file_ordinal ON proof_file (application_id, ordinal);

CREATE TABLE proof_file_access (
    id              bigserial   PRIMARY KEY,
    staff           text        NOT NULL,
    application_id  uuid        NOT NULL REFERENCES verified_application (id),
    file_ordinal    integer     NOT NULL,
    file_sha256     text        NOT NULL,
    reason          text        NOT NULL,
    opened_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX proof_file_access_newest ON proof_file_access (opened_at DESC, id DESC);
