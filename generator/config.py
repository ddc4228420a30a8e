"""Settings of the calling project: a `[tool.generate-sdk]` table in the `pyproject.toml` of the current
folder, or a `generate-sdk.yaml` beside the spec. Command-line flags override both.

Paths in a settings file are relative to the file's folder. Unknown keys and values of the wrong kind
are errors that name the file and the key.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

MINIMUM_PYTHON = "3.10"
PYPROJECT = "pyproject.toml"
SETTINGS_FILE = "generate-sdk.yaml"
_PEP440 = re.compile(
    r"([1-9][0-9]*!)?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*((a|b|rc)(0|[1-9][0-9]*))?(\.post(0|[1-9][0-9]*))?(\.dev(0|[1-9][0-9]*))?"
)
_DISTRIBUTION = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")
_PYTHON = re.compile(r"3\.(1[0-9]|[2-9][0-9])")
_CLASS = re.compile(r"[A-Z][A-Za-z0-9_]*")
_EMAIL = re.compile(r"[^@\s<>\"',]+@[^@\s<>\"',]+\.[^@\s<>\"',]+")


class SettingsError(Exception):
    """A settings file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Author:
    name: str | None
    email: str | None


@dataclass(frozen=True)
class ProjectSettings:
    """What the generated project is called and how it is published; None means "from the spec"."""

    distribution: str | None = None
    version: str | None = None
    python: str | None = None
    """The oldest Python version the package supports, such as "3.11"."""
    license: str | None = None
    """An SPDX license expression."""
    authors: tuple[Author, ...] | None = None
    repository: str | None = None
    client_class: str | None = None
    async_client_class: str | None = None


@dataclass(frozen=True)
class Settings:
    spec: Path | None = None
    output: Path | None = None
    package_name: str | None = None
    project: ProjectSettings = field(default_factory=ProjectSettings)
    source: Path | None = None
    """The file the settings came from; None without one."""


def find(cwd: Path, spec: Path | None) -> Settings:
    """The settings of `generate-sdk.yaml` beside the spec, else of `[tool.generate-sdk]` in
    `cwd/pyproject.toml`; empty settings when neither exists."""
    if spec is not None and (spec.parent / SETTINGS_FILE).is_file():
        return read_yaml(spec.parent / SETTINGS_FILE)
    if (cwd / PYPROJECT).is_file():
        return read_pyproject(cwd / PYPROJECT)
    return Settings()


def read_pyproject(path: Path) -> Settings:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(f"{path}: cannot read: {error}") from None
    table = document.get("tool", {}).get("generate-sdk")
    if table is None:
        return Settings()
    return _settings(table, path, "[tool.generate-sdk]")


def read_yaml(path: Path) -> Settings:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SettingsError(f"{path}: cannot read: {error}") from None
    return _settings(document if document is not None else {}, path, "the document")


_KEYS = {
    "spec",
    "output",
    "package-name",
    "distribution",
    "version",
    "python",
    "license",
    "authors",
    "repository",
    "client-class",
    "async-client-class",
}


def _settings(table: Any, path: Path, where: str) -> Settings:
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: {where} must be a table of settings")
    unknown = sorted(str(key) for key in table if key not in _KEYS)
    if unknown:
        raise SettingsError(
            f"{path}: unknown setting {unknown[0]!r}; the settings are {', '.join(sorted(_KEYS))}"
        )
    folder = path.parent
    text = {key: _text(table, key, path) for key in _KEYS - {"authors"}}
    project = ProjectSettings(
        distribution=_checked(text["distribution"], _DISTRIBUTION, "distribution", path),
        version=_checked(text["version"], _PEP440, "version", path),
        python=_checked(text["python"], _PYTHON, "python", path),
        license=_license(text["license"], path),
        authors=_authors(table.get("authors"), path),
        repository=_checked(text["repository"], re.compile(r"https?://\S+"), "repository", path),
        client_class=_checked(text["client-class"], _CLASS, "client-class", path),
        async_client_class=_checked(text["async-client-class"], _CLASS, "async-client-class", path),
    )
    if project.client_class and project.client_class == project.async_client_class:
        raise SettingsError(f"{path}: 'client-class' and 'async-client-class' must differ")
    return Settings(
        spec=folder / text["spec"] if text["spec"] else None,
        output=folder / text["output"] if text["output"] else None,
        package_name=text["package-name"],
        project=project,
        source=path,
    )


def _text(table: dict[str, Any], key: str, path: Path) -> str | None:
    value = table.get(key)
    if value is None or isinstance(value, str):
        return value
    raise SettingsError(f"{path}: setting {key!r} must be a string")


def _checked(value: str | None, pattern: re.Pattern[str], key: str, path: Path) -> str | None:
    if value is None or pattern.fullmatch(value):
        return value
    expected = {
        "distribution": "a distribution name (letters, digits, '.', '_', '-')",
        "version": "a PEP 440 version such as 1.2.0",
        "python": "a Python version of 3.10 or later, such as 3.11",
        "repository": "an http(s) URL",
        "client-class": "a class name such as AcmeClient",
        "async-client-class": "a class name such as AsyncAcmeClient",
    }[key]
    raise SettingsError(f"{path}: setting {key!r} is {value!r}; expected {expected}")


def _authors(value: Any, path: Path) -> tuple[Author, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise SettingsError(f"{path}: setting 'authors' must be a list of tables with name and email")
    authors = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) - {"name", "email"} or not entry:
            raise SettingsError(f"{path}: each of 'authors' is a table with name and/or email")
        name, email = entry.get("name"), entry.get("email")
        if not all(part is None or isinstance(part, str) for part in (name, email)):
            raise SettingsError(f"{path}: the name and email of 'authors' are strings")
        if email is not None and not _EMAIL.fullmatch(email):
            raise SettingsError(f"{path}: {email!r} in 'authors' is not an email address")
        authors.append(Author(name, email))
    return tuple(authors)


def override(settings: Settings, **flags: Any) -> Settings:
    """The settings with each flag that was given (not None) in place of the file's value."""
    return replace(settings, **{name: value for name, value in flags.items() if value is not None})


def _license(value: str | None, path: Path) -> str | None:
    if value is None:
        return None
    expression = spdx_expression(value)
    if expression is None:
        raise SettingsError(
            f"{path}: setting 'license' is {value!r}; expected an SPDX license expression such as MIT"
        )
    return expression


def spdx_expression(text: str) -> str | None:
    """The canonical form of an SPDX license expression; None when the text is not one."""
    try:
        return str(canonicalize_license_expression(text))
    except InvalidLicenseExpression:
        return None


def is_email(text: str) -> bool:
    return _EMAIL.fullmatch(text) is not None
