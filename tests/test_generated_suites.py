"""The tests generate-sdk writes into every SDK: one per operation, run against Prism, a mock server that
checks each request against the spec. The golden SDKs' suites pass as committed; a fault planted in an SDK
makes its suite fail where the fault shows; the suites' Prism is the one this repository pins.

(test_real_specs.py runs the suites of the SDKs of the real specs.)
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
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
    assert not outcome.failed, outcome.failed
    tested = {test.rsplit(".", 1)[1].removeprefix("test_") for test in [*outcome.passed, *outcome.skipped]}
    assert tested == _operations(GOLDEN / name, name), "one test per operation"
    assert len(outcome.passed) >= len(tested) - 1, outcome.skipped


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
