"""Strings that match a JSON Schema `pattern`: an ECMAScript regular expression, searched for anywhere in
the string (JSON Schema's patterns are not anchored unless they say `^` and `$`).

Patterns are translated into Python's syntax (named groups, `[^]`, `\\s`, `.` and `$` as ECMAScript means
them), parsed with Python's own regex parser, and walked to build a string of a chosen length; every string
made is checked with `re.search` before it is offered. What Python cannot express (Unicode property escapes
such as `\\p{L}`, lookbehinds of varying width) raises `PatternError` with the reason.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import re
import sys
import warnings
from collections.abc import Iterator
from typing import Any

# The parser behind `re`: a private module, stable across 3.10-3.13 in what is used here (`parse` and the
# opcodes). It moved from `sre_parse` (deprecated since 3.11) to `re._parser`.
_NEW_PARSER = sys.version_info >= (3, 11)
_parser: Any = importlib.import_module("re._parser" if _NEW_PARSER else "sre_parse")
_op: Any = importlib.import_module("re._constants" if _NEW_PARSER else "sre_constants")
_POSSESSIVE_REPEAT = getattr(_op, "POSSESSIVE_REPEAT", None)
_ATOMIC_GROUP = getattr(_op, "ATOMIC_GROUP", None)

# ECMAScript's `\s`: ASCII whitespace and the Unicode spaces, as the members of a character class.
_JS_SPACE = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
# ECMAScript's `.`: anything but a line terminator.
_JS_DOT = "[^\\n\\r\\u2028\\u2029]"

# Characters tried at each position, readable ones first: the letters of "example" (lower and upper case)
# and the digits 1-9 then 0, each by position, so that `[a-z]+` makes "example" and `\d{4}` makes "1234".
_WORD = "example"
_DIGITS = "1234567890"
_FALLBACK = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    " -_.:/@+,;=!?#$%&*()[]{}<>'\"~^`|\\\t\n\r\x0b\x0c"
    "\xe9\xa0\xdf\u00c0\u4e2d"
)
# A second way to fill positions, tried when the first fails (lookaheads asking for a digit, an upper-case
# letter and a symbol somewhere, as password rules do): a lower-case letter, an upper-case letter, a digit and a
# symbol in turn.
_MIXED = ("example", "EXAMPLE", "1234567", "!#$%&*@")
_MODES = 2

_LENGTH_SLACK = 32
"""How far beyond the preferred length (and beyond minLength) the walker looks for lengths the pattern allows."""
_MAX_LENGTH = 10_000
"""Patterns whose shortest match is longer than this are refused rather than walked."""


class PatternError(Exception):
    """The pattern cannot be read in Python, or no string matches it within the length bounds."""


def translate(pattern: str) -> str:
    """The ECMAScript `pattern` in Python's syntax, meaning the same when compiled with `re.ASCII`."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            text, i = _escape(pattern, i + 1, in_class)
            out.append(text)
            continue
        if in_class:
            if char == "]":
                in_class = False
            elif char == "[":
                char = "\\["  # a literal in ECMAScript; Python warns that it may one day open a nested set
            out.append(char)
        elif char == "[":
            if pattern.startswith("[^]", i):
                out.append("[\\s\\S]")
                i += 3
                continue
            if pattern.startswith("[]", i):
                out.append("(?!)")  # ECMAScript's empty class matches nothing
                i += 2
                continue
            in_class = True
            out.append(char)
            if pattern.startswith("[^", i):
                out.append("^")
                i += 1
        elif char == "(" and pattern.startswith("(?<", i) and not pattern.startswith(("(?<=", "(?<!"), i):
            out.append("(?P<")
            i += 3
            continue
        elif char == "$":
            out.append("\\Z")  # ECMAScript's `$` never matches before a final newline, Python's does
        elif char == ".":
            out.append(_JS_DOT)
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _escape(pattern: str, i: int, in_class: bool) -> tuple[str, int]:
    """The Python text for the ECMAScript escape whose letter is at `i`, and the index after it."""
    if i >= len(pattern):
        raise PatternError("the pattern ends with a lone backslash")
    char = pattern[i]
    if char in "pP" and pattern.startswith("{", i + 1):
        end = pattern.find("}", i)
        raise PatternError(
            f"Python's re has no Unicode property escapes such as \\{pattern[i:end + 1 if end > 0 else None]}"
        )
    if char == "u" and pattern.startswith("{", i + 1):
        end = pattern.find("}", i)
        code = pattern[i + 2 : end] if end > 0 else ""
        if not code or any(c not in "0123456789abcdefABCDEF" for c in code) or int(code, 16) > 0x10FFFF:
            raise PatternError(f"\\u{{{code}}} is not a code point")
        return f"\\U{int(code, 16):08x}", end + 1
    if char == "c" and i + 1 < len(pattern) and pattern[i + 1].isascii() and pattern[i + 1].isalpha():
        return f"\\x{ord(pattern[i + 1]) % 32:02x}", i + 2
    if char == "k" and pattern.startswith("<", i + 1) and ">" in pattern[i:]:
        end = pattern.index(">", i)
        return f"(?P={pattern[i + 2 : end]})", end + 1
    if char == "s":
        return (_JS_SPACE if in_class else f"[{_JS_SPACE}]"), i + 1
    if char == "S" and not in_class:
        return f"[^{_JS_SPACE}]", i + 1
    if char == "b" and in_class:
        return "\\x08", i + 1
    if char == "d" or char == "D" or char == "w" or char == "W" or char == "S" or char == "B" or char == "b":
        return "\\" + char, i + 1
    if char in "nrtfv" or char.isdigit() or char in "xu":
        return "\\" + char, i + 1
    if char.isascii() and char.isalnum():
        return char, i + 1  # an identity escape: `\a` is "a" in ECMAScript, but the bell in Python
    return "\\" + char, i + 1


