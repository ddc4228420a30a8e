"""Write stage: the whole output folder appears at once, or not at all.

Files are written to a temporary folder beside the output folder, then swapped into place. A failure
at any point leaves the existing output folder as it was. A folder that generate-sdk did not create
(it has no marker file) is never replaced unless the caller forces it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from generator.render import OutputFile

MARKER = ".generate-sdk"


class OutputFolderError(Exception):
    """The output folder cannot be replaced safely."""


def write(files: list[OutputFile], out: Path, *, keep: Path, force: bool = False) -> None:
    """Replace `out` with the files; `keep` (the spec) must not be inside it."""
    out = out.absolute()
    _check_replaceable(out, force, keep)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for file in files:
            target = staging.joinpath(*file.path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.text.encode("utf-8"))
        os.chmod(staging, 0o755)
        _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_replaceable(out: Path, force: bool, keep: Path) -> None:
    if keep.resolve().is_relative_to(out.resolve()) or Path.cwd().resolve().is_relative_to(out.resolve()):
        raise OutputFolderError(
            f"{out} holds the spec or the current folder; choose an output folder of its own"
        )
    if not out.exists() or force:
        return
    if not out.is_dir():
        raise OutputFolderError(f"{out} exists and is not a folder")
    if any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputFolderError(f"{out} exists and was not made by generate-sdk; pass --force to replace it")


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
