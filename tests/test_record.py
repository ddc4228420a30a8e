"""Regenerating from inputs that did not change: the record of the earlier run answers, the output folder
is left as it is, and what the command prints and returns is what a whole generation would give."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from generator.cache import CACHE_VARIABLE
from generator.cli import main

SPEC = ROOT / "specs" / "warehouse.yaml"
"""A spec that gives warnings, so that they are seen to be repeated."""


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def identity(out: Path) -> tuple[int, int]:
    """The output folder's inode and the marker's modification time: a whole generation swaps in a new
    folder, so both change whenever the folder is written."""
    return out.stat().st_ino, (out / ".generate-sdk").stat().st_mtime_ns


def spec_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "specs"
    folder.mkdir()
    spec = folder / "warehouse.yaml"
    spec.write_bytes(SPEC.read_bytes())
    return spec


def test_unchanged_inputs_leave_the_folder_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    first = run(capsys, SPEC, "-o", out)
    assert first[0] == 0 and "warning" in first[2], first
    before = identity(out)
    assert run(capsys, SPEC, "-o", out) == first
    assert identity(out) == before
    assert run(capsys, SPEC, "-o", out, "--fail-on-change") == first
    assert identity(out) == before


def test_as_fast_as_a_few_file_reads(tmp_path: Path) -> None:
    """The record's run imports none of the stages: no black, Jinja or validator."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "generator", str(SPEC), "-o", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(command, env=env, check=True, capture_output=True)
    probe = (
        "import sys, runpy\n"
        f"sys.argv = {command[2:]!r}\n"
        "try:\n    runpy.run_module('generator', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('black', 'jinja2', 'openapi_spec_validator', 'generator.model') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "[]"


def test_an_edited_file_is_stale_and_regenerated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert run(capsys, SPEC, "-o", out)[0] == 0
    readme = (out / "README.md").read_bytes()
    (out / "README.md").write_text("edited by hand\n")
    (out / "doc" / "models" / "address.md").unlink()
    code, stdout, stderr = run(capsys, SPEC, "-o", out, "--check")
    assert code == 1
    assert stdout.splitlines() == [f"stale: {out / 'README.md'}", f"stale: {out / 'doc/models/address.md (missing)'}"]
    code, _, stderr = run(capsys, SPEC, "-o", out, "--fail-on-change")
    assert code == 1 and "2 files changed: README.md, doc/models/address.md (missing)" in stderr
    assert (out / "README.md").read_bytes() == readme
    assert (out / "doc" / "models" / "address.md").is_file()
    assert run(capsys, SPEC, "-o", out, "--check")[0] == 0


def test_check_answers_as_a_whole_generation_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert run(capsys, SPEC, "-o", out)[0] == 0
    (out / "README.md").write_text("edited by hand\n")
    from_record = run(capsys, SPEC, "-o", out, "--check")
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    assert run(capsys, SPEC, "-o", out, "--check") == from_record
    assert from_record[0] == 1


def test_a_changed_referenced_file_regenerates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = spec_copy(tmp_path)
    text = spec.read_text(encoding="utf-8")
    head, found, schemas = text.partition("\n  schemas:\n")
    assert found
    spec.write_text(head + found + "    Extra:\n      $ref: 'extra.yaml'\n" + schemas, encoding="utf-8")
    folder = spec.parent
    extra = folder / "extra.yaml"
    extra.write_text("type: object\ndescription: First words.\nproperties:\n  a: {type: string}\n")
    out = tmp_path / "out"
    assert run(capsys, spec, "-o", out)[0] == 0
    assert "First words." in (out / "doc" / "models" / "extra.md").read_text()
    extra.write_text("type: object\ndescription: Second words.\nproperties:\n  a: {type: string}\n")
    assert run(capsys, spec, "-o", out, "--check")[0] == 1
    assert run(capsys, spec, "-o", out)[0] == 0
    assert "Second words." in (out / "doc" / "models" / "extra.md").read_text()


def test_other_settings_regenerate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert run(capsys, SPEC, "-o", out)[0] == 0
    code, stdout, _ = run(capsys, SPEC, "-o", out, "--package-name", "renamed")
    assert code == 0 and "generated renamed " in stdout
    assert (out / "renamed" / "__init__.py").is_file()


def test_a_changed_spec_regenerates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = spec_copy(tmp_path)
    out = tmp_path / "out"
    assert run(capsys, spec, "-o", out)[0] == 0
    before = identity(out)
    text = spec.read_text(encoding="utf-8")
    assert "\n  version: 2.3.0\n" in text
    spec.write_text(text.replace("\n  version: 2.3.0\n", "\n  version: 2.3.1\n", 1), encoding="utf-8")
    assert run(capsys, spec, "-o", out, "--check")[0] == 1
    code, _, stderr = run(capsys, spec, "-o", out, "--fail-on-change")
    assert code == 1 and "pyproject.toml" in stderr
    assert identity(out) != before
    assert '"2.3.1"' in (out / "pyproject.toml").read_text()


def test_users_files_are_reported_as_a_whole_generation_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert run(capsys, SPEC, "-o", out)[0] == 0
    (out / "notes").mkdir()
    (out / "notes" / "todo.md").write_text("- ship it\n")
    (out / "extension.py").write_text("EXTRA = True\n")
    (out / "warehouse" / "__pycache__").mkdir(exist_ok=True)
    before = identity(out)
    from_record = run(capsys, SPEC, "-o", out)
    assert identity(out) == before
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    assert run(capsys, SPEC, "-o", out) == from_record
    assert f"{out}{os.sep}notes: not made by generate-sdk; kept" in from_record[2]
