"""Articles' events: identity's news about public accounts and news licences, as domain values (the only
module here reading a protobuf message). An article's own announcements are posts' (content.posts.events)."""

from __future__ import annotations

import uuid
from datetime import UTC, date

from qinglang.identity.v1 import public_account_pb2

from content.articles.domain import LicenceChanged, PublicAccount


def public_account_approved(message: public_account_pb2.PublicAccountApproved) -> PublicAccount:
    return PublicAccount(
        account_id=uuid.UUID(message.public_account_id),
        owner_account_id=uuid.UUID(message.owner_account_id),
        name=message.name,
        kind=message.kind,
        label=message.label,
        category=message.category,
        province_code=message.province_code,
        approved_at=message.approved_at.ToDatetime(tzinfo=UTC),
    )


def news_licence_changed(message: public_account_pb2.NewsLicenceChanged) -> LicenceChanged:
    return LicenceChanged(
        account_id=uuid.UUID(message.account_id),
        licence_id=uuid.UUID(message.licence_id),
        number=message.number,
        scopes=tuple(message.scopes),
        valid_from=date.fromisoformat(message.valid_from),
        valid_until=date.fromisoformat(message.valid_until),
        revoked_at=message.revoked_at.ToDatetime(tzinfo=UTC) if message.HasField("revoked_at") else None,
        version=message.version,
    )
