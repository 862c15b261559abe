-- MB-9, PA-7.2: how strictly an author's publications are reviewed is a privilege of its grade, in the filed
-- grading rules (identity's AccountStandingChanged.privileges.review): 'publish_then_check' or 'hold'.
-- NULL until identity says (routing then follows the other standing rules alone).
ALTER TABLE author_standing ADD COLUMN review_mode text;
