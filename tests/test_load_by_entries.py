"""A YAML spec read an entry at a time, each entry's data cached under its text: the same data, in the
same order, and the same errors as reading the whole text, and a changed operation read alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from generator import load as load_stage
from generator.cache import CACHE_VARIABLE
from generator.problems import SpecError

REAL = ROOT.parent / "shared" / "specs" / "real"
YAML_SPECS = sorted([*ROOT.glob("specs/*.yaml"), *REAL.rglob("*.yaml")])


def _read(path: Path, text: str, *, whole: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    """The data as its repr (which shows the order of keys, and sets and bytes), or the errors."""
    with monkeypatch.context() as patch:
        if whole:
            patch.setattr(load_stage, "_parsed_by_entries", lambda path, text: None)
        try:
            return repr(load_stage._parse(path, text))
        except SpecError as error:
            return "\n".join(map(str, error.problems))


@pytest.mark.parametrize("cut_above", [0, load_stage._CUT_ABOVE])
def test_entries_give_the_whole_text_s_data(cut_above: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On every YAML spec at hand, from an empty cache and a full one, with every mapping cut into its
    entries (0) or only the long ones."""
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    monkeypatch.setattr(load_stage, "_CUT_ABOVE", cut_above)
    by_entries = 0
    for path in YAML_SPECS:
        text = path.read_text(encoding="utf-8")
        whole = _read(path, text, whole=True, monkeypatch=monkeypatch)
        by_entries += load_stage._parsed_by_entries(path, text) is not None
        for _ in ("cold", "warm"):
            assert _read(path, text, whole=False, monkeypatch=monkeypatch) == whole, path
    # The others have a document marker, or a scalar going on across what looks like an entry.
    assert by_entries > len(YAML_SPECS) // 2


AWKWARD = {
    "a document end marker": "a: 1\n...\nb: 2\n",
    "a quoted scalar going on past a line that looks like a key": 'a:\n  b: "x\n  c: y"\n  d: 1\n',
    "a flow mapping over several lines": "a:\n  b: {x: 1,\n  c: 2}\n  d: 1\n",
    "an alias to an anchor in an earlier entry": "a: &shared\n  x: 1\nb: *shared\n",
    "an anchor used in its own entry": "a:\n  b: &s {x: 1}\n  c: *s\nd: 2\n",
    "a repeated key": "a: 1\nb: 2\na: 3\n",
    "keys that read as numbers and booleans": "200:\n  x: 1\ntrue: 2\n'200': 3\n0x10: 4\n",
    "a sequence at the key's indentation": "tags:\n- name: a\n- name: b\npaths: {}\n",
    "a comment and a blank line between entries": "# head\na: 1\n\n# about b\nb:\n  c: 2\n",
    "a block scalar": "a: |\n  line one\n\n  b: not a key\nc: 1\n",
    "invalid YAML in a later entry": "a: 1\nb: [\nc: 2\n",
    "a tag": "a: !!set {x, y}\nb: !!binary aGk=\n",
    "a merge key after the key it gives way to": "m:\n  x: 3\n  y: 4\n  <<: {x: 1, z: 2}\n",
}


@pytest.mark.parametrize("text", AWKWARD.values(), ids=AWKWARD.keys())
def test_awkward_text_reads_as_a_whole(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    monkeypatch.setattr(load_stage, "_CUT_ABOVE", 0)
    path = tmp_path / "spec.yaml"
    whole = _read(path, text, whole=True, monkeypatch=monkeypatch)
    for _ in ("cold", "warm"):
        assert _read(path, text, whole=False, monkeypatch=monkeypatch) == whole


def test_a_changed_operation_is_the_only_entry_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(cache))
    monkeypatch.setattr(load_stage, "_CUT_ABOVE", 0)
    text = (ROOT / "specs" / "httpccg.yaml").read_text(encoding="utf-8")
    first = load_stage._parse(tmp_path / "spec.yaml", text)
    entries = set(cache.glob("yaml-*/*"))
    changed = text.replace("summary: List items", "summary: List the items", 1)
    assert changed != text
    second = load_stage._parse(tmp_path / "spec.yaml", changed)
    assert second["paths"]["/items"]["get"]["summary"] == "List the items"
    second["paths"]["/items"]["get"]["summary"] = "List items"
    assert repr(second) == repr(first)
    # One entry read and kept again: the operation's entries, cut from the changed path item.
    assert len(set(cache.glob("yaml-*/*")) - entries) == 1
