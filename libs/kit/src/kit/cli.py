"""Operator commands: run one, print its result as JSON, or a refusal on stderr with exit code 2."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Coroutine
from typing import Any

from kit.problems import DomainError


def run_command(command: Coroutine[Any, Any, dict]) -> int:
    try:
        print(json.dumps(asyncio.run(command)))
    except DomainError as exc:
        print(f"refused: {exc.detail}", file=sys.stderr)
        return 2
    return 0
