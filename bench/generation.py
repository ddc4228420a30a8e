"""Generation benchmark: generate-sdk beside openapi-python-client 0.29.1, cold and regenerating.

    .venv/bin/python bench/generation.py [--runs N] [--spec pinterest|okta|synthetic ...]

For each spec, in the same run: the wall time (median of N runs) and the peak resident memory of a cold
`generate-sdk` (empty output folder, empty cache folder) and of a cold `openapi-python-client generate`,
their ratio, and the files and lines each wrote; then `generate-sdk` again into its existing output folder,
with the cache the cold runs filled, with the spec unchanged, and with a copy of the spec in which one
operation's summary changed. Each tool runs as a child process; its peak memory is its own `ru_maxrss`
(os.wait4). One more in-process generation per spec, with an empty cache, times the phases (describe =
load, bundle, validate, model, naming; render; format = black; write).

generate-sdk's cache (black's output, validation results, the record of the last generation) goes to a
folder of the benchmark's own, never the user's: `GENERATE_SDK_CACHE` is set for every run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    ROOT,
    SHARED_SPECS,
    WORK,
    Run,
    alternative_python,
    alternative_version,
    machine,
    median,
    run_measured,
    table,
    update_results,
    verdict,
    version,
)
from synthetic_spec import write_synthetic_spec  # noqa: E402

SPECS: dict[str, Callable[[Path], Path | None]] = {}


def _shared(relative: str) -> Callable[[Path], Path | None]:
    def copy(folder: Path) -> Path | None:
        source = SHARED_SPECS / relative
        if not source.exists():
            print(f"SKIPPED {relative}: {source} is absent (../shared is not beside this clone)")
            return None
        return Path(shutil.copy(source, folder / source.name))

    return copy


SPECS["pinterest"] = _shared("pinterest-v5.json")
SPECS["okta"] = _shared("large-no-cc/okta-management-minimal.yaml")
SPECS["synthetic"] = lambda folder: write_synthetic_spec(folder / "synthetic.json")

DESCRIPTIONS = {
    "pinterest": "`../shared/specs/real/pinterest-v5.json`",
    "okta": "`../shared/specs/real/large-no-cc/okta-management-minimal.yaml`",
    "synthetic": "synthetic spec of `bench/synthetic_spec.py` (2,000 operations, 1,500 schemas)",
}


@dataclass(frozen=True)
class Output:
    files: int
    lines: int
    python_lines: int


def count_output(folder: Path) -> Output:
    files = lines = python_lines = 0
    for path in folder.rglob("*"):
        if not path.is_file() or "__pycache__" in path.parts or path.name == ".generate-sdk":
            continue
        files += 1
        count = path.read_bytes().count(b"\n")
        lines += count
        if path.suffix == ".py":
            python_lines += count
    return Output(files, lines, python_lines)


def generate_sdk(spec: Path, out: Path, cache: Path) -> Run:
    environment = {**os.environ, "GENERATE_SDK_CACHE": str(cache)}
    command = [sys.executable, "-m", "generator", str(spec), "-o", str(out)]
    run = run_measured(command, cwd=spec.parent, env=environment)
    if run.returncode != 0:
        raise SystemExit(f"generate-sdk failed on {spec} (exit {run.returncode}):\n{run.stderr[-3000:]}")
    return run


def openapi_python_client(python: Path, spec: Path, out: Path, config: Path | None) -> Run:
    command = [str(python.parent / "openapi-python-client"), "generate", "--path", str(spec)]
    command += ["--config", str(config)] if config else []
    # Its post-generation hooks (ruff check --fix, ruff format) find ruff on PATH, as in an activated venv.
    environment = {**os.environ, "PATH": f"{python.parent}{os.pathsep}{os.environ['PATH']}"}
    run = run_measured(
        [*command, "--output-path", str(out), "--meta", "none", "--overwrite"],
        cwd=spec.parent,
        env=environment,
    )
    if "ruff is not in PATH" in run.stderr:
        raise SystemExit("openapi-python-client could not find ruff: its output would not be formatted")
    if run.returncode != 0 or not out.exists():
        print(f"openapi-python-client failed on {spec} (exit {run.returncode}):\n{run.stderr[-3000:]}")
    return run


def changed_copies(spec: Path, count: int) -> list[Path]:
    """Copies of the spec, each with one operation's summary changed differently from the one before
    (so every run is a one-operation change from what the output folder holds, never a repeat)."""
    text = spec.read_text(encoding="utf-8")
    summary = _unique_summary(text, _parse(spec, text))
    copies = []
    for number in range(1, count + 1):
        copy = spec.with_name(f"{spec.stem}-changed{number}{spec.suffix}")
        copy.write_text(text.replace(summary, f"{summary} changed {number}", 1), encoding="utf-8")
        copies.append(copy)
    return copies


def _parse(spec: Path, text: str) -> Any:
    if spec.suffix == ".json":
        return json.loads(text)
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _unique_summary(text: str, document: Any) -> str:
    for item in document["paths"].values():
        for operation in item.values():
            summary = operation.get("summary") if isinstance(operation, dict) else None
            if (
                isinstance(summary, str)
                and len(summary) >= 8
                and "\\" not in summary
                and text.count(summary) == 1
            ):
                return summary
    raise SystemExit("no operation summary that occurs once in the text: cannot change one operation")


def parsed_size_mb(spec: Path) -> float:
    """Memory of the parsed document's objects (tracemalloc, json or libyaml), in a fresh process."""
    probe = (
        "import json, sys, tracemalloc, yaml\n"
        "path = sys.argv[1]\n"
        "text = open(path, encoding='utf-8').read()\n"
        "tracemalloc.start()\n"
        "document = json.loads(text) if path.endswith('.json') else "
        "yaml.load(text, Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))\n"
        "print(tracemalloc.get_traced_memory()[0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(spec)], capture_output=True, text=True, check=True
    )
    return int(done.stdout) / 2**20


