"""What the generator writes: files by their path in the output folder, and the marker among them.

Kept apart from the render stage so that the stages which only read or compare output (write, check, the
record of earlier runs) do not import Jinja.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

TEMPLATES = Path(__file__).parent / "_templates"
if not TEMPLATES.is_dir():  # running from a source checkout rather than an installed wheel
    TEMPLATES = Path(__file__).parent.parent / "templates"

LINE_LENGTH = 120
TARGET_VERSION = "py310"
"""Black's line length and target version for the generated code, also written to the generated project's
settings so that `black` there leaves the code as it is."""

MARKER = ".generate-sdk"
"""The file that marks a folder as made by generate-sdk, and lists the files it made there."""


@dataclass(frozen=True)
class OutputFile:
    path: PurePosixPath
    text: str
