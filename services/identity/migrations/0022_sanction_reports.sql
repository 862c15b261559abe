-- Issue 15 (PA-13.1, PA-13.2, MB-16.1): suspensions, closures and blacklistings are reported to the regulator of the
-- account's province (SanctionImposed), and lifting one amends its report (SanctionLifted). reported_version: the
-- report's version the regulator gateway confirmed (its ReportFiled): 0 none yet, 1 as filed, 2 amended by the
-- lift. report_announced_at: when identity last announced it; the reconciler announces again what is not
-- confirmed (sanctions from before this migration too).
ALTER TABLE sanction
    ADD COLUMN reported_version    integer NOT NULL DEFAULT 0,
    ADD COLUMN report_announced_at timestamptz;
CREATE INDEX sanction_unreported ON sanction (report_announced_at NULLS FIRST)
    WHERE kind IN ('suspend_updates', 'close', 'blacklist') AND reported_version < 2;
