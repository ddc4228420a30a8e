"""Load stage: read a spec file into plain Python data, remembering where each value came from."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from generator.cache import Cache
from generator.problems import Problem, Severity, SpecError, pointer_of

try:  # libyaml is much faster; the pure-Python loader gives identical results
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class _SpecLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A safe loader that keeps dates as strings: `version: 2024-01-01` is text in a spec."""


def _construct_mapping(loader: _SpecLoader, node: yaml.MappingNode) -> dict[str, Any]:
    # JSON has string keys only; YAML's `200:` or `true:` keys are read as the text they are in JSON.
    mapping = loader.construct_mapping(node)
    if all(type(key) is str for key in mapping):
        return mapping  # type: ignore[no-any-return]
    return {_key_text(key): value for key, value in mapping.items()}


def _key_text(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_SpecLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


@dataclass
class Source:
    """A loaded spec file: its data, and a way to find the line of any JSON pointer in it.

    When later stages rewrite the data (bundling other files into it, converting Swagger 2.0),
    `origins` maps the pointer of each moved part to the source and pointer it came from, so that
    problems are still reported at the file, line and pointer the user wrote.
    """

    path: Path
    text: str
    data: dict[str, Any]
    origins: dict[str, tuple[Source, str]] = field(default_factory=dict, repr=False)
    files: tuple[Source, ...] = field(default=(), repr=False)
    """Once bundled: every file read into the data, this one first."""
    _lines: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)
    """The line and column of each node whose place was looked for."""
    _searched: set[str] = field(default_factory=set, repr=False)

    @property
    def name(self) -> str:
        return str(self.path)

    def locate(self, problem: Problem) -> Problem:
        """The problem with the file, line and column of its pointer filled in where known."""
        origin = self._origin(problem.pointer)
        if origin is not None:
            source, pointer = origin
            return source.locate(replace(problem, pointer=pointer))
        line_column = self._line_column(problem.pointer)
        if line_column is None:
            return replace(problem, file=self.name)
        return replace(problem, file=self.name, line=line_column[0], column=line_column[1])

    def _origin(self, pointer: str) -> tuple[Source, str] | None:
        """Where the part at a pointer came from, by the longest moved part that contains it."""
        if not self.origins:
            return None
        parts = pointer.split("/")
        for length in range(len(parts), 0, -1):
            prefix = "/".join(parts[:length])
            if prefix in self.origins:
                source, origin = self.origins[prefix]
                return source, origin + pointer[len(prefix) :]
        return None

    def locate_all(self, problems: list[Problem]) -> list[Problem]:
        """`locate` for each problem, reading each file once for all of them."""
        pointers: dict[int, tuple[Source, set[str]]] = {}
        for problem in problems:
            source, pointer = self, problem.pointer
            while (origin := source._origin(pointer)) is not None:
                source, pointer = origin
            pointers.setdefault(id(source), (source, set()))[1].add(pointer)
        for source, wanted in pointers.values():
            source._find_lines(wanted)
        return [self.locate(problem) for problem in problems]

    def _line_column(self, pointer: str) -> tuple[int, int] | None:
        """Where the node at the pointer starts or, when there is none, the nearest node enclosing it."""
        if pointer not in self._searched:
            self._find_lines({pointer})
        parts = pointer.split("/")
        for length in range(len(parts), 0, -1):
            found = self._lines.get("/".join(parts[:length]))
            if found is not None:
                return found
        return None

    def _find_lines(self, pointers: set[str]) -> None:
        """Note where the nodes at the pointers, and those enclosing them, start.

        One pass over the parser's events, keeping nothing but the marks wanted: the node tree of a large
        spec takes several times the memory of its data, and a second to build. A document with aliases
        is read as a tree, since an alias's content is written elsewhere."""
        self._searched |= pointers
        wanted: set[str] = set()
        for pointer in pointers:
            parts = pointer.split("/")
            wanted.update("/".join(parts[:length]) for length in range(1, len(parts) + 1))
        try:
            found = _event_marks(self.text, wanted)
        except yaml.YAMLError:
            return
        if found is None:
            found = _tree_marks(self.text, wanted)
        self._lines.update({pointer: mark for pointer, mark in found.items() if pointer not in self._lines})


