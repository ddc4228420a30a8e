"""Load stage: read a spec file into plain Python data, remembering where each value came from."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

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
    _nodes: yaml.Node | None = field(default=None, repr=False)

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

    def _line_column(self, pointer: str) -> tuple[int, int] | None:
        if self._nodes is None:
            try:
                self._nodes = yaml.compose(self.text, Loader=_SpecLoader)
            except yaml.YAMLError:
                return None
        node = self._nodes
        if node is None:  # an empty document
            return None
        for part in pointer.split("/")[1:]:
            child = _child(node, part.replace("~1", "/").replace("~0", "~"))
            if child is None:
                break  # the nearest enclosing node still gives a useful line
            node = child
        return node.start_mark.line + 1, node.start_mark.column + 1


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


def _check_size(path: Path, root: yaml.Node) -> None:
    """Refuse a YAML document too deep, or too big once its aliases are expanded, before building it:
    a few lines of nested aliases (a "billion laughs") would otherwise expand to billions of values
    in the stages that walk the data."""
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

    size(root, 1)


def _too_deep() -> str:
    return f"the document nests deeper than {MAX_DEPTH} levels; generate-sdk reads at most {MAX_DEPTH}"


def _node_error(path: Path, node: yaml.Node, message: str) -> SpecError:
    return _error(path, message, node.start_mark.line + 1, node.start_mark.column + 1)


def _error(path: Path, message: str, line: int | None = None, column: int | None = None) -> SpecError:
    return SpecError([Problem(Severity.ERROR, "", message, str(path), line, column)])
