"""What the benchmark scripts share: the machine's description, medians, child processes measured with
their peak memory, the alternative's virtual environment, and the sections of RESULTS.md."""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import sys
import time
import venv
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHARED_SPECS = ROOT.parent / "shared" / "specs" / "real"
RESULTS = BENCH / "RESULTS.md"
WORK = BENCH / ".work"
ALTERNATIVE_VENV = BENCH / ".venv-alternative"
ALTERNATIVE_PACKAGES = ("openapi-python-client==0.29.1", "authlib", "httpx-auth", "httpx")


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stderr: str


def run_measured(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run a command as a child process; its wall time and its own peak resident memory (wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kilobytes on Linux.
    return Run(seconds, usage.ru_maxrss / 1024, process.returncode, stderr)


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> list[str]:
    """Lines that say where and when the numbers were measured."""
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return [
        f"- Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}; shared with other work, so the numbers are medians and ratios within one run",
        f"- Python: {platform.python_version()} ({sys.executable})",
    ]


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def alternative_python() -> Path | None:
    """The Python of bench/.venv-alternative, created and filled on first use; None when pip fails."""
    python = ALTERNATIVE_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {ALTERNATIVE_VENV} with {', '.join(ALTERNATIVE_PACKAGES)} ...", flush=True)
        venv.create(ALTERNATIVE_VENV, with_pip=True)
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", *ALTERNATIVE_PACKAGES],
        capture_output=True,
        text=True,
    )
    if installed.returncode != 0:
        print(
            f"SKIPPED the alternatives: pip could not install {', '.join(ALTERNATIVE_PACKAGES)} "
            f"into {ALTERNATIVE_VENV}:\n{installed.stderr[-2000:]}",
            file=sys.stderr,
        )
        return None
    return python


def alternative_version(python: Path, package: str) -> str:
    found = subprocess.run(
        [str(python), "-c", f"import importlib.metadata as m; print(m.version({package!r}))"],
        capture_output=True,
        text=True,
    )
    return found.stdout.strip() or "not installed"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def update_results(section: str, body: str) -> None:
    """Replace this script's section of RESULTS.md (from its `## ` heading to the next), or append it."""
    text = (
        RESULTS.read_text(encoding="utf-8")
        if RESULTS.exists()
        else "# Benchmark results\n\nWritten by the scripts in `bench/` (see `bench/README.md`); each script replaces its own section.\n"
    )
    heading = f"## {section}"
    block = f"{heading}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: block + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + block
    RESULTS.write_text(text, encoding="utf-8")
    print(f"updated section '{section}' of {RESULTS}")


def verdict(met: bool) -> str:
    return "met" if met else "**not met**"
