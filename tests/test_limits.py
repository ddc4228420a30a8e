"""Documents built to exhaust the generator end in one clear, located error (exit 2) within seconds and
bounded memory, and leave the output folder as it was: alias bombs, deep nesting, enormous files,
`$ref` cycles and chains, and references that leave the spec's folder."""

from __future__ import annotations

import json
import os
import re
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, models_source
from generator.bundle import MAX_REF_CHAIN
from generator.cli import main
from generator.load import MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES

SPEC_TEXT = (ROOT / "specs" / "httpccg.yaml").read_text(encoding="utf-8")
SECONDS = 10
PEAK_BYTES = 64 * 1024 * 1024


def spec_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SPEC_TEXT)
    return data


def previous_output(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """An output folder made by an earlier run, and what it holds."""
    out = tmp_path / "sdk"
    out.mkdir()
    (out / ".generate-sdk").write_text("made by an earlier run\n")
    (out / "previous.txt").write_text("previous output\n")
    return out, _snapshot(out)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()
    }


def refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], spec: Path, *messages: str) -> list[str]:
    """Run the generator on a spec that must be refused: exit 2, every message on stderr, `-o` untouched,
    within SECONDS and PEAK_BYTES of Python memory. The error lines."""
    out, before = previous_output(tmp_path)
    tracemalloc.start()
    started = time.monotonic()
    try:
        code = main([str(spec), "-o", str(out)])
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and "internal error" not in err
    for message in messages:
        assert message in err, err
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert peak < PEAK_BYTES, f"peak {peak} bytes"
    assert _snapshot(out) == before
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".")) == []
    return [line for line in err.splitlines() if ": error: " in line]


def write(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "specs"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


# --- YAML aliases ---------------------------------------------------------------------------------------


def _billion_laughs() -> str:
    """Ten levels of nine aliases each: 40 lines that expand to 9^10 (3.5 billion) strings."""
    lines = ["lol0: &lol0 [" + ", ".join(["lol"] * 9) + "]"]
    for level in range(1, 11):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 9) + "]")
    return SPEC_TEXT + "x-bomb:\n" + "".join(f"  {line}\n" for line in lines)


def test_yaml_alias_bomb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _billion_laughs()
    spec = write(tmp_path, "bomb.yaml", text)
    [error] = refused(tmp_path, capsys, spec, f"the document expands to more than {MAX_VALUES} values")
    # Located at the first list whose expansion crosses the limit: lol6 holds 10 × 9^6 (5.3 million) values.
    assert error.startswith(f"{spec}:{line_of(text, 'lol6: &lol6')}:")


def test_yaml_merge_key_bomb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`<<` merges copy the merged mappings while the document is built: 40 lines double 40 times."""
    lines = ["m0: &m0 {a: 1, b: 2}"] + [
        f"m{n}: &m{n} {{<<: [*m{n - 1}, *m{n - 1}], k{n}: 1}}" for n in range(1, 41)
    ]
    spec = write(tmp_path, "merge.yaml", SPEC_TEXT + "x-merge:\n" + "".join(f"  {line}\n" for line in lines))
    refused(tmp_path, capsys, spec, "the document expands to more than")


def test_yaml_recursive_alias(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SPEC_TEXT + "x-loop: &loop\n  again: *loop\n"
    spec = write(tmp_path, "loop.yaml", text)
    [error] = refused(tmp_path, capsys, spec, "an alias refers to a node that contains it")
    assert error.startswith(f"{spec}:{line_of(text, 'x-loop:')}:")


# --- nesting --------------------------------------------------------------------------------------------


def test_yaml_nested_beyond_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SPEC_TEXT + "x-deep: " + "[" * 100 + "]" * 100 + "\n"
    spec = write(tmp_path, "deep.yaml", text)
    [error] = refused(tmp_path, capsys, spec, f"the document nests deeper than {MAX_DEPTH} levels")
    # The first list too deep: x-deep is at level 2, so the list at level MAX_DEPTH + 1 is the 64th.
    column = len("x-deep: ") + MAX_DEPTH
    assert error.startswith(f"{spec}:{line_of(text, 'x-deep:')}:{column}: error: /: ")


def test_yaml_nested_beyond_what_libyaml_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path, "deeper.yaml", SPEC_TEXT + "x-deep: " + "[" * 100_000 + "]" * 100_000 + "\n")
    refused(tmp_path, capsys, spec, "error: /: ")


def test_json_nested_beyond_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The error names the pointer of the first value too deep, and its line."""
    data = spec_data()
    data["x-deep"] = json.loads("[" * 100 + "]" * 100)
    text = json.dumps(data, indent=1)
    spec = write(tmp_path, "deep.json", text)
    [error] = refused(tmp_path, capsys, spec, f"the document nests deeper than {MAX_DEPTH} levels")
    pointer = "/x-deep" + "/0" * (MAX_DEPTH - 1)
    assert re.match(rf"{re.escape(str(spec))}:\d+:\d+: error: {pointer}: ", error), error


