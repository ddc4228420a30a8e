"""Problems found in a spec: errors stop generation, warnings are reported and generation goes on."""

from __future__ import annotations

import enum
from dataclasses import dataclass

_MAX_MESSAGE = 300


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


def pointer_of(*parts: str | int) -> str:
    """The RFC 6901 JSON pointer of a path of keys and indexes."""
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in parts)
    return "".join("/" + part for part in escaped)


def printable(text: str, limit: int = _MAX_MESSAGE) -> str:
    """Text safe to print on a terminal: control characters shown as escapes, long text cut."""
    cleaned = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    severity: Severity
    pointer: str
    message: str
    file: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        place = self.file or "<spec>"
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        pointer = printable(self.pointer or "/", 200)
        return f"{place}: {self.severity.value}: {pointer}: {printable(self.message)}"


class SpecError(Exception):
    """The spec cannot be turned into an SDK; carries one problem per fault found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the spec")
        self.problems = problems


class Report:
    """Collects the warnings of one generation run, in the order they were found."""

    def __init__(self) -> None:
        self.warnings: list[Problem] = []

    def warn(self, pointer: str, message: str) -> None:
        """Record a warning once, however many references lead to the same place."""
        warning = Problem(Severity.WARNING, pointer, message)
        if warning not in self.warnings:
            self.warnings.append(warning)
