-- MB-7.3: a verified-account filing carried the name on the proof, for an individual its legal name.
-- Filings now carry the name the account shows (display_name). Earlier filings: an organization's
-- proof name is its registered name (public) and becomes its display_name; an individual's is removed.
UPDATE filing
   SET details = (details - 'verified_name')
                 || jsonb_build_object('display_name',
                                       CASE WHEN details ->> 'verified_type' = 'individual' THEN NULL
                                            ELSE details -> 'verified_name' END)
 WHERE kind = 'verified_account' AND details ? 'verified_name';
