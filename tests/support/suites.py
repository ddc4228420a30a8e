"""Run the tests that generate-sdk writes into every SDK, as the SDK's users run them, against the Prism
pinned in tests/package.json, and read what they found."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent.parent
PRISM = TESTS_DIR / "node_modules" / ".bin" / "prism"


@dataclass
class SuiteOutcome:
    """Each test of a generated suite, by name, in the state it ended in."""

    passed: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    """Why each skipped test was skipped."""
    failed: dict[str, str] = field(default_factory=dict)
    """What each failed (or erroring) test reported."""
    output: str = ""


def run_suite(project: Path, work: Path, timeout: float = 900) -> SuiteOutcome:
    """Run the suite of a generated project in a copy of it (the copy keeps caches and bytecode away from
    the project), with Prism from tests/node_modules."""
    copy = work / project.name
    shutil.copytree(project, copy)
    report = work / f"{project.name}-junit.xml"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}"],
        cwd=copy,
        env={**os.environ, "PRISM": str(PRISM)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    outcome = SuiteOutcome(output=done.stdout[-6000:] + done.stderr[-2000:])
    if not report.exists():
        outcome.failed["<collection>"] = outcome.output
        return outcome
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        name = f"{case.get('classname')}.{case.get('name')}"
        problem = case.find("failure") if case.find("failure") is not None else case.find("error")
        skipped = case.find("skipped")
        if problem is not None:
            outcome.failed[name] = f"{problem.get('message', '')}\n{problem.text or ''}"[:3000]
        elif skipped is not None:
            outcome.skipped[name] = skipped.get("message", "")
        else:
            outcome.passed.append(name)
    return outcome
