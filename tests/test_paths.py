"""Output paths: built from validated identifiers under `-o`, and checked once more before the disk.
Spec names planted with path traversal (CVE-2020-15141: a tag named `../../x`), absolute paths, NUL and
control characters, names differing only in case and Windows device names land, renamed, inside `-o`."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from conftest import ROOT
from generator.cli import main
from generator.render import OutputFile
from generator.untrusted import is_windows_device_name
from generator.write import UnsafePathError, check_paths

HOSTILE_NAMES = [
    "../../../escaped",
    "..\\..\\escaped",
    "/etc/passwd",
    "C:\\Windows\\evil",
    "CON",
    "aux",
    "Nul.txt",
    "LPT1",
    "com9",
    "a\x00b",
    "line\nbreak\r\u2028",
    "\x1b[31mred",
    "Items",
    "ITEMS",
    "items",
    ".hidden",
    "trailing. ",
    "",
    "🙂",
]
SAFE_SEGMENT = re.compile(r"\.?[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")


def _hostile_spec(tmp_path: Path) -> Path:
    """The example spec with one tag, operation, schema and security scheme per hostile name."""
    spec: dict[str, Any] = yaml.safe_load((ROOT / "specs" / "httpccg.yaml").read_text())
    spec["info"]["title"] = "../../CON"
    schemas = spec["components"]["schemas"]
    schemes = spec["components"]["securitySchemes"]
    for index, name in enumerate(HOSTILE_NAMES):
        schemas[name] = {"type": "object", "properties": {name: {"type": "string"}, "n": {"type": "integer"}}}
        schemes[name or "empty"] = {"type": "apiKey", "in": "header", "name": f"X-Key-{index}"}
        spec["paths"][f"/hostile/{index}"] = {
            "get": {
                "tags": [name],
                "operationId": name,
                "security": [{name or "empty": []}],
                "responses": {
                    "200": {
                        "description": name,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{_escape(name)}"}}
                        },
                    }
                },
            }
        }
    path = tmp_path / "specs" / "hostile.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(spec, allow_unicode=False), encoding="utf-8")
    return path


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def test_hostile_names_stay_inside_the_output_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _hostile_spec(tmp_path)
    out = tmp_path / "work" / "out"
    code = main([str(spec), "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    written = sorted(path for path in tmp_path.rglob("*") if path.is_file() or path.is_symlink())
    outside = [path for path in written if not path.is_relative_to(out) and path != spec]
    assert outside == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["specs", "work"]
    assert [path.name for path in (tmp_path / "work").iterdir()] == ["out"]
    files = [path.relative_to(out) for path in written if path.is_relative_to(out)]
    assert str(len(files)) + " files" in captured.out  # every rendered file is on disk, none replaced another
    for relative in files:
        for part in relative.parts:
            assert SAFE_SEGMENT.match(part), relative
            assert not is_windows_device_name(part), relative
    folded = [relative.as_posix().casefold() for relative in files]
    assert len(set(folded)) == len(folded)
    # A module for every tag: `Items` (of the example spec), `ITEMS` and `items` apart, devices renamed.
    modules = sorted(path.stem for path in (out / "con_client" / "resources").glob("*.py"))
    assert {
        "con_2",
        "aux_2",
        "nul_txt",
        "lpt_1",
        "com_9",
        "items",
        "items_2",
        "items_3",
        "escaped",
        "escaped_2",
    } <= set(modules)
    pages = sorted(path.stem for path in (out / "doc" / "resources").glob("*.md"))
    assert not [page for page in pages if is_windows_device_name(page)]


def test_a_title_naming_a_device_gets_a_package_name_of_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text((ROOT / "specs" / "httpccg.yaml").read_text().replace("title: httpCCG", "title: AUX", 1))
    assert main([str(spec), "-o", str(tmp_path / "out")]) == 0, capsys.readouterr().err
    assert (tmp_path / "out" / "aux_client" / "__init__.py").is_file()


@pytest.mark.parametrize("name", ["con", "Aux", "lpt1", "COM9"])
def test_device_names_are_refused_as_package_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([str(ROOT / "specs" / "httpccg.yaml"), "-o", str(tmp_path / "out"), "--package-name", name])
    assert exit_info.value.code == 2
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/etc/passwd", "not a relative path"),
        ("../escaped.py", "leaves the output folder"),
        ("pkg/../../escaped.py", "leaves the output folder"),
        ("pkg/a\x00b.py", "control or reserved characters"),
        ("pkg/a\x1bb.py", "control or reserved characters"),
        ("pkg/a\u2028b.py", "control or reserved characters"),
        ("pkg/a:b.py", "control or reserved characters"),
        ("pkg/a\\b.py", "control or reserved characters"),
        ("doc/CON.md", "a name Windows cannot use"),
        ("doc/aux", "a name Windows cannot use"),
        ("nul.tar.gz", "a name Windows cannot use"),
        ("pkg/lpt9.py", "a name Windows cannot use"),
        ("pkg/com1 .py", "a name Windows cannot use"),
        ("pkg/trailing.", "a name Windows cannot use"),
    ],
)
def test_the_last_check_refuses_unsafe_paths(path: str, problem: str) -> None:
    with pytest.raises(UnsafePathError, match=re.escape(problem)):
        check_paths([OutputFile(PurePosixPath("README.md"), ""), OutputFile(PurePosixPath(path), "")])


@pytest.mark.parametrize(
    ("first", "second"),
    [("pkg/Items.py", "pkg/items.py"), ("Doc/a.md", "doc/b.md"), ("pkg/models", "PKG/models/x.py")],
)
def test_the_last_check_refuses_paths_differing_only_in_case(first: str, second: str) -> None:
    with pytest.raises(UnsafePathError, match="differ only in case"):
        check_paths([OutputFile(PurePosixPath(first), ""), OutputFile(PurePosixPath(second), "")])


def test_the_last_check_accepts_the_golden_sdk() -> None:
    golden = ROOT / "generated" / "httpccg"
    files = [
        OutputFile(PurePosixPath(path.relative_to(golden).as_posix()), "")
        for path in golden.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    check_paths(files)
    assert len(files) > 20
