"""Text taken from a spec, and the only ways it may reach generated files.

Every string read from a spec is wrapped in `SpecText` by the model stage. A `SpecText` refuses to
turn into a plain string, so a template that prints one without an escaping filter fails instead of
emitting text a spec author controls. The filters below each make text safe for one context.
"""

from __future__ import annotations

import base64
import json
import keyword
import math
import re
from typing import Final


class UnescapedTextError(TypeError):
    """Spec text reached output without an escaping filter: a bug in a template."""


class SpecText:
    """A string from the spec. Use `.raw` in Python code; templates must use an escaping filter."""

    __slots__ = ("raw",)

    def __init__(self, raw: str) -> None:
        self.raw = raw

    def __str__(self) -> str:
        raise UnescapedTextError("spec text printed without an escaping filter")

    def __format__(self, spec: str) -> str:
        raise UnescapedTextError("spec text formatted without an escaping filter")

    def __repr__(self) -> str:
        return f"SpecText({self.raw!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SpecText) and other.raw == self.raw

    def __hash__(self) -> int:
        return hash(self.raw)

    def __bool__(self) -> bool:
        return bool(self.raw)


Text = SpecText | str
"""Filters accept spec text or text the generator made itself."""


def _raw(text: Text) -> str:
    return text.raw if isinstance(text, SpecText) else text


_IDENTIFIER: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class Identifier(str):
    """A validated ASCII Python identifier; the only kind of name that reaches code and paths."""

    __slots__ = ()

    def __new__(cls, value: str) -> Identifier:
        if not _IDENTIFIER.match(value) or keyword.iskeyword(value):
            raise ValueError(f"not a valid Python identifier: {value!r}")
        return super().__new__(cls, value)


WINDOWS_DEVICE_NAMES: Final = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{port}{number}" for port in ("COM", "LPT") for number in "123456789¹²³"}
)
"""Names Windows keeps for devices: a file named so, with any extension, cannot be created or read."""


def is_windows_device_name(segment: str) -> bool:
    """Whether a file or folder name means a device on Windows (`con`, `aux.py`, `LPT1.tar.gz`)."""
    return segment.split(".")[0].rstrip(" ").upper() in WINDOWS_DEVICE_NAMES


_LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch, f"\\x{code:02x}")
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def python_string(text: Text) -> str:
    """A double-quoted Python string literal holding the text exactly."""
    raw = _raw(text)
    if raw.isprintable():  # the usual case, without a look at each character
        return '"' + raw.replace("\\", "\\\\").replace('"', '\\"') + '"'
    out = []
    for ch in raw:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(_escape_char(ch))
    return '"' + "".join(out) + '"'


def json_document(data: object) -> str:
    """Data read from the spec as a JSON document of its own: indented, its text as written, but for lone
    surrogates (no UTF-8 can hold them), which stay JSON escapes. What YAML holds and JSON does not is
    written as JSON can: `!!binary` bytes as base64 text, infinity and NaN as strings."""
    text = json.dumps(_as_json(data), indent=2, ensure_ascii=False, allow_nan=False)
    return _LONE_SURROGATE.sub(lambda match: f"\\u{ord(match[0]):04x}", text) + "\n"


def _as_json(value: object) -> object:
    if isinstance(value, dict):
        return {str(key): _as_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_json(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if value is None or isinstance(value, (str, int, float)):
        return value
    return str(value)


def python_literal(json_text: Text) -> str:
    """A Python expression for the JSON value in the text: dicts, lists, strings as `python_string`
    writes them, numbers, True, False and None."""
    return _literal(json.loads(_raw(json_text), parse_constant=_not_a_number))


def _literal(value: object) -> str:
    if isinstance(value, str):
        return python_string(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{python_string(key)}: {_literal(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(item) for item in value) + "]"
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    raise TypeError(f"not JSON data: {type(value).__name__}")


def _not_a_number(constant: str) -> object:
    raise ValueError(f"{constant} is no JSON number")


def docstring(text: Text, indent: int = 0) -> str:
    """Text for the inside of a triple-quoted docstring, continuation lines indented."""
    lines = []
    # A lone surrogate is no character: in a class docstring it makes the class fail to build at import.
    for line in _normalize_newlines(_LONE_SURROGATE.sub("\ufffd", _raw(text))).split("\n"):
        escaped = (
            line.replace("\\", "\\\\")
            if line.isprintable()
            else "".join(
                "\\\\" if ch == "\\" else ch if ch.isprintable() else _escape_char(ch) for ch in line
            )
        )
        lines.append(escaped.rstrip())
    body = "\n".join(lines).strip("\n")
    # A quote is harmless unless it is part of a run of three, or runs into the closing quotes.
    body = re.sub(r'"{3,}|"+\Z', lambda run: '\\"' * len(run[0]), body)
    return body.replace("\n", "\n" + " " * indent).replace("\n" + " " * indent + "\n", "\n\n")


def comment(text: Text) -> str:
    """Text for one `#` comment line."""
    return " ".join(_blank_unprintable(_raw(text)).split())


def _blank_unprintable(text: str) -> str:
    """The text with a space for each character that is not printable."""
    if text.isprintable():  # the usual case, without a look at each character
        return text
    return "".join(ch if ch.isprintable() else " " for ch in text)


_MARKDOWN_HTML: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def markdown(text: Text) -> str:
    """A Markdown paragraph: the author's Markdown kept, raw HTML neutralized, no code fences opened
    (a fence would swallow the rest of the page)."""
    lines = []
    for line in _normalize_newlines(_raw(text)).strip("\n").split("\n"):
        line = _blank_unprintable(line).rstrip()
        content = line.lstrip(" ")
        if content.startswith(("```", "~~~")):
            line = line[: len(line) - len(content)] + "\\" + content
        lines.append(line)
    return "\n".join(lines).translate(_MARKDOWN_HTML)


_MARKDOWN_INLINE: Final = str.maketrans({"|": "\\|", "[": "\\[", "]": "\\]"})


def markdown_inline(text: Text) -> str:
    """Markdown on one line, such as a heading, link text or table cell: no line breaks, no cell
    breaks, no links."""
    return comment(_raw(text)).translate(_MARKDOWN_HTML).translate(_MARKDOWN_INLINE)


def markdown_code(text: Text) -> str:
    """An inline Markdown code span showing the text literally."""
    raw = comment(_raw(text))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", raw)), default=0) + 1)
    padding = " " if raw.startswith("`") or raw.endswith("`") else ""
    return f"{fence}{padding}{raw}{padding}{fence}"


def table_cell(markdown_text: str) -> str:
    """Markdown made by another filter, for a table cell: GFM splits cells at `|`, even in code spans."""
    return markdown_text.replace("|", "\\|")


def toml_string(text: Text) -> str:
    """A TOML basic string holding the text exactly."""
    out = []
    for ch in _raw(text):
        if ch in '\\"':
            out.append("\\" + ch)
        elif 0xD800 <= ord(ch) <= 0xDFFF:  # a lone surrogate is no Unicode scalar value
            out.append("\\uFFFD")
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(f"\\U{ord(ch):08X}")
    return '"' + "".join(out) + '"'


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
