"""Validation results are cached by the document's content: a warm cache gives the same located warnings
and spares the validator."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from generator import validate as validate_stage
from generator.cache import CACHE_VARIABLE
from generator.pipeline import generate


def _spec_with_violations(folder: Path, name: str) -> Path:
    spec = yaml.safe_load((ROOT / "specs" / "httpccg.yaml").read_text())
    spec["info"]["x-note"] = "fine"
    spec["paths"]["/items"]["get"]["responses"]["200"]["bogus"] = True  # not valid OpenAPI
    path = folder / name
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def test_validation_is_cached_by_content_and_located_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    first = _spec_with_violations(tmp_path, "first.yaml")
    cold = [str(warning) for warning in generate(first).warnings]
    assert any("not valid OpenAPI" in warning for warning in cold)

    # Counted on disk: the validator may run in a forked process.
    counter = tmp_path / "validator-runs"
    counter.write_text("")
    original = validate_stage._violations

    def counted(*args: object) -> object:
        with counter.open("a") as runs:
            runs.write("run\n")
        return original(*args)

    monkeypatch.setattr(validate_stage, "_violations", counted)
    warm = [str(warning) for warning in generate(first).warnings]
    assert counter.read_text() == "" and warm == cold

    # The same content in another file: the cached violations are located in that file.
    second = _spec_with_violations(tmp_path, "second.yaml")
    moved = [str(warning) for warning in generate(second).warnings]
    assert counter.read_text() == "" and moved == [warning.replace(str(first), str(second)) for warning in cold]

    monkeypatch.setenv(CACHE_VARIABLE, "off")
    assert [str(warning) for warning in generate(first).warnings] == cold and counter.read_text() == "run\n"
