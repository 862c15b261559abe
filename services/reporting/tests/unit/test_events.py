"""Reporting's events: content's posts read as authorship; complaints announced as the contract's types."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from contracts import reporting
from contracts.categories import Bj10Category
from kit.cloudevents import Event
from qinglang.content.v1 import post_pb2
from qinglang.reporting.v1 import complaint_pb2
from reporting import events
from reporting.domain import Complaint, ComplaintStatus


@pytest.mark.requirement("MB-14")
def test_a_new_post_is_read_as_who_wrote_it() -> None:
    post, author = uuid.uuid4(), uuid.uuid4()
    created = post_pb2.PostCreated(post_id=str(post), author_id=str(author))
    event = Event(str(uuid.uuid4()), "t", "/t", None, None, created.SerializeToString(), None, None, message=created)
    assert events.authorship(event) == events.Authorship(post, author, "post")  # no kind: a post (the former)


@pytest.mark.requirement("MB-14")
def test_a_new_comment_is_read_as_a_comment() -> None:
    post, author = uuid.uuid4(), uuid.uuid4()
    created = post_pb2.PostCreated(post_id=str(post), author_id=str(author), kind=post_pb2.POST_KIND_COMMENT)
    event = Event(str(uuid.uuid4()), "t", "/t", None, None, created.SerializeToString(), None, None, message=created)
    assert events.authorship(event).kind == "comment"


@pytest.mark.requirement("MB-14")
def test_a_complaint_is_announced_on_reportings_topic_keyed_by_the_post() -> None:
    complaint = Complaint(
        id=uuid.uuid4(),
        complainant_id=uuid.uuid4(),
        target_type="post",
        target_id=uuid.uuid4(),
        author_id=uuid.uuid4(),
        reason=Bj10Category.ILLEGAL_ASSEMBLY,
        detail="",
        status=ComplaintStatus.RECEIVED,
        filed_at=datetime.now(UTC),
    )
    row = events.complaint_filed(complaint)
    assert (row.topic, row.ce_type, row.source, row.key, row.subject) == (
        reporting.COMPLAINT_TOPIC.name,
        reporting.COMPLAINT_FILED.name,
        "/qinglang/reporting",
        str(complaint.target_id),
        str(complaint.id),
    )
    assert complaint_pb2.ComplaintFiled.FromString(row.payload).reason == "bj10.illegal_assembly"
