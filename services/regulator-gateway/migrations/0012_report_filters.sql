-- Issue 15 (MB-12.2, MB-16.1): reports listed by requirement ID, BJ-10 category, province, kind and time.
-- Category, province and requirement IDs (legal_basis) were kept; the kind of stop was not: it is moderation's
-- stage of the decision (publication, review, retro_scan, takedown). New reports carry it; a report filed
-- before stays NULL (its row holds nothing it could be derived from) and matches no kind filter.
ALTER TABLE report ADD COLUMN kind text;
CREATE INDEX report_legal_basis ON report USING gin (legal_basis);
CREATE INDEX report_province_listing ON report (province_code, filed_at, id);
