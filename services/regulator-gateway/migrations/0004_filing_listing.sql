-- Filings are listed oldest first, a page after another (keyset on filed_at, id): every filing can be read.
CREATE INDEX filing_listing ON filing (filed_at, id);
