-- Search finds articles (issue 13 §2, PA-11): each article and correction by its own moderated text, in an
-- index of their own (the posts' index keeps its predicate, so the posts' search plans are unchanged).
-- IF NOT EXISTS: a database of an unlanded build may have it from 0017 already.
CREATE INDEX IF NOT EXISTS post_search_article ON post USING gin (search_document(text))
    WHERE kind IN ('article', 'correction');
