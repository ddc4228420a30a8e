"""Property: whatever text a spec carries in any of its string fields, the generated project is inert.

Hypothesis plants payloads (quotes, backslashes, braces, line breaks, NUL and other control characters,
code, HTML, TOML and YAML breakers) into every string field of a small spec that has a client-credentials
scheme, tags, operations with path, query and header parameters, a request body, responses with headers,
and schemas with enums, defaults, examples and odd property names. For each generated project:

- every `.py` file parses;
- importing the package and every module in a fresh interpreter creates no sentinel file;
- each module has the shape of the project generated from the same spec with benign text (the same
  top-level statements and class bodies), and defines only names the naming stage made or the benign
  project also defines;
- `pyproject.toml` parses and holds the same keys as the benign project's;
- nothing is written outside the output folder.

The examples are derandomized, so CI runs the same EXAMPLES cases every time.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator import model, naming
from generator.bundle import bundle
from generator.load import load
from generator.pipeline import generate_to
from generator.problems import Report, SpecError
from generator.suite import suite
from generator.untrusted import Identifier

EXAMPLES = 40
SENTINEL = Path(tempfile.gettempdir()) / f"generate-sdk-planted-{os.getpid()}"
_CODE = f"__import__('pathlib').Path({str(SENTINEL)!r}).touch()"

PAYLOADS = [
    '"""',
    "'''",
    '"',
    "'",
    "\\",
    "\\'",
    '\\"""',
    "{}",
    "{{ }}",
    "{% if 1 %}x{% endif %}",
    "{0}",
    "{" + _CODE + "}",
    "\n",
    "\r\n",
    "\r",
    "\u2028",
    "\u2029",
    "\x85",
    "#",
    "\x00",
    "\x1b[31m",
    "\x7f",
    "\x0c",
    "\ud800",
    _CODE,
    f"__import__('os').system({('touch ' + str(SENTINEL))!r})",
    f'"""\n{_CODE}\n"""',
    f"'''\n{_CODE}\n'''",
    f'"; {_CODE}; "',
    f"' + {_CODE} + '",
    f"\\\n{_CODE}",
    f"\n{_CODE}\n#",
    f'f"{{{_CODE}}}"',
    "</script><script>alert(1)</script>",
    "<!--",
    '"\n[tool.planted]\nx = 1\n',
    "'''\n[project]\nname = 'x'",
    "]]\n[[x]]",
    "key: value\n- item\n--- \n...\n",
    "&anchor *alias !!python/object/apply:os.system ['true']",
    "`` ``` ~~~",
    "| cell | [link](javascript:alert(1))",
    "\U0001f600 é",
    "  ",
]
_LETTERS = st.text(alphabet="abcXYZ09 _-.:/", max_size=3)
_PLANTED = st.lists(st.one_of(st.sampled_from(PAYLOADS), _LETTERS), min_size=1, max_size=3).map("".join)

# Each string field of the spec, by name; the benign spec holds just the name (prefixed where the text
# must start with a letter), the planted spec the name followed by planted text.
FIELDS = [
    "title", "description", "version", "terms", "contact", "license",
    "server_url", "server_description",
    "tag_a", "tag_a_description", "tag_b", "tag_b_description",
    "path_a", "path_b",
    "operation_a", "operation_a_summary", "operation_a_description",
    "operation_b", "operation_b_summary", "operation_b_description",
    "path_parameter", "path_parameter_description",
    "query_parameter", "query_parameter_description", "query_default",
    "header_parameter", "header_parameter_description",
    "body_description", "content_type", "response_description", "response_header", "response_header_description",
    "schema_a", "schema_a_description", "schema_a_title",
    "property_a", "property_a_description", "property_a_default", "property_a_example",
    "property_b", "property_b_description",
    "schema_enum", "schema_enum_description", "enum_a", "enum_b",
    "scheme", "scheme_description", "token_url", "refresh_url",
    "scope_a", "scope_a_description", "scope_b", "scope_b_description",
]  # fmt: skip


