"""Spec text cannot become code: the escaping filters, the template guard, and a planted spec end to end."""

from __future__ import annotations

import ast
import json
import random
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from conftest import ROOT
from generator.cli import main
from generator.render import environment
from generator.untrusted import (
    Identifier,
    SpecText,
    UnescapedTextError,
    comment,
    docstring,
    json_document,
    markdown,
    markdown_code,
    markdown_inline,
    python_literal,
    python_string,
    table_cell,
    toml_string,
)

NASTY = [
    '"""',
    "'''",
    "\\",
    'a\\"b',
    "x\ny",
    "\u2028\u2029",
    "\x00\x1b[31m",
    "{{ x }} {% if %}",
    "__import__('os').system('touch /tmp/pwned')",
    '"; import os; #',
    "\ud800",
    'end with quote"',
    "trailing backslash\\",
    # More of the same kind.
    '""""""',
    '\\"""',
    "a\r\nb\rc\n\n",
    "  indented\n\tand tabbed  \n",
    "\x85\x0c\x1c\x1d\x1e\x7f",
    "a|b \\| <script>alert(1)</script> &amp;",
    "`code` ``more``",
    "\U0001f600 é ß",
    "",
]
SURROGATE = "\ud800"


def _ids(values: list[str]) -> list[str]:
    return [ascii(value)[:40] for value in values]


def _docstring_value(text: str) -> str:
    """What a docstring made from `text` holds: newlines normalized to \\n, trailing spaces and blank
    first and last lines dropped, a lone surrogate shown as U+FFFD; every other character kept (non-printable
    ones escaped in the source)."""
    lines = text.replace(SURROGATE, "\ufffd").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip(" ") for line in lines).strip("\n")


# --- python_string --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", NASTY, ids=_ids(NASTY))
def test_python_string_round_trips(text: str) -> None:
    literal = python_string(text)
    assert "\n" not in literal and "\r" not in literal
    assert all(ch.isprintable() for ch in literal)
    tree = ast.parse(literal, mode="eval")
    assert isinstance(tree.body, ast.Constant)  # a literal, never an expression that could run code
    assert eval(compile(tree, "<literal>", "eval")) == text  # noqa: S307 - checked to be a constant
    assert python_string(SpecText(text)) == literal


# --- python_literal, json_document ---------------------------------------------------------------------

# Derandomized, without an example database, like the suite's other property tests.
JSON_SETTINGS = settings(derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@JSON_SETTINGS
@given(JSON_VALUES)
def test_python_literal_evaluates_to_the_json_value(value: Any) -> None:
    literal = python_literal(SpecText(json.dumps(value)))
    tree = ast.parse(literal, mode="eval")
    # Only literals: no name, call or attribute an author's text could turn into code.
    assert all(
        isinstance(node, (ast.Expression, ast.Constant, ast.List, ast.Dict, ast.UnaryOp, ast.USub, ast.Load))
        for node in ast.walk(tree)
    ), literal
    assert eval(compile(tree, "<literal>", "eval")) == value  # noqa: S307 - checked to hold literals only


@pytest.mark.parametrize("text", NASTY, ids=_ids(NASTY))
def test_python_literal_keeps_nasty_text_data(text: str) -> None:
    literal = python_literal(SpecText(json.dumps({text: [text]})))
    assert "\n" not in literal and eval(literal) == {text: [text]}  # noqa: S307 - a dict of strings


def test_python_literal_refuses_what_json_cannot_hold() -> None:
    with pytest.raises(ValueError):
        python_literal(SpecText("[NaN]"))


@JSON_SETTINGS
@given(JSON_VALUES)
def test_json_document_reads_back_as_the_data(value: Any) -> None:
    text = json_document({"value": value})
    text.encode("utf-8")  # writable, lone surrogates included
    assert json.loads(text) == {"value": value}


# --- docstring ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", NASTY, ids=_ids(NASTY))
def test_docstring_is_inert_and_keeps_the_text(text: str) -> None:
    """Text ending in three quotes once gave `\\"\\"\\\\"`, closing the docstring early."""
    body = docstring(text)
    assert all(ch.isprintable() or ch == "\n" for ch in body), "non-printable characters must be escaped"
    module = ast.parse('"""' + body + '"""', feature_version=(3, 10))
    assert len(module.body) == 1
    statement = module.body[0]
    assert isinstance(statement, ast.Expr)
    assert isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str)
    assert ast.get_docstring(module, clean=False) == _docstring_value(text)


