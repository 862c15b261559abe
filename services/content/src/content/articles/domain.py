"""Articles' rules, free of I/O (issue 13 §2, PA-7.1, PA-11, MB-9): who may write, the limits, push, and
what identity says of public accounts, as plain values. The news-licence rule is content.posts.domain's
(posts, reposts and articles share it)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from kit.problems import Conflict, Forbidden, InvalidInput

from content.posts.domain import Category, Privileges

__all__ = ["Category"]


class ArticleFormat(StrEnum):
    MARKDOWN = "markdown"
    HTML = "html"


# --- what identity says --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublicAccount:
    """PA-7.1: an approved public account (公众账号), labelled by kind (分类加注标识). No personal data."""

    account_id: uuid.UUID
    owner_account_id: uuid.UUID
    name: str
    kind: str
    label: str
    category: str
    province_code: str
    approved_at: datetime


@dataclass(frozen=True, slots=True)
class LicenceChanged:
    """MB-4 / PA-8: a licence of the account's subject recorded, changed or revoked (newer version only)."""

    account_id: uuid.UUID
    licence_id: uuid.UUID
    number: str
    scopes: tuple[str, ...]
    valid_from: date
    valid_until: date
    revoked_at: datetime | None
    version: int


# --- refusals -------------------------------------------------------------------------------------


class NotAPublicAccount(Forbidden):
    type = "not-a-public-account"
    title = "Only a public account writes articles"


class ArticleTooLong(InvalidInput):
    type = "article-too-long"
    title = "Article too long"


class TitleTooLong(InvalidInput):
    type = "title-too-long"
    title = "Title too long"


class DraftChanged(Conflict):
    type = "draft-changed"
    title = "The draft changed since it was read"


class TooManyDrafts(Conflict):
    type = "too-many-drafts"
    title = "Too many drafts"


class PushNotPermitted(Forbidden):
    type = "push-not-permitted"
    title = "Pushing to every subscriber is not permitted"


class ArticleWithdrawn(Conflict):
    type = "article-withdrawn"
    title = "Article withdrawn"


# --- rules ----------------------------------------------------------------------------------------


def check_public_account(account: PublicAccount | None, cancelled: bool, *, acting: bool = False) -> None:
    """PA-7.1: only an approved, live public account (an operator's acting token, ``sub`` the account)
    drafts, publishes, corrects and withdraws articles. Identity issues an acting token (claim ``act``) only
    for an approved account, so the token proves the approval until content has learned it from the event
    (no window right after approval); a cancellation content learned refuses either way (PA-9.2)."""
    if cancelled or (account is None and not acting):
        raise NotAPublicAccount(
            "Articles are written as an approved public account: use an acting token "
            "(POST /v1/identity/public-accounts/{id}/tokens).",
            requirement="PA-7.1",
        )


def check_title(title: str, max_chars: int) -> str:
    stripped = title.strip()
    if not stripped:
        raise InvalidInput("An article needs a title.")
    if len(stripped) > max_chars:
        raise TitleTooLong(f"A title has at most {max_chars} characters; this one has {len(stripped)}.")
    return stripped


def check_article_length(moderation_text: str, max_chars: int) -> None:
    """The limit counts what moderation reads (title, text, alt/title values, links), not the markup."""
    if not moderation_text.strip():
        raise InvalidInput("An article needs some text.")
    if len(moderation_text) > max_chars:
        raise ArticleTooLong(
            f"An article has at most {max_chars} characters of text; this one has {len(moderation_text)}."
        )


def check_source(original: bool, source: str | None) -> None:
    """原创声明: an article not declared original names its source."""
    if not original and not (source or "").strip():
        raise InvalidInput("An article not declared original names its source.")


def check_push(privileges: Privileges) -> None:
    """MB-9 / PA-7.2: only a grade that allows it pushes an article to every subscriber."""
    if not privileges.push_to_subscribers or privileges.daily_pushes <= 0:
        raise PushNotPermitted(
            "Your grade does not allow pushing articles to every subscriber (GET /v1/accounts/me/credit).",
            requirement="MB-9",
            legal_basis=["MB-9", "PA-7.2"],
        )


def check_draft_version(current: int, expected: int) -> None:
    if current != expected:
        raise DraftChanged(f"The draft is at version {current}, not {expected}: read it again.")
