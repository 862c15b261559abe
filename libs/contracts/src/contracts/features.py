"""Features with news-opinion attributes or social-mobilisation capability (MB-13, PA-12.1): switched off
until a security assessment of their current version has been filed with the regulator and acknowledged.

The key and version are the contract between the regulator gateway (which files assessments and announces
acknowledgements) and the service that offers the feature (which opens its gate only for the version its
code declares). A change of the feature that needs a new assessment bumps ``version`` here: on deploy its
gate stays closed until that version is acknowledged (a release checklist item).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, slots=True)
class Feature:
    key: str
    version: int
    owner: str  # the service that offers it
    title: str
    legal_basis: tuple[str, ...] = ("MB-13", "PA-12.1")


class GatedFeature(Enum):
    """Every gated feature; ``GatedFeature.of(key)`` finds one by its key."""

    # Comments (留言) on public accounts' articles (PA-12.2): news-opinion attributes.
    PUBLIC_ACCOUNT_COMMENTS = Feature("public_account_comments", 1, "content", "Comments on public accounts")
    # The trending list (热搜): public-opinion attributes and social-mobilisation capability.
    TRENDING = Feature("trending", 1, "content", "Trending list")
    # Live topics: not built; its gate stays closed.
    LIVE_TOPICS = Feature("live_topics", 1, "content", "Live topics")

    @property
    def key(self) -> str:
        return self.value.key

    @property
    def version(self) -> int:
        return self.value.version

    @classmethod
    def of(cls, key: str) -> GatedFeature | None:
        return next((f for f in cls if f.value.key == key), None)