@pytest.mark.parametrize("text", NASTY, ids=_ids(NASTY))
def test_indented_docstring_is_inert(text: str) -> None:
    """In a class body, with continuation lines indented, and with text after it on the line."""
    source = f'class A:\n    """{docstring(text, 4)}"""\n\n    """{docstring(text, 4)}: more text."""\n'
    module = ast.parse(source, feature_version=(3, 10))
    [cls] = module.body
    assert isinstance(cls, ast.ClassDef)
    assert len(cls.body) == 2
    assert all(isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) for s in cls.body)
    value = ast.get_docstring(cls, clean=False)
    assert value is not None
    first, *rest = value.split("\n")
    expected_first, *expected_rest = _docstring_value(text).split("\n")
    assert first == expected_first
    assert [line.removeprefix("    ") for line in rest] == expected_rest


@pytest.mark.parametrize("text", NASTY, ids=_ids(NASTY))
def test_class_docstring_builds_the_class(text: str) -> None:
    """A lone surrogate in a class docstring once made the class fail to build when its module was
    imported (found by the property test in test_planted_property.py)."""
    namespace: dict[str, Any] = {}
    exec(compile(f'class A:\n    """{docstring(text, 4)}"""\n', "<generated>", "exec"), namespace)  # noqa: S102
    assert namespace["A"].__doc__ is not None


def test_random_text_round_trips() -> None:
    """Thousands of short strings of the characters (and quote runs) that matter to Python string syntax,
    with a fixed seed so that a failure repeats: each filter's output is inert and gives the text back."""
    alphabet = [
        '"',
        '""',
        '"""',
        "'",
        "\\",
        "\n",
        "\r",
        " ",
        "\t",
        "x",
        "{",
        "#",
        "\u2028",
        "\x00",
        "\ud800",
        "\u3000",
    ]
    rng = random.Random(20240601)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
        literal = python_string(text)
        assert ast.literal_eval(literal) == text, ascii(text)
        module = ast.parse('"""' + docstring(text) + '"""')
        assert len(module.body) == 1, ascii(text)
        assert ast.get_docstring(module, clean=False) == _docstring_value(text), ascii(text)
        assert len(("# " + comment(text)).splitlines()) == 1, ascii(text)
        assert tomllib.loads("k = " + toml_string(text))["k"] == text.replace(SURROGATE, "\ufffd"), ascii(
            text
        )


# --- comment, toml_string, markdown ---------------------------------------------------------------------


@pytest.mark.parametrize("text", NASTY, ids=_ids(NASTY))
def test_comment_is_one_line(text: str) -> None:
    line = comment(text)
    assert not {"\n", "\r", "\u2028", "\u2029", "\x85", "\x0c"} & set(line)
    assert len(("# " + line).splitlines()) == 1
    assert ast.parse("# " + line + "\nx = 1\n").body[0].lineno == 2  # the comment ends where it should


@pytest.mark.parametrize("text", NASTY, ids=_ids(NASTY))
def test_toml_string_round_trips(text: str) -> None:
    literal = toml_string(text)
    assert "\n" not in literal
    value = tomllib.loads("k = " + literal)["k"]
    assert value == text.replace(SURROGATE, "\ufffd")
    if SURROGATE not in text:
        assert value == text


def _unescaped_pipes(text: str) -> list[int]:
    return [index for index, ch in enumerate(text) if ch == "|" and (index == 0 or text[index - 1] != "\\")]


@pytest.mark.parametrize("text", NASTY, ids=_ids(NASTY))
def test_markdown_inline_is_one_table_cell(text: str) -> None:
    cell = markdown_inline(text)
    assert len(cell.splitlines()) <= 1 and "\n" not in cell and "\r" not in cell
    assert not _unescaped_pipes(cell)
    assert "<" not in cell