@functools.lru_cache(maxsize=4096)
def compiled(pattern: str) -> re.Pattern[str]:
    """The ECMAScript `pattern`, compiled for Python; PatternError when Python cannot express it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # FutureWarnings about sets that may one day nest
            return re.compile(translate(pattern), re.ASCII)
    except (re.error, OverflowError, RecursionError) as error:
        raise PatternError(f"Python cannot read the pattern {pattern!r}: {error}") from None


@functools.lru_cache(maxsize=4096)
def _python_compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return re.compile(pattern)
    except (re.error, OverflowError, RecursionError):
        return None


def python_search(pattern: str, text: str) -> bool | None:
    """Whether the pattern as Python's re reads it, untranslated, matches somewhere in `text` (as Python
    validators of JSON Schema check patterns); None when Python cannot read it so."""
    compiled = _python_compiled(pattern)
    return None if compiled is None else compiled.search(text) is not None


def search(pattern: str, text: str) -> bool:
    """Whether `pattern` matches somewhere in `text`, as a JSON Schema validator decides."""
    return compiled(pattern).search(text) is not None


def matching(pattern: str, min_length: int = 0, max_length: int | None = None) -> Iterator[str]:
    """Distinct strings that `pattern` finds a match in, of min_length to max_length characters, the most
    readable first. Nothing when none could be made; PatternError when the pattern cannot be read."""
    regex = compiled(pattern)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = _parser.parse(translate(pattern), re.ASCII)
    shortest = int(parsed.getwidth()[0])
    if shortest > _MAX_LENGTH:
        raise PatternError(f"the pattern {pattern!r} needs at least {shortest} characters")
    ceiling = max(min_length, len(_WORD), shortest) + _LENGTH_SLACK
    if max_length is not None:
        ceiling = min(ceiling, max_length)
    if ceiling < 0:
        return
    walker = _Walker(parsed, ceiling)
    lengths = walker.lengths(list(parsed))
    preferred = min(max(len(_WORD), min_length), ceiling)
    seen: set[str] = set()
    for target in sorted(_members(lengths), key=lambda length: (abs(length - preferred), length))[:12]:
        for mode in range(_MODES):
            try:
                core = walker.string(list(parsed), target, mode)
            except _Unmatched:
                continue
            for text in _padded(core, min_length, max_length):
                if text not in seen and regex.search(text) is not None:
                    seen.add(text)
                    yield text
                    break


@functools.lru_cache(maxsize=4096)
def first_matching(pattern: str, min_length: int, max_length: int | None, count: int) -> tuple[str, ...]:
    """The first `count` strings of `matching`, remembered: schemas repeat the same patterns."""
    return tuple(itertools.islice(matching(pattern, min_length, max_length), count))


def _padded(core: str, min_length: int, max_length: int | None) -> Iterator[str]:
    """`core` lengthened to min_length at its end or at its start (the match may stand anywhere when the
    pattern is not anchored), or as it is."""
    if max_length is not None and len(core) > max_length:
        return
    missing = min_length - len(core)
    if missing <= 0:
        yield core
        return
    filler = (_WORD * (missing // len(_WORD) + 1))[:missing]
    yield core + filler
    yield filler + core
    yield core + core[-1:] * missing if core else filler


def _members(bits: int) -> list[int]:
    """The numbers in a set held as the bits of an int."""
    members = []
    while bits:
        low = bits & -bits
        members.append(low.bit_length() - 1)
        bits ^= low
    return members


class _Unmatched(Exception):
    """The walk reached a part that cannot take the length asked (a guess about a backreference's length)."""


class _Walker:
    """Builds strings from Python's parse of a pattern. The lengths a part can match are sets of ints up to
    `ceiling`, held as the bits of an int, so that a walk asked for a length never takes a dead end."""

    def __init__(self, parsed: Any, ceiling: int) -> None:
        self.ceiling = ceiling
        self.mask = (1 << (ceiling + 1)) - 1
        self.ignore_case = bool(parsed.state.flags & re.IGNORECASE)
        self.group_parts: dict[int, list[Any]] = {}
        self._lengths: dict[int, int] = {}
        self._keep: list[Any] = []  # the parts whose lengths are cached under their id()
        self.groups: dict[int, str] = {}
        self.out: list[str] = []
        self.position = 0
        self.mode = 0

    # The lengths each part can match.

    def lengths(self, items: list[Any]) -> int:
        total = 1  # {0}
        for op, av in items:
            total = self._plus(total, self._item_lengths(op, av))
            if not total:
                break
        return total

    def _item_lengths(self, op: Any, av: Any) -> int:
        key = id(av)
        if av is not None and not isinstance(av, int) and key in self._lengths:
            return self._lengths[key]
        result = self._compute_lengths(op, av)
        if av is not None and not isinstance(av, int):
            self._lengths[key] = result
            self._keep.append(av)
        return result

    def _compute_lengths(self, op: Any, av: Any) -> int:
        if op in (_op.LITERAL, _op.NOT_LITERAL, _op.ANY, _op.IN):
            return 0b10 & self.mask
        if op in (_op.AT, _op.ASSERT, _op.ASSERT_NOT):
            return 1
        if op is _op.SUBPATTERN:
            group, _add, _del, part = av
            if group is not None:
                self.group_parts[group] = list(part)
            return self.lengths(list(part))
        if op is _ATOMIC_GROUP:
            return self.lengths(list(av))
        if op is _op.BRANCH:
            result = 0
            for option in av[1]:
                result |= self.lengths(list(option))
            return result
        if op in (_op.MAX_REPEAT, _op.MIN_REPEAT, _POSSESSIVE_REPEAT):
            low, high, body = av
            return self._repeat_lengths(low, high, self.lengths(list(body)))
        if op is _op.GROUPREF:
            part = self.group_parts.get(av)
            return self.lengths(part) if part is not None else 1
        if op is _op.GROUPREF_EXISTS:
            _group, yes, no = av
            return self.lengths(list(yes)) | (self.lengths(list(no)) if no is not None else 1)
        raise PatternError(f"the pattern uses {op}, which cannot be sampled")

    def _repeat_lengths(self, low: int, high: int, body: int) -> int:
        reach = 1
        for _ in range(low):
            reach = self._plus(reach, body)
            if not reach:
                return 0
        total = reach
        count = low
        for _ in range(self.ceiling + 2):
            if count >= high:
                break
            reach = self._plus(reach, body)
            count += 1
            if not reach or total | reach == total and body & 1:
                break
            total |= reach
        return total

    def _plus(self, left: int, right: int) -> int:
        """The sums of a member of `left` and a member of `right`."""
        result = 0
        for shift in _members(left):
            result |= right << shift
        return result & self.mask

    # Building a string of an exact length.

    def string(self, items: list[Any], length: int, mode: int) -> str:
        self.groups = {}
        self.out = []
        self.position = 0
        self.mode = mode
        self._sequence(items, length)
        return "".join(self.out)

    def _sequence(self, items: list[Any], length: int) -> None:
        suffixes = [1] * (len(items) + 1)
        for index in range(len(items) - 1, -1, -1):
            op, av = items[index]
            suffixes[index] = self._plus(self._item_lengths(op, av), suffixes[index + 1])
        if not suffixes[0] >> length & 1:
            raise _Unmatched
        remaining = length
        for index, (op, av) in enumerate(items):
            choices = [
                size
                for size in _members(self._item_lengths(op, av))
                if size <= remaining and suffixes[index + 1] >> (remaining - size) & 1
            ]
            if not choices:
                raise _Unmatched
            # A part that must match something takes what is left (it is the substance: `\d+` in `-?\d+`);
            # one that may match nothing takes as little as it can.
            size = choices[-1] if choices[0] > 0 else choices[0]
            self._item(op, av, size)
            remaining -= size

    def _item(self, op: Any, av: Any, length: int) -> None:
        if op is _op.LITERAL:
            self._emit(chr(av))
        elif op in (_op.NOT_LITERAL, _op.ANY, _op.IN):
            self._emit(self._character(op, av))
        elif op in (_op.AT, _op.ASSERT, _op.ASSERT_NOT):
            pass  # zero-width: the final re.search decides
        elif op is _op.SUBPATTERN:
            group, _add, _del, part = av
            start = len(self.out)
            self._sequence(list(part), length)
            if group is not None:
                self.groups[group] = "".join(self.out[start:])
        elif op is _ATOMIC_GROUP:
            self._sequence(list(av), length)
        elif op is _op.BRANCH:
            for option in av[1]:
                if self.lengths(list(option)) >> length & 1:
                    self._sequence(list(option), length)
                    return
            raise _Unmatched
        elif op in (_op.MAX_REPEAT, _op.MIN_REPEAT, _POSSESSIVE_REPEAT):
            self._repeat(av, length)
        elif op is _op.GROUPREF:
            text = self.groups.get(av, "")
            if len(text) != length:
                raise _Unmatched
            self._emit(text)
        elif op is _op.GROUPREF_EXISTS:
            group, yes, no = av
            self._sequence(list(yes) if group in self.groups else list(no or []), length)

    def _repeat(self, av: Any, length: int) -> None:
        low, high, body = av
        body = list(body)
        body_lengths = self.lengths(body)
        reaches = [1]  # reaches[n]: the lengths of n repetitions
        count = 0
        while not (count >= low and reaches[count] >> length & 1):
            if count >= high or count > low + length + 1 or not reaches[count]:
                raise _Unmatched
            reaches.append(self._plus(reaches[count], body_lengths))
            count += 1
        remaining = length
        for left in range(count, 0, -1):
            size = max(
                s
                for s in _members(body_lengths)
                if remaining - s >= 0 and reaches[left - 1] >> (remaining - s) & 1
            )
            self._sequence(body, size)
            remaining -= size

    def _emit(self, text: str) -> None:
        self.out.append(text)
        self.position += len(text)

    def _character(self, op: Any, av: Any) -> str:
        for char in self._candidates(self.position):
            if self._accepts(op, av, char):
                return char
        if op is _op.IN:  # a class of unusual characters only: its first member
            for kind, value in av:
                if kind is _op.LITERAL:
                    return chr(value)
                if kind is _op.RANGE:
                    return chr(value[0])
        raise _Unmatched

    def _candidates(self, position: int) -> Iterator[str]:
        if self.mode == 1:
            word = _MIXED[position % len(_MIXED)]
            yield word[position % len(word)]
        yield _WORD[position % len(_WORD)]
        yield _WORD[position % len(_WORD)].upper()
        yield _DIGITS[position % len(_DIGITS)]
        yield from _FALLBACK

    def _accepts(self, op: Any, av: Any, char: str) -> bool:
        if op is _op.ANY:
            return char != "\n"
        if op is _op.NOT_LITERAL:
            return not self._same(char, av)
        return self._in_class(char, av)

    def _same(self, char: str, code: int) -> bool:
        if self.ignore_case:
            return char.lower() == chr(code).lower()
        return ord(char) == code

    def _in_class(self, char: str, items: list[Any]) -> bool:
        negated = bool(items) and items[0][0] is _op.NEGATE
        variants = {char, char.lower(), char.upper()} if self.ignore_case else {char}
        found = any(
            self._class_item(variant, kind, value) for variant in sorted(variants) for kind, value in items
        )
        return found != negated

    def _class_item(self, char: str, kind: Any, value: Any) -> bool:
        code = ord(char)
        if kind is _op.LITERAL:
            return bool(code == value)
        if kind is _op.RANGE:
            return bool(value[0] <= code <= value[1])
        if kind is _op.CATEGORY:
            return _in_category(char, value)
        return False


def _in_category(char: str, category: Any) -> bool:
    """`\\d`, `\\w`, `\\s` and their negations, with the ASCII meaning that re.ASCII gives them."""
    if category in (_op.CATEGORY_DIGIT, _op.CATEGORY_NOT_DIGIT):
        member = "0" <= char <= "9"
    elif category in (_op.CATEGORY_WORD, _op.CATEGORY_NOT_WORD):
        member = char.isascii() and (char.isalnum() or char == "_")
    elif category in (_op.CATEGORY_SPACE, _op.CATEGORY_NOT_SPACE):
        member = char in " \t\n\r\x0b\x0c"
    else:
        return False
    return member == (category in (_op.CATEGORY_DIGIT, _op.CATEGORY_WORD, _op.CATEGORY_SPACE))
