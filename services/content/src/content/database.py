"""Content's database port (kit.unit): every feature's store on one connection, in a transaction or not.
Handlers take a `Database` (or the `Stores` of an open transaction)."""

from __future__ import annotations

import asyncpg
from kit.unit import Database as KitDatabase
from kit.unit import Unit

from content.articles.store import ArticleStore
from content.gates.store import GateStore
from content.interactions.store import InteractionStore
from content.media.store import MediaStore
from content.notifications.store import NotificationStore
from content.posts.store import PostStore
from content.reads.store import ReadStore
from content.search.store import SearchStore
from content.social.store import SocialStore
from content.timelines.store import TimelineStore
from content.trending.store import TrendingStore


class Stores(Unit):
    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        super().__init__(conn)
        self.posts = PostStore(conn)
        self.social = SocialStore(conn)
        self.interactions = InteractionStore(conn)
        self.notifications = NotificationStore(conn)
        self.media = MediaStore(conn)
        self.search = SearchStore(conn)
        self.timelines = TimelineStore(conn)
        # S4 (issue 13): feature gates (MB-13, PA-12.1).
        self.gates = GateStore(conn)
        # S4 (issue 13): article reads (MB-9, PA-7.2, CM).
        self.reads = ReadStore(conn)
        # S4 (issue 13): the trending list (MB-13, CM).
        self.trending = TrendingStore(conn)
        self.articles = ArticleStore(conn)  # issue 13 §2: articles, public accounts, news licences


class Database(KitDatabase[Stores]):
    def __init__(self, pool: asyncpg.Pool) -> None:
        super().__init__(pool, Stores)
