"""`generate-sdk --check`: whether an output folder holds exactly what the spec generates, writing nothing."""

from __future__ import annotations

from pathlib import Path

from generator.output import OutputFile


def stale_files(files: list[OutputFile], out: Path) -> list[str]:
    """The generated files that are missing from `out` or differ there, as `path (missing)` or `path`,
    in the order the generator writes them.

    Files in `out` that the generator does not write are left to the write stage, which keeps and reports
    them: they do not make the output stale."""
    stale = []
    for file in files:
        target = out.joinpath(*file.path.parts)
        try:
            current = target.read_bytes()
        except FileNotFoundError:
            stale.append(f"{file.path} (missing)")
            continue
        except OSError:
            stale.append(f"{file.path} (unreadable)")
            continue
        if current != file.text.encode("utf-8"):
            stale.append(str(file.path))
    return stale
