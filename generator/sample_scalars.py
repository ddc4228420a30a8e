"""Strings and numbers for sample values: well-formed values of the usual formats, strings that match
patterns, numbers within bounds. Every value is checked by the sampler before it is used; these only aim
well, the plainest first ("example", 1).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterator
from fractions import Fraction

from generator import regex_sample


class NoSample(Exception):
    """No conforming value could be found or made; str(error) says why, for a person (e.g. "no value matches
    the pattern '^[A-Z]{2}\\d+$' within maxLength 2")."""


WORD = "example"
"""The value of a string nothing constrains."""

FORMAT_SAMPLES: dict[str, tuple[str, ...]] = {
    "date": ("2024-01-01", "2024-01-02", "2024-01-03"),
    "date-time": ("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"),
    "time": ("12:00:00", "12:00:01", "12:00:02"),
    "uuid": (
        "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "3fa85f64-5717-4562-b3fc-2c963f66afa7",
        "3fa85f64-5717-4562-b3fc-2c963f66afa8",
    ),
    "email": ("user@example.com", "user1@example.com", "user2@example.com"),
    "idn-email": ("user@example.com", "user1@example.com", "user2@example.com"),
    "uri": ("https://example.com", "https://example.com/1", "https://example.com/2"),
    "iri": ("https://example.com", "https://example.com/1", "https://example.com/2"),
    "url": ("https://example.com", "https://example.com/1", "https://example.com/2"),
    "uri-reference": ("https://example.com", "https://example.com/1", "https://example.com/2"),
    "iri-reference": ("https://example.com", "https://example.com/1", "https://example.com/2"),
    "uri-template": ("https://example.com/{id}", "https://example.com/{id}/1", "https://example.com/{id}/2"),
    "hostname": ("example.com", "example.org", "example.net"),
    "idn-hostname": ("example.com", "example.org", "example.net"),
    "ipv4": ("192.0.2.1", "192.0.2.2", "192.0.2.3"),
    "ipv6": ("2001:db8::1", "2001:db8::2", "2001:db8::3"),
    "byte": ("ZXhhbXBsZQ==", "ZXhhbXBsZTE=", "ZXhhbXBsZTI="),
    "regex": ("^example$", "^example1$", "^example2$"),
    "duration": ("P1D", "P2D", "P3D"),
    "json-pointer": ("/example", "/example1", "/example2"),
    "relative-json-pointer": ("0", "1", "2"),
    # Numbers written as strings.
    "int32": ("1", "2", "3"),
    "int64": ("1", "2", "3"),
    "decimal": ("1.5", "2.5", "3.5"),
}
"""Well-formed strings for the formats a validator may check, the most plain first."""

_VARIANTS = 6
"""How many values of one kind are offered before giving up (for uniqueItems and oneOf, which may need other
values than the first)."""


# Strings.


def strings(formats: list[str], patterns: list[str], low: int, high: int | None) -> Iterator[str]:
    """Strings of `low` to `high` characters: well-formed for a known format, matching the patterns, else
    words; the plainest first. NoSample when the patterns cannot be met."""
    if high is not None and high < low:
        raise NoSample(f"minLength {low} is greater than maxLength {high}")
    for name in formats:
        for text in FORMAT_SAMPLES.get(name, ()):
            fitted = _fit_format(name, text, low, high)
            if fitted is not None:
                yield fitted
    for pattern in patterns:
        try:
            first = regex_sample.first_matching(pattern, low, high, 1)
            if not first:
                raise NoSample(f"no value matches the pattern {pattern!r}{_length_words(low, high)}")
            yield first[0]
            yield from regex_sample.first_matching(pattern, low, high, _VARIANTS)[1:]
        except regex_sample.PatternError as error:
            raise NoSample(str(error)) from None
    if patterns:
        return  # words would not match them
    for index in range(_VARIANTS):
        word = WORD if index == 0 else f"{WORD}{index}"
        yield _fit_word(word, low, high, index)


def _fit_word(word: str, low: int, high: int | None, index: int) -> str:
    """`word` cut or repeated to a length from low to high; short words differ by their last letter."""
    if high is not None and len(word) > high:
        if high == 0:
            return ""
        return word[: high - 1] + "abcdefghij"[index % 10] if index else word[:high]
    if len(word) < low:
        return (word * (low // len(word) + 1))[:low]
    return word


def _fit_format(name: str, text: str, low: int, high: int | None) -> str | None:
    """A format's sample lengthened to minLength where the format allows it; None when it cannot fit."""
    missing = low - len(text)
    if missing > 0:
        if name == "date-time":
            text = text[:-1] + "." + "0" * max(missing - 1, 1) + "Z"
        elif name in ("uri", "url", "iri", "uri-reference", "iri-reference"):
            text = text + "/" + "x" * max(missing - 1, 1)
        elif name in ("email", "idn-email"):
            text = "u" * missing + text
        elif name == "byte":
            text = _base64_of_length(-(-low // 4) * 4)
        elif name in ("int32", "int64"):
            text = "1" + "0" * (low - 1)
        else:
            return None
    if high is not None and len(text) > high:
        return None
    return text


def _base64_of_length(length: int) -> str:
    """Base64 text of exactly `length` characters (a multiple of 4) that encodes repeated "example"."""
    data = (WORD.encode() * (length // len(WORD) + 1))[: length // 4 * 3]
    return base64.b64encode(data).decode()


def _length_words(low: int, high: int | None) -> str:
    if high is not None and low:
        return f" within minLength {low} and maxLength {high}"
    if high is not None:
        return f" within maxLength {high}"
    return f" with minLength {low}" if low else ""


# Numbers.


Bound = tuple[Fraction, bool]
"""A number's least or greatest value, and whether that value itself is excluded."""


def numbers(
    lower: Bound | None, upper: Bound | None, multiples: list[Fraction], *, integer: bool
) -> Iterator[int | float]:
    """Numbers within the bounds and a multiple of every one of `multiples`: 1 when allowed (a `limit` with
    minimum 1 is common, 0 rarely useful), else the nearest to the lower bound, the upper bound, or 0; then
    others. NoSample when there is none."""
    step = _step(multiples + ([Fraction(1)] if integer else []))
    if lower and upper and (lower[0] > upper[0] or lower[0] == upper[0] and (lower[1] or upper[1])):
        raise NoSample(f"no number is at least {float(lower[0]):g} and at most {float(upper[0]):g}")
    wanted: list[Fraction] = [Fraction(1)]
    if lower is not None:
        wanted.append(lower[0] + (1 if lower[1] and step is None and upper is None else 0))
    if upper is not None:
        wanted.append(upper[0] - (1 if upper[1] and step is None and lower is None else 0))
    if lower is not None and upper is not None:
        wanted.append((lower[0] + upper[0]) / 2)
    if not integer:
        wanted.append(Fraction(3, 2))  # no integer: to tell `number` from `integer` in a oneOf
    wanted += [Fraction(0), Fraction(2), Fraction(3), Fraction(-1)]
    found = False
    for target in wanted:
        for value in _snapped(target, step, lower, upper):
            found = True
            yield int(value) if value.denominator == 1 else float(value)
    if not found:
        raise NoSample(
            f"no {'integer' if integer else 'number'} is within the bounds and a multiple of {step}"
        )


def _snapped(
    target: Fraction, step: Fraction | None, lower: Bound | None, upper: Bound | None
) -> Iterator[Fraction]:
    """`target` if allowed, else the allowed multiples of `step` next to it."""
    if step is None:
        options = [target]
    else:
        below = math.floor(target / step) * step
        options = [below, below + step] if below != target else [target]
    for value in options:
        if lower is not None and (value < lower[0] or lower[1] and value == lower[0]):
            continue
        if upper is not None and (value > upper[0] or upper[1] and value == upper[0]):
            continue
        yield value


def _step(multiples: list[Fraction]) -> Fraction | None:
    """The least common multiple of the fractions, or None when there are none."""
    if not multiples:
        return None
    step = multiples[0]
    for other in multiples[1:]:
        step = Fraction(
            math.lcm(step.numerator, other.numerator), math.gcd(step.denominator, other.denominator)
        )
    return step
