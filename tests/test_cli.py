"""The `generate-sdk` command: exit codes (0 ok, 1 internal error, 2 bad input), located messages, and what
it does to the output folder."""

from __future__ import annotations

import ast
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from generator.cli import main

SPEC = ROOT / "specs" / "httpccg.yaml"
# Subprocesses run the generator of this checkout, whatever their working folder.
SUBPROCESS_ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
SPEC_TEXT = SPEC.read_text(encoding="utf-8")

# FILE:LINE:COL: SEVERITY: /json/pointer: message
LINE = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): "
    r"(?P<pointer>/[^ ]*): (?P<message>\S.*)$"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the spec no longer holds exactly one {old!r}"
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    """The 1-based line on which the only occurrence of `needle` starts."""
    assert text.count(needle) == 1, f"{needle!r} is not unique in the spec"
    return text[: text.index(needle)].count("\n") + 1


def write_spec(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    folder = tmp_path / "specs"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def parsed_lines(stderr: str) -> list[re.Match[str]]:
    lines = stderr.splitlines()
    assert lines, "nothing on stderr"
    matches = [LINE.match(line) for line in lines]
    bad = [line for line, match in zip(lines, matches) if match is None]
    assert not bad, f"lines not of the form FILE:LINE:COL: severity: /pointer: message: {bad}"
    return [match for match in matches if match is not None]


# --- success --------------------------------------------------------------------------------------------


def test_success(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sdk"
    code, stdout, stderr = run(capsys, SPEC, "-o", out)
    assert code == 0, stderr
    assert (out / "httpccg" / "__init__.py").is_file()
    assert (out / ".generate-sdk").is_file()
    assert "httpccg" in stdout
    assert stderr == ""  # the example spec needs no warnings


def test_success_as_a_subprocess(tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    result = subprocess.run(
        [sys.executable, "-m", "generator", str(SPEC), "-o", str(out)],
        cwd=tmp_path,
        env=SUBPROCESS_ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "httpccg" in result.stdout
    assert (out / "httpccg" / "__init__.py").is_file()


def test_package_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sdk"
    code, stdout, stderr = run(capsys, SPEC, "-o", out, "--package-name", "custom_name")
    assert code == 0, stderr
    assert (out / "custom_name" / "__init__.py").is_file()
    assert (out / "custom_name" / "resources" / "items.py").is_file()
    assert not (out / "httpccg").exists()
    assert "custom_name" in stdout
    assert 'packages = ["custom_name"]' in (out / "pyproject.toml").read_text()


# --- bad input: exit 2 ----------------------------------------------------------------------------------


def test_validation_error_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A response without `description` (a oneOf violation): one located error, no traceback."""
    text = replace_once(
        SPEC_TEXT,
        "        '204':\n          description: The item was deleted.\n",
        "        '204':\n          content: {}\n",
    )
    spec = write_spec(tmp_path, text)
    code, stdout, stderr = run(capsys, spec, "-o", tmp_path / "sdk", "--strict")
    assert code == 2, stderr
    assert "Traceback" not in stderr
    assert not (tmp_path / "sdk").exists()
    problems = parsed_lines(stderr)
    assert all(problem["file"] == str(spec) and problem["severity"] == "error" for problem in problems)
    located = {(problem["pointer"], int(problem["line"]), int(problem["column"])) for problem in problems}
    # The value of '204' is the mapping that starts on the `content: {}` line.
    expected = ("/paths/~1items~1{itemId}/delete/responses/204", line_of(text, "content: {}"), 11)
    assert expected in located, stderr
    assert len(problems) == 1, stderr
    assert "'description' is a required property" in problems[0]["message"]


def test_validation_errors_are_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two violations, one of them a wrong type (once an internal error: jsonschema's best_match needs a
    type checker that openapi-spec-validator's errors lack): one located line each."""
    text = replace_once(SPEC_TEXT, "      required: [id, name, status, note]\n", "      required: x\n")
    text = replace_once(
        text,
        "        '204':\n          description: The item was deleted.\n",
        "        '204':\n          content: {}\n",
    )
    spec = write_spec(tmp_path, text)
    code, stdout, stderr = run(capsys, spec, "-o", tmp_path / "sdk", "--strict")
    assert "Traceback" not in stderr
    assert code == 2, stderr
    problems = parsed_lines(stderr)
    assert all(problem["file"] == str(spec) and problem["severity"] == "error" for problem in problems)
    located = {(problem["pointer"], int(problem["line"]), int(problem["column"])) for problem in problems}
    required = (
        "/components/schemas/Item/required",
        line_of(text, "required: x"),
        len("      required: ") + 1,
    )
    assert required in located, stderr
    response = ("/paths/~1items~1{itemId}/delete/responses/204", line_of(text, "content: {}"), 11)
    assert response in located, stderr
    assert len(problems) == 2, stderr


VIOLATIONS = {
    # name: (old, new, pointer, text at the reported line and column, words of the message)
    "missing-field": (
        "  version: 1.0.0\n",
        "",
        "/info",
        "title: httpCCG",
        "'version' is a required property",
    ),
    "wrong-type": ("  title: httpCCG\n", "  title: [1]\n", "/info/title", "[1]", "is not of type 'string'"),
    "unknown-key": ("openapi: 3.0.3\n", "openapi: 3.0.3\nfoo: 1\n", "/foo", "1\n", "'foo'"),
}


@pytest.mark.parametrize("violation", sorted(VIOLATIONS))
def test_schema_violations_are_located(
    violation: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new, pointer, at, words = VIOLATIONS[violation]
    text = replace_once(SPEC_TEXT, old, new)
    code, stdout, stderr = run(capsys, write_spec(tmp_path, text), "-o", tmp_path / "sdk", "--strict")
    assert code == 2, stderr
    assert "Traceback" not in stderr
    [problem] = parsed_lines(stderr)
    assert problem["pointer"] == pointer
    offset = text.index(at)
    assert int(problem["line"]) == text[:offset].count("\n") + 1
    assert int(problem["column"]) == offset - text.rfind("\n", 0, offset)
    assert words in problem["message"]


def test_violations_a_client_can_ignore_are_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Published specs break rules that do not matter to a client; without --strict they generate."""
    text = replace_once(SPEC_TEXT, "openapi: 3.0.3\n", "openapi: 3.0.3\ndeprecated: false\n")
    text = replace_once(
        text, "        '204':\n          description: The item was deleted.\n", "        '204':\n          content: {}\n"
    )
    spec = write_spec(tmp_path, text)
    code, stdout, stderr = run(capsys, spec, "-o", tmp_path / "sdk")
    assert code == 0, stderr
    warnings = [problem for problem in parsed_lines(stderr) if problem["message"].startswith("not valid OpenAPI")]
    assert {problem["pointer"] for problem in warnings} == {
        "/deprecated",
        "/paths/~1items~1{itemId}/delete/responses/204",
    }
    [stray] = [problem for problem in warnings if problem["pointer"] == "/deprecated"]
    assert stray["line"] == str(line_of(text, "deprecated: false"))
    assert all(problem["severity"] == "warning" for problem in warnings)
    assert (tmp_path / "sdk" / "httpccg" / "resources" / "items.py").is_file()


def test_violations_that_prevent_modelling_are_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = replace_once(SPEC_TEXT, "paths:\n  /items:\n", "paths: 5\nx-old-paths:\n  /items:\n")
    code, _, stderr = run(capsys, write_spec(tmp_path, text), "-o", tmp_path / "sdk")
    assert code == 2 and "Traceback" not in stderr and "please report" not in stderr
    assert any(problem["pointer"] == "/paths" and problem["severity"] == "error" for problem in parsed_lines(stderr))


def test_unquoted_response_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """YAML reads `200:` as a number; it once crashed the validator (exit 1). It means the text "200"."""
    text = replace_once(
        SPEC_TEXT,
        "        '200':\n          description: The service status.\n",
        "        200:\n          description: The service status.\n",
    )
    text = replace_once(
        text,
        "        '204':\n          description: The item was deleted.\n",
        "        204:\n          description: The item was deleted.\n",
    )
    out = tmp_path / "sdk"
    code, stdout, stderr = run(capsys, write_spec(tmp_path, text), "-o", out)
    assert code == 0, stderr
    assert stderr == ""
    service = (out / "httpccg" / "resources" / "service.py").read_text()
    assert "-> models.ServiceStatus:" in service  # the 200 response was found


def test_invalid_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = replace_once(SPEC_TEXT, "  title: httpCCG\n", "  title: httpCCG\n\tsummary: tabbed\n")
    spec = write_spec(tmp_path, text)
    code, stdout, stderr = run(capsys, spec, "-o", tmp_path / "sdk")
    assert code == 2
    assert "Traceback" not in stderr
    [problem] = parsed_lines(stderr)
    assert problem["file"] == str(spec)
    assert int(problem["line"]) == line_of(text, "\tsummary")
    assert int(problem["column"]) == 1
    assert "invalid YAML" in problem["message"]
    assert not (tmp_path / "sdk").exists()


def test_invalid_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = '{\n  "openapi": "3.0.3",\n  "info": {"title": "x",, "version": "1"}\n}\n'
    spec = write_spec(tmp_path, text, "spec.json")
    code, stdout, stderr = run(capsys, spec, "-o", tmp_path / "sdk")
    assert code == 2
    assert "Traceback" not in stderr
    [problem] = parsed_lines(stderr)
    bad = text.index(",,") + 1  # the second comma
    assert int(problem["line"]) == text[:bad].count("\n") + 1 == 3
    assert int(problem["column"]) == bad - text.rindex("\n", 0, bad)
    assert "invalid JSON" in problem["message"]


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.yaml"
    code, stdout, stderr = run(capsys, missing, "-o", tmp_path / "sdk")
    assert code == 2
    assert "Traceback" not in stderr
    assert str(missing) in stderr
    assert "cannot read the spec" in stderr
    assert not (tmp_path / "sdk").exists()


def test_no_client_credentials_scheme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Generated anyway: the warnings say which scheme is not handled and what the SDK sends."""
    text = replace_once(
        SPEC_TEXT,
        "        clientCredentials:\n          tokenUrl: /oauth/token\n",
        "        implicit:\n          authorizationUrl: /oauth/authorize\n",
    )
    spec = write_spec(tmp_path, text)
    code, stdout, stderr = run(capsys, spec, "-o", tmp_path / "sdk")
    assert code == 0, stderr
    warnings = {problem["pointer"]: problem for problem in parsed_lines(stderr)}
    message = warnings["/components/securitySchemes"]["message"]
    assert "no OAuth 2.0 scheme with a clientCredentials flow" in message
    assert "the SDK authenticates with 'ClientCredentialsAuth' only" in message
    client = (tmp_path / "sdk" / "httpccg" / "_client.py").read_text()
    # The scheme's own class is kept apart from the runtime's ClientCredentialsAuthCredentials.
    assert "client_credentials_auth_credentials: ClientCredentialsAuth2Credentials | None = None" in client


def test_unsupported_openapi_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = replace_once(SPEC_TEXT, "openapi: 3.0.3\n", "openapi: 2.5.0\n")
    code, stdout, stderr = run(capsys, write_spec(tmp_path, text), "-o", tmp_path / "sdk")
    assert code == 2
    [problem] = parsed_lines(stderr)
    assert problem["pointer"] == "/openapi"
    assert problem["line"] == "1"
    assert "2.5.0" in problem["message"]


def test_unsupported_swagger_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = replace_once(SPEC_TEXT, "openapi: 3.0.3\n", 'swagger: "1.2"\n')
    code, stdout, stderr = run(capsys, write_spec(tmp_path, text), "-o", tmp_path / "sdk")
    assert code == 2
    [problem] = parsed_lines(stderr)
    assert problem["pointer"] == "/swagger"
    assert problem["line"] == "1"
    assert "'1.2'" in problem["message"] and "expected 2.0" in problem["message"]


def test_output_is_required(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([str(SPEC)])
    assert exit_info.value.code == 2
    assert "give -o OUT, or set `output` in [tool.generate-sdk]" in capsys.readouterr().err


def test_bad_package_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([str(SPEC), "-o", str(tmp_path / "sdk"), "--package-name", "1bad"])
    assert exit_info.value.code == 2
    assert "'1bad' is not a valid Python package name" in capsys.readouterr().err
    assert not (tmp_path / "sdk").exists()


def test_bad_arguments_as_a_subprocess(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            str(SPEC),
            "-o",
            str(tmp_path / "sdk"),
            "--package-name",
            "class",
        ],
        cwd=tmp_path,
        env=SUBPROCESS_ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "not a valid Python package name" in result.stderr
    assert "Traceback" not in result.stderr


# --- the output folder ----------------------------------------------------------------------------------

BROKEN = {
    # name: (old, new), a change to the example spec that makes it fail in the load or the model stage
    "invalid-yaml": ("  title: httpCCG\n", "  title: httpCCG\n\tsummary: x\n"),
    "unresolvable-ref": (
        "          description: Only items with this status.\n          schema:\n            $ref: '#/components/schemas/ItemStatus'",
        "          description: Only items with this status.\n          schema:\n            $ref: '#/components/schemas/Nowhere'",
    ),
}


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_failed_generation_leaves_the_output_untouched(
    broken: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parent = tmp_path / "out"
    out = parent / "sdk"
    assert run(capsys, SPEC, "-o", out)[0] == 0
    before = snapshot(out)
    assert "httpccg/__init__.py" in before
    code, stdout, stderr = run(
        capsys, write_spec(tmp_path, replace_once(SPEC_TEXT, *BROKEN[broken])), "-o", out
    )
    assert code == 2, stderr
    assert snapshot(out) == before
    assert sorted(path.name for path in parent.iterdir()) == ["sdk"]  # no staging folder left


@pytest.mark.skipif(sys.platform != "linux", reason="relies on Linux's 4096-byte PATH_MAX")
def test_failure_while_writing_leaves_the_output_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An output folder so deep that the staging folder can be made but its longest file path is too long
    for the OS: the write fails half-way, the previous output and its parent are as they were."""
    parent = tmp_path
    while len(str(parent)) < 4060:
        parent = parent / ("d" * min(200, 4060 - len(str(parent)) - 1))
    parent.mkdir(parents=True)
    out = parent / "sdk"
    out.mkdir()
    (out / ".generate-sdk").write_text("made by an earlier run\n")
    (out / "previous.txt").write_text("previous output\n")
    before = snapshot(out)
    code, stdout, stderr = run(capsys, SPEC, "-o", out)
    assert code != 0
    assert "Traceback" not in stderr
    assert "File name too long" in stderr
    assert snapshot(out) == before
    assert [path.name for path in parent.iterdir()] == ["sdk"]  # the staging folder is gone


def test_refuses_a_folder_it_did_not_create(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "mine"
    out.mkdir(parents=True)
    (out / "notes.txt").write_text("precious")
    code, stdout, stderr = run(capsys, SPEC, "-o", out)
    assert code == 2
    assert "--force" in stderr
    assert "Traceback" not in stderr
    assert snapshot(out) == {"notes.txt": b"precious"}
    assert sorted(path.name for path in out.parent.iterdir()) == ["mine"]

    code, stdout, stderr = run(capsys, SPEC, "-o", out, "--force")
    assert code == 0, stderr
    assert (out / "httpccg" / "__init__.py").is_file()
    assert (out / ".generate-sdk").is_file()
    assert (out / "notes.txt").read_text() == "precious"  # --force generates beside it, and says so
    assert stderr == f"generate-sdk: warning: {out / 'notes.txt'}: not made by generate-sdk; kept\n"
    assert sorted(path.name for path in out.parent.iterdir()) == ["mine"]


def test_refuses_to_replace_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "sdk"
    out.parent.mkdir()
    out.write_text("a file")
    code, stdout, stderr = run(capsys, SPEC, "-o", out)
    assert code == 2
    assert "not a folder" in stderr
    assert out.read_text() == "a file"


def test_force_over_a_file_leaves_nothing_behind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "sdk"
    out.parent.mkdir()
    out.write_text("a file")
    code, stdout, stderr = run(capsys, SPEC, "-o", out, "--force")
    assert code == 0, stderr
    assert (out / ".generate-sdk").is_file()
    assert sorted(path.name for path in out.parent.iterdir()) == ["sdk"]


def test_regeneration_replaces_the_generated_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Generated files edited by hand are replaced, and those the spec no longer produces removed: the
    marker lists them. Nothing is reported, since nothing but generated files was there."""
    out = tmp_path / "out" / "sdk"
    with_tag = replace_once(SPEC_TEXT, "      tags: [Service]\n", "      tags: [Extra]\n")
    assert run(capsys, write_spec(tmp_path, with_tag), "-o", out)[0] == 0
    assert (out / "httpccg" / "resources" / "extra.py").is_file()
    assert "httpccg/resources/extra.py\n" in (out / ".generate-sdk").read_text()
    (out / "README.md").write_text("edited by hand\n")
    code, stdout, stderr = run(capsys, SPEC, "-o", out)
    assert code == 0, stderr
    assert stderr == ""
    assert not (out / "httpccg" / "resources" / "extra.py").exists()
    assert not (out / "doc" / "resources" / "extra.md").exists()
    assert snapshot(out) == snapshot(ROOT / "generated" / "httpccg") | {
        name: data for name, data in snapshot(out).items() if "__pycache__" in name
    }
    assert sorted(path.name for path in out.parent.iterdir()) == ["sdk"]


def test_files_a_user_added_are_kept_and_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "sdk"
    assert run(capsys, SPEC, "-o", out)[0] == 0
    added = {
        "httpccg/extension.py": "EXTRA = True\n",
        "notes/todo.md": "- ship it\n",
        "notes/more/deep.txt": "deep\n",
        ".env": "SECRET=1\n",
    }
    for name, text in added.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text)
    (out / "link").symlink_to("/etc/hostname")
    (out / "httpccg" / "__pycache__").mkdir()
    (out / "httpccg" / "__pycache__" / "models.cpython-311.pyc").write_bytes(b"cache")
    code, stdout, stderr = run(capsys, SPEC, "-o", out)
    assert code == 0, stderr
    for name, text in added.items():
        assert (out / name).read_text() == text
    assert os.readlink(out / "link") == "/etc/hostname"
    assert (out / "httpccg" / "__pycache__" / "models.cpython-311.pyc").read_bytes() == b"cache"
    kept = ["httpccg/extension.py", ".env", "link", "notes"]
    assert sorted(stderr.splitlines()) == sorted(
        f"generate-sdk: warning: {out}{os.sep}{name}: not made by generate-sdk; kept" for name in kept
    )
    # The marker lists what generate-sdk made, not what it kept: a user's file never becomes "generated".
    assert "extension.py" not in (out / ".generate-sdk").read_text()
    assert sorted(path.name for path in out.parent.iterdir()) == ["sdk"]


def test_a_users_file_where_a_generated_file_now_goes_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "sdk"
    assert run(capsys, SPEC, "-o", out)[0] == 0
    with_tag = replace_once(SPEC_TEXT, "      tags: [Service]\n", "      tags: [Extra]\n")
    (out / "httpccg" / "resources" / "extra.py").write_text("MINE = True\n")
    code, stdout, stderr = run(capsys, write_spec(tmp_path, with_tag), "-o", out)
    assert code == 0, stderr
    path = out / "httpccg" / "resources" / "extra.py"
    assert "class ExtraResource" in path.read_text()
    assert f"generate-sdk: warning: {out}{os.sep}httpccg/resources/extra.py: not made by generate-sdk; " \
        "replaced by a generated file of that name" in stderr.splitlines()


def test_a_failed_regeneration_keeps_the_users_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "sdk"
    assert run(capsys, SPEC, "-o", out)[0] == 0
    (out / "notes.txt").write_text("mine\n")
    before = snapshot(out)
    broken = write_spec(tmp_path, SPEC_TEXT.replace("openapi: 3.0.3", "openapi: [", 1))
    code, stdout, stderr = run(capsys, broken, "-o", out)
    assert code == 2
    assert snapshot(out) == before


def test_every_rendered_file_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Model keys `Thing`, `thing` and `Thing2` make three classes; their doc pages once shared a name, and
    the last one written silently replaced the other (the CLI counted 27 files, 26 were on disk)."""
    thing = "      type: object\n      properties:\n        a:\n          type: string\n"
    text = replace_once(
        SPEC_TEXT,
        "  schemas:\n",
        f"  schemas:\n    Thing:\n{thing}    thing:\n{thing}    Thing2:\n{thing}",
    )
    out = tmp_path / "sdk"
    code, stdout, stderr = run(capsys, write_spec(tmp_path, text), "-o", out)
    assert code == 0, stderr
    reported = int(re.search(r"\((\d+) files\)", stdout).group(1))  # type: ignore[union-attr]
    assert len(snapshot(out)) == reported
    pages = sorted(path.read_text().splitlines()[0] for path in (out / "doc" / "models").glob("thing*.md"))
    assert len(pages) == 3 and len(set(pages)) == 3, pages  # one page per class


# --- warnings -------------------------------------------------------------------------------------------


def _spec_with_unsupported_features() -> tuple[str, dict[str, int]]:
    """The example spec with a parameter described by `content`, an allOf schema, an XML request body and
    an OpenID Connect scheme; and the line each warning must point at."""
    text = replace_once(
        SPEC_TEXT,
        "        - name: X-Request-Id\n",
        "        - name: session\n          in: query\n          content:\n            application/json:\n"
        "              schema:\n                type: object\n"
        "        - name: X-Request-Id\n",
    )
    text = replace_once(
        text,
        "  schemas:\n",
        "  schemas:\n    Combined:\n      allOf:\n        - $ref: '#/components/schemas/Item'\n        - type: string\n",
    )
    text = replace_once(
        text,
        "    delete:\n      tags: [Items]\n",
        "    put:\n      tags: [Items]\n      operationId: setItemNote\n      requestBody:\n"
        "        content:\n          application/xml:\n            schema:\n              $ref: '#/components/schemas/NewItem'\n"
        "      responses:\n        '204':\n          description: Stored.\n"
        "    delete:\n      tags: [Items]\n",
    )
    text = replace_once(
        text,
        "  securitySchemes:\n",
        "  securitySchemes:\n    DigestAuth:\n      type: http\n      scheme: digest\n",
    )
    lines = {
        "/paths/~1items/get/parameters/2": line_of(text, "- name: session"),
        "/components/schemas/Combined": line_of(text, "allOf:"),
        "/paths/~1items~1{itemId}/put/requestBody/content/application~1xml": line_of(text, "application/xml:") + 1,
        "/components/securitySchemes/DigestAuth": line_of(text, "type: http"),
    }
    return text, lines


def test_unsupported_features_are_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text, expected = _spec_with_unsupported_features()
    spec = write_spec(tmp_path, text)
    out = tmp_path / "sdk"
    code, stdout, stderr = run(capsys, spec, "-o", out)
    assert code == 0, stderr
    assert "Traceback" not in stderr
    warnings = parsed_lines(stderr)
    assert all(warning["severity"] == "warning" and warning["file"] == str(spec) for warning in warnings)
    assert len(warnings) == len(expected), stderr  # one line per problem
    assert {warning["pointer"]: int(warning["line"]) for warning in warnings} == expected
    messages = {warning["pointer"]: warning["message"] for warning in warnings}
    assert "`content`" in messages["/paths/~1items/get/parameters/2"]
    assert "allOf" in messages["/components/schemas/Combined"]
    assert "sent as the text given" in messages["/paths/~1items~1{itemId}/put/requestBody/content/application~1xml"]

    items = (out / "httpccg" / "resources" / "items.py").read_text()
    methods = {
        node.name
        for node in ast.walk(ast.parse(items))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    assert {"list_items", "create_item", "get_item", "delete_item", "set_item_note"} <= methods
    assert "body: str" in items and '"application/xml"' in items
    assert "session" not in items  # the parameter described by `content` is left out
    for path in (out / "httpccg").rglob("*.py"):
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 10))


# --- internal errors: exit 1 ----------------------------------------------------------------------------


class PlantedFault(Exception):
    """Stands for a bug in the generator: no spec should reach the internal-error path."""


def _fail_rendering(*args: object, **kwargs: object) -> None:
    raise PlantedFault("a planted fault\nwith a second line")


# Loaded by the console script's Python at start-up: the render stage fails as a bug would.
FAULT_SITECUSTOMIZE = """
import generator.pipeline


def _fail_rendering(*args, **kwargs):
    raise RuntimeError("a planted fault")


generator.pipeline.render = _fail_rendering
"""


def test_internal_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.pipeline.render", _fail_rendering)
    out = tmp_path / "sdk"
    code, stdout, stderr = run(capsys, SPEC, "-o", out)
    assert code == 1
    assert stderr.startswith("generate-sdk: internal error: PlantedFault: a planted fault\\nwith a second line\n")
    assert "please report" in stderr
    assert "Traceback" not in stderr
    assert len(stderr.splitlines()) == 2
    assert not out.exists()
    # --debug shows the exception instead.
    with pytest.raises(PlantedFault):
        main([str(SPEC), "-o", str(out), "--debug"])
    assert not out.exists()


CONSOLE_SCRIPT = Path(sys.executable).parent / "generate-sdk"
needs_console_script = pytest.mark.skipif(
    not CONSOLE_SCRIPT.is_file(), reason=f"the console script is not installed at {CONSOLE_SCRIPT}"
)


@needs_console_script
@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_internal_error_from_the_console_script(tmp_path: Path, debug: bool) -> None:
    faults = tmp_path / "faults"
    faults.mkdir()
    (faults / "sitecustomize.py").write_text(FAULT_SITECUSTOMIZE)
    out = tmp_path / "sdk"
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), str(SPEC), "-o", str(out), *(["--debug"] if debug else [])],
        cwd=tmp_path,
        env={**SUBPROCESS_ENV, "PYTHONPATH": os.pathsep.join([str(faults), str(ROOT)])},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert not out.exists()
    if debug:
        assert "Traceback (most recent call last)" in result.stderr
        assert result.stderr.rstrip().endswith("RuntimeError: a planted fault")
    else:
        assert result.stderr.splitlines() == [
            "generate-sdk: internal error: RuntimeError: a planted fault",
            "This is a bug in generate-sdk; please report it with the spec (run with --debug for details).",
        ]


@needs_console_script
def test_bad_input_from_the_console_script(tmp_path: Path) -> None:
    """Exit 2 with a located line, no traceback, through the installed command."""
    spec = write_spec(tmp_path, SPEC_TEXT + "x-deep: " + "[" * 100 + "]" * 100 + "\n")
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), str(spec), "-o", str(tmp_path / "sdk")],
        cwd=tmp_path,
        env=SUBPROCESS_ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    [problem] = parsed_lines(result.stderr)
    assert "nests deeper than" in problem["message"]
    assert not (tmp_path / "sdk").exists()


# --- folder and name guards -----------------------------------------------------------------------------


def test_refuses_to_replace_the_folder_holding_the_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_spec(tmp_path, SPEC_TEXT)
    code, _, stderr = run(capsys, spec, "-o", tmp_path, "--force")
    assert code == 2 and "holds the spec" in stderr
    assert spec.read_text(encoding="utf-8") == SPEC_TEXT


@pytest.mark.parametrize("name", ["_", "doc", "pydantic", "json", "httpx2"])
def test_package_names_that_shadow_other_packages_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([str(SPEC), "-o", str(tmp_path / "out"), "--package-name", name])
    assert exit_info.value.code == 2 and "shadow" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_title_naming_a_standard_module_gets_a_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_spec(tmp_path, replace_once(SPEC_TEXT, "  title: httpCCG\n", "  title: JSON\n"))
    code, stdout, stderr = run(capsys, spec, "-o", tmp_path / "out")
    assert code == 0, stderr
    assert (tmp_path / "out" / "json_client" / "__init__.py").is_file()


def test_write_failures_are_reported_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, stderr = run(capsys, SPEC, "-o", blocker / "out")
    assert code == 2 and "cannot write" in stderr and "please report" not in stderr


def test_reference_to_a_missing_file_is_a_located_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = replace_once(
        SPEC_TEXT, "              $ref: '#/components/schemas/NewItem'\n", "              $ref: './new-item.yaml'\n"
    )
    spec = write_spec(tmp_path, text)
    code, _, stderr = run(capsys, spec, "-o", tmp_path / "out")
    assert code == 2 and "Traceback" not in stderr
    [problem] = parsed_lines(stderr)
    assert problem["file"] == str(spec)
    assert problem["line"] == str(line_of(text, "$ref: './new-item.yaml'"))
    assert problem["pointer"] == "/paths/~1items/post/requestBody/content/application~1json/schema"
    assert "cannot resolve $ref './new-item.yaml'" in problem["message"]
    assert not (tmp_path / "out").exists()


def test_other_flows_and_undeclared_scopes_are_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = replace_once(
        SPEC_TEXT,
        "      flows:\n",
        "      flows:\n        authorizationCode:\n          authorizationUrl: /authorize\n"
        "          tokenUrl: /oauth/token\n          scopes: {}\n",
    )
    text = replace_once(text, "        - ClientCredentialsAuth: [write_scope]\n      requestBody:", "        - ClientCredentialsAuth: [admin_scope]\n      requestBody:")
    code, _, stderr = run(capsys, write_spec(tmp_path, text), "-o", tmp_path / "out")
    assert code == 0, stderr
    assert "warning: /components/securitySchemes/ClientCredentialsAuth/flows: only the clientCredentials flow is used; authorizationCode not handled" in stderr
    assert "warning: /paths/~1items/post/security/0/ClientCredentialsAuth: scopes the scheme 'ClientCredentialsAuth' does not declare: 'admin_scope'" in stderr
    assert "granting `admin_scope`" in (tmp_path / "out" / "httpccg" / "resources" / "items.py").read_text()


def test_progress_on_a_terminal_and_one_line_elsewhere(tmp_path: Path) -> None:
    """On a terminal each stage reports as it ends; piped, only the summary line is printed."""
    command = [sys.executable, "-m", "generator", str(SPEC), "-o", str(tmp_path / "tty")]
    primary, secondary = pty.openpty()
    process = subprocess.Popen(command, stdout=secondary, stderr=secondary, cwd=ROOT)
    os.close(secondary)
    output = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        output += chunk
    assert process.wait(timeout=120) == 0
    os.close(primary)
    lines = output.decode().splitlines()
    stages = [line.split("s ", 1)[1] for line in lines if line.startswith("generate-sdk: ")]
    # Validation runs beside modelling, rendering and formatting, and reports when its result is used.
    assert [stage.split()[0] for stage in stages] == ["loaded", "modelled", "rendered", "formatted", "validated:"]
    assert "modelled 5 operations and 5 models" in stages

    piped = subprocess.run(
        [sys.executable, "-m", "generator", str(SPEC), "-o", str(tmp_path / "piped")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert piped.returncode == 0 and "generate-sdk: " not in piped.stderr
    written = sum(path.is_file() for path in (tmp_path / "piped").rglob("*"))
    assert piped.stdout.splitlines() == [f"generated httpccg ({written} files) in {tmp_path / 'piped'}"]


def test_path_parameter_missing_from_the_path_is_left_out_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = replace_once(
        SPEC_TEXT,
        "      parameters:\n        - name: limit\n",
        "      parameters:\n        - name: version\n          in: path\n          required: true\n"
        "          schema:\n            type: string\n        - name: limit\n",
    )
    code, _, stderr = run(capsys, write_spec(tmp_path, text), "-o", tmp_path / "out")
    assert code == 0, stderr
    [problem] = [p for p in parsed_lines(stderr) if "does not appear in the path" in p["message"]]
    assert problem["pointer"] == "/paths/~1items/get/parameters/0"
    assert problem["line"] == str(line_of(text, "- name: version"))
    assert "does not appear in the path '/items'" in problem["message"]
    source = (tmp_path / "out" / "httpccg" / "resources" / "items.py").read_text()
    assert "version" not in source.split("def list_items", 1)[1].split('"""', 1)[0]


def test_server_url_with_undefined_variables_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = replace_once(
        SPEC_TEXT, "  - url: http://127.0.0.1:8080/api/v1\n", "  - url: http://127.0.0.1:8080/api/{version}\n"
    )
    code, _, stderr = run(capsys, write_spec(tmp_path, text), "-o", tmp_path / "out")
    assert code == 0, stderr
    [problem] = [p for p in parsed_lines(stderr) if p["pointer"] == "/servers/0/url"]
    assert problem["line"] == str(line_of(text, "http://127.0.0.1:8080/api/{version}"))
    assert "placeholders no server variable defines ('version')" in problem["message"]
    assert "give the client base_url=" in problem["message"]


@pytest.mark.parametrize(
    ("written", "packaged"), [("2026.06.3", "2026.6.3"), ("v1.0rc01", "1.0rc1"), ("1.0.0", "1.0.0")]
)
def test_pep440_versions_with_leading_zeros_are_normalised(
    written: str, packaged: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = replace_once(SPEC_TEXT, "  version: 1.0.0\n", f"  version: {written}\n")
    code, _, stderr = run(capsys, write_spec(tmp_path, text), "-o", tmp_path / "out")
    assert code == 0, stderr
    assert "PEP 440" not in stderr
    assert f'version = "{packaged}"' in (tmp_path / "out" / "pyproject.toml").read_text()
