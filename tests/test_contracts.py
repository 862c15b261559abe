"""The generated protobuf code is current with proto/ (run `make gen` when this fails)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_generated_code_matches_the_proto_files() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "proto" / "generate.py"), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"stale generated code; run `make gen`:\n{result.stderr}"
