"""Format stage: black, in-process, on every generated Python file.

Black takes most of the generator's time, so two things keep it short. Each file's formatted text is
cached under the SHA-256 of its unformatted text, black's version and mode: regenerating formats only the
files whose text changed. And when enough lines are left to format, they are formatted in one process per
core. Either way the output is exactly what black makes of each file.
"""

from __future__ import annotations

import concurrent.futures
import importlib.metadata
import multiprocessing
import os

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

from generator.cache import Cache
from generator.output import OutputFile

_MODE = black.Mode(target_versions={TargetVersion.PY310}, line_length=100)
PARALLEL_LINES = 20_000
"""Below this many lines to format, starting worker processes costs more than it saves."""


class FormatError(Exception):
    """A template produced Python that black cannot parse: a bug in the generator."""


def format_files(files: list[OutputFile], *, parallel_lines: int = PARALLEL_LINES) -> list[OutputFile]:
    cache = Cache.from_environment(f"black-{importlib.metadata.version('black')}-{_MODE.get_cache_key()}")
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
