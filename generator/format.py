"""Format stage: black, in-process, on every generated Python file.

Black takes most of the generator's time, so two things keep it short. Each file's formatted text is
cached under the SHA-256 of its unformatted text, black's version and mode: regenerating formats only the
files whose text changed. And when enough lines are left to format, they are formatted in one process per
core. Either way the output is exactly what black makes of each file.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import importlib.metadata
import multiprocessing
import os
import tempfile
from pathlib import Path

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

from generator.render import OutputFile

_MODE = black.Mode(target_versions={TargetVersion.PY310}, line_length=100)
PARALLEL_LINES = 20_000
"""Below this many lines to format, starting worker processes costs more than it saves."""
CACHE_VARIABLE = "GENERATE_SDK_CACHE"
"""The environment variable naming the cache folder; `off` turns the cache off."""


class FormatError(Exception):
    """A template produced Python that black cannot parse: a bug in the generator."""


def format_files(files: list[OutputFile], *, parallel_lines: int = PARALLEL_LINES) -> list[OutputFile]:
    cache = _Cache.from_environment()
    formatted: dict[int, str] = {}
    todo = []
    for index, file in enumerate(files):
        if file.path.suffix == ".py":
            cached = cache.get(file.text)
            if cached is None:
                todo.append(index)
            else:
                formatted[index] = cached
    texts = [files[index].text for index in todo]
    parallel = sum(text.count("\n") for text in texts) >= parallel_lines and (os.cpu_count() or 1) > 1
    for index, (ok, result) in zip(todo, _format_all(texts) if parallel else map(_format_text, texts)):
        if not ok:
            raise FormatError(f"generated {files[index].path} is not valid Python: {result}")
        formatted[index] = result
        cache.put(files[index].text, result)
    return [OutputFile(file.path, formatted.get(index, file.text)) for index, file in enumerate(files)]


def _format_text(text: str) -> tuple[bool, str]:
    """Black's text, or False and black's complaint."""
    try:
        return True, black.format_str(text, mode=_MODE)
    except InvalidInput as error:
        return False, str(error)


def _format_all(texts: list[str]) -> list[tuple[bool, str]]:
    methods = multiprocessing.get_all_start_methods()
    # fork starts workers with black already imported; elsewhere each worker imports it again.
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with concurrent.futures.ProcessPoolExecutor(os.cpu_count(), mp_context=context) as pool:
        return list(pool.map(_format_text, texts, chunksize=max(1, len(texts) // (4 * (os.cpu_count() or 1)))))


class _Cache:
    """Formatted texts on disk, one file each, named by the key of the unformatted text."""

    def __init__(self, folder: Path | None) -> None:
        self._folder = folder

    @classmethod
    def from_environment(cls) -> _Cache:
        setting = os.environ.get(CACHE_VARIABLE)
        if setting == "off":
            return cls(None)
        base = Path(setting) if setting else _user_cache() / "generate-sdk"
        folder = base / f"black-{importlib.metadata.version('black')}-{_MODE.get_cache_key()}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return cls(None)  # a cache that cannot be kept only costs time
        return cls(folder)

    def get(self, text: str) -> str | None:
        if self._folder is None:
            return None
        try:
            return (self._folder / _key(text)).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, text: str, formatted: str) -> None:
        if self._folder is None:
            return
        try:
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self._folder, delete=False) as part:
                part.write(formatted)
            # Readers see the whole entry or none: the rename is atomic.
            os.replace(part.name, self._folder / _key(text))
        except OSError:
            pass


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _user_cache() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) if xdg else Path.home() / ".cache"