def spec_for(text: dict[str, str]) -> dict[str, Any]:
    """The spec with the given text in each field."""
    schema_a, schema_enum, scheme = text["schema_a"], text["schema_enum"], text["scheme"]
    security = [{scheme: [text["scope_a"]]}]
    json_of = {"application/json": {"schema": {"$ref": f"#/components/schemas/{_pointer(schema_a)}"}}}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": text["title"],
            "description": text["description"],
            "version": text["version"],
            "termsOfService": "https://example.com/" + text["terms"],
            "contact": {"name": text["contact"]},
            "license": {"name": text["license"]},
        },
        "servers": [
            {
                "url": "https://api.example.com/" + text["server_url"],
                "description": text["server_description"],
            }
        ],
        "security": security,
        "tags": [
            {"name": text["tag_a"], "description": text["tag_a_description"]},
            {"name": text["tag_b"], "description": text["tag_b_description"]},
        ],
        "paths": {
            f"/{text['path_a']}/{{{text['path_parameter']}}}": {
                "get": {
                    "tags": [text["tag_a"]],
                    "operationId": text["operation_a"],
                    "summary": text["operation_a_summary"],
                    "description": text["operation_a_description"],
                    "parameters": [
                        {
                            "name": text["path_parameter"],
                            "in": "path",
                            "required": True,
                            "description": text["path_parameter_description"],
                            "schema": {"type": "string"},
                        },
                        {
                            "name": text["query_parameter"],
                            "in": "query",
                            "description": text["query_parameter_description"],
                            "schema": {"type": "string", "default": text["query_default"]},
                        },
                        {
                            "name": text["header_parameter"],
                            "in": "header",
                            "description": text["header_parameter_description"],
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": text["response_description"],
                            "headers": {
                                text["response_header"]: {
                                    "description": text["response_header_description"],
                                    "schema": {"type": "string"},
                                }
                            },
                            "content": {**json_of, text["content_type"]: {"schema": {"type": "string"}}},
                        }
                    },
                }
            },
            f"/{text['path_b']}": {
                "post": {
                    "tags": [text["tag_b"]],
                    "operationId": text["operation_b"],
                    "summary": text["operation_b_summary"],
                    "description": text["operation_b_description"],
                    "security": [{scheme: [text["scope_b"]]}],
                    "requestBody": {
                        "description": text["body_description"],
                        "required": True,
                        "content": json_of,
                    },
                    "responses": {"201": {"description": text["response_description"], "content": json_of}},
                }
            },
        },
        "components": {
            "securitySchemes": {
                scheme: {
                    "type": "oauth2",
                    "description": text["scheme_description"],
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "https://auth.example.com/" + text["token_url"],
                            "refreshUrl": "https://auth.example.com/" + text["refresh_url"],
                            "scopes": {
                                text["scope_a"]: text["scope_a_description"],
                                text["scope_b"]: text["scope_b_description"],
                            },
                        }
                    },
                }
            },
            "schemas": {
                schema_a: {
                    "type": "object",
                    "title": text["schema_a_title"],
                    "description": text["schema_a_description"],
                    "required": [text["property_a"]],
                    "properties": {
                        text["property_a"]: {
                            "type": "string",
                            "description": text["property_a_description"],
                            "default": text["property_a_default"],
                            "example": text["property_a_example"],
                        },
                        text["property_b"]: {
                            "description": text["property_b_description"],
                            "$ref": f"#/components/schemas/{_pointer(schema_enum)}",
                        },
                    },
                },
                schema_enum: {
                    "type": "string",
                    "description": text["schema_enum_description"],
                    "enum": [text["enum_a"], text["enum_b"]],
                },
            },
        },
    }


def _pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def benign_text() -> dict[str, str]:
    return {field: _start(field) for field in FIELDS}


def _start(field: str) -> str:
    """The benign text of a field; planted text follows it, so that names stay distinct and paths and
    content types keep the form the spec needs."""
    if field == "content_type":
        return "text/plain"
    if field == "version":
        return "1.0"
    if field in ("property_a", "property_b"):
        # Names that need an alias, as planted ones do: the module of the models imports pydantic for it.
        return field.replace("_", "-")
    return field.replace("_", "")


_PATH_FIELDS = {"path_a", "path_b", "path_parameter"}
_NOT_IN_PATHS = str.maketrans("{}!:[]", "()_-()")
"""Braces in a path are template syntax, and openapi-spec-validator reads a template's parameter names as
Python format fields: there it refuses these characters (exit 2, see test_braces_in_paths_are_inert_or_
refused in test_untrusted.py), so in paths they are planted as others."""


def _planted(field: str) -> st.SearchStrategy[str]:
    planted = _PLANTED.map(lambda text: text.translate(_NOT_IN_PATHS)) if field in _PATH_FIELDS else _PLANTED
    return planted.map(lambda text: _start(field) + text)


planted_texts = st.fixed_dictionaries({field: _planted(field) for field in FIELDS})


# --- what a generated project holds ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Project:
    modules: dict[str, ast.Module]
    pyproject: dict[str, Any]


