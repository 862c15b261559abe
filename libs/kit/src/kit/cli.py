"""Operator commands: run one, print its result as JSON, or a refusal on stderr with exit code 2. A command
whose result says part of the work failed exits with the code ``exit_code(result)`` gives (JSON still printed)."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from kit.problems import DomainError


def run_command(command: Coroutine[Any, Any, dict], *, exit_code: Callable[[dict], int] | None = None) -> int:
    try:
        result = asyncio.run(command)
    except DomainError as exc:
        print(f"refused: {exc.detail}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return exit_code(result) if exit_code is not None else 0