def traced_peak_mb(spec: Path, cache: Path) -> float:
    """Peak of the Python objects one cold generation allocates (tracemalloc, from after the imports to the
    formatted files, in the generating process; black's worker processes are not traced), in a fresh
    process with an empty cache."""
    probe = (
        "import sys, tracemalloc\n"
        "from pathlib import Path\n"
        "from generator.pipeline import generate\n"
        "tracemalloc.start()\n"
        "generate(Path(sys.argv[1]))\n"
        "print(tracemalloc.get_traced_memory()[1])\n"
    )
    shutil.rmtree(cache, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-c", probe, str(spec)],
        capture_output=True,
        text=True,
        check=True,
        cwd=spec.parent,
        env={**os.environ, "GENERATE_SDK_CACHE": str(cache)},
    )
    return int(done.stdout.splitlines()[-1]) / 2**20


def baseline_rss_mb() -> float:
    """Peak memory of a Python that only imports the generator and black: the floor of any generation."""
    return run_measured([sys.executable, "-c", "import generator.pipeline, generator.cli"]).peak_rss_mb


def phases(spec: Path, out: Path, cache: Path) -> dict[str, float]:
    probe = (
        "import json, sys, time\n"
        "from pathlib import Path\n"
        "from generator.pipeline import describe\n"
        "from generator.render import render\n"
        "from generator.format import format_files\n"
        "from generator.write import write\n"
        "from generator.bundle import bundle\n"
        "from generator.load import load\n"
        "spec, out = Path(sys.argv[1]), Path(sys.argv[2])\n"
        "times = {}\n"
        "start = time.perf_counter(); sdk, _ = describe(spec); times['describe'] = time.perf_counter() - start\n"
        "document = bundle(load(spec)).data\n"
        "start = time.perf_counter(); files = list(render(sdk, document)); times['render'] = time.perf_counter() - start\n"
        "start = time.perf_counter(); files = format_files(files); times['format (black)'] = time.perf_counter() - start\n"
        "start = time.perf_counter(); write(files, out, keep=spec); times['write'] = time.perf_counter() - start\n"
        "print(json.dumps(times))\n"
    )
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-c", probe, str(spec), str(out)],
        capture_output=True,
        text=True,
        cwd=spec.parent,
        env={**os.environ, "GENERATE_SDK_CACHE": str(cache)},
    )
    if done.returncode != 0:
        print(f"phase timing failed:\n{done.stderr[-2000:]}")
        return {}
    return json.loads(done.stdout.splitlines()[-1])