@pytest.mark.parametrize("text", NASTY, ids=_ids(NASTY))
def test_markdown_code_is_one_code_span(text: str) -> None:
    span = markdown_code(text)
    assert len(span.splitlines()) == 1
    fence = re.match(r"`+", span)
    assert fence is not None and span.endswith(fence[0])
    inside = span[len(fence[0]) : -len(fence[0])]
    assert fence[0] not in inside  # the span cannot end early
    assert inside.strip(" ") == comment(text).strip(" ")
    # In a table the span must not split the cell.
    assert not _unescaped_pipes(table_cell(span))


@pytest.mark.parametrize("text", NASTY, ids=_ids(NASTY))
def test_markdown_has_no_raw_html(text: str) -> None:
    paragraph = markdown(text)
    assert "<" not in paragraph
    assert not {"\r", "\u2028", "\u2029", "\x85"} & set(paragraph)


# --- Identifier -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1a", "class", "a-b", "é", "", "a b", "a.b", "../x", "None"])
def test_identifier_rejects(value: str) -> None:
    with pytest.raises(ValueError):
        Identifier(value)


@pytest.mark.parametrize("value", ["ok_1", "_private", "Item2"])
def test_identifier_accepts(value: str) -> None:
    assert Identifier(value) == value
    assert isinstance(Identifier(value), str)


# --- the template guard ---------------------------------------------------------------------------------


def test_spec_text_refuses_to_become_a_string() -> None:
    with pytest.raises(UnescapedTextError):
        str(SpecText("x"))
    with pytest.raises(UnescapedTextError):
        f"{SpecText('x')}"  # noqa: B907


@pytest.mark.parametrize(
    "template",
    [
        "{{ value }}",
        "{{ 'prefix ' ~ value }}",
        "{{ value | string }}",
        "{{ value | upper }}",
        "{% set copy = value %}{{ copy }}",
        "{{ value if true }}",
    ],
)
def test_template_guard(template: str) -> None:
    env = environment()
    with pytest.raises(UnescapedTextError):
        env.from_string(template).render(value=SpecText('a"b'))


def test_template_filters_pass_spec_text() -> None:
    env = environment()
    assert env.from_string("{{ value | python_string }}").render(value=SpecText('a"b')) == '"a\\"b"'
    assert env.from_string("{{ value | docstring }}").render(value=SpecText("text")) == "text"


def test_template_strict_undefined() -> None:
    with pytest.raises(jinja2.exceptions.UndefinedError):
        environment().from_string("{{ missing }}").render()


def test_template_prints_no_objects() -> None:
    with pytest.raises(TypeError):
        environment().from_string("{{ value }}").render(value=["a list"])


# --- end to end: a spec planted with code ---------------------------------------------------------------


def _payloads(sentinel: Path, ends_in_quotes: bool) -> str:
    """Text that runs `touch SENTINEL` if it reaches a Python file unescaped, in many quoting contexts."""
    code = f"__import__('pathlib').Path(r'{sentinel}').touch()"
    triple = f'"""\n{code}\n"""'
    return "".join(
        [
            triple,
            f"'''\n{code}\n'''",
            f'\\"""\n{code}\n#',
            f'"; {code}; "',
            f"' + {code} + '",
            f"\\\n{code}\n",
            f"{{{{ {code} }}}} {{% if 1 %}}{{{code}}}{{% endif %}}",
            f"\r\n{code}\r{code}\u2028{code}\n",
            f"<script>{code}</script> | cell",
            triple if ends_in_quotes else " end",
        ]
    )