_CONTAINER_START = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CONTAINER_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _event_marks(text: str, wanted: set[str]) -> dict[str, tuple[int, int]] | None:
    """The line and column of each wanted pointer's node, from the parser's events; None when the document
    has an alias."""
    marks: dict[str, tuple[int, int]] = {}
    # Each open container: its pointer, whether it is a mapping, and its next key or index.
    stack: list[list[Any]] = []
    skipping = 0  # the depth inside a node of no interest: a complex key, or a part no pointer goes into
    for event in yaml.parse(text, Loader=_SpecLoader):
        if isinstance(event, yaml.AliasEvent):
            return None
        if skipping:
            skipping += isinstance(event, _CONTAINER_START) - isinstance(event, _CONTAINER_END)
            if not skipping and stack[-1][2] is not _NO_KEY:  # after a complex key comes its value
                _next_entry(stack)
            continue
        if isinstance(event, _CONTAINER_END):
            stack.pop()
            _next_entry(stack)
            continue
        if not isinstance(event, (yaml.ScalarEvent, *_CONTAINER_START)):
            continue  # the stream's and the document's start and end
        if stack and stack[-1][1] and stack[-1][2] is None:  # a mapping's key
            if isinstance(event, yaml.ScalarEvent):
                stack[-1][2] = event.value
            else:
                stack[-1][2], skipping = _NO_KEY, 1
            continue
        pointer = _child_pointer(stack)
        if stack and stack[-1][2] is _NO_KEY:
            stack[-1][2] = "\x00"  # the value of a complex key: in no wanted set, pointers name text keys
        if pointer in marks or pointer not in wanted:  # a repeated key: the first one counts
            if isinstance(event, yaml.ScalarEvent):
                _next_entry(stack)
            else:
                skipping = 1
            continue
        start = event.start_mark
        assert start is not None  # the parser marks every event it reads from text
        marks[pointer] = (start.line + 1, start.column + 1)
        if isinstance(event, yaml.ScalarEvent):
            _next_entry(stack)
        else:
            mapping = isinstance(event, yaml.MappingStartEvent)
            stack.append([pointer, mapping, None if mapping else 0])
    return marks


_NO_KEY = object()
"""The key of a mapping entry whose key is not text, which no pointer names."""


def _child_pointer(stack: list[list[Any]]) -> str:
    if not stack:
        return ""
    pointer, _, key = stack[-1]
    return "\x00" if key is _NO_KEY else pointer + pointer_of(key)


def _next_entry(stack: list[list[Any]]) -> None:
    """After a node: a mapping awaits its next key, a sequence counts one more item."""
    if stack:
        top = stack[-1]
        top[2] = None if top[1] else top[2] + 1