def _generate(text: dict[str, str], folder: Path) -> Path:
    spec = folder / "spec.json"
    spec.write_text(json.dumps(spec_for(text), indent=1), encoding="utf-8")
    out = folder / "out"
    try:
        generate_to(spec, out, "planted")
    except SpecError as error:
        pytest.fail("the spec was refused:\n" + "\n".join(map(str, error.problems)))
    return out


def _read(out: Path) -> Project:
    modules = {
        path.relative_to(out).as_posix(): ast.parse(
            path.read_text(encoding="utf-8"), str(path), feature_version=(3, 10)
        )
        for path in sorted(out.rglob("*.py"))
    }
    return Project(modules, tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8")))


def _shape(module: ast.Module) -> list[Any]:
    """The kinds of a module's top-level statements, with the kinds of each class's statements."""
    return [
        (
            type(node).__name__,
            [type(child).__name__ for child in node.body] if isinstance(node, ast.ClassDef) else None,
        )
        for node in module.body
    ]


def _defined(module: ast.Module) -> Iterator[str]:
    """The names a module binds at its top level, and the names its classes bind."""
    for node in module.body:
        yield from _bound(node)
        if isinstance(node, ast.ClassDef):
            for child in node.body:
                yield from _bound(child)


def _bound(node: ast.stmt) -> Iterator[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        yield from ((alias.asname or alias.name).split(".")[0] for alias in node.names)
    elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            yield from (name.id for name in ast.walk(target) if isinstance(name, ast.Name))
    else:
        yield from (
            name.id
            for name in ast.walk(node)
            if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store)
        )


def _key_paths(value: Any, prefix: str = "") -> set[str]:
    if not isinstance(value, dict):
        return set()
    return {
        path for key, item in value.items() for path in {prefix + key} | _key_paths(item, prefix + key + ".")
    }


def _identifiers(value: Any) -> Iterator[str]:
    """Every identifier the naming stage made: the names the generated code may define."""
    if isinstance(value, Identifier):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _identifiers(getattr(value, field.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _identifiers(item)


def _named(spec: Path) -> set[str]:
    report = Report()
    sdk = naming.name(model.build(bundle(load(spec)), report), Identifier("planted"), report)
    tests = [test.name for module in suite(sdk) for test in module.tests]  # made by the suite's plan
    return set(_identifiers(sdk)) | set(tests)


IMPORT_EVERY_MODULE = """
import importlib, pathlib, sys
for path in sorted(pathlib.Path("planted").rglob("*.py")):
    importlib.import_module(".".join(path.with_suffix("").parts).removesuffix(".__init__"))
import planted
planted.Client().close()
"""


@pytest.fixture(scope="module")
def benign(tmp_path_factory: pytest.TempPathFactory) -> Project:
    out = _generate(benign_text(), tmp_path_factory.mktemp("benign"))
    return _read(out)


def test_the_benign_project_defines_what_the_templates_define(benign: Project) -> None:
    """The control: the comparison below has something to compare."""
    assert {
        "planted/models/__init__.py",
        "planted/_client.py",
        "planted/resources/taga.py",
        "planted/resources/tagb.py",
    } <= set(benign.modules)
    models = [module for path, module in benign.modules.items() if path.startswith("planted/models/")]
    assert {"Schemaa", "Schemaenum"} <= {name for module in models for name in _defined(module)}
    assert len(_shape(benign.modules["planted/resources/taga.py"])) >= 3


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # Shrinking a failure of a whole generation run takes many minutes; the unshrunk example is printed.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=planted_texts)
def test_planted_text_stays_data(benign: Project, text: dict[str, str]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="planted-"))
    try:
        _check_planted_project(benign, text, folder)
    finally:
        shutil.rmtree(folder)
    assert not SENTINEL.exists(), "code planted in the spec ran"


def _check_planted_project(benign: Project, text: dict[str, str], folder: Path) -> None:
    out = _generate(text, folder)
    assert not SENTINEL.exists(), "generating ran code planted in the spec"
    assert sorted(path.name for path in folder.iterdir()) == ["out", "spec.json"], "a file outside -o"

    project = _read(out)  # every .py file parses
    assert len(project.modules) == len(benign.modules)
    named = _named(folder / "spec.json")
    for (path, module), (benign_path, benign_module) in zip(
        sorted(project.modules.items()), sorted(benign.modules.items())
    ):
        assert _shape(module) == _shape(benign_module), f"{path} is not shaped like {benign_path}"
        unexpected = set(_defined(module)) - set(_defined(benign_module)) - named
        assert not unexpected, f"{path} defines {unexpected}"
    assert _key_paths(project.pyproject) == _key_paths(benign.pyproject)

    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_MODULE], cwd=out, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert not SENTINEL.exists(), "importing the generated package ran code planted in the spec"
