"""Third-party API clients' rules (BJ-7(6)), free of I/O."""

from __future__ import annotations

import hashlib
import re

from kit.problems import InvalidInput

# An ICP filing number (京ICP备2021012345号-1) or an ICP licence number (京ICP证123456号).
_ICP = re.compile(r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP(备|证)\d{6,10}号(-\d{1,3})?$")
LEGAL_BASIS = ["BJ-7(6)"]


def icp_number(raw: str) -> str:
    icp = raw.strip()
    if not _ICP.match(icp):
        raise InvalidInput(
            "icp_number must be an ICP filing number (京ICP备2021012345号-1) or licence number (京ICP证123456号).",
            requirement="BJ-7(6)",
        )
    return icp


def secret_hash(secret: str) -> bytes:
    # A 256-bit random secret: a plain SHA-256 is enough (no dictionary to guess from), like API keys.
    return hashlib.sha256(secret.encode()).digest()
