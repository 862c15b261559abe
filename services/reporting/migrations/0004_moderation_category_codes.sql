-- A complaint's category matches a decision's: reporting files complaints in moderation's BJ-10 codes
-- (the contract's categories). Complaints filed under the three codes reporting spelled its own way
-- are rewritten to the codes moderation decides in.
UPDATE complaint SET reason = CASE reason
        WHEN 'bj10.constitution' THEN 'bj10.against_constitution'
        WHEN 'bj10.rumour' THEN 'bj10.rumour_disturbing_order'
        WHEN 'bj10.religion_cult_superstition' THEN 'bj10.religion_cults_superstition'
    END
 WHERE reason IN ('bj10.constitution', 'bj10.rumour', 'bj10.religion_cult_superstition');
