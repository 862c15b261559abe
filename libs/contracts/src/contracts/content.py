"""Content announces every new post on ``content.post.v1`` for moderation (key: the author id)."""

from __future__ import annotations

from qinglang.content.v1 import post_pb2

from contracts.catalogue import CATALOGUE

OWNER = "content"

POST_TOPIC = CATALOGUE.topic("content.post.v1", owner=OWNER)

POST_CREATED = CATALOGUE.event("qinglang.content.post.created.v1", POST_TOPIC, post_pb2.PostCreated)
