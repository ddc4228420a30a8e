"""Render stage: one Jinja template per output file, fed only with named, typed objects.

Templates use `StrictUndefined`, and every value they print passes `_finalize`, which lets through only
text the generator made: spec text must go through one of the escaping filters.
"""

from __future__ import annotations

import importlib.metadata
import re
import textwrap
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

import jinja2

from generator import cache, untrusted
from generator.layout import model_modules
from generator.naming import ANNOTATION_MODULES, OperationMethod, Resource, Sdk
from generator.output import LINE_LENGTH, MARKER, TARGET_VERSION, TEMPLATES, OutputFile
from generator.suite import PRISM_VERSION, suite
from generator.untrusted import Identifier

_SAFE_SEGMENT = re.compile(r"\.?[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")
_PACKED_WIDTH = LINE_LENGTH - 16
"""Room for a piece of the models' lookup table between its indent and its quotes."""


def _finalize(value: Any) -> Any:
    if isinstance(value, untrusted.SpecText):
        raise untrusted.UnescapedTextError("spec text printed without an escaping filter")
    if not isinstance(value, (str, int, jinja2.Undefined)):  # bool is an int
        raise TypeError(f"templates print text and numbers only, not {type(value).__name__}")
    return value


def _int_literal(text: untrusted.SpecText) -> str:
    value = text.raw
    if not re.fullmatch(r"-?[0-9]+", value):
        raise ValueError(f"not an integer literal: {value!r}")
    return value


def environment() -> jinja2.Environment:
    # Compiling the templates takes longer than rendering a small SDK; Jinja keeps each compiled template
    # under its name and checks it against the template's text.
    compiled = cache.folder(f"jinja-{importlib.metadata.version('jinja2')}")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters.update(
        python_string=untrusted.python_string,
        docstring=untrusted.docstring,
        comment=untrusted.comment,
        markdown=untrusted.markdown,
        markdown_inline=untrusted.markdown_inline,
        markdown_code=untrusted.markdown_code,
        toml_string=untrusted.toml_string,
        table_cell=untrusted.table_cell,
        int_literal=_int_literal,
    )
    env.globals.update(line_length=LINE_LENGTH, target_version=TARGET_VERSION)
    return env


SPEC_COPY = "openapi.json"
"""The spec as one document in the generated project, which its tests give the mock server."""


def render(sdk: Sdk, document: dict[str, Any]) -> Iterator[OutputFile]:
    """Each output file, rendered when it is asked for: the format stage keeps only what it needs of each."""
    env = environment()
    plan = list(_plan(sdk))
    generated = sorted([SPEC_COPY, *(path for path, _, _ in plan)])
    paths = [path.lower() for path in [*generated, MARKER]]
    if len(set(paths)) != len(paths):  # the naming stage keeps file names apart; this proves it
        raise ValueError(f"two output files share a name: {sorted(p for p in paths if paths.count(p) > 1)}")
    yield OutputFile(_checked_path(SPEC_COPY), untrusted.json_document(document))
    for path, template, context in plan:
        yield OutputFile(_checked_path(path), env.get_template(template).render(sdk=sdk, **context))
    yield OutputFile(_checked_path(MARKER), env.get_template(".generate-sdk.j2").render(generated=generated))


