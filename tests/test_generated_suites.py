"""The tests generate-sdk writes into every SDK: one per operation, run against Prism, a mock server that
checks each request against the spec. The golden SDKs' suites pass as committed; a fault planted in an SDK
makes its suite fail where the fault shows; the suites' Prism is the one this repository pins.

(test_real_specs.py runs the suites of the SDKs of the real specs.)
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT
from generator.pipeline import generate_to
from generator.suite import PRISM_VERSION
from support.suites import PRISM, run_suite

GOLDEN = ROOT / "generated"


def _operations(project: Path, package: str) -> set[str]:
    """The operation methods of a generated SDK, read from its resource modules."""
    names = set()
    for module in (project / package / "resources").glob("[!_]*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ClassDef) and not node.name.startswith("Async"):
                names |= {item.name for item in node.body if isinstance(item, ast.FunctionDef) and item.name != "__init__"}
    return names


@pytest.mark.parametrize("name", ["httpccg", "warehouse"])
def test_the_golden_sdk_s_own_tests_pass(name: str, tmp_path: Path) -> None:
    outcome = run_suite(GOLDEN / name, tmp_path)
    assert not outcome.failed and not outcome.skipped, (outcome.failed, outcome.skipped)
    tested = {test.rsplit(".", 1)[1].removeprefix("test_") for test in outcome.passed}
    assert tested == _operations(GOLDEN / name, name), "one test per operation"


def _plant(project: Path, old: str, new: str) -> None:
    runtime = project / "httpccg" / "_runtime.py"
    text = runtime.read_text()
    assert old in text
    runtime.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "failing"),
    [
        # The OAuth token left out: the mock refuses every operation that needs one.
        pytest.param(
            'request.headers["Authorization"] = f"Bearer {token.access_token}"',
            "pass",
            {"test_list_items", "test_create_item", "test_get_item", "test_delete_item"},
            id="no token",
        ),
        # An empty object sent for the JSON body: the mock finds its required fields missing.
        pytest.param(
            "return _EncodedBody(content=_json_body(arguments.body), content_type=endpoint.content_type)",
            "return _EncodedBody(content=b'{}', content_type=endpoint.content_type)",
            {"test_create_item"},
            id="empty body",
        ),
        # Answers returned as parsed JSON instead of the declared models.
        pytest.param(
            "return _adapter(response_type).validate_json(response.content)",
            "return json.loads(response.content)",
            {"test_list_items", "test_create_item", "test_get_item", "test_get_service_status"},
            id="answers not typed",
        ),
        # Answers the spec allows, refused by the SDK: the suite blames the SDK, it does not skip.
        pytest.param(
            "return _adapter(response_type).validate_json(response.content)",
            "return _adapter(list[int]).validate_json(response.content)",
            {"test_list_items", "test_create_item", "test_get_item", "test_get_service_status"},
            id="allowed answers refused",
        ),
    ],
)
def test_a_planted_fault_fails_the_tests_it_concerns(old: str, new: str, failing: set[str], tmp_path: Path) -> None:
    project = tmp_path / "httpccg"
    shutil.copytree(GOLDEN / "httpccg", project)
    _plant(project, old, new)
    (tmp_path / "runs").mkdir()
    outcome = run_suite(project, tmp_path / "runs")
    assert {name.rsplit(".", 1)[1] for name in outcome.failed} == failing, outcome.output


def test_the_suites_start_the_prism_this_repository_pins() -> None:
    pinned = json.loads((ROOT / "tests" / "package.json").read_text())["dependencies"]["@stoplight/prism-cli"]
    assert pinned == PRISM_VERSION
    assert PRISM.exists(), "npm ci --prefix tests installs Prism"
    conftest = (GOLDEN / "httpccg" / "tests" / "conftest.py").read_text()
    assert f'PRISM = "npx --yes @stoplight/prism-cli@{PRISM_VERSION}"' in conftest


_ANSWER = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "integer"}}}}}}}
EDGES: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Edges", "version": "1.0"},
    "paths": {
        "/fine": {"get": {"operationId": "fine", "responses": _ANSWER}},
        # Errors only, and a redirect only: the mock answers with one of them, which the SDK raises.
        "/gone": {"delete": {"operationId": "gone", "responses": {"404": {"description": "gone"}, "410": {"description": "gone"}}}},
        "/moved": {"get": {"operationId": "moved", "responses": {"302": {"description": "elsewhere"}}}},
        # A required path parameter the path lacks: no call can send it.
        "/lost": {
            "get": {
                "operationId": "lost",
                "parameters": [{"name": "version", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": _ANSWER,
            }
        },
        # An Accept the spec fixes that none of its answers has.
        "/picky": {
            "get": {
                "operationId": "picky",
                "parameters": [{"name": "Accept", "in": "header", "required": True, "schema": {"type": "string", "enum": ["application/vnd.edges+xml"]}}],
                "responses": _ANSWER,
            }
        },
        # A query value nested deeper than its style defines.
        "/deep": {
            "get": {
                "operationId": "deep",
                "parameters": [
                    {
                        "name": "filter",
                        "in": "query",
                        "required": True,
                        "style": "deepObject",
                        "schema": {"type": "object", "required": ["range"], "properties": {"range": {"type": "object", "required": ["min"], "properties": {"min": {"type": "integer"}}}}},
                    }
                ],
                "responses": _ANSWER,
            }
        },
        # What Prism 5.16.0 misreads: spaceDelimited arrays.
        "/spaced": {
            "get": {
                "operationId": "spaced",
                "parameters": [{"name": "ids", "in": "query", "required": True, "style": "spaceDelimited", "explode": False, "schema": {"type": "array", "items": {"type": "integer"}}}],
                "responses": _ANSWER,
            }
        },
        # An answer Prism makes up and the spec does not allow (its placeholder for a discriminator).
        "/pet": {
            "get": {
                "operationId": "pet",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}},
            }
        },
        # An answer Prism cannot write at all.
        "/report": {
            "get": {
                "operationId": "report",
                "responses": {"200": {"description": "ok", "content": {"application/csv": {"schema": {"type": "object"}}}}},
            }
        },
    },
    "components": {
        "schemas": {
            "Pet": {
                "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}},
            },
            "Cat": {"type": "object", "required": ["kind", "lives"], "properties": {"kind": {"type": "string"}, "lives": {"type": "integer"}}},
            "Dog": {"type": "object", "required": ["kind", "bark"], "properties": {"kind": {"type": "string"}, "bark": {"type": "boolean"}}},
        }
    },
}
EXPECTED = {
    "test_fine": None,
    "test_gone": None,
    "test_moved": None,
    "test_lost": "the spec declares path parameters that are not in the path ('version')",
    "test_picky": "the spec fixes the Accept header as 'application/vnd.edges+xml'",
    "test_deep": "holds values nested deeper than its style defines",
    "test_spaced": f"Prism {PRISM_VERSION} does not split spaceDelimited query arrays",
    "test_pet": "the mock server answered with data its spec does not allow",
    "test_report": "the mock server failed to answer: Cannot find serializer for application/csv",
}


def test_what_the_mock_cannot_exercise_is_skipped_for_its_reason(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(EDGES, sort_keys=False))
    generate_to(spec, tmp_path / "edges")
    (tmp_path / "runs").mkdir()
    outcome = run_suite(tmp_path / "edges", tmp_path / "runs")
    assert not outcome.failed, outcome.failed
    passed = {name.rsplit(".", 1)[1] for name in outcome.passed}
    skipped = {name.rsplit(".", 1)[1]: reason for name, reason in outcome.skipped.items()}
    assert passed == {name for name, reason in EXPECTED.items() if reason is None}
    for name, reason in EXPECTED.items():
        assert reason is None or reason in skipped.get(name, ""), (name, skipped.get(name))


def _prisms() -> set[str]:
    """The command lines of the Prism mock servers running on this machine."""
    listing = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True, check=True).stdout
    return {line.strip() for line in listing.splitlines() if "prism" in line and " mock " in line}


def test_the_mock_stops_with_the_session_also_when_started_through_a_wrapper(tmp_path: Path) -> None:
    """npx runs Prism as a child of its own: stopping npx alone left Prism running after every session."""
    before = _prisms()
    # The shell stays the parent, as npx does: `"$0" "$@" &` starts Prism, `wait` waits for it.
    wrapper = f"sh -c '\"$0\" \"$@\" & wait' {PRISM}"
    outcome = run_suite(GOLDEN / "httpccg", tmp_path, prism=wrapper)
    assert outcome.passed and not outcome.failed, outcome.output
    assert _prisms() - before == set()
