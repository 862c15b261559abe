"""The local stack runs content and the gateway's media route with one body limit, content's default."""

from __future__ import annotations

from content.settings import ContentSettings
from devstack.stack import MEDIA_MAX_BYTES, StackConfig


def test_the_stack_uses_contents_media_limit() -> None:
    assert ContentSettings.model_fields["media_max_bytes"].default == MEDIA_MAX_BYTES
    assert StackConfig(run_dir=".run").media_max_bytes == MEDIA_MAX_BYTES  # type: ignore[arg-type]
