"""Write stage: the whole output folder appears at once, or not at all.

Files are written to a temporary folder beside the output folder, then swapped into place. A failure
at any point leaves the existing output folder as it was. A folder that generate-sdk did not create
(it has no marker file) is never replaced unless the caller forces it.

The marker lists the files generate-sdk made. When a folder is regenerated, those files are replaced
or, when the spec no longer produces them, removed; any other file found there was put there by
someone else and is kept in place (or, if a generated file now takes its path, replaced) and reported.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from generator.output import MARKER, OutputFile
from generator.untrusted import is_windows_device_name

__all__ = ["MARKER", "OutputFolderError", "UnsafePathError", "check_replaceable", "kept_files", "write"]

_TOOL_FOLDERS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"})
"""Folders tools make from the generated files: kept, like other files found, but not worth a warning."""
_NOT_ON_WINDOWS = frozenset('<>:"/\\|?*')


class OutputFolderError(Exception):
    """The output folder cannot be replaced safely."""


class UnsafePathError(ValueError):
    """An output path could escape the output folder or cannot be written on every system: a bug in
    the naming stage, which builds paths from validated identifiers only."""


def write(files: list[OutputFile], out: Path, *, keep: Path, force: bool = False) -> list[str]:
    """Replace `out` with the files; `keep` (the spec) must not be inside it.

    Returns a warning for each file found in `out` that generate-sdk did not make.
    """
    check_paths(files)
    out = out.absolute()
    check_replaceable(out, force, keep)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for file in files:
            target = staging.joinpath(*file.path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.text.encode("utf-8"))
        warnings = _carry_over(out, staging, {file.path.as_posix() for file in files})
        os.chmod(staging, 0o755)
        _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return warnings


def check_paths(files: list[OutputFile]) -> None:
    """The last guard before the disk: every path relative, inside the folder, printable, free of names
    Windows refuses, and distinct from the others even where file names ignore case."""
    seen: dict[str, PurePosixPath] = {}
    for file in files:
        path = file.path
        problem = _path_problem(path)
        if problem:
            raise UnsafePathError(f"unsafe output path {path.as_posix()!r}: {problem}")
        for prefix in [*reversed(path.parents[:-1]), path]:  # a file may not share a folder's name either
            folded = prefix.as_posix().casefold()
            if seen.setdefault(folded, prefix) != prefix:
                raise UnsafePathError(
                    f"output paths {seen[folded].as_posix()!r} and {prefix.as_posix()!r} differ only in case"
                )


def _path_problem(path: PurePosixPath) -> str:
    if path.is_absolute() or not path.parts:
        return "not a relative path"
    for part in path.parts:
        if part in ("", ".", ".."):
            return f"{part!r} leaves the output folder"
        if any(not ch.isprintable() or ch in _NOT_ON_WINDOWS for ch in part):
            return "control or reserved characters"
        if part.endswith((" ", ".")) or is_windows_device_name(part):
            return "a name Windows cannot use"
    return ""


def check_replaceable(out: Path, force: bool, keep: Path) -> None:
    """An OutputFolderError when `write` would refuse to replace `out`."""
    if keep.resolve().is_relative_to(out.resolve()) or Path.cwd().resolve().is_relative_to(out.resolve()):
        raise OutputFolderError(
            f"{out} holds the spec or the current folder; choose an output folder of its own"
        )
    if not out.exists() or force:
        return
    if not out.is_dir():
        raise OutputFolderError(f"{out} exists and is not a folder")
    if any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputFolderError(
            f"{out} exists and was not made by generate-sdk (it has no {MARKER} file); "
            "pass --force to generate into it anyway (its files are kept and reported)"
        )


def _carry_over(out: Path, staging: Path, generated: set[str]) -> list[str]:
    """Copy the files of `out` that generate-sdk did not make into the staging folder; a warning each."""
    if not out.is_dir() or out.is_symlink():
        return []
    warnings = []
    previous = _previously_generated(out) | {MARKER}
    for relative in _found(out, previous, previous | generated):
        if _collides(relative, generated):
            warnings.append(
                f"{relative}: not made by generate-sdk; replaced by a generated file of that name"
            )
            continue
        source, target = out / relative, staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir() and not source.is_symlink():
            shutil.copytree(source, target, symlinks=True)
        else:
            shutil.copy2(source, target, follow_symlinks=False)
        if PurePosixPath(relative).name not in _TOOL_FOLDERS:
            warnings.append(_kept(relative))
    return warnings


def kept_files(out: Path, generated: set[str]) -> list[str]:
    """The warnings `write` gives about the files others put in `out`, when `out` already holds every
    generated file (and the marker listing them) and regenerating it would change none."""
    made = generated | {MARKER}
    return [
        _kept(relative)
        for relative in _found(out, made, made)
        if PurePosixPath(relative).name not in _TOOL_FOLDERS
    ]


def _kept(relative: str) -> str:
    return f"{relative}: not made by generate-sdk; kept"


def _previously_generated(out: Path) -> set[str]:
    """The files the marker of an earlier run lists; none when it cannot be read."""
    try:
        text = (out / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    _, found, listed = text.partition("\nGenerated files:\n")
    return set(listed.splitlines()) if found else set()


def _found(out: Path, made: set[str], expected: set[str]) -> list[str]:
    """The paths in `out`, relative to it, of what generate-sdk did not make: files and links not in
    `made`, and whole folders that hold no `expected` path."""
    folders = {path[:end] for path in expected for end in _separators(path)}
    found = []
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(out / folder) as entries:
            for entry in sorted(entries, key=lambda entry: entry.name):
                relative = f"{folder}{entry.name}"
                if relative in folders and entry.is_dir(follow_symlinks=False):
                    pending.append(relative + "/")
                elif not (relative in made and entry.is_file(follow_symlinks=False)):
                    found.append(relative)
    return sorted(found)


def _separators(path: str) -> Iterator[int]:
    """Where each of a POSIX path's parent folders ends (string operations: this runs once per file)."""
    end = path.find("/")
    while end != -1:
        yield end
        end = path.find("/", end + 1)


def _collides(relative: str, generated: set[str]) -> bool:
    """Whether a generated file takes the path, or a path inside it, or one of its folders."""
    path = PurePosixPath(relative)
    return (
        relative in generated
        or any(PurePosixPath(other).is_relative_to(path) for other in generated)
        or any(parent.as_posix() in generated for parent in path.parents)
    )


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except OSError:
        retired.rename(out)
        raise
    if retired.is_dir():
        shutil.rmtree(retired)
    else:
        retired.unlink()
