"""asyncpg SQL for content's own tables: the only module that speaks SQL. A `PostStore` works on one
connection (in the caller's transaction where there is one); `Database` hands one out."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime

import asyncpg
from kit.outbox import OUTBOX_COLUMNS, OutboxRow
from kit.problems import InvalidInput
from kit.unit import Unit

from content.posts.domain import (
    Cancellation,
    Decision,
    MediaRef,
    NewPost,
    NewsLicence,
    PostKind,
    Privileges,
    Published,
    Restoration,
    Standing,
    StandingChanged,
    StopSnapshot,
)

# --- the read rule, as SQL: every list in content filters with these (content.posts.domain.visible_to) ---


def author_shown_sql(author: str) -> str:
    """SQL: the author's content is served (not hidden by a suspension, closure or cancellation, PA-13.1,
    PA-9.2)."""
    return f"""NOT EXISTS (SELECT 1 FROM author_standing hs
                            WHERE hs.account_id = {author} AND hs.hidden_until > now())"""  # noqa: S608


def public_sql(p: str) -> str:
    """SQL: post alias ``p`` may be shown to anyone (MB-12.2, MB-6.1, PA-12, PA-13.1): published, not
    hidden or awaiting approval under its thread, its author in good standing. Counts use this."""
    return f"({p}.status = 'published' AND {p}.owner_state = 'shown' AND {author_shown_sql(p + '.author_id')})"


def manages_thread_sql(root: str, viewer: str) -> str:
    """SQL: the viewer manages the comments of thread ``root`` (a post id): they wrote the post, or its
    author named them a delegate (MB-10.2, PA-12)."""
    return f"""EXISTS (SELECT 1 FROM post r WHERE r.id = {root}
                       AND (r.author_id = {viewer} OR EXISTS (SELECT 1 FROM comment_delegate d
                                                              WHERE d.owner_id = r.author_id
                                                                AND d.delegate_id = {viewer})))"""  # noqa: S608


def visible_sql(p: str, viewer: str) -> str:
    """SQL: post alias ``p`` may be shown to the viewer (a uuid parameter, NULL for anonymous): what
    anyone may see; the viewer's own under review, held, or hidden by a sanction; and, to the thread's
    owner and delegates, its published comments hidden or awaiting approval (MB-10.2)."""
    return f"""({public_sql(p)} OR ({p}.author_id = {viewer}
                AND {p}.status IN ('pending', 'held', 'published'))
             OR ({p}.kind = 'comment' AND {p}.status = 'published' AND {p}.owner_state <> 'shown'
                 AND {author_shown_sql(p + ".author_id")} AND {manages_thread_sql(p + ".root_id", viewer)}))"""


# An article's text as shown (PA-11): its revision on show, once moderation published a correction (the head
# keeps the first revision's); never a revision stopped since.
_SHOWN_TEXT = """CASE WHEN p.kind = 'article'
            THEN coalesce((SELECT sp.text FROM article a JOIN post sp ON sp.id = a.shown_post_id
                            WHERE a.id = p.id AND sp.status = 'published'), p.text)
            ELSE p.text END AS text"""
# The columns of a post that its view, and the read paths' checks, use (content.posts.schemas.post_read,
# content.interactions.domain.target).
_VIEW_COLUMNS = (
    f"p.id, p.author_id, p.kind, {_SHOWN_TEXT}, p.status, p.created_at, p.decided_at, p.parent_id, p.root_id, "
    "p.owner_state"
)


def views_sql(wanted: str, viewer: str) -> str:
    """One round trip for everything a view of posts needs: the posts ``wanted`` names (SQL yielding rows
    ``(id, n)``, ``n`` their order) and the originals of the reposts among them (``original`` true, after
    the others), each with whether this viewer may see it, its label (MB-11), the record of a stop (MB-12.2,
    for the 451 placeholder), its public counts, the viewer's like and its media (NULL: none). Counts count
    only what anyone may see (public_sql). ``viewer`` is a uuid parameter (NULL for anonymous). A read
    path that selects its posts in SQL passes its query as ``wanted``: one statement for the whole page."""
    return f"""
