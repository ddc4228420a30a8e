"""Regression tests for the published payload shapes of code generators of this kind.

CVE-2020-15142 and its successors in openapi-python-client: spec text pasted into docstrings, string
literals and f-strings (descriptions, enum values, defaults, paths, header names, content types) ran when
the generated package was imported. CVE-2020-15141: a tag name with `..` wrote files outside the output
folder (see test_paths.py). Each case plants one shape into one field of a small spec, generates, and
imports every module of the package: the planted code must not run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from generator.cli import main
from test_planted_property import IMPORT_EVERY_MODULE, benign_text, spec_for


def _code(sentinel: Path) -> str:
    return f"__import__('pathlib').Path({str(sentinel)!r}).touch()"


# (field, payload shape); CODE stands for the planted code.
SHAPES = [
    ("schema_a_description", '"""\nCODE\n"""'),
    ("property_a_description", "'''\nCODE\n'''"),
    ("operation_a_description", '\\"""\nCODE\n#'),
    ("property_a_default", '" + CODE + "'),
    ("property_a_example", '" + CODE + "'),
    ("query_default", "' + CODE + '"),
    ("enum_a", '"; CODE; "'),
    ("property_a", '"] = CODE #'),
    ("path_a", '"; CODE; "'),
    ("path_a", "{CODE}"),
    ("path_parameter", "CODE"),
    ("server_url", "{CODE}"),
    ("header_parameter", '"; CODE; "'),
    ("response_header", "{CODE}"),
    ("content_type", '"; CODE; "'),
    ("operation_a", 'f"{CODE}"'),
    ("token_url", '" + CODE + "'),
    ("scope_a", '"); CODE; ("'),
    ("title", '"""CODE"""'),
    ("version", '"\nCODE\n"'),
]


NOT_WRITTEN = {
    "operation_a",
    "property_a_default",
    "property_a_example",
    "query_default",
    "response_header",
    "content_type",
}
"""Fields whose text the generator writes nowhere: an operationId becomes an identifier of its words only;
defaults and examples, response headers and a second media type beside JSON are not used."""


@pytest.mark.parametrize(
    ("field", "shape"), SHAPES, ids=[f"{field}-{index}" for index, (field, _) in enumerate(SHAPES)]
)
def test_planted_code_does_not_run(
    field: str, shape: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sentinel = tmp_path / "SENTINEL"
    text = benign_text()
    text[field] += shape.replace("CODE", _code(sentinel))
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(spec_for(text)), encoding="utf-8")
    out = tmp_path / "out"
    code = main([str(spec), "-o", str(out), "--package-name", "planted"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert not sentinel.exists()
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_MODULE], cwd=out, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert not sentinel.exists(), f"code planted in {field} ran when the package was imported"
    # The control: the planted text reached the project (code, docs or pyproject.toml), as data.
    written = "".join(path.read_text(encoding="utf-8") for path in out.rglob("*") if path.is_file())
    assert "__import__" in written or field in NOT_WRITTEN


@pytest.mark.parametrize("name", ["id}{CODE", "id!r", "id:>10", "a[0]"])
def test_braces_in_paths_are_inert_or_refused(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """openapi-spec-validator reads a path template's parameter names as Python format fields, and fails
    on some: such a spec is refused with exit 2, no traceback, nothing written; never run."""
    sentinel = tmp_path / "SENTINEL"
    text = benign_text()
    text["path_parameter"] = name.replace("CODE", _code(sentinel))
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(spec_for(text)), encoding="utf-8")
    out = tmp_path / "out"
    code = main([str(spec), "-o", str(out), "--package-name", "planted"])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    if code == 2:
        assert "error: " in err
        assert not out.exists()
    else:
        assert code == 0, err
        result = subprocess.run(
            [sys.executable, "-c", IMPORT_EVERY_MODULE], cwd=out, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
    assert not sentinel.exists()
