"""The committed golden SDKs in generated/ are exactly what the generator makes, and generation is
deterministic: the same spec gives the same bytes whatever the hash seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from generator.pipeline import generate_to
from regenerate_golden import GOLDEN

HOW_TO_FIX = (
    "If the generator change is intended, run `python tests/regenerate_golden.py` "
    "and read the diff (`git diff generated/`) before committing."
)

# Files that Python, mypy or pytest leave in a golden folder when tests import or check it; git
# ignores them, and the generator never writes them.
_NOT_GENERATED = {"__pycache__", ".mypy_cache", ".pytest_cache"}


def tree(folder: Path) -> dict[str, bytes]:
    """Every generated file under a folder, by its POSIX path relative to the folder."""
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not _NOT_GENERATED.intersection(relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    return files


def assert_same_tree(actual: dict[str, bytes], expected: dict[str, bytes], what: str) -> None:
    missing = sorted(expected.keys() - actual.keys())
    extra = sorted(actual.keys() - expected.keys())
    assert not missing, f"{what}: the generator no longer writes {missing}. {HOW_TO_FIX}"
    assert not extra, f"{what}: the generator writes files not in the golden folder: {extra}. {HOW_TO_FIX}"
    different = sorted(name for name in expected if actual[name] != expected[name])
    assert not different, f"{what}: these files differ from the golden ones: {different}. {HOW_TO_FIX}"


def test_golden_mapping_is_not_empty() -> None:
    """Guard against the parametrized test below silently running for nothing."""
    assert GOLDEN
    for name, spec in GOLDEN.items():
        assert spec.is_file(), f"the spec of golden SDK {name!r} is missing: {spec}"
        assert (ROOT / "generated" / name).is_dir(), f"generated/{name} is missing. {HOW_TO_FIX}"


@pytest.mark.parametrize(("name", "spec"), sorted(GOLDEN.items()), ids=sorted(GOLDEN))
def test_generated_matches_golden(name: str, spec: Path, tmp_path: Path) -> None:
    out = tmp_path / name
    generate_to(spec, out)
    golden = tree(ROOT / "generated" / name)
    assert golden, f"generated/{name} holds no files"
    assert_same_tree(tree(out), golden, f"generated/{name}")


def test_generation_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Two processes with different string hashing (set and dict-of-set orders) give identical trees."""
    spec = ROOT / "specs" / "httpccg.yaml"
    runs = {}
    for seed in ("1", "12345"):
        out = tmp_path / f"seed-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", str(spec), "-o", str(out)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        runs[seed] = (process, out)
    trees = []
    for seed, (process, out) in runs.items():
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, f"PYTHONHASHSEED={seed}: exit {process.returncode}\n{stderr}"
        trees.append(tree(out))
    assert trees[0], "the generator wrote no files"
    first, second = trees
    assert sorted(first) == sorted(second), "the two runs wrote different sets of files"
    different = sorted(name for name in first if first[name] != second[name])
    assert not different, f"output depends on PYTHONHASHSEED: {different}"
