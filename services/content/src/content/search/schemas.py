"""HTTP shapes of search: a page of posts, each shown as every read path shows it (PostRead)."""

from __future__ import annotations

from kit.pagination import Page

from content.posts.schemas import PostRead

SearchPage = Page[PostRead]