def bench_spec(label: str, runs: int, alternative: Path | None) -> str | None:
    folder = WORK / "generation" / label
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    spec = SPECS[label](folder)
    if spec is None:
        return None
    out, alternative_out = folder / "out-generate-sdk", folder / "out-alternative"
    cache = folder / "cache-generate-sdk"
    print(f"\n== {label}: {spec.name} ({spec.stat().st_size / 2**20:.1f} MB), {runs} runs each", flush=True)

    cold: list[Run] = []
    alternative_runs: list[Run] = []
    alternative_config: Path | None = None
    for number in range(runs):  # interleaved, so that both tools see the same load on the machine
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(generate_sdk(spec, out, cache))
        print(
            f"  cold generate-sdk #{number + 1}: {cold[-1].seconds:.2f} s, {cold[-1].peak_rss_mb:.0f} MB",
            flush=True,
        )
        if alternative is not None:
            shutil.rmtree(alternative_out, ignore_errors=True)
            run = openapi_python_client(alternative, spec, alternative_out, alternative_config)
            if run.returncode != 0 and alternative_config is None and "literal_enums" in run.stderr:
                # Its own advice for enums whose member names clash; the run is timed again with it.
                alternative_config = folder / "openapi-python-client.yaml"
                alternative_config.write_text("literal_enums: true\n", encoding="utf-8")
                print("  openapi-python-client: retrying with its suggested setting `literal_enums: true`")
                shutil.rmtree(alternative_out, ignore_errors=True)
                run = openapi_python_client(alternative, spec, alternative_out, alternative_config)
            alternative_runs.append(run)
            print(
                f"  cold openapi-python-client #{number + 1}: {alternative_runs[-1].seconds:.2f} s",
                flush=True,
            )
    ours = count_output(out)
    theirs = count_output(alternative_out) if alternative_out.exists() else None
    alternative_ok = bool(alternative_runs) and all(run.returncode == 0 for run in alternative_runs)

    unchanged = []
    for number in range(runs):
        unchanged.append(generate_sdk(spec, out, cache))
        print(f"  regeneration, unchanged #{number + 1}: {unchanged[-1].seconds:.2f} s", flush=True)
    changed = []
    for number, copy in enumerate(changed_copies(spec, runs)):
        changed.append(generate_sdk(copy, out, cache))
        print(f"  regeneration, one operation changed #{number + 1}: {changed[-1].seconds:.2f} s", flush=True)
    phase_times = phases(spec, folder / "out-phases", folder / "cache-phases")
    document_mb = parsed_size_mb(spec)
    traced_mb = traced_peak_mb(spec, folder / "cache-traced")

    note = (
        " openapi-python-client fails on this spec with its defaults (duplicate enum member names) and ran with "
        "the setting its error message suggests, `literal_enums: true`."
        if alternative_config
        else ""
    )
    return report(
        label,
        spec,
        runs,
        cold,
        alternative_runs if alternative_ok else [],
        ours,
        theirs,
        unchanged,
        changed,
        phase_times,
        document_mb,
        traced_mb,
        note,
    )


