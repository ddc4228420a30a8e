"""The format stage: black's output for every Python file, the same whether it comes from the cache, from
worker processes or from black in this process, and whether black formats each top-level block or the
whole file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path, PurePosixPath

import black
import pytest
from conftest import ROOT
from generator import format as format_stage
from generator.cache import CACHE_VARIABLE
from generator.pipeline import generate
from generator.render import OutputFile

SPEC = ROOT / "specs" / "warehouse.yaml"
REAL = ROOT.parent / "shared" / "specs" / "real"
BLOCKS_CHECKED_ON = [
    ROOT / "specs" / "warehouse.yaml",
    ROOT / "specs" / "httpccg.yaml",
    *(
        REAL / name
        for name in (
            "velo-payments.yaml",
            "paypal-payments-v1.json",
            "obuk-payment-initiation-v3.1.2-swagger2.yaml",
            "autodesk-aps-issues.yaml",
        )
        if (REAL / name).is_file()
    ),
]
"""The golden SDKs' specs and real specs whose generated files span the templates' shapes of code."""


def _rendered(spec: Path, monkeypatch: pytest.MonkeyPatch) -> list[OutputFile]:
    """An SDK's files as rendered, before black."""
    rendered: list[OutputFile] = []
    with monkeypatch.context() as patch:
        patch.setenv(CACHE_VARIABLE, "off")
        patch.setattr("generator.pipeline.format_files", lambda files: rendered.extend(files) or files)
        generate(spec)
    return rendered


@pytest.fixture
def unformatted(monkeypatch: pytest.MonkeyPatch) -> list[OutputFile]:
    """The warehouse SDK's files as rendered, before black."""
    return _rendered(SPEC, monkeypatch)


@pytest.mark.parametrize("spec", BLOCKS_CHECKED_ON, ids=lambda path: path.name)
def test_blocks_formatted_apart_are_black_s_output_for_the_file(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Black formats a file's top-level blocks apart (to cache them and share them between processes) only
    because the joined blocks are exactly what black makes of the whole file."""
    rendered = _python(_rendered(spec, monkeypatch))
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    by_blocks = _python(format_stage.format_files([OutputFile(path, text) for path, text in rendered.items()]))
    assert max(len(format_stage.top_level_blocks(text)) for text in rendered.values()) > 10
    for path, text in rendered.items():
        whole = black.format_str(text, mode=format_stage.mode())
        assert by_blocks[path] == whole, f"{path}: formatting by blocks differs from black on the whole file"
        assert black.format_str(whole, mode=format_stage.mode()) == whole


def _python(files: list[OutputFile]) -> dict[PurePosixPath, str]:
    return {file.path: file.text for file in files if file.path.suffix == ".py"}


def test_cache_parallel_and_serial_give_black_s_output(
    unformatted: list[OutputFile], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    serial = format_stage.format_files(unformatted, parallel_lines=10**9)
    parallel = format_stage.format_files(unformatted, parallel_lines=0)
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    cold = format_stage.format_files(unformatted)
    [folder] = (tmp_path / "cache").iterdir()
    entries = sorted(folder.iterdir())
    texts = _python(unformatted).values()
    # One entry per Python file and one per piece of a top-level block.
    pieces = {piece for text in texts for block in format_stage.top_level_blocks(text) for piece in block}
    assert len(entries) == len({*texts, *pieces})
    warm = format_stage.format_files(unformatted)
    assert _python(serial) == _python(parallel) == _python(cold) == _python(warm)
    assert _python(serial) != _python(unformatted)  # black did change something
    assert [file for file in serial if file.path.suffix != ".py"] == [
        file for file in unformatted if file.path.suffix != ".py"
    ]
    assert sorted(folder.iterdir()) == entries  # a warm run adds nothing


def test_a_warm_cache_is_read_instead_of_running_black(
    unformatted: list[OutputFile], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    format_stage.format_files(unformatted)
    calls: list[str] = []
    monkeypatch.setattr(format_stage, "_format_text", lambda text: calls.append(text) or (True, text))
    format_stage.format_files(unformatted)
    assert calls == []
    changed = [OutputFile(unformatted[0].path, unformatted[0].text), *unformatted[1:]]
    python = next(index for index, file in enumerate(changed) if file.path.suffix == ".py")
    changed[python] = OutputFile(changed[python].path, changed[python].text + "\nX = 1\n")
    format_stage.format_files(changed)
    # Only the changed piece (the last method, with what follows it) of the changed file is formatted.
    assert calls == [format_stage.top_level_blocks(changed[python].text)[-1][-1]]
    assert calls[0].endswith("\nX = 1\n")


@pytest.mark.parametrize("parallel_lines", [0, 10**9])
def test_invalid_python_names_the_file(parallel_lines: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    files = [OutputFile(PurePosixPath("pkg/ok.py"), "x=1\n"), OutputFile(PurePosixPath("pkg/bad.py"), "def (:\n")]
    with pytest.raises(format_stage.FormatError, match="generated pkg/bad.py is not valid Python"):
        format_stage.format_files(files, parallel_lines=parallel_lines)


def test_an_unusable_cache_folder_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocker / "cache"))
    [file] = format_stage.format_files([OutputFile(PurePosixPath("m.py"), "x=1\n")])
    assert file.text == "x = 1\n"


@pytest.mark.parametrize("sdk", ["httpccg", "warehouse"])
def test_black_with_the_generated_project_s_settings_leaves_its_code_as_it_is(sdk: str) -> None:
    """A team that runs black on the generated project (its pre-commit hooks, say) changes nothing: the
    project's pyproject.toml names the line length and target version the generator formats with."""
    project = ROOT / "generated" / sdk
    check = subprocess.run(
        [sys.executable, "-m", "black", "--check", "--no-cache", "."], cwd=project, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    assert "would be left unchanged" in check.stderr
