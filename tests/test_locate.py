"""Problems are located by one pass over the parser's events: the same line and column as the node tree
gives, for every node of real documents, and the nearest enclosing node for a part that is not there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from generator import load as load_stage
from generator.problems import Problem, Severity, pointer_of

REAL = ROOT.parent / "shared" / "specs" / "real"
DOCUMENTS = [
    ROOT / "specs" / "warehouse.yaml",
    ROOT / "specs" / "httpccg.yaml",
    *(
        REAL / name
        for name in ("paypal-payments-v1.json", "autodesk-aps-issues.yaml")
        if (REAL / name).is_file()
    ),
]


def _pointers(value: Any, pointer: str = "") -> list[str]:
    found = [pointer, pointer + "/not-there"]
    children = (
        value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    )
    for key, child in children:
        found += _pointers(child, pointer + pointer_of(key))
    return found


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.name)
def test_events_and_tree_give_the_same_places(path: Path) -> None:
    source = load_stage.load(path)
    pointers = _pointers(source.data)
    wanted = {prefix for pointer in pointers for prefix in [pointer, pointer.rsplit("/", 1)[0]]}
    from_events = load_stage._event_marks(source.text, wanted)
    assert from_events is not None
    assert from_events == load_stage._tree_marks(source.text, wanted)
    assert len(from_events) * 2 == len(pointers)  # every node found, no missing part


def test_a_missing_part_is_placed_at_the_nearest_node_and_aliases_are_followed(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("a:\n  b: &shared\n    c: 1\nd: *shared\ne:\n  - f\n  - g: 2\n")
    source = load_stage.load(spec)
    pointers = ["/a/b/c", "/e/1/g", "/e/5", "/d/c"]
    located = source.locate_all([Problem(Severity.WARNING, pointer, "m") for pointer in pointers])
    # An alias's children are placed where the anchored node wrote them.
    assert [(problem.line, problem.column) for problem in located] == [(3, 8), (7, 8), (6, 3), (3, 8)]
