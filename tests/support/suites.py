"""Run the tests that generate-sdk writes into every SDK, as the SDK's users run them, against the Prism
pinned in tests/package.json, and read what they found."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent.parent
PRISM = TESTS_DIR / "node_modules" / ".bin" / "prism"


NOT_THE_SDKS = re.compile(
    "|".join(
        [
            # The spec contradicts itself, or asks for what OpenAPI does not define.
            r"the spec declares path parameters that are not in the path",
            r"the spec fixes the Accept header as .* but declares its answer as",
            r"holds values nested deeper than its style defines",
            r"no value of .* conforms to its schema",
            r"is not visible ASCII, which HTTP headers cannot carry",
            # The mock: what it cannot load, read or write, and answers it makes up against its spec.
            r"Prism cannot load the spec",
            r"Prism [0-9.]+ (stops on|does not split|reads arrays)",
            r"the mock server failed to answer",
            r"the mock server answered with data its spec does not allow",
        ]
    )
)
"""The reasons a generated test skips for, none of which is a fault of the SDK."""


@dataclass
class SuiteOutcome:
    """Each test of a generated suite, by name, in the state it ended in."""

    passed: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    """Why each skipped test was skipped."""
    failed: dict[str, str] = field(default_factory=dict)
    """What each failed (or erroring) test reported."""
    output: str = ""


def run_suite(project: Path, work: Path, timeout: float = 900, prism: str = str(PRISM)) -> SuiteOutcome:
    """Run the suite of a generated project in a copy of it (the copy keeps caches and bytecode away from
    the project), with Prism from tests/node_modules, or the command `prism` names."""
    copy = work / project.name
    shutil.copytree(project, copy)
    report = work / f"{project.name}-junit.xml"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}"],
        cwd=copy,
        env={**os.environ, "PRISM": prism},
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
