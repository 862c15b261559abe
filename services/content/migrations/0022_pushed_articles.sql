-- MB-9 (issue 13): the articles a public account pushed to every subscriber (群发). A large account's
-- (FANOUT_MAX_FOLLOWERS) are merged into its subscribers' home timelines when they are read, like its posts
-- (content.timelines.store); this finds its few pushed ones without reading its every article.
CREATE INDEX article_pushed ON article (account_id, created_at DESC, id) WHERE pushed;
