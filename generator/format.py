"""Format stage: black, in-process, on every generated Python file.

Black takes most of the generator's time, so three things keep it short. Each file's formatted text is
cached under the SHA-256 of its unformatted text, black's version and mode: regenerating formats only the
files whose text changed. A file that changed is formatted a top-level block at a time (each class or
function with what follows it up to the next), each block cached the same way: one changed model reformats
its class, not the 30,000 lines of the models module. And when enough lines are left to format, the blocks
are shared between one process per core, so that a large file does not keep one core busy while the
other waits. Either way the output is exactly what black makes of each whole file (tests/test_format.py
checks it on the golden SDKs and on real specs). Black is imported only when a block is not in the cache.
"""

from __future__ import annotations

import ast
import concurrent.futures
import functools
import importlib.metadata
import multiprocessing
import os
from typing import TYPE_CHECKING

from generator.cache import Cache
from generator.output import OutputFile

if TYPE_CHECKING:
    import black

_TARGET_VERSION, _LINE_LENGTH = "PY310", 100
PARALLEL_LINES = 20_000
"""Below this many lines to format, starting worker processes costs more than it saves."""


class FormatError(Exception):
    """A template produced Python that black cannot parse: a bug in the generator."""


BLANK_LINES_BEFORE_BLOCK = "\n\n"
"""What black puts between a top-level block and the class or function after it: two blank lines."""


@functools.cache
def mode() -> black.Mode:
    """Black's settings for generated code."""
    import black
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion[_TARGET_VERSION]}, line_length=_LINE_LENGTH)


def format_files(files: list[OutputFile], *, parallel_lines: int = PARALLEL_LINES) -> list[OutputFile]:
    version = importlib.metadata.version("black")
    cache = Cache.from_environment(f"black-{version}-{_TARGET_VERSION}-{_LINE_LENGTH}")
    formatted: dict[int, str] = {}
    blocks: dict[int, list[str]] = {}
    for index, file in enumerate(files):
        if file.path.suffix == ".py":
            cached = cache.get(file.text)
            if cached is None:
                blocks[index] = top_level_blocks(file.text)
            else:
                formatted[index] = cached
    done = {block: cache.get(block) for block in dict.fromkeys(b for found in blocks.values() for b in found)}
    todo = [block for block, result in done.items() if result is None]
    if todo:
        mode()  # imported here, black is there in the worker processes forked to format
    parallel = sum(text.count("\n") for text in todo) >= parallel_lines and (os.cpu_count() or 1) > 1
    for block, (ok, result) in zip(todo, _format_all(todo) if parallel else map(_format_text, todo)):
        if not ok:
            path = next(files[index].path for index, found in blocks.items() if block in found)
            raise FormatError(f"generated {path} is not valid Python: {result}")
        done[block] = result
        cache.put(block, result)
    for index, found in blocks.items():
        parts = [part for part in (done[block] for block in found) if part]
        formatted[index] = BLANK_LINES_BEFORE_BLOCK.join(parts)
        cache.put(files[index].text, formatted[index])
    return [OutputFile(file.path, formatted.get(index, file.text)) for index, file in enumerate(files)]


def top_level_blocks(text: str) -> list[str]:
    """The text cut before each top-level class and function (with its decorators and the comment lines
    right above it): black puts exactly two blank lines there whatever comes before, and formats each
    block the same alone as within the file. Text that does not parse is one block, for black to reject."""
    try:
        module = ast.parse(text)
    except (SyntaxError, ValueError):
        return [text]
    lines = text.splitlines(keepends=True)
    starts = []
    for statement in module.body:
        if isinstance(statement, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            start = min([statement.lineno, *(decorator.lineno for decorator in statement.decorator_list)]) - 1
            while start > 0 and lines[start - 1].startswith("#"):
                start -= 1
            starts.append(start)
    bounds = [0, *(start for start in starts if start > 0), len(lines)]
    return ["".join(lines[begin:end]) for begin, end in zip(bounds, bounds[1:]) if begin < end]


def _format_text(text: str) -> tuple[bool, str]:
    """Black's text, or False and black's complaint."""
    import black
    from black.parsing import InvalidInput

    try:
        return True, black.format_str(text, mode=mode())
    except InvalidInput as error:
        return False, str(error)


def _format_all(texts: list[str]) -> list[tuple[bool, str]]:
    methods = multiprocessing.get_all_start_methods()
    # fork starts workers with black already imported; elsewhere each worker imports it again.
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with concurrent.futures.ProcessPoolExecutor(os.cpu_count(), mp_context=context) as pool:
        return list(
            pool.map(_format_text, texts, chunksize=max(1, len(texts) // (4 * (os.cpu_count() or 1))))
        )
