"""Format stage: black, in-process, on every generated Python file."""

from __future__ import annotations

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

from generator.render import OutputFile

_MODE = black.Mode(target_versions={TargetVersion.PY310}, line_length=100)


class FormatError(Exception):
    """A template produced Python that black cannot parse: a bug in the generator."""


def format_files(files: list[OutputFile]) -> list[OutputFile]:
    return [_format(file) if file.path.suffix == ".py" else file for file in files]


def _format(file: OutputFile) -> OutputFile:
    try:
        return OutputFile(file.path, black.format_str(file.text, mode=_MODE))
    except InvalidInput as error:
        raise FormatError(f"generated {file.path} is not valid Python: {error}") from None