WITH wanted AS ({wanted}),
shown AS (
    SELECT w.id, w.n, false AS original FROM wanted w
    UNION ALL
    SELECT DISTINCT r.root_id, 0, true FROM wanted w JOIN post r ON r.id = w.id
     WHERE r.kind = 'repost' AND r.root_id IS NOT NULL
)
SELECT s.original, {_VIEW_COLUMNS}, {visible_sql("p", viewer)} AS visible,
       l.rumour_id AS label_rumour_id, l.refutation_text AS label_refutation_text,
       l.refutation_url AS label_refutation_url, l.authority AS label_authority,
       l.legal_basis AS label_legal_basis, l.labelled_at AS label_labelled_at,
       ts.legal_basis AS stop_legal_basis, ts.category AS stop_category, ts.decided_at AS stop_decided_at,
       CASE WHEN p.kind = 'post'
            THEN (SELECT count(*) FROM post c WHERE c.root_id = p.id AND c.kind = 'repost' AND {public_sql("c")})
            ELSE (SELECT count(*) FROM post c WHERE c.parent_id = p.id AND c.kind = 'repost' AND {public_sql("c")})
       END AS reposts,
       CASE WHEN p.kind = 'comment'
            THEN (SELECT count(*) FROM post c WHERE c.parent_id = p.id AND c.kind = 'comment' AND {public_sql("c")})
            ELSE (SELECT count(*) FROM post c WHERE c.root_id = p.id AND c.kind = 'comment' AND {public_sql("c")})
       END AS comments,
       (SELECT count(*) FROM post_like k WHERE k.post_id = p.id) AS likes,
       EXISTS (SELECT 1 FROM post_like k WHERE k.post_id = p.id AND k.account_id = {viewer}) AS liked,
       (SELECT json_agg(json_build_object('media_id', m.media_id, 'content_type', m.content_type,
                                          'size', m.size, 'sha256', m.sha256, 'storage_key', m.storage_key)
                        ORDER BY m.position)
          FROM post_media m WHERE m.post_id = p.id) AS media
  FROM shown s
  JOIN post p ON p.id = s.id
  LEFT JOIN post_label l ON l.post_id = p.id
  LEFT JOIN transmission_stop ts ON ts.post_id = p.id AND ts.restored_at IS NULL
 ORDER BY s.original, s.n"""  # noqa: S608 - fixed SQL, values are parameters


# MB-9: the posts (posts, reposts, comments) the author ($2) published on the Beijing day $19, and the grade's
# daily quota ($20 until identity announced privileges).
_POSTS_USED = """coalesce((SELECT q.used FROM publish_quota_use q
                             WHERE q.account_id = $2 AND q.day = $19::date AND q.what = 'post'), 0)"""
_POSTS_QUOTA = """coalesce((SELECT CASE WHEN s.privileges = '{}'::jsonb THEN $20::int
                                       ELSE coalesce((s.privileges->>'daily_posts')::int, 0) END
                             FROM author_standing s WHERE s.account_id = $2), $20::int)"""

_VIEWS = views_sql("SELECT id, n FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)", "$2::uuid")


# What a published post's announcement carries (PostPublished): the columns, and the values from them.
_PUBLISHED = """p.id, p.author_id, p.kind, p.parent_id, p.root_id, p.created_at, p.decided_at, p.category,
                (SELECT pp.author_id FROM post pp WHERE pp.id = p.parent_id) AS parent_author_id,
                p.kind = 'article' AND coalesce((SELECT a.pushed FROM article a WHERE a.id = p.id), false) AS pushed"""


def _published(rows: list[asyncpg.Record]) -> list[Published]:
    return [
        Published(
            post_id=r["id"],
            author_id=r["author_id"],
            kind=PostKind(r["kind"]),
            parent_id=r["parent_id"],
            root_id=r["root_id"],
            parent_author_id=r["parent_author_id"],
            created_at=r["created_at"],
            published_at=r["decided_at"],
            pushed=bool(r["pushed"]),
            category=r["category"] or "",
        )
        for r in rows
    ]


class PostStore(Unit):
    async def insert_post_announced(
        self,
        post: NewPost,
        *,
        idempotency_key: str | None,
        request_sha256: str | None,
        announcement: OutboxRow,
        logged: OutboxRow,
        owner_state: str = "shown",
        quota_day: date | None = None,
        default_post_quota: int = 0,
    ) -> asyncpg.Record | None:
        """Insert a pending post and its announcement in one statement (one round trip, one implicit
        transaction). None, and no announcement, when the author already sent this idempotency key, is
        barred from publishing at the post's moment (the bar content's domain set, see ``note_standing``)
        or, with ``quota_day`` (the Beijing day), used the grade's daily posts (MB-9: ``daily_posts`` of the
        stored privileges, ``default_post_quota`` until identity said). The count is taken in the same
        statement; two posts of one author at the same instant may both pass the last unit (a soft bound).
        ``logged`` is the publication's user log entry (MB-16.2), announced with the post or not at all."""
        return await self.conn.fetchrow(
            f"""WITH inserted AS (
                    INSERT INTO post (id, author_id, text, status, idempotency_key, request_sha256, created_at,
                                      announced_at, author_province_code, author_registered_at, kind, parent_id,
                                      root_id, owner_state, category)
                    SELECT $1, $2, $3, 'pending', $4, $5, $6, $6, $7, $8, $9, $10, $11, $12, $18
                     WHERE NOT EXISTS (SELECT 1 FROM author_standing
                                        WHERE account_id = $2 AND publishing_barred_until > $6)
                       AND ($19::date IS NULL OR {_POSTS_USED} < {_POSTS_QUOTA})
                    ON CONFLICT DO NOTHING RETURNING *),
                counted AS (
                    INSERT INTO publish_quota_use (account_id, day, what, used)
                    SELECT author_id, $19::date, 'post', 1 FROM inserted WHERE $19::date IS NOT NULL
                    ON CONFLICT (account_id, day, what) DO UPDATE SET used = publish_quota_use.used + 1),
                media AS (
                    INSERT INTO post_media (post_id, position, media_id, content_type, size, sha256, storage_key)
                    SELECT inserted.id, m.position, m.media_id, m.content_type, m.size, m.sha256, m.storage_key
                      FROM inserted, unnest($13::uuid[], $14::text[], $15::bigint[], $16::text[], $17::text[])
                           WITH ORDINALITY AS m(media_id, content_type, size, sha256, storage_key, position)),
                announced AS (
                    INSERT INTO outbox_event {OUTBOX_COLUMNS}
                    SELECT {OutboxRow.placeholders(21)} FROM inserted),
                logged AS (
                    INSERT INTO outbox_event {OUTBOX_COLUMNS}
                    SELECT {OutboxRow.placeholders(21 + len(announcement.params()))} FROM inserted)
                SELECT * FROM inserted""",  # noqa: S608 - fixed SQL, values are parameters
            post.id,
            post.author_id,
            post.text,
            idempotency_key,
            request_sha256,
            post.created_at,
            post.province_code,
            post.registered_at,
            str(post.kind),
            post.parent_id,
            post.root_id,
            owner_state,
            [m.media_id for m in post.media],
            [m.content_type for m in post.media],
            [m.size for m in post.media],
            [m.sha256 for m in post.media],
            [m.storage_key for m in post.media],
            post.category or None,
            quota_day,
            default_post_quota,
            *announcement.params(),
            *logged.params(),
        )

    async def media_of(self, owner_id: uuid.UUID, media_ids: list[uuid.UUID]) -> tuple[MediaRef, ...]:
        """The owner's uploaded media, in the order asked; an id that is not theirs is refused."""
        if not media_ids:
            return ()
        rows = {
            r["id"]: r
            for r in await self.conn.fetch(
                "SELECT * FROM media WHERE id = ANY($1::uuid[]) AND owner_id = $2", media_ids, owner_id
            )
        }
        missing = [str(m) for m in media_ids if m not in rows]
        if missing:
            raise InvalidInput(f"No such media of yours: {', '.join(missing)} (upload with POST /v1/media).")
        if len(set(media_ids)) != len(media_ids):
            raise InvalidInput("A medium is attached at most once.")
        return tuple(
            MediaRef(m, rows[m]["content_type"], rows[m]["size"], rows[m]["sha256"], rows[m]["storage_key"])
            for m in media_ids
        )

    async def post_by_idempotency_key(self, author_id: uuid.UUID, key: str) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT * FROM post WHERE author_id = $1 AND idempotency_key = $2", author_id, key
        )

    async def post_by_id(self, post_id: uuid.UUID, *, for_update: bool = False) -> asyncpg.Record | None:
        lock = " FOR UPDATE" if for_update else ""
        return await self.conn.fetchrow(f"SELECT * FROM post WHERE id = $1{lock}", post_id)  # noqa: S608

    async def publish_if_pending(
        self, decisions: list[Decision], *, from_statuses: tuple[str, ...] = ("pending", "held")
    ) -> list[Published]:
        """Publish the posts still waiting for their decision or a reviewer, in one statement; a
        published, stopped, deleted (or unknown) post is left alone. What was published now. (A restore
        publishes a post stopped before it was ever served: from_statuses ("stopped",).)"""
        rows = await self.conn.fetch(
            f"""WITH published AS (
                    UPDATE post p SET status = 'published', decided_at = now(), decision_id = d.decision_id
                      FROM unnest($1::uuid[], $2::uuid[]) AS d(post_id, decision_id)
                     WHERE p.id = d.post_id AND p.status = ANY($3::text[])
                 RETURNING p.*),
                delivery AS (INSERT INTO post_delivery (post_id) SELECT id FROM published ON CONFLICT DO NOTHING)
                SELECT {_PUBLISHED} FROM published p""",  # noqa: S608 - fixed SQL
            [d.post_id for d in decisions],
            [d.decision_id for d in decisions],
            list(from_statuses),
        )
        revised = [r["id"] for r in rows if r["kind"] in (PostKind.ARTICLE, PostKind.CORRECTION)]
        if revised:  # PA-11: an article's revision moderation published is the one on show (the newest)
            await self.conn.execute(
                """WITH shown AS (
                       UPDATE article_revision SET shown_at = now()
                        WHERE post_id = ANY($1::uuid[]) AND shown_at IS NULL
                    RETURNING article_id, revision, post_id)
                   UPDATE article a SET shown_post_id = s.post_id
                     FROM (SELECT DISTINCT ON (article_id) article_id, revision, post_id FROM shown
                            ORDER BY article_id, revision DESC) s
                    WHERE a.id = s.article_id
                      AND s.revision > coalesce((SELECT r.revision FROM article_revision r
                                                  WHERE r.post_id = a.shown_post_id), 0)""",
                revised,
            )
        return _published(rows)

    async def claim_undelivered(self, *, older_than_s: float, limit: int) -> list[Published]:
        """Published posts a consumer of their announcement has not noted yet (fan-out, notifier), last
        announced longer ago than the threshold, marked announced again now."""
        await self.conn.execute(  # a post stopped, deleted or withdrawn since needs no delivery
            """DELETE FROM post_delivery d USING post p
                WHERE p.id = d.post_id AND p.status <> 'published'
                  AND d.announced_at < now() - make_interval(secs => $1)""",
            older_than_s,
        )
        rows = await self.conn.fetch(
            f"""WITH claimed AS (
                    UPDATE post_delivery SET announced_at = now()
                     WHERE post_id IN (SELECT post_id FROM post_delivery
                                        WHERE announced_at < now() - make_interval(secs => $1)
                                        ORDER BY announced_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                 RETURNING post_id)
                SELECT {_PUBLISHED} FROM claimed c JOIN post p ON p.id = c.post_id
                 WHERE p.status = 'published'""",  # noqa: S608 - fixed SQL
            older_than_s,
            limit,
        )
        return _published(rows)

    async def note_delivered(self, post_ids: list[uuid.UUID]) -> None:
        """The fan-out and the notifier handled these posts' announcements (in their transaction): the
        reconciler announces them no more."""
        await self.conn.execute(
            "DELETE FROM post_delivery WHERE post_id = ANY($1::uuid[])",
            post_ids,
        )

    async def views(self, ids: list[uuid.UUID], viewer: uuid.UUID | None) -> list[asyncpg.Record]:
        """Everything a view of these posts needs, in their order (missing ones left out), then the originals
        of the reposts among them; see views_sql."""
        if not ids:
            return []
        return await self.conn.fetch(_VIEWS, ids, viewer)

    async def delete_post(self, post_id: uuid.UUID, author_id: uuid.UUID, purge_after: datetime) -> str | None:
        """The author deletes their own post, repost or comment (MB-16.2: the row stays as the record until
        purge_after). Its status before, or None when it is not theirs or not there."""
        return await self.conn.fetchval(
            """WITH before AS (SELECT id, status FROM post WHERE id = $1 AND author_id = $2 FOR UPDATE)
               UPDATE post p SET status = CASE WHEN b.status IN ('pending', 'held', 'published') THEN 'deleted'
                                               ELSE p.status END,
                                 deleted_at = coalesce(p.deleted_at, now()),
                                 purge_after = CASE WHEN b.status IN ('pending', 'held', 'published') THEN $3
                                                    ELSE p.purge_after END
                 FROM before b WHERE p.id = b.id
            RETURNING b.status""",
            post_id,
            author_id,
            purge_after,
        )

    async def hold_if_pending(self, decision: Decision) -> None:
        await self.conn.execute(
            "UPDATE post SET status = 'held', decision_id = $2 WHERE id = $1 AND status = 'pending'",
            decision.post_id,
            decision.decision_id,
        )

    async def drop_labels(self, labels: list[tuple[uuid.UUID, uuid.UUID]]) -> None:
        """MB-11: the labels put by these decisions (post id, label decision id) go; none there, nothing to do."""
        await self.conn.executemany("DELETE FROM post_label WHERE post_id = $1 AND decision_id = $2", labels)

    async def attach_label(self, decision: Decision) -> None:
        """The first refutation attached to a published post stays."""
        refutation = decision.refutation
        assert refutation is not None
        await self.conn.execute(
            """INSERT INTO post_label (post_id, decision_id, rumour_id, refutation_text, refutation_url, authority,
                                       legal_basis)
               SELECT $1, $2, $3, $4, $5, $6, $7 FROM post WHERE id = $1 AND status = 'published'
               ON CONFLICT (post_id) DO NOTHING""",
            decision.post_id,
            decision.decision_id,
            refutation.rumour_id,
            refutation.text,
            refutation.url,
            refutation.authority,
            list(decision.legal_basis),
        )

    async def stop_transmission(
        self, post: asyncpg.Record, decision: Decision, snapshot_sha256: str
    ) -> asyncpg.Record | None:
        """Stop the post and keep its snapshot (MB-12.2); the stop's record, or None when one is in force."""
        await self.conn.execute(
            "UPDATE post SET status = 'stopped', decided_at = now(), decision_id = $2 WHERE id = $1",
            post["id"],
            decision.decision_id,
        )
        return await self.conn.fetchrow(
            """INSERT INTO transmission_stop (post_id, decision_id, category, legal_basis, reason, snapshot_text,
                                              snapshot_sha256, decided_at, was_published, evidence_announced_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
               ON CONFLICT (post_id) WHERE restored_at IS NULL DO NOTHING
            RETURNING *""",
            post["id"],
            decision.decision_id,
            decision.category,
            list(decision.legal_basis),
            decision.reason,
            post["text"],
            snapshot_sha256,
            decision.decided_at,
            post["status"] == "published",
        )

    async def stop_snapshots(self, stops: list[asyncpg.Record]) -> list[StopSnapshot]:
        """The sealed snapshots of these stops (MB-12.2): the stopped text with its hash, the post's media with
        theirs, and the author's account and province, as the post recorded them."""
        if not stops:
            return []
        posts = {
            r["id"]: r
            for r in await self.conn.fetch(
                """SELECT p.id, p.author_id, p.author_province_code, p.kind, p.category, p.created_at,
                          coalesce((SELECT array_agg(m.sha256 ORDER BY m.position) FROM post_media m
                                     WHERE m.post_id = p.id), '{}') AS media_sha256,
                          coalesce((SELECT array_agg(m.content_type ORDER BY m.position) FROM post_media m
                                     WHERE m.post_id = p.id), '{}') AS media_types,
                          coalesce((SELECT array_agg(m.size ORDER BY m.position) FROM post_media m
                                     WHERE m.post_id = p.id), '{}') AS media_sizes
                     FROM post p WHERE p.id = ANY($1::uuid[])""",
                [s["post_id"] for s in stops],
            )
        }
        return [
            StopSnapshot(
                decision_id=s["decision_id"],
                post_id=s["post_id"],
                author_id=posts[s["post_id"]]["author_id"],
                author_province_code=posts[s["post_id"]]["author_province_code"] or "",
                kind=PostKind(posts[s["post_id"]]["kind"]),
                text=s["snapshot_text"],
                snapshot_sha256=s["snapshot_sha256"],
                media=tuple(
                    zip(
                        posts[s["post_id"]]["media_sha256"],
                        posts[s["post_id"]]["media_types"],
                        posts[s["post_id"]]["media_sizes"],
                        strict=True,
                    )
                ),
                category=posts[s["post_id"]]["category"] or "",
                created_at=posts[s["post_id"]]["created_at"],
                was_published=bool(s["was_published"]),
                stopped_at=s["stopped_at"],
            )
            for s in stops
            if s["post_id"] in posts
        ]

    async def claim_unheld_evidence(self, *, older_than_s: float, limit: int) -> list[asyncpg.Record]:
        """Stops whose evidence the regulator gateway does not hold yet, last announced longer ago than the
        threshold (or never), marked announced again."""
        return await self.conn.fetch(
            """UPDATE transmission_stop SET evidence_announced_at = now()
                WHERE decision_id IN (
                      SELECT decision_id FROM transmission_stop
                       WHERE evidence_held_at IS NULL
                         AND (evidence_announced_at IS NULL
                              OR evidence_announced_at < now() - make_interval(secs => $1))
                       ORDER BY evidence_announced_at NULLS FIRST LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING *""",
            older_than_s,
            limit,
        )

    async def note_evidence_held(self, decision_id: uuid.UUID) -> None:
        """The regulator gateway holds this stop's evidence (MB-12.2): announce it no more."""
        await self.conn.execute(
            "UPDATE transmission_stop SET evidence_held_at = now() WHERE decision_id = $1 AND evidence_held_at IS NULL",
            decision_id,
        )

    async def mark_stop_restored(self, restoration: Restoration) -> bool | None:
        """MB-12.2: the stop's record keeps its snapshot and is marked restored. Whether the post was served
        before the stop (None: no such stop in force, e.g. restored already)."""
        row = await self.conn.fetchrow(
            """UPDATE transmission_stop SET restored_at = now(), restored_by_decision = $3, restore_reason = $4
                WHERE post_id = $1 AND decision_id = $2 AND restored_at IS NULL
            RETURNING coalesce(was_published, false) AS was_published""",
            restoration.post_id,
            restoration.stop_decision_id,
            restoration.decision_id,
            restoration.reason,
        )
        return row["was_published"] if row is not None else None

    async def serve_again(self, restoration: Restoration) -> None:
        """A restored post that was served before its stop is served again (its timeline entries stayed)."""
        await self.conn.execute(
            "UPDATE post SET status = 'published', decision_id = $2 WHERE id = $1 AND status = 'stopped'",
            restoration.post_id,
            restoration.decision_id,
        )

    async def claim_waiting_posts(self, *, older_than_s: float, limit: int) -> list[NewPost]:
        """Pending posts whose last announcement is older than the threshold, marked re-announced."""
        rows = await self.conn.fetch(
            """UPDATE post SET announced_at = now(), announcements = announcements + 1
                WHERE id IN (SELECT id FROM post
                              WHERE status = 'pending' AND announced_at < now() - make_interval(secs => $1)
                              ORDER BY announced_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING *, (SELECT coalesce(array_agg(m.media_id ORDER BY m.position), '{}') FROM post_media m
                           WHERE m.post_id = post.id) AS media_ids,
                      (SELECT r.title FROM article_revision r WHERE r.post_id = post.id) AS title""",
            older_than_s,
            limit,
        )
        media = (
            {
                r["media_id"]: MediaRef(r["media_id"], r["content_type"], r["size"], r["sha256"], r["storage_key"])
                for r in await self.conn.fetch(
                    "SELECT * FROM post_media WHERE post_id = ANY($1::uuid[])",
                    [r["id"] for r in rows if r["media_ids"]],
                )
            }
            if any(r["media_ids"] for r in rows)
            else {}
        )
        return [
            NewPost(
                id=r["id"],
                author_id=r["author_id"],
                text=r["text"],
                created_at=r["created_at"],
                province_code=r["author_province_code"],
                registered_at=r["author_registered_at"],
                announcement=r["announcements"],
                kind=PostKind(r["kind"]),
                parent_id=r["parent_id"],
                root_id=r["root_id"],
                media=tuple(media[m] for m in r["media_ids"] if m in media),
                category=r["category"] or "",
                title=r["title"] or "",
            )
            for r in rows
        ]

    async def author_standing(self, author_id: uuid.UUID) -> Standing | None:
        """What identity said of the author (standing, cancellation); None when it said nothing yet."""
        row = await self.conn.fetchrow(
            """SELECT s.closed, s.suspended_until, s.limits, s.credit_level, s.limit_basis, c.cancelled_at
                 FROM (SELECT $1::uuid AS id) a
                 LEFT JOIN author_standing s ON s.account_id = a.id
                 LEFT JOIN cancelled_author c ON c.account_id = a.id
                WHERE s.account_id IS NOT NULL OR c.account_id IS NOT NULL""",
            author_id,
        )
        if row is None:
            return None
        return Standing(
            closed=bool(row["closed"]),
            suspended_until=row["suspended_until"],
            limits=tuple(row["limits"] or ()),
            credit_level=row["credit_level"] or "",
            cancelled_at=row["cancelled_at"],
            limit_basis=json.loads(row["limit_basis"]) if row["limit_basis"] else {},
        )

    async def note_standing(
        self,
        standing: StandingChanged,
        *,
        barred_until: datetime | None,
        hidden_until: datetime | None,
        limit_basis: dict[str, str] | None = None,
    ) -> None:
        """Hold the author's latest standing and the publishing bar it means; an older or repeated
        version changes nothing, and a cancelled account's standing is final."""
        await self.conn.execute(
            """INSERT INTO author_standing (account_id, version, credit_level, limits, suspended_until, closed,
                                            publishing_barred_until, hidden_until, limit_basis, grade, privileges)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11::jsonb)
               ON CONFLICT (account_id) DO UPDATE SET version = EXCLUDED.version,
                      grade = EXCLUDED.grade, privileges = EXCLUDED.privileges,
                      credit_level = EXCLUDED.credit_level, limits = EXCLUDED.limits,
                      limit_basis = EXCLUDED.limit_basis,
                      suspended_until = EXCLUDED.suspended_until, closed = EXCLUDED.closed,
                      publishing_barred_until = EXCLUDED.publishing_barred_until,
                      hidden_until = EXCLUDED.hidden_until, updated_at = now()
                WHERE author_standing.version < EXCLUDED.version
                  AND NOT EXISTS (SELECT 1 FROM cancelled_author c WHERE c.account_id = EXCLUDED.account_id)""",
            standing.account_id,
            standing.version,
            standing.credit_level,
            list(standing.limits),
            standing.suspended_until,
            standing.closed,
            barred_until,
            hidden_until,
            json.dumps(limit_basis or {}),
            standing.grade if standing.privileges is not None else None,
            json.dumps(standing.privileges.as_json() if standing.privileges is not None else {}),
        )

    # --- MB-9 / MB-4 / PA-8: what the grade and the licences allow -------------------------------------

    async def privileges(self, account_id: uuid.UUID) -> Privileges:
        """The grade's privileges identity announced (grade-1 defaults until it said)."""
        data = await self.conn.fetchval("SELECT privileges FROM author_standing WHERE account_id = $1", account_id)
        return Privileges.from_json(json.loads(data) if data else None)

    async def news_licences(self, account_id: uuid.UUID) -> list[NewsLicence]:
        return [
            NewsLicence(
                licence_id=r["licence_id"],
                number=r["number"],
                scopes=tuple(r["scopes"]),
                valid_from=r["valid_from"],
                valid_until=r["valid_until"],
                revoked_at=r["revoked_at"],
                version=r["version"],
            )
            for r in await self.conn.fetch("SELECT * FROM news_licence WHERE account_id = $1", account_id)
        ]

    async def posts_used(self, account_id: uuid.UUID, day: date) -> int:
        return (
            await self.conn.fetchval(
                "SELECT used FROM publish_quota_use WHERE account_id = $1 AND day = $2 AND what = 'post'",
                account_id,
                day,
            )
            or 0
        )

    async def use_quota(self, account_id: uuid.UUID, day: date, what: str, quota: int) -> bool:
        """MB-9: take one of today's ``quota`` (in the caller's transaction); False when it is used up."""
        await self.conn.execute(
            """INSERT INTO publish_quota_use (account_id, day, what) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING""",
            account_id,
            day,
            what,
        )
        return (
            await self.conn.fetchval(
                """UPDATE publish_quota_use SET used = used + 1
                    WHERE account_id = $1 AND day = $2 AND what = $3 AND used < $4 RETURNING used""",
                account_id,
                day,
                what,
                quota,
            )
            is not None
        )

    async def withdraw_author(
        self, cancellation: Cancellation, *, barred_until: datetime | None, hidden_until: datetime | None
    ) -> None:
        await self.conn.execute(
            """INSERT INTO cancelled_author (account_id, cancelled_at, purge_after) VALUES ($1, $2, $3)
               ON CONFLICT DO NOTHING""",
            cancellation.account_id,
            cancellation.cancelled_at,
            cancellation.purge_after,
        )
        await self.conn.execute(
            """INSERT INTO author_standing (account_id, version, credit_level, limits, closed, publishing_barred_until,
                                            hidden_until)
               VALUES ($1, 0, '', '{}', false, $2, $3)
               ON CONFLICT (account_id) DO UPDATE SET publishing_barred_until = EXCLUDED.publishing_barred_until,
                      hidden_until = EXCLUDED.hidden_until, updated_at = now()""",
            cancellation.account_id,
            barred_until,
            hidden_until,
        )
        await self.conn.execute(
            """UPDATE post SET status = 'withdrawn', purge_after = $2
                WHERE author_id = $1 AND status IN ('pending', 'held', 'published')""",
            cancellation.account_id,
            cancellation.purge_after,
        )

    async def purge_withdrawn(self) -> int:
        """Delete withdrawn and deleted posts past their retention (their labels, media and likes with them)."""
        ids = [
            r["id"]
            for r in await self.conn.fetch(
                """SELECT id FROM post WHERE status IN ('withdrawn', 'deleted') AND purge_after <= now()
                   LIMIT 1000 FOR UPDATE SKIP LOCKED"""
            )
        ]
        if ids:
            await self.conn.execute("DELETE FROM post_label WHERE post_id = ANY($1::uuid[])", ids)
            await self.conn.execute("DELETE FROM post WHERE id = ANY($1::uuid[])", ids)
        return len(ids)
