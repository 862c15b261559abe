"""The timelines' rules, free of I/O (MB-2): what fans out into home timelines and what is merged when
a home timeline is read."""

from __future__ import annotations

from content.posts.domain import PostKind

# What an account's own timeline and a home timeline show: posts and reposts, never comments.
TIMELINE_KINDS = (PostKind.POST, PostKind.REPOST)


def on_timelines(kind: PostKind) -> bool:
    """A post or repost is shown on timelines; a comment only under its thread."""
    return kind in TIMELINE_KINDS


def merged_at_read(followers: int, max_followers: int) -> bool:
    """An account with at least ``max_followers`` followers is not fanned out: its posts are merged into
    each follower's home timeline when it is read, so a post costs one write, not one per follower.
    (The home timeline's SQL applies the same comparison: content.timelines.store.)"""
    return followers >= max_followers


def fans_out(kind: PostKind, followers: int, max_followers: int, *, pushed: bool = False) -> bool:
    """A published post or repost of an ordinary account is written into each follower's home timeline; an
    article only when its account pushed it to every subscriber (群发, MB-9: the grade allows it)."""
    shown = on_timelines(kind) or (kind is PostKind.ARTICLE and pushed)
    return shown and not merged_at_read(followers, max_followers)