def _plan(sdk: Sdk) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Each output file, the template that renders it, and what the template gets besides `sdk`."""
    package = sdk.package
    yield "pyproject.toml", "pyproject.toml.j2", {}
    yield "README.md", "README.md.j2", {"quick_start_call": _quick_start_call(sdk), "prism_version": PRISM_VERSION}
    yield ".github/workflows/publish.yml", ".github/workflows/publish.yml.j2", {}
    for auth in sdk.oauth:
        yield f"doc/auth/{auth.doc_page}.md", "doc/auth/oauth-2-client-credentials-grant.md.j2", {
            "auth": auth
        }
        yield f"doc/auth/{auth.sharing_doc_page}.md", "doc/auth/sharing-tokens-between-processes.md.j2", {
            "auth": auth
        }
        yield f"doc/models/{auth.scope_enum_page}.md", "doc/models/o-auth-scope-enum.md.j2", {"auth": auth}
    for user_token in sdk.user_tokens:
        yield f"doc/auth/{user_token.doc_page}.md", "doc/auth/user-token.md.j2", {"auth": user_token}
    for static in sdk.static_auth:
        yield f"doc/auth/{static.doc_page}.md", "doc/auth/static.md.j2", {"static": static}
    yield "doc/models/o-auth-token.md", "doc/models/o-auth-token.md.j2", {}
    for enum in sdk.enums:
        yield f"doc/models/{enum.doc_page}.md", "doc/models/enum.md.j2", {"enum": enum}
    for model in sdk.models:
        yield f"doc/models/{model.doc_page}.md", "doc/models/model.md.j2", {"model": model}
    for alias in sdk.aliases:
        yield f"doc/models/{alias.doc_page}.md", "doc/models/alias.md.j2", {"alias": alias}
    for resource in sdk.resources:
        signatures = {op.method_name: _signature(op) for op in resource.operations}
        yield f"doc/resources/{resource.doc_page}.md", "doc/resources/resource.md.j2", {
            "resource": resource,
            "signatures": signatures,
        }
    for runtime_module in ("__init__", "_auth", "_client", "_environment", "_exceptions", "_runtime"):
        yield f"{package}/{runtime_module}.py", f"package/{runtime_module}.py.j2", {}
    if sdk.oauth:
        yield f"{package}/_scopes.py", "package/_scopes.py.j2", {}
    yield f"{package}/py.typed", "package/py.typed.j2", {}
    modules = model_modules(
        sdk.enums,
        sdk.models,
        sdk.aliases,
        {resource.module: _resource_annotations(resource) for resource in sdk.resources},
    )
    bases = {model.base_class for model in sdk.models}
    lookup = {f".{module.name}": _packed(module.class_names) for module in modules}
    if sdk.oauth:
        lookup = {".._scopes": _packed([auth.scope_enum for auth in sdk.oauth]), **lookup}
    context: dict[str, Any] = {"modules": modules, "bases": bases, "lookup": lookup}
    yield f"{package}/models/__init__.py", "package/models/__init__.py.j2", context
    for module in modules:
        fields = [field for model in module.models for field in model.fields]
        code = [field.annotation for field in fields] + [field.default or "" for field in fields]
        code += [model.extra_annotation for model in module.models if model.extra_annotation]
        code += [alias.annotation for alias in module.aliases]  # evaluated in the module's namespace
        imports = _modules_named(code)
        # Aliases and the type of extra fields are declared with `pydantic.Field`.
        aliases = any(field.needs_alias for field in fields)
        uses_pydantic = aliases or "pydantic" in imports or any(m.extra_annotation for m in module.models)
        context = {
            "module": module,
            "imports": [name for name in imports if name != "pydantic"],
            "uses_pydantic": uses_pydantic,
            "bases": sorted({model.base_class for model in module.models}),
        }
        yield f"{package}/models/{module.name}.py", "package/models/module.py.j2", context
    yield f"{package}/resources/__init__.py", "package/resources/__init__.py.j2", {}
    for resource in sdk.resources:
        context = {"resource": resource, "imports": _modules_named(_resource_annotations(resource))}
        yield f"{package}/resources/{resource.module}.py", "package/resources/resource.py.j2", context
    yield from _test_plan(sdk)


def _test_plan(sdk: Sdk) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """The SDK's tests: fixtures, helpers, and a module per resource."""
    yield "tests/__init__.py", "tests/__init__.py.j2", {}
    yield "tests/helpers.py", "tests/helpers.py.j2", {}
    yield "tests/conftest.py", "tests/conftest.py.j2", {"prism_version": PRISM_VERSION}
    for module in suite(sdk):
        context = {"module": module, "imports": _modules_named(module.annotations)}
        yield f"tests/{module.name}.py", "tests/test_resource.py.j2", context


def _packed(names: list[Identifier]) -> list[str]:
    """Space-separated names in pieces short enough for a line of code (after the first, each starts with
    the space that separates it from the one before), so that a thousand names take a hundred lines."""
    pieces = textwrap.wrap(
        " ".join(names), width=_PACKED_WIDTH, break_long_words=False, break_on_hyphens=False
    )
    return pieces[:1] + [f" {piece}" for piece in pieces[1:]]


def _quick_start_call(sdk: Sdk) -> str | None:
    """The first operation a reader can call without arguments, preferring one that the quick start's
    credentials authorize, and among those one that needs a token."""
    auth = sdk.quick_start_auth
    authorized = {auth.key} if auth else set()
    candidates = [
        (
            bool(op.security) and not any({use.key for use in each} <= authorized for each in op.security),
            not op.needs_token,
            f"{resource.attribute}.{op.method_name}",
        )
        for resource in sdk.resources
        for op in resource.operations
        if op.http_method == "GET" and not op.positional and not any(a.required for a in op.keyword)
    ]
    return min(candidates, key=lambda candidate: candidate[:2])[2] if candidates else None


def _signature(op: OperationMethod) -> str:
    """The method's signature as the docs show it."""
    parts = [f"{argument.name}: {argument.annotation}" for argument in op.positional]
    if op.body or op.keyword:
        parts.append("*")
    if op.body:
        parts.append(f"{op.body.name}: {op.body.annotation}" + ("" if op.body.required else " = None"))
    parts += [f"{a.name}: {a.annotation}" + ("" if a.required else " = None") for a in op.keyword]
    return f"def {op.method_name}({', '.join(parts)}) -> {op.return_annotation}"


def _resource_annotations(resource: Resource) -> list[str]:
    annotations = []
    for op in resource.operations:
        annotations.append(op.return_annotation)
        annotations.extend(argument.annotation for argument in op.arguments)
        annotations.extend(error.annotation for error in op.errors if error.annotation)
        if op.body:
            annotations.append(op.body.annotation)
    return annotations


def _modules_named(annotations: list[str]) -> list[str]:
    """The modules that type annotations refer to (`datetime.date`, `typing.Any`, `uuid.UUID`)."""
    return [module for module in ANNOTATION_MODULES if any(f"{module}." in text for text in annotations)]


def _checked_path(path: str) -> PurePosixPath:
    """A relative path whose every segment is plain: no `..`, no absolute path, no odd characters."""
    parts = path.split("/")
    if not all(_SAFE_SEGMENT.match(part) and part not in (".", "..") for part in parts):
        raise ValueError(f"unsafe output path: {path!r}")
    return PurePosixPath(path)
