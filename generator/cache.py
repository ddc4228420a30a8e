"""A content-addressed cache on disk: texts the generator derived from other texts, such as black's output
for a file, kept under the SHA-256 of what they were derived from.

Entries are written atomically; a cache folder that cannot be used only costs time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

CACHE_VARIABLE = "GENERATE_SDK_CACHE"
"""The environment variable naming the cache folder (default `~/.cache/generate-sdk`); `off` turns the cache off."""


class Cache:
    """One kind of derived text, in a folder of its own, one file per entry named by the key of its source."""

    def __init__(self, folder: Path | None) -> None:
        self._folder = folder

    @classmethod
    def from_environment(cls, kind: str) -> Cache:
        """The cache of one kind of text; `kind` names everything besides the source that the text depends
        on (the version of the tool that made it, its options)."""
        return cls(folder(kind))

    def get(self, source: str) -> str | None:
        return self.get_by_key(key(source))

    def put(self, source: str, derived: str) -> None:
        self.put_by_key(key(source), derived)

    def get_by_key(self, source_key: str) -> str | None:
        """`get`, for a caller that kept the key of its source rather than the source."""
        if self._folder is None:
            return None
        try:
            return (self._folder / source_key).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put_by_key(self, source_key: str, derived: str) -> None:
        if self._folder is None:
            return
        try:
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self._folder, delete=False) as part:
                part.write(derived)
            os.replace(part.name, self._folder / source_key)
        except OSError:
            pass


def folder(kind: str) -> Path | None:
    """The folder of one kind of cached text, made if missing; None when the cache is off or unusable."""
    setting = os.environ.get(CACHE_VARIABLE)
    if setting == "off":
        return None
    path = (Path(setting) if setting else _user_cache() / "generate-sdk") / kind
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path


def key(source: str) -> str:
    """The name of a source's entry."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _user_cache() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) if xdg else Path.home() / ".cache"
