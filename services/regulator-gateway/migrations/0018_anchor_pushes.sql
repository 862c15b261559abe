-- Issue 15 (MB-16.2): the user-log archive's signed daily anchors are pushed to every office with an endpoint too,
-- as they are signed: an office that keeps them can detect any later change, deletion or insertion of a record
-- without trusting the platform, without having to ask for them. A delivery is of a report (a version of it) or
-- of an anchor (a day's).
ALTER TABLE push_delivery
    ADD COLUMN item_kind  text NOT NULL DEFAULT 'report' CHECK (item_kind IN ('report', 'anchor')),
    ADD COLUMN anchor_day date,
    ALTER COLUMN report_id DROP NOT NULL;
ALTER TABLE push_delivery ADD CONSTRAINT push_delivery_item CHECK (
    (item_kind = 'report' AND report_id IS NOT NULL AND anchor_day IS NULL)
    OR (item_kind = 'anchor' AND anchor_day IS NOT NULL AND report_id IS NULL));
ALTER TABLE push_delivery DROP CONSTRAINT push_delivery_office_id_report_id_version_key;
CREATE UNIQUE INDEX push_delivery_report ON push_delivery (office_id, report_id, version) WHERE item_kind = 'report';
CREATE UNIQUE INDEX push_delivery_anchor ON push_delivery (office_id, anchor_day) WHERE item_kind = 'anchor';
