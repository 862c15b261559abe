"""asyncpg SQL for articles, drafts, revisions and the projections of public accounts and news licences
(issue 13 §2, §5). The read rule is content.posts.store's (visible_sql, public_sql)."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
from kit.unit import Unit

from content.articles.domain import LicenceChanged, PublicAccount
from content.posts.store import public_sql, visible_sql


def article_shown_sql(article: str, viewer: str) -> str:
    """SQL: the article ``article`` (an id) is shown to the viewer (MB-12.2, MB-16.2): its head visible to
    them (content.posts.store.visible_sql: not withdrawn, not stopped, its account's content served) and
    its revision on show not stopped since (the 451 of GET /v1/articles/{id})."""
    return f"""EXISTS (SELECT 1 FROM article sa JOIN post sh ON sh.id = sa.id
                        LEFT JOIN post ss ON ss.id = sa.shown_post_id
                       WHERE sa.id = {article} AND {visible_sql("sh", viewer)}
                         AND (ss.id IS NULL OR ss.status = 'published'))"""  # noqa: S608 - fixed SQL


# An article as shown: the head post (status, times), the revision on show (else the first: only the
# account sees it before moderation published it), the stop of that revision, the account's badge, counts.
_ARTICLE = f"""
SELECT a.id, a.account_id, a.format, a.cover_media_id, a.category, a.original, a.source, a.author_name,
       a.editor_id, a.pushed, a.withdrawn_at, p.status, p.created_at, p.decided_at,
       coalesce(sr.title, r1.title) AS shown_title, coalesce(sr.body_html, r1.body_html) AS shown_body_html,
       coalesce(sr.revision, 1) AS shown_revision,
       CASE WHEN sr.revision > 1 THEN sr.shown_at END AS corrected_at,
       sp.status AS shown_status, ts.legal_basis AS shown_stop_legal_basis, ts.category AS shown_stop_category,
       ts.decided_at AS shown_stop_decided_at,
       pa.name AS pa_name, pa.kind AS pa_kind, pa.label AS pa_label,
       (SELECT count(*) FROM post c WHERE c.root_id = a.id AND c.kind = 'comment' AND {public_sql("c")}) AS comments,
       (SELECT count(*) FROM post_like k WHERE k.post_id = a.id) AS likes,
       coalesce((SELECT rc.reads FROM article_read_count rc WHERE rc.article_id = a.id), 0) AS reads  -- S4
  FROM article a
  JOIN post p ON p.id = a.id
  JOIN article_revision r1 ON r1.article_id = a.id AND r1.revision = 1
  LEFT JOIN article_revision sr ON sr.post_id = a.shown_post_id
  LEFT JOIN post sp ON sp.id = a.shown_post_id
  LEFT JOIN transmission_stop ts ON ts.post_id = a.shown_post_id AND ts.restored_at IS NULL
  LEFT JOIN public_account pa ON pa.account_id = a.account_id"""  # noqa: S608 - fixed SQL


class ArticleStore(Unit):
    # --- projections (identity's news) ------------------------------------------------------------

    async def note_public_account(self, account: PublicAccount) -> None:
        await self.conn.execute(
            """INSERT INTO public_account (account_id, owner_account_id, name, kind, label, category, province_code,
                                           approved_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
               ON CONFLICT (account_id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,
                      label = EXCLUDED.label, category = EXCLUDED.category, province_code = EXCLUDED.province_code""",
            account.account_id,
            account.owner_account_id,
            account.name,
            account.kind,
            account.label,
            account.category,
            account.province_code,
            account.approved_at,
        )

    async def note_licence(self, licence: LicenceChanged) -> None:
        """A newer version only; a repeat or an older one changes nothing."""
        await self.conn.execute(
            """INSERT INTO news_licence (account_id, licence_id, number, scopes, valid_from, valid_until, revoked_at,
                                         version)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
               ON CONFLICT (account_id, licence_id) DO UPDATE SET number = EXCLUDED.number,
                      scopes = EXCLUDED.scopes, valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until,
                      revoked_at = EXCLUDED.revoked_at, version = EXCLUDED.version
                WHERE news_licence.version < EXCLUDED.version""",
            licence.account_id,
            licence.licence_id,
            licence.number,
            list(licence.scopes),
            licence.valid_from,
            licence.valid_until,
            licence.revoked_at,
            licence.version,
        )

    async def public_account(self, account_id: uuid.UUID) -> tuple[PublicAccount | None, bool]:
        """The approved public account, and whether it was cancelled (PA-9.2)."""
        row = await self.conn.fetchrow(
            """SELECT pa.*, (pa.cancelled_at IS NOT NULL
                             OR EXISTS (SELECT 1 FROM cancelled_author c WHERE c.account_id = pa.account_id)) AS gone
                 FROM public_account pa WHERE pa.account_id = $1""",
            account_id,
        )
        if row is None:
            return None, False
        return (
            PublicAccount(
                account_id=row["account_id"],
                owner_account_id=row["owner_account_id"],
                name=row["name"],
                kind=row["kind"],
                label=row["label"],
                category=row["category"],
                province_code=row["province_code"],
                approved_at=row["approved_at"],
            ),
            bool(row["gone"]),
        )

    async def cancelled(self, account_id: uuid.UUID) -> bool:
        """PA-9.2: identity cancelled the account (content.social notes it)."""
        return bool(await self.conn.fetchval("SELECT true FROM cancelled_author WHERE account_id = $1", account_id))

    async def is_public_account(self, account_id: uuid.UUID) -> bool:
        return bool(await self.conn.fetchval("SELECT true FROM public_account WHERE account_id = $1", account_id))

    # --- drafts -----------------------------------------------------------------------------------------

    async def insert_draft(self, draft: dict, *, max_drafts: int) -> asyncpg.Record | None:
        """A new draft, unless the account already keeps ``max_drafts`` (None)."""
        return await self.conn.fetchrow(
            """INSERT INTO article_draft (id, account_id, title, format, body_source, cover_media_id, media_ids,
                                          category, original, source, author_name, editor_id)
               SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12
                WHERE (SELECT count(*) FROM article_draft WHERE account_id = $2) < $13
               RETURNING *""",
            draft["id"],
            draft["account_id"],
            draft["title"],
            draft["format"],
            draft["body_source"],
            draft["cover_media_id"],
            draft["media_ids"],
            draft["category"],
            draft["original"],
            draft["source"],
            draft["author_name"],
            draft["editor_id"],
            max_drafts,
        )

    async def draft(self, account_id: uuid.UUID, draft_id: uuid.UUID, *, for_update: bool = False):
        lock = " FOR UPDATE" if for_update else ""
        return await self.conn.fetchrow(
            f"SELECT * FROM article_draft WHERE id = $1 AND account_id = $2{lock}",  # noqa: S608
            draft_id,
            account_id,
        )

    async def drafts(self, account_id: uuid.UUID, before: tuple | None, limit: int) -> list[asyncpg.Record]:
        updated_at, last_id = before or (None, None)
        return await self.conn.fetch(
            """SELECT * FROM article_draft WHERE account_id = $1
                 AND (updated_at, id) < (coalesce($2::timestamptz, 'infinity'),
                                         coalesce($3::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))
               ORDER BY updated_at DESC, id DESC LIMIT $4""",
            account_id,
            updated_at,
            last_id,
            limit + 1,
        )

    async def update_draft(self, draft: dict, version: int) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            """UPDATE article_draft SET title = $3, format = $4, body_source = $5, cover_media_id = $6, media_ids = $7,
                      category = $8, original = $9, source = $10, author_name = $11, editor_id = $12,
                      updated_at = now(), version = version + 1
                WHERE id = $1 AND account_id = $2 AND version = $13 RETURNING *""",
            draft["id"],
            draft["account_id"],
            draft["title"],
            draft["format"],
            draft["body_source"],
            draft["cover_media_id"],
            draft["media_ids"],
            draft["category"],
            draft["original"],
            draft["source"],
            draft["author_name"],
            draft["editor_id"],
            version,
        )

    async def delete_draft(self, account_id: uuid.UUID, draft_id: uuid.UUID) -> bool:
        return (
            await self.conn.fetchval(
                "DELETE FROM article_draft WHERE id = $1 AND account_id = $2 RETURNING true", draft_id, account_id
            )
            is not None
        )

    # --- articles -------------------------------------------------------------------------------------

    async def insert_article(self, article: dict, *, body_html: str) -> None:
        """The article and its first revision (the head post is already inserted, same transaction)."""
        await self.conn.execute(
            """INSERT INTO article (id, account_id, title, format, body_source, body_html, cover_media_id, category,
                                    original, source, author_name, editor_id, pushed, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)""",
            article["id"],
            article["account_id"],
            article["title"],
            article["format"],
            article["body_source"],
            body_html,
            article["cover_media_id"],
            article["category"],
            article["original"],
            article["source"],
            article["author_name"],
            article["editor_id"],
            article["pushed"],
            article["created_at"],
        )
        await self.insert_revision(
            post_id=article["id"],
            article_id=article["id"],
            revision=1,
            title=article["title"],
            body_source=article["body_source"],
            body_html=body_html,
            correction_note=None,
            editor_id=article["editor_id"],
            created_at=article["created_at"],
        )

    async def insert_revision(self, **revision: object) -> None:
        await self.conn.execute(
            """INSERT INTO article_revision (post_id, article_id, revision, title, body_source, body_html,
                                             correction_note, editor_id, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
            revision["post_id"],
            revision["article_id"],
            revision["revision"],
            revision["title"],
            revision["body_source"],
            revision["body_html"],
            revision["correction_note"],
            revision["editor_id"],
            revision["created_at"],
        )

    async def article_for_update(self, article_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            """SELECT a.*, (SELECT max(revision) FROM article_revision r WHERE r.article_id = a.id) AS last_revision,
                      (SELECT r.title FROM article_revision r WHERE r.post_id = coalesce(a.shown_post_id, a.id))
                          AS shown_title
                 FROM article a WHERE a.id = $1 FOR UPDATE""",
            article_id,
        )

    async def article(self, article_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow(f"{_ARTICLE} WHERE a.id = $1", article_id)

    async def articles_of(
        self, account_id: uuid.UUID, viewer: uuid.UUID | None, before: tuple | None, limit: int
    ) -> list[asyncpg.Record]:
        """The account's articles this viewer may see (visible_sql before LIMIT), newest first; an
        article whose revision on show was stopped is left out (MB-12.2)."""
        created_at, last_id = before or (None, None)
        return await self.conn.fetch(
            f"""{_ARTICLE}
                WHERE a.account_id = $1 AND {visible_sql("p", "$2::uuid")}
                  AND (sp.status IS NULL OR sp.status = 'published')
                  AND (p.created_at, p.id) < (coalesce($3::timestamptz, 'infinity'),
                                              coalesce($4::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))
                ORDER BY p.created_at DESC, p.id DESC LIMIT $5""",
            account_id,
            viewer,
            created_at,
            last_id,
            limit + 1,
        )

    async def withdraw(self, article_id: uuid.UUID, account_id: uuid.UUID, purge_after: datetime) -> bool | None:
        """MB-16.2: the head and every revision become deleted (410 on every path); the rows are kept
        until ``purge_after``. None when it is not the account's; whether it was withdrawn now (not before)."""
        now_withdrawn = await self.conn.fetchval(
            """WITH before AS (SELECT withdrawn_at FROM article WHERE id = $1 AND account_id = $2 FOR UPDATE)
               UPDATE article a SET withdrawn_at = coalesce(a.withdrawn_at, now())
                 FROM before b WHERE a.id = $1 AND a.account_id = $2 RETURNING b.withdrawn_at IS NULL""",
            article_id,
            account_id,
        )
        if now_withdrawn is None:
            return None
        await self.conn.execute(
            """UPDATE post SET status = 'deleted', deleted_at = coalesce(deleted_at, now()), purge_after = $3
                WHERE (id = $1 OR (kind = 'correction' AND parent_id = $1)) AND author_id = $2
                  AND status IN ('pending', 'held', 'published')""",
            article_id,
            account_id,
            purge_after,
        )
        return now_withdrawn

    async def revisions(self, article_id: uuid.UUID) -> list[asyncpg.Record]:
        """PA-11: the revisions moderation published and that are still shown, oldest first."""
        return await self.conn.fetch(
            """SELECT r.* FROM article_revision r JOIN post p ON p.id = r.post_id
                WHERE r.article_id = $1 AND r.shown_at IS NOT NULL AND p.status = 'published'
                ORDER BY r.revision""",
            article_id,
        )
