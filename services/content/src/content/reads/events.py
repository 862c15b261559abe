"""Article reads' events: a public account's read count announced (ReadCountChanged, for identity's
grades, MB-9, PA-7.2); identity's bulk registration cohorts read (RegistrationCohortFlagged and
RegistrationCohortCleared, CM)."""

from __future__ import annotations

import uuid
from datetime import UTC

from contracts import content
from kit.cloudevents import timestamp
from kit.outbox import OutboxRow, announcement
from qinglang.content.v1 import social_pb2
from qinglang.identity.v1 import account_pb2

from content.reads.domain import CohortCleared, CohortFlagged, ReadCount


def read_count_changed(count: ReadCount) -> OutboxRow:
    return announcement(
        content.READ_COUNT_CHANGED,
        key=str(count.account_id),
        subject=str(count.account_id),
        message=social_pb2.ReadCountChanged(
            account_id=str(count.account_id),
            reads=count.reads,
            flagged_reads=count.flagged_reads,
            version=count.version,
            changed_at=timestamp(count.changed_at),
        ),
    )


def cohort_flagged(message: account_pb2.RegistrationCohortFlagged) -> CohortFlagged:
    return CohortFlagged(
        cohort_id=uuid.UUID(message.cohort_id),
        account_ids=tuple(uuid.UUID(a) for a in message.account_ids),
        flagged_at=message.flagged_at.ToDatetime(tzinfo=UTC),
    )


def cohort_cleared(message: account_pb2.RegistrationCohortCleared) -> CohortCleared:
    return CohortCleared(
        cohort_id=uuid.UUID(message.cohort_id),
        account_ids=tuple(uuid.UUID(a) for a in message.account_ids),
        cleared_at=message.cleared_at.ToDatetime(tzinfo=UTC),
    )