def test_json_nested_beyond_what_python_parses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path, "deeper.json", '{"openapi": "3.0.3", "x": ' + "[" * 200_000 + "]" * 200_000 + "}")
    refused(tmp_path, capsys, spec, f"the document nests deeper than {MAX_DEPTH} levels")


def _nested_arrays_spec(tmp_path: Path, arrays: int) -> Path:
    """The example spec with a property that nests `arrays` arrays: the innermost schema is at level
    6 + arrays (document, components, schemas, Item, properties, then one level per array)."""
    data = spec_data()
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(arrays):
        schema = {"type": "array", "items": schema}
    data["components"]["schemas"]["Item"]["properties"]["deep"] = schema
    return write(tmp_path, f"arrays{arrays}.yaml", yaml.safe_dump(data))


def test_a_spec_at_the_nesting_limit_generates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The limit is below what every later stage can handle: a document exactly that deep generates."""
    spec = _nested_arrays_spec(tmp_path, MAX_DEPTH - 6)
    code = main([str(spec), "-o", str(tmp_path / "out")])
    assert code == 0, capsys.readouterr().err
    models = models_source(tmp_path / "out" / "httpccg")
    assert "deep:(" + "list[" * (MAX_DEPTH - 6) + "str" + "]" * (MAX_DEPTH - 6) in "".join(models.split())
    refused(tmp_path, capsys, _nested_arrays_spec(tmp_path, MAX_DEPTH - 5), "nests deeper than")


# --- size -----------------------------------------------------------------------------------------------


def test_enormous_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Refused by its size before it is read (the file is sparse: it takes no room on disk)."""
    spec = tmp_path / "specs" / "huge.yaml"
    spec.parent.mkdir()
    with spec.open("wb") as file:
        file.write(SPEC_TEXT.encode())
        file.truncate(MAX_FILE_BYTES + 1)
    refused(tmp_path, capsys, spec, f"the spec is {MAX_FILE_BYTES + 1} bytes; generate-sdk reads at most")


def test_enormous_referenced_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SPEC_TEXT.replace("$ref: '#/components/schemas/NewItem'", "$ref: 'huge.yaml'", 1)
    spec = write(tmp_path, "spec.yaml", text)
    with (spec.parent / "huge.yaml").open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)
    [error] = refused(tmp_path, capsys, spec, "bytes; generate-sdk reads at most")
    assert error.startswith(str(spec.parent / "huge.yaml"))


# --- $ref cycles and chains -----------------------------------------------------------------------------


def _with_components(tmp_path: Path, section: str, components: dict[str, Any], use: str) -> tuple[Path, str]:
    """The example spec with extra components and a query parameter or property that uses `use`."""
    data = spec_data()
    data["components"].setdefault(section, {}).update(components)
    if section == "parameters":
        data["paths"]["/items"]["get"]["parameters"].append({"$ref": use})
    else:
        data["components"]["schemas"]["Item"]["properties"]["extra"] = {"$ref": use}
    text = yaml.safe_dump(data, sort_keys=False)
    return write(tmp_path, "refs.yaml", text), text


def test_schema_ref_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schemas = {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}
    spec, text = _with_components(tmp_path, "schemas", schemas, "#/components/schemas/A")
    errors = refused(tmp_path, capsys, spec)
    cycle = "$ref cycle: #/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A"
    line = line_of(text, "    A:\n") + 1  # the value of A: its `$ref` line
    assert f"{spec}:{line}:7: error: /components/schemas/A: $ref cycle: " in errors[1]
    assert errors[0].endswith(f"error: /components/schemas/Item/properties/extra: {cycle}")
    assert len(errors) == 3