def _planted_spec(tmp_path: Path, sentinel: Path, ends_in_quotes: bool) -> tuple[Path, dict[str, str]]:
    spec = yaml.safe_load((ROOT / "specs" / "httpccg.yaml").read_text())
    payload = _payloads(sentinel, ends_in_quotes)
    scope = "read " + payload
    spec["info"]["title"] = "Planted " + payload
    spec["info"]["description"] = payload
    spec["info"]["version"] = payload  # not PEP 440: a warning
    spec["tags"][0]["description"] = payload
    spec["servers"][0]["url"] = "http://127.0.0.1:9/" + payload.replace("\n", " ")
    items = spec["paths"]["/items"]
    items["get"]["summary"] = payload
    items["get"]["description"] = payload
    items["get"]["parameters"][0]["description"] = payload
    items["get"]["parameters"][2]["name"] = "X-" + payload.replace("\n", "").replace("\r", "")
    items["post"]["summary"] = "Create " + payload
    spec["security"] = [{"ClientCredentialsAuth": [scope]}]
    schemes = spec["components"]["securitySchemes"]
    schemes["ClientCredentialsAuth"]["description"] = payload
    schemes["ClientCredentialsAuth"]["flows"]["clientCredentials"]["scopes"] = {
        scope: payload,
        "write_scope": "Write " + payload,
    }
    schemas = spec["components"]["schemas"]
    schemas["ItemStatus"]["description"] = payload
    schemas["ItemStatus"]["enum"] = ["available", payload, "sold"]
    schemas["Item"]["description"] = payload
    schemas["Item"]["properties"]["name"]["description"] = payload
    schemas["Item"]["properties"]["price"]["description"] = payload
    schemas["Error"]["properties"][payload] = {"type": "string", "description": payload}
    text = yaml.safe_dump(spec, sort_keys=False)
    assert yaml.safe_load(text) == spec
    path = tmp_path / "planted.yaml"
    path.write_text(text, encoding="utf-8")
    return path, {"payload": payload, "scope": scope, "title": "Planted " + payload}


_CODE_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)

IMPORT_ALL = """
import importlib, json, pathlib, sys
package = sys.argv[1]
root = pathlib.Path(package)
names = sorted(
    ".".join(path.with_suffix("").parts).removesuffix(".__init__") for path in root.rglob("*.py")
)
modules = {name: importlib.import_module(name) for name in names}
planted = modules[package]
models = modules[package + ".models"]
client = planted.Client()
resources = [type(client.items).__name__, type(client.service).__name__]
client.close()
print(json.dumps({
    "modules": names,
    "scopes": [member.value for member in planted.OAuthScopeEnum],
    "statuses": [member.value for member in models.ItemStatus],
    "aliases": [f.alias or f.validation_alias for f in models.Error.model_fields.values()],
    "item_doc": models.Item.__doc__,
    "resources": resources,
}))
"""


@pytest.mark.parametrize(
    "ends_in_quotes",
    [
        pytest.param(False, id="payload-then-text"),
        pytest.param(True, id="payload-ending-in-triple-quotes"),
    ],
)
def test_planted_spec_generates_inert_code(
    ends_in_quotes: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sentinel = tmp_path / "SENTINEL"
    spec, planted = _planted_spec(tmp_path, sentinel, ends_in_quotes)
    out = tmp_path / "sdk"

    code = main([str(spec), "-o", str(out), "--package-name", "planted"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "/info/version" in captured.err  # the payload is no PEP 440 version: a warning, not an error
    assert not sentinel.exists()

    python_files = sorted((out / "planted").rglob("*.py"))
    assert len(python_files) >= 9
    for path in python_files:
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 10))

    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, "planted"],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert not sentinel.exists(), "importing the generated package ran code from the spec"
    facts = json.loads(result.stdout)
    assert {"planted", "planted.models", "planted._client", "planted.resources.items"} <= set(
        facts["modules"]
    )
    # The spec's text arrives intact as data.
    assert facts["scopes"] == [planted["scope"], "write_scope"]
    assert facts["statuses"] == ["available", planted["payload"], "sold"]
    assert planted["payload"] in facts["aliases"]
    assert "__import__('pathlib')" in facts["item_doc"]
    assert facts["resources"] == ["ItemsResource", "ServiceResource"]

    pyproject = tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"] == f"Python client for the {planted['title']} API"
    assert pyproject["project"]["name"] == "planted"
    assert pyproject["project"]["version"] == "0.0.0"

    for path in [out / "README.md", *(out / "doc").rglob("*.md")]:
        # Inside a code span `<` is shown literally; anywhere else it would be raw HTML.
        prose = _CODE_SPAN.sub("", _CODE_BLOCK.sub("", path.read_text(encoding="utf-8")))
        assert "<script>" not in prose, path
    # The control: the description reached the README, its HTML neutralized.
    assert "&lt;script&gt;__import__" in (out / "README.md").read_text(encoding="utf-8")
    assert not sentinel.exists()