def _tree_marks(text: str, wanted: set[str]) -> dict[str, tuple[int, int]]:
    try:
        root = yaml.compose(text, Loader=_SpecLoader)
    except yaml.YAMLError:
        return {}
    marks = {}
    for pointer in wanted:
        node = root
        for part in pointer.split("/")[1:]:
            node = _child(node, part.replace("~1", "/").replace("~0", "~")) if node is not None else None
        if node is not None:
            marks[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
    return marks


def _child(node: yaml.Node, part: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                return value  # type: ignore[no-any-return]
    elif isinstance(node, yaml.SequenceNode) and part.isdigit():
        index = int(part)
        if index < len(node.value):
            return node.value[index]  # type: ignore[no-any-return]
    return None


_MODULE_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
MAX_FILE_BYTES = 32 * 1024 * 1024
"""The largest spec file read; the largest published specs we know are a few megabytes."""
MAX_DEPTH = 64
"""The deepest nesting of mappings and lists; published specs nest about 35 deep, and deeper documents
would exhaust the recursion of the stages that read them."""
MAX_VALUES = 2_000_000
"""The most values (mappings, lists, keys and scalars) a YAML file may hold once its aliases are
expanded: ten times the largest published spec we know, far below what would exhaust memory."""


def load(path: Path) -> Source:
    """Read and parse a YAML or JSON spec; a file that cannot be read or parsed is a SpecError."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _error(path, f"the spec is {size} bytes; generate-sdk reads at most {MAX_FILE_BYTES}")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _error(path, f"cannot read the spec: {error}") from None
    data = _parse(path, text)
    if not isinstance(data, dict):
        raise _error(path, "the spec must be a mapping (an OpenAPI document object)")
    return Source(path=path, text=text, data=data)


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json":
        return _parse_json(path, text)
    parts = _parsed_by_entries(path, text)
    if parts is not None:
        return parts
    loader = _SpecLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_size(path, node)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise _error(path, f"invalid YAML: {error.problem}", line, column) from None
    except yaml.YAMLError as error:
        raise _error(path, f"invalid YAML: {error}") from None
    except RecursionError:  # the pure-Python loader recurses once per level
        raise _error(path, _too_deep()) from None
    finally:
        loader.dispose()


_KEY = r"[A-Za-z0-9_/.][A-Za-z0-9_/.{}$~+-]*"
"""A mapping key written plain, that may start an entry the parse by entries cuts before."""
_NOT_BY_ENTRIES = re.compile(r"^(%|---|\.\.\.|[ \t]*<<[ \t]*:)", re.MULTILINE)
"""Directives, document markers and merge keys (whose entries give way to the mapping's own, wherever
they are): a YAML file with them is read whole."""
_ANCHOR = re.compile(r"(?:^|[ \t\[{,])&\S", re.MULTILINE)
_CUT_ABOVE = 200
"""Entries longer than this many lines whose value is a mapping are read an entry of it at a time."""


def _parsed_by_entries(path: Path, text: str) -> dict[str, Any] | None:
    """The YAML document read one entry of its top-level mapping at a time, and each long entry whose
    value is a block mapping one entry of that at a time (so `paths` a path item at a time), each entry's
    data cached under its text: a changed operation reads its path item only. None when the whole text
    must be read instead, to give what reading it whole gives, errors included: a text with directives,
    document markers or merge keys, a piece that does not read alone (one whose quoted scalar, flow collection or
    alias goes on in the next piece), and a piece near the limits of size or depth.

    Cutting before a line that starts a plain key at the mapping's indentation keeps entries whole: a
    block or plain scalar, or a nested node, of the entry before is indented further."""
    if _NOT_BY_ENTRIES.search(text):
        return None
    cache = Cache.from_environment(f"yaml-{yaml.__version__}-{_BaseLoader.__name__}-{_MODULE_DIGEST}")
    lines = text.splitlines(keepends=True)
    try:
        found = _entries(path, lines, 0, len(lines), 0, 1, cache)
    except (yaml.YAMLError, SpecError, RecursionError):
        return None
    if found is None or found[1] > MAX_VALUES:
        return None
    return found[0]


def _entries(
    path: Path, lines: list[str], begin: int, end: int, indent: int, depth: int, cache: Cache
) -> tuple[dict[str, Any], int] | None:
    """The mapping whose entries are the lines from begin to end, at `indent` spaces and `depth` levels
    deep, and the number of values in it (an upper bound); None when it is not such a mapping."""
    starts = [index for index in range(begin, end) if _entry_at(lines[index], indent)]
    bounds = [begin, *(start for start in starts if start > begin), end]
    mapping: dict[str, Any] = {}
    size = 1
    for first, last in zip(bounds, bounds[1:]):
        key = re.match(rf" {{{indent}}}({_KEY}):(?:[ \t]+#.*)?[ \t]*$", lines[first])
        inner = _next_line(lines, first + 1, last)
        if key and inner is not None and last - first > _CUT_ABOVE and _is_text(key.group(1)):
            indentation = len(lines[inner]) - len(lines[inner].lstrip(" "))
            if indentation > indent and _entry_at(lines[inner], indentation):
                found = _entries(path, lines, first + 1, last, indentation, depth + 1, cache)
                if found is None:
                    return None
                mapping[key.group(1)], values = found
                size += 1 + values
                continue
        part = _part(path, "".join(lines[first:last]), depth, cache)
        if part is None:
            return None
        mapping.update(part[0])
        size += part[1]
    return mapping, size


def _entry_at(line: str, indent: int) -> bool:
    """Whether the line starts a mapping entry with a plain key at `indent` spaces."""
    return re.match(rf" {{{indent}}}{_KEY}:(\s|$)", line) is not None


def _part(path: Path, text: str, depth: int, cache: Cache) -> tuple[dict[str, Any], int] | None:
    """Some entries of a mapping `depth` levels deep, read alone, with their number of values."""
    key = f"{depth}\n{text}"
    saved = cache.get(key)
    if saved is not None:
        data, size = json.loads(saved)
        return data, size
    loader = _SpecLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, 0
        if not isinstance(node, yaml.MappingNode):
            return None
        size = _check_size(path, node, depth)
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    # Kept when JSON gives the same data back: without a tag (which may build a tuple, a set, bytes) or an
    # anchor (whose aliases share one object).
    if "!" not in text and not _ANCHOR.search(text):
        cache.put(key, json.dumps([data, size]))
    return data, size


def _next_line(lines: list[str], begin: int, end: int) -> int | None:
    """The index of the first line from begin to end that is neither blank nor a comment."""
    for index in range(begin, end):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            return index
    return None


def _is_text(key: str) -> bool:
    """Whether a plain key reads as the text it is (not as a number, a boolean or null)."""
    return bool(yaml.load(key, Loader=_SpecLoader) == key)


def _parse_json(path: Path, text: str) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _error(path, f"invalid JSON: {error.msg}", error.lineno, error.colno) from None
    except RecursionError:
        raise _error(path, _too_deep()) from None
    too_deep = _first_too_deep(data, "", 1)
    if too_deep is not None:
        source = Source(path=path, text=text, data={})
        raise SpecError([source.locate(Problem(Severity.ERROR, too_deep, _too_deep()))])
    return data


def _first_too_deep(value: Any, pointer: str, depth: int) -> str | None:
    """The pointer of the first value nested deeper than MAX_DEPTH, if any."""
    if isinstance(value, dict):
        children: Any = value.items()
    elif isinstance(value, list):
        children = enumerate(value)
    else:
        return None
    if depth > MAX_DEPTH:
        return pointer
    for key, child in children:
        found = _first_too_deep(child, pointer + pointer_of(key), depth + 1)
        if found is not None:
            return found
    return None


def _check_size(path: Path, root: yaml.Node, depth: int = 1) -> int:
    """Refuse a YAML document too deep, or too big once its aliases are expanded, before building it:
    a few lines of nested aliases (a "billion laughs") would otherwise expand to billions of values
    in the stages that walk the data. The root is `depth` levels deep; returns the number of values."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if isinstance(node, yaml.ScalarNode):
            return 1
        if depth > MAX_DEPTH:
            raise _node_error(path, node, _too_deep())
        if id(node) in in_progress:
            raise _node_error(
                path, node, "an alias refers to a node that contains it; the document would be infinite"
            )
        in_progress.add(id(node))
        children = (
            [part for pair in node.value for part in pair]
            if isinstance(node, yaml.MappingNode)
            else node.value
        )
        total = 1 + sum(size(child, depth + 1) for child in children)
        in_progress.discard(id(node))
        if total > MAX_VALUES:
            raise _node_error(
                path,
                node,
                f"the document expands to more than {MAX_VALUES} values (through aliases?); "
                "generate-sdk reads at most that many",
            )
        sizes[id(node)] = total
        return total

    return size(root, depth)


def _too_deep() -> str:
    return f"the document nests deeper than {MAX_DEPTH} levels; generate-sdk reads at most {MAX_DEPTH}"


def _node_error(path: Path, node: yaml.Node, message: str) -> SpecError:
    return _error(path, message, node.start_mark.line + 1, node.start_mark.column + 1)


def _error(path: Path, message: str, line: int | None = None, column: int | None = None) -> SpecError:
    return SpecError([Problem(Severity.ERROR, "", message, str(path), line, column)])
