"""Validation results are cached by the document's content: a warm cache gives the same located warnings
and spares the validator."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT
from generator import validate as validate_stage
from generator.cache import CACHE_VARIABLE
from generator.load import Source
from generator.pipeline import generate
from generator.problems import pointer_of
from openapi_spec_validator import OpenAPIV30SpecValidator


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


def _validation_entries(cache: Path) -> set[Path]:
    return set(cache.glob("validation-*/*"))


def test_a_changed_operation_is_the_only_part_validated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(cache))
    first = _spec_with_violations(tmp_path, "first.yaml")
    cold = [str(warning) for warning in generate(first).warnings]
    assert any("/paths/~1items/get/responses/200/bogus" in warning for warning in cold)
    before = _validation_entries(cache)

    spec = yaml.safe_load(first.read_text())
    spec["paths"]["/status"]["get"]["summary"] = "Changed"
    second = tmp_path / "second.yaml"
    second.write_text(yaml.safe_dump(spec, sort_keys=False))
    changed = [str(warning) for warning in generate(second).warnings]

    # Written: the changed path item's violations and the whole document's. The violation in /items,
    # which did not change, is replayed from the cache; the validator's own checks do not read summaries.
    assert len(_validation_entries(cache) - before) == 2
    assert changed == [warning.replace(str(first), str(second)) for warning in cold]


def _many_violations(count: int) -> dict[str, Any]:
    """A document with a violation of the OpenAPI schema in each of `count` path items, and as many
    operations sharing one id (a violation only the validator's own checks find)."""
    spec = yaml.safe_load((ROOT / "specs" / "httpccg.yaml").read_text())
    for number in range(count):
        spec["paths"][f"/extra{number}"] = {
            "get": {"operationId": "shared", "responses": {"200": {"description": "fine"}}},
            "bogus": number,
        }
    return dict(spec)


@pytest.mark.parametrize("count", [3, 30, 60])
def test_cached_parts_give_the_whole_document_violations(
    count: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the same order and within the same limit of errors as openapi-spec-validator's own run over the
    whole document, with an empty cache, a full one, and one filled from another version of the document."""
    data = _many_violations(count)
    source = Source(tmp_path / "spec.yaml", "", data)
    errors = OpenAPIV30SpecValidator(data).iter_errors()
    violations = map(validate_stage._violation, itertools.islice(errors, validate_stage._MAX_ERRORS))
    expected = [
        (pointer_of(*found.path, *found.rest), f"not valid OpenAPI: {found.message}") for found in violations
    ]
    assert any("shared" in message for _, message in expected) == (count < 50)

    def checked() -> list[tuple[str, str]]:
        return [(problem.pointer, problem.message) for problem in validate_stage._violations(source, "3.0")]

    monkeypatch.setenv(CACHE_VARIABLE, "off")
    assert checked() == expected
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    assert checked() == expected
    assert checked() == expected

    other = _many_violations(count + 5)
    other["paths"]["/extra1"]["get"]["operationId"] = "own"
    other["paths"]["/status"]["get"]["summary"] = "Changed"
    validate_stage._violations(Source(tmp_path / "other.yaml", "", other), "3.0")
    assert checked() == expected


def test_a_warm_cache_spares_importing_black_and_the_validator(tmp_path: Path) -> None:
    """In a fresh process, generating from a spec whose formatted blocks and violations are all cached
    imports neither black nor jsonschema nor openapi-spec-validator."""
    spec = _spec_with_violations(tmp_path, "spec.yaml")
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generator.pipeline import generate\n"
        f"warnings = generate(Path({str(spec)!r})).warnings\n"
        "assert any('bogus' in str(warning) for warning in warnings)\n"
        "print(sorted(m for m in ('black', 'jsonschema', 'openapi_spec_validator') if m in sys.modules))\n"
    )
    env = {**os.environ, CACHE_VARIABLE: str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    cold = subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True)
    assert cold.stdout.splitlines()[-1] == "['black']"  # validation ran in a forked process
    warm = subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True)
    assert warm.stdout.splitlines()[-1] == "[]"
