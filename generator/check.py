"""`generate-sdk --check`: whether an output folder holds exactly what the spec generates, writing nothing."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from generator.output import OutputFile


def stale_files(files: list[OutputFile], out: Path) -> list[str]:
    """The generated files that are missing from `out` or differ there, as `path (missing)` or `path`,
    in the order the generator writes them.

    Files in `out` that the generator does not write are left to the write stage, which keeps and reports
    them: they do not make the output stale."""
    return stale_paths(out, ((file.path.as_posix(), file.text.encode("utf-8").__eq__) for file in files))


def stale_paths(out: Path, expected: Iterable[tuple[str, Callable[[bytes], bool]]]) -> list[str]:
    """The POSIX paths below `out` whose file is missing, unreadable or not current by its test, in order."""
    stale = []
    folder = os.fspath(out)
    for path, is_current in expected:
        try:
            with open(os.path.join(folder, path), "rb") as file:  # not pathlib: once per file
                current = file.read()
        except FileNotFoundError:
            stale.append(f"{path} (missing)")
            continue
        except OSError:
            stale.append(f"{path} (unreadable)")
            continue
        if not is_current(current):
            stale.append(path)
    return stale
