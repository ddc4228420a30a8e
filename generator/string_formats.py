"""The formats a request validator checks: for each format, what both readings of a schema accept (strict:
ajv-formats 2's full checks, which Prism uses, where they are stricter than openapi-schema-validator's) and
what at least one of them accepts (lenient: what a value under `not` must fail). Formats not listed allow
any string.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import ipaddress
import re
import uuid
from typing import Any

from generator import regex_sample

_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(\.\d+)?", re.ASCII)
_OFFSET = re.compile(r"[Zz]|[+-](\d{2}):(\d{2})", re.ASCII)
_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?",
    re.ASCII | re.IGNORECASE,
)
_HOSTNAME = re.compile(
    r"(?=.{1,253}\.?\Z)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?",
    re.ASCII | re.IGNORECASE,
)
_IPV4 = re.compile(
    r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)", re.ASCII
)
_UUID = re.compile(r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}", re.IGNORECASE)
_URI_CHARACTER = r"(?:[a-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9a-f]{2})"
_URI = re.compile(rf"[a-z][a-z0-9+\-.]*:{_URI_CHARACTER}*", re.ASCII | re.IGNORECASE)
_URI_REFERENCE = re.compile(rf"{_URI_CHARACTER}*", re.ASCII | re.IGNORECASE)
_URL = re.compile(
    r"(?:https?|ftp)://(?:[a-z0-9]+(?:-+[a-z0-9]+)*\.)+[a-z]{2,}\.?(?::\d{2,5})?(?:[/?#]\S*)?",
    re.ASCII | re.IGNORECASE,
)
_BYTE = re.compile(r"(?:[a-z0-9+/]{4})*(?:[a-z0-9+/]{2}==|[a-z0-9+/]{3}=)?", re.ASCII | re.IGNORECASE)
_DURATION = re.compile(
    r"P(?!\Z)(?:(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?|\d+W)", re.ASCII
)
_JSON_POINTER = re.compile(r"(?:/(?:[^~/]|~0|~1)*)*")
_RELATIVE_JSON_POINTER = re.compile(r"(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~0|~1)*)*)", re.ASCII)


def _date(text: str) -> bool:
    match = _DATE.fullmatch(text)
    if not match:
        return False
    try:
        datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


def _time(text: str) -> bool:
    match = _TIME.fullmatch(text)
    return match is not None and int(match[1]) <= 23 and int(match[2]) <= 59 and int(match[3]) <= 59


def _date_time(text: str) -> bool:
    date, separator, rest = text[:10], text[10:11], text[11:]
    time = _TIME.match(rest)
    if not (_date(date) and separator in ("T", "t") and time and _time(time[0])):
        return False
    offset = _OFFSET.fullmatch(rest[time.end() :])
    return offset is not None and (offset[1] is None or int(offset[1]) <= 23 and int(offset[2]) <= 59)


def _ipv6(text: str) -> bool:
    if not text.isascii() or "%" in text:
        return False
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _byte(text: str) -> bool:
    if _BYTE.fullmatch(text) is None:
        return False
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _regex(text: str) -> bool:
    try:
        regex_sample.compiled(text)
    except regex_sample.PatternError:
        return False
    return True


def _fullmatch(pattern: re.Pattern[str]) -> Any:
    return lambda text: pattern.fullmatch(text) is not None


STRING_FORMATS: dict[str, Any] = {
    "date": _date,
    "date-time": _date_time,
    "time": _time,
    "email": _fullmatch(_EMAIL),
    "idn-email": _fullmatch(_EMAIL),
    "hostname": _fullmatch(_HOSTNAME),
    "idn-hostname": _fullmatch(_HOSTNAME),
    "ipv4": _fullmatch(_IPV4),
    "ipv6": _ipv6,
    "uuid": _fullmatch(_UUID),
    "uri": _fullmatch(_URI),
    "uri-reference": _fullmatch(_URI_REFERENCE),
    "iri": _fullmatch(_URI),
    "iri-reference": _fullmatch(_URI_REFERENCE),
    "url": _fullmatch(_URL),
    "byte": _byte,
    "regex": _regex,
    "duration": _fullmatch(_DURATION),
    "json-pointer": _fullmatch(_JSON_POINTER),
    "relative-json-pointer": _fullmatch(_RELATIVE_JSON_POINTER),
}
"""The string formats checked, each a predicate on the string; every other format allows any string."""

NUMBER_FORMATS = {"int32": _INT32, "int64": _INT64}
"""The number formats checked: whole numbers within these bounds."""

_ANY_DATE_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)", re.ASCII
)
_ANY_TIME = re.compile(r"(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?", re.ASCII)


def _any_date_time(text: str) -> bool:
    match = _ANY_DATE_TIME.fullmatch(text)
    return match is not None and _date(match[1]) and _time(match[2])


def _any_time(text: str) -> bool:
    match = _ANY_TIME.fullmatch(text)
    return match is not None and int(match[1]) <= 23 and int(match[2]) <= 59 and int(match[3]) <= 60


def _any_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return len(text) > 23 and all(text[position] == "-" for position in (8, 13, 18, 23))


def _any_ipv4(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return _IPV4.fullmatch(text) is not None
    return True


def _any_base64(text: str) -> bool:
    try:
        base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


LENIENT_STRING_FORMATS: dict[str, Any] = {
    "date": _date,
    "date-time": _any_date_time,
    "time": _any_time,
    "email": lambda text: "@" in text,
    "idn-email": lambda text: "@" in text,
    "ipv4": _any_ipv4,
    "ipv6": lambda text: _ipv6(text.split("%")[0]),
    "uuid": _any_uuid,
    "byte": _any_base64,
    "regex": _regex,
}
"""What either reading accepts, where the readings differ: the formats a value must fail under `not`. Every
other format (`uri`, `hostname`: only ajv checks them) allows anything."""