def test_schema_referring_to_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec, _ = _with_components(
        tmp_path, "schemas", {"A": {"$ref": "#/components/schemas/A"}}, "#/components/schemas/A"
    )
    refused(
        tmp_path,
        capsys,
        spec,
        "/components/schemas/A: $ref cycle: #/components/schemas/A -> #/components/schemas/A",
    )


def test_parameter_ref_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parameters = {"P": {"$ref": "#/components/parameters/Q"}, "Q": {"$ref": "#/components/parameters/P"}}
    spec, _ = _with_components(tmp_path, "parameters", parameters, "#/components/parameters/P")
    refused(
        tmp_path, capsys, spec, "/paths/~1items/get/parameters/3: $ref cycle: #/components/parameters/P -> "
    )


def test_path_item_referring_to_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = spec_data()
    data["paths"]["/loop"] = {"$ref": "#/paths/~1loop"}
    spec = write(tmp_path, "loop.yaml", yaml.safe_dump(data))
    refused(tmp_path, capsys, spec, "error: /paths/~1loop: $ref cycle: #/paths/~1loop -> #/paths/~1loop")


def test_a_file_that_refers_to_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SPEC_TEXT.replace("$ref: '#/components/schemas/NewItem'", "$ref: 'self.yaml'", 1)
    spec = write(tmp_path, "spec.yaml", text)
    (spec.parent / "self.yaml").write_text("$ref: self.yaml\n")
    refused(tmp_path, capsys, spec, "$ref cycle: #/components/schemas/self -> #/components/schemas/self")


def test_long_ref_chain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chain = {f"C{n}": {"$ref": f"#/components/schemas/C{n + 1}"} for n in range(MAX_REF_CHAIN + 1)}
    chain[f"C{MAX_REF_CHAIN + 1}"] = {"type": "string"}
    spec, _ = _with_components(tmp_path, "schemas", chain, "#/components/schemas/C0")
    refused(
        tmp_path,
        capsys,
        spec,
        f"/components/schemas/Item/properties/extra: $ref '#/components/schemas/C0' starts a chain of more "
        f"than {MAX_REF_CHAIN} references",
    )


def test_ref_chain_at_the_limit_generates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chain = {f"C{n}": {"$ref": f"#/components/schemas/C{n + 1}"} for n in range(MAX_REF_CHAIN - 1)}
    chain[f"C{MAX_REF_CHAIN - 1}"] = {"type": "string"}
    spec, _ = _with_components(tmp_path, "schemas", chain, "#/components/schemas/C0")
    code = main([str(spec), "-o", str(tmp_path / "out")])
    assert code == 0, capsys.readouterr().err


def test_schemas_nested_through_refs_beyond_what_can_be_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """300 schemas, each an array of the next: every file is shallow, the type is 300 arrays deep."""
    chain = {
        f"C{n}": {"type": "array", "items": {"$ref": f"#/components/schemas/C{n + 1}"}} for n in range(300)
    }
    chain["C300"] = {"type": "string"}
    spec, _ = _with_components(tmp_path, "schemas", chain, "#/components/schemas/C0")
    refused(tmp_path, capsys, spec, f"{spec}: error: /: the schemas nest too deeply through $refs")


def test_schemas_that_contain_themselves_through_all_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schemas = {
        "A": {"allOf": [{"$ref": "#/components/schemas/B"}]},
        "B": {"allOf": [{"$ref": "#/components/schemas/A"}]},
    }
    spec, _ = _with_components(tmp_path, "schemas", schemas, "#/components/schemas/A")
    started = time.monotonic()
    assert main([str(spec), "-o", str(tmp_path / "sdk")]) == 0
    assert time.monotonic() - started < SECONDS
    # The model stage breaks the cycle and says so at the schema that has nothing but itself.
    err = capsys.readouterr().err
    assert f"{spec}:" in err and "/components/schemas/A: the schema 'A' is made of itself only; typed as Any" in err


# --- files outside the spec's folder --------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symlink_out_of_the_spec_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The folder check looks at where a file really is, not at the path the spec wrote."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("type: string\ndescription: a file outside the spec's folder\n")
    text = SPEC_TEXT.replace("$ref: '#/components/schemas/NewItem'", "$ref: 'link.yaml'", 1)
    spec = write(tmp_path, "spec.yaml", text)
    (spec.parent / "link.yaml").symlink_to(secret)
    refused(tmp_path, capsys, spec, "$ref 'link.yaml' points outside the folder of the spec")
