"""Benchmark steps run in a process of their own (so each measures its own memory and cold start)."""

from __future__ import annotations

import json
import subprocess
import sys


def run_step(script: str, args: list[str]) -> dict:
    """Run `script` with `args` in a new Python process; the JSON object its last line prints."""
    proc = subprocess.run([sys.executable, script, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step {args} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
