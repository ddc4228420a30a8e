"""Load stage: read a spec file into plain Python data, remembering where each value came from."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from generator.problems import Problem, Severity, SpecError

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


def load(path: Path) -> Source:
    """Read and parse a YAML or JSON spec; a file that cannot be read or parsed is a SpecError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _error(path, f"cannot read the spec: {error}") from None
    data = _parse(path, text)
    if not isinstance(data, dict):
        raise _error(path, "the spec must be a mapping (an OpenAPI document object)")
    return Source(path=path, text=text, data=data)


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise _error(path, f"invalid JSON: {error.msg}", error.lineno, error.colno) from None
    try:
        return yaml.load(text, Loader=_SpecLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise _error(path, f"invalid YAML: {error.problem}", line, column) from None
    except yaml.YAMLError as error:
        raise _error(path, f"invalid YAML: {error}") from None


def _error(path: Path, message: str, line: int | None = None, column: int | None = None) -> SpecError:
    return SpecError([Problem(Severity.ERROR, "", message, str(path), line, column)])