def report(
    label: str,
    spec: Path,
    runs: int,
    cold: list[Run],
    alternative_runs: list[Run],
    ours: Output,
    theirs: Output | None,
    unchanged: list[Run],
    changed: list[Run],
    phase_times: dict[str, float],
    document_mb: float,
    traced_mb: float,
    note: str,
) -> str:
    cold_s = median([run.seconds for run in cold])
    cold_mb = median([run.peak_rss_mb for run in cold])
    unchanged_s = median([run.seconds for run in unchanged])
    changed_s = median([run.seconds for run in changed])
    rows = [
        ["cold generation, wall (median)", f"{cold_s:.2f} s", "—", "—"],
        ["cold generation, peak RSS (median)", f"{cold_mb:.0f} MB", "—", "—"],
        ["files written", str(ours.files), "—", "—"],
        ["lines written (all files)", f"{ours.lines:,}", "—", "—"],
        ["lines of Python", f"{ours.python_lines:,}", "—", "—"],
        ["regeneration, unchanged spec (median)", f"{unchanged_s:.2f} s", "n/a", "—"],
        [
            "regeneration, one operation changed (median)",
            f"{changed_s:.2f} s",
            "n/a",
            f"{changed_s / cold_s:.0%} of cold",
        ],
    ]
    budgets = [
        ["regeneration, unchanged", f"{unchanged_s:.2f} s", "< 0.3 s", verdict(unchanged_s < 0.3)],
        [
            "regeneration, one operation changed",
            f"{changed_s / cold_s:.0%} of cold",
            "< 15% of cold",
            verdict(changed_s < 0.15 * cold_s),
        ],
        [
            "peak memory of generation (tracemalloc) / parsed document",
            f"{traced_mb:.0f} MB / {document_mb:.0f} MB = {traced_mb / document_mb:.1f}×",
            "< 4×",
            verdict(traced_mb < 4 * document_mb),
        ],
        [
            "peak RSS of generation (whole process) / parsed document",
            f"{cold_mb:.0f} MB / {document_mb:.0f} MB = {cold_mb / document_mb:.1f}×",
            "< 4×",
            verdict(cold_mb < 4 * document_mb),
        ],
    ]
    if alternative_runs and theirs is not None:
        alt_s = median([run.seconds for run in alternative_runs])
        alt_mb = median([run.peak_rss_mb for run in alternative_runs])
        rows[0][2:] = [f"{alt_s:.2f} s", f"{cold_s / alt_s:.2f}×"]
        rows[1][2:] = [f"{alt_mb:.0f} MB", f"{cold_mb / alt_mb:.2f}×"]
        rows[2][2:] = [str(theirs.files), f"{ours.files / theirs.files:.2f}×"]
        rows[3][2:] = [f"{theirs.lines:,}", f"{ours.lines / theirs.lines:.2f}×"]
        rows[4][2:] = [f"{theirs.python_lines:,}", f"{ours.python_lines / theirs.python_lines:.2f}×"]
        budgets[:0] = [
            [
                "cold generation / openapi-python-client",
                f"{cold_s / alt_s:.2f}×",
                "≤ 0.33×",
                verdict(cold_s <= alt_s / 3),
            ],
            [
                "lines of Python / openapi-python-client",
                f"{ours.python_lines / theirs.python_lines:.2f}×",
                "≤ 0.25×",
                verdict(ours.python_lines <= theirs.python_lines / 4),
            ],
        ]
    else:
        budgets[:0] = [
            [
                "comparisons with openapi-python-client",
                "not measured",
                "",
                "openapi-python-client unavailable or failed on this spec",
            ]
        ]
    total = sum(phase_times.values())
    phase_rows = [
        [name, f"{seconds:.2f} s", f"{seconds / total:.0%}"] for name, seconds in phase_times.items()
    ]
    body = "\n\n".join(
        [
            f"Spec: {DESCRIPTIONS[label]}, {spec.stat().st_size / 2**20:.1f} MB; parsed document's objects {document_mb:.0f} MB "
            f"(tracemalloc); a Python importing the generator peaks at {baseline_rss_mb():.0f} MB RSS by itself. "
            f"Medians of {runs} runs; generate-sdk and openapi-python-client interleaved in the same run. "
            "Cold generate-sdk runs start with an empty output folder and an empty cache; regenerations reuse "
            f"the output folder and the cache the cold runs left.{note}",
            table(["measure", "generate-sdk", "openapi-python-client 0.29.1", "ratio"], rows),
            "Budgets (issue 6):",
            table(["budget", "measured", "budget", "verdict"], budgets),
            "Phases of one in-process cold generation:",
            table(["phase", "time", "share"], phase_rows),
        ]
    )
    print("\n" + body)
    return body


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Generation benchmark: generate-sdk beside openapi-python-client."
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs of each measurement; the median is reported"
    )
    parser.add_argument(
        "--spec", action="append", choices=list(SPECS), help="only these specs (default: all)"
    )
    args = parser.parse_args()
    alternative = alternative_python()
    header = machine() + [
        f"- generate-sdk {version('generate-sdk')} (this checkout, commit {_commit()}), black {version('black')}, "
        f"jinja2 {version('jinja2')}, pyyaml {version('pyyaml')}",
        f"- openapi-python-client {alternative_version(alternative, 'openapi-python-client') if alternative else 'not installed'} "
        f"in `bench/.venv-alternative` (run with `--meta none`; it formats with ruff "
        f"{alternative_version(alternative, 'ruff') if alternative else '?'})",
        f"- Command: `.venv/bin/python bench/generation.py --runs {args.runs}"
        + "".join(f" --spec {name}" for name in args.spec or [])
        + "`",
    ]
    for label in args.spec or list(SPECS):
        body = bench_spec(label, args.runs, alternative)
        if body is not None:
            update_results(f"Generation: {label}", "\n".join(header) + "\n\n" + body)


def _commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return found.stdout.strip() or "unknown"


if __name__ == "__main__":
    main()
