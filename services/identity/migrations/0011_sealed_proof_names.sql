-- MB-7.3 / PA-9.1: the name on a V application's proof is personal data (for an individual, the legal
-- name): it is sealed like the other personal data, never kept in plaintext. What an approved account
-- shows is the name its applicant chose to show (display_name, checked against impersonation, CM).
--
-- Plain SQL cannot encrypt: identity seals the proof names earlier versions left in plaintext at
-- start-up (identity.verified.seal_plaintext_proof_names, also `identity.cli seal-proof-names`) and
-- empties `proof_name`; a later migration drops the column once every deployment has started once.
ALTER TABLE verified_application
    ADD COLUMN proof_name_ciphertext bytea,
    ADD COLUMN display_name          text,
    ALTER COLUMN proof_name DROP NOT NULL;

-- Existing applications: an organization shows its registered name (public by law); an individual the
-- display name of the account, or no name until it chooses one (never its legal name).
UPDATE verified_application v
   SET display_name = CASE WHEN v.v_type = 'individual' THEN a.display_name ELSE v.proof_name END
  FROM account a
 WHERE a.id = v.account_id;

-- The account shows the chosen name, not the proof name.
ALTER TABLE account RENAME COLUMN verified_name TO verified_display_name;
UPDATE account SET verified_display_name = display_name WHERE verified_type = 'individual';

-- No new plaintext, ever: checked on every insert and update from now on (NOT VALID: the rows left by
-- earlier versions are sealed at start-up, which empties the column and so satisfies it).
ALTER TABLE verified_application ADD CONSTRAINT proof_name_sealed CHECK (proof_name IS NULL) NOT VALID;
