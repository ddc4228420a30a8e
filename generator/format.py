"""Format stage: black, in-process, on every generated Python file.

Black takes most of the generator's time, so three things keep it short. Each file's formatted text is
cached under the SHA-256 of its unformatted text, black's version and mode: regenerating formats only the
files whose text changed. A file that changed is formatted a top-level block at a time (each class or
function with what follows it up to the next), and a class a method at a time, each piece cached the same
way: one changed model reformats its class, not the 30,000 lines of the models module, and one changed
operation its methods, not its resource's classes. And when enough lines are left to format, the pieces
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
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from generator.cache import Cache
from generator.cache import key as cache_key
from generator.output import LINE_LENGTH, TARGET_VERSION, OutputFile

if TYPE_CHECKING:
    import black

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

    return black.Mode(target_versions={TargetVersion[TARGET_VERSION.upper()]}, line_length=LINE_LENGTH)


def format_files(files: Iterable[OutputFile], *, parallel_lines: int = PARALLEL_LINES) -> list[OutputFile]:
    """Black's text of each Python file, the other files as they are, in the order given.

    The files are taken one at a time and only the pieces of those black must see are kept, so that a
    lazy `files` (the render stage's) never holds every rendered text beside its pieces and black's text."""
    version = importlib.metadata.version("black")
    cache = Cache.from_environment(f"black-{version}-{TARGET_VERSION}-{LINE_LENGTH}")
    formatted: list[OutputFile] = []
    to_join: list[tuple[int, str, list[list[int]]]] = []
    """For each file to format: its place in `formatted`, the cache key of its text, its blocks' pieces."""
    numbers: dict[str, int] = {}
    """Each distinct piece, numbered."""
    for file in files:
        cached = cache.get(file.text) if file.path.suffix == ".py" else file.text
        if cached is None:
            blocks = top_level_blocks(file.text)
            found = [[numbers.setdefault(piece, len(numbers)) for piece in block] for block in blocks]
            to_join.append((len(formatted), cache_key(file.text), found))
        formatted.append(OutputFile(file.path, cached or ""))
    pieces = list(numbers)
    del numbers
    parts = [cache.get(piece) for piece in pieces]
    todo = [number for number, part in enumerate(parts) if part is None]
    if todo:
        mode()  # imported here, black is there in the worker processes forked to format
    lines = sum(pieces[number].count("\n") for number in todo)
    parallel = lines >= parallel_lines and (os.cpu_count() or 1) > 1
    texts = (pieces[number] for number in todo)
    results = _format_all(texts, len(todo)) if parallel else map(_format_text, texts)
    for number, (ok, result) in zip(todo, results):
        if not ok:
            path = next(
                formatted[index].path for index, _, found in to_join if any(number in b for b in found)
            )
            raise FormatError(f"generated {path} is not valid Python: {result}")
        parts[number] = result
        cache.put(pieces[number], result)
        pieces[number] = ""  # black's text replaces it, rather than adding to it
    del pieces
    for index, text_key, found in to_join:
        joined = (_joined([parts[number] or "" for number in block]) for block in found)
        text = BLANK_LINES_BEFORE_BLOCK.join(block for block in joined if block)
        cache.put_by_key(text_key, text)
        formatted[index] = OutputFile(formatted[index].path, text)
    return formatted


IN_A_CLASS = "class _:\n"
"""Put before a method cut from its class, so that black formats it as a method."""
BLANK_LINE_BEFORE_METHOD = "\n"
"""What black puts between a method and the method after it: one blank line."""
_DEFINITION = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
_FUNCTION = (ast.FunctionDef, ast.AsyncFunctionDef)


def top_level_blocks(text: str) -> list[list[str]]:
    """The text cut before each top-level class and function (with its decorators and the comment lines
    right above it): black puts exactly two blank lines there whatever comes before, and formats each
    block the same alone as within the file. Each class is cut further, into pieces, before each method
    that follows a method, the same way: black puts one blank line there, and formats a method the same
    alone in a class (see IN_A_CLASS, put before every piece but the first) as among the others, so that
    a changed operation reformats its method rather than its resource's whole class. Text that does not
    parse is one block, for black to reject."""
    try:
        module = ast.parse(text)
    except (SyntaxError, ValueError):
        return [[text]]
    lines = text.splitlines(keepends=True)
    blocks: list[int] = []
    methods: set[int] = set()
    for statement in module.body:
        if isinstance(statement, _DEFINITION):
            blocks.append(_start(statement, lines, ""))
        if isinstance(statement, ast.ClassDef):
            body = statement.body
            methods.update(
                _start(method, lines, "    ")
                for previous, method in zip(body, body[1:])
                if isinstance(previous, _FUNCTION) and isinstance(method, _FUNCTION)
            )
    bounds = [0, *(start for start in blocks if start > 0), len(lines)]
    found = []
    for begin, end in zip(bounds, bounds[1:]):
        cuts = [begin, *sorted(start for start in methods if begin < start < end), end]
        # Without the blank lines at their end, which black drops anyway, pieces format in half the time.
        pieces = [
            "".join(lines[first:last]).rstrip() + "\n" for first, last in zip(cuts, cuts[1:]) if first < last
        ]
        if pieces:
            found.append(pieces[:1] + [IN_A_CLASS + piece for piece in pieces[1:]])
    return found


def _start(
    definition: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str], indent: str
) -> int:
    """The index of a definition's first line, with its decorators and the comment lines right above."""
    start = min([definition.lineno, *(decorator.lineno for decorator in definition.decorator_list)]) - 1
    while start > 0 and lines[start - 1].startswith(indent + "#"):
        start -= 1
    return start


def _joined(pieces: list[str]) -> str:
    """A block from black's text for each of its pieces."""
    first, *methods = pieces
    return BLANK_LINE_BEFORE_METHOD.join([first, *(piece.removeprefix(IN_A_CLASS) for piece in methods)])


def _format_text(text: str) -> tuple[bool, str]:
    """Black's text, or False and black's complaint."""
    import black
    from black.parsing import InvalidInput

    try:
        return True, black.format_str(text, mode=mode())
    except InvalidInput as error:
        return False, str(error)


def _format_all(texts: Iterable[str], count: int) -> Iterator[tuple[bool, str]]:
    """`_format_text` of each of the `count` texts, shared between one process per core, in order."""
    methods = multiprocessing.get_all_start_methods()
    # fork starts workers with black already imported; elsewhere each worker imports it again.
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with concurrent.futures.ProcessPoolExecutor(os.cpu_count(), mp_context=context) as pool:
        yield from pool.map(_format_text, texts, chunksize=max(1, count // (4 * (os.cpu_count() or 1))))
