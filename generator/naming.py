"""Naming stage: every Python identifier, type annotation and file name the SDK needs, decided once.

Names are derived from spec strings, validated as identifiers, kept clear of Python keywords and of the
names the runtime uses, and made unique in a deterministic order (the order of the spec).
"""

from __future__ import annotations

import keyword
import builtins
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from generator import model as m
from generator.problems import Report
from generator.untrusted import Identifier, SpecText

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_PEP440 = re.compile(
    r"([1-9][0-9]*!)?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*((a|b|rc)(0|[1-9][0-9]*))?"
    r"(\.post(0|[1-9][0-9]*))?(\.dev(0|[1-9][0-9]*))?\Z"
)

# Attributes of pydantic.BaseModel that a field must not shadow.
_MODEL_ATTRIBUTES = frozenset(
    {
        "copy",
        "construct",
        "dict",
        "json",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
        "from_orm",
        "model_config",
        "model_fields",
        "model_computed_fields",
        "model_extra",
        "model_fields_set",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
    }
)
# Names that annotations in generated modules refer to; a field or method of that name would shadow them.
_ANNOTATION_NAMES = frozenset(
    {
        "bool",
        "bytes",
        "dict",
        "float",
        "int",
        "list",
        "str",
        "datetime",
        "typing",
        "enum",
        "pydantic",
        "models",
    }
)
_FIELD_RESERVED = _MODEL_ATTRIBUTES | _ANNOTATION_NAMES
_BUILTINS = frozenset(dir(builtins))
# Attributes of the generated Client and AsyncClient that a resource must not shadow.
_CLIENT_ATTRIBUTES = frozenset(
    {"client_credentials_auth_manager", "close", "aclose", "from_environment", "base_url", "http_client"}
)


def words(text: str) -> list[str]:
    """The words of a name in any casing: `listItems`, `X-Request-Id`, `OAuthToken`, `read:items`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _WORD.findall(ascii_text)


def snake(text: str) -> str:
    return "_".join(word.lower() for word in words(text))


def pascal(text: str) -> str:
    return "".join(
        word[:1].upper() + word[1:].lower() if not word.isupper() or len(word) > 1 else word
        for word in words(text)
    )


def constant(text: str) -> str:
    return "_".join(word.upper() for word in words(text))


def identifier(candidate: str, fallback: str, reserved: Iterable[str] = ()) -> Identifier:
    """A valid identifier from a candidate: `fallback` when it is empty, prefixed when it starts with a
    digit, suffixed with `_` when it is a keyword or reserved."""
    name = candidate or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}" if fallback[0].islower() else f"{fallback}{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in set(reserved):
        name += "_"
    return Identifier(name)


class UniqueNames:
    """Hands out names unique within one scope, ignoring case: a repeat gets a number (`get_item_2`,
    `Item2`), in order of request."""

    def __init__(self, taken: Iterable[str] = (), separator: str = "_") -> None:
        self._taken = {name.lower() for name in taken}
        self._separator = separator

    def claim(self, name: Identifier) -> Identifier:
        candidate, number = name, 2
        separator = "" if name.endswith("_") else self._separator
        while candidate.lower() in self._taken:
            candidate = Identifier(f"{name}{separator}{number}")
            number += 1
        self._taken.add(candidate.lower())
        return candidate


@dataclass(frozen=True)
class ScopeMember:
    member: Identifier
    value: SpecText
    description: SpecText


@dataclass(frozen=True)
class EnumMember:
    member: Identifier
    value: SpecText
    is_integer: bool


@dataclass(frozen=True)
class EnumClass:
    class_name: Identifier
    doc_page: str
    description: SpecText
    members: tuple[EnumMember, ...]
    is_integer: bool


@dataclass(frozen=True)
class Field:
    attribute: Identifier
    wire_name: SpecText
    needs_alias: bool
    annotation: str
    required: bool
    description: SpecText | None


@dataclass(frozen=True)
class ModelClass:
    class_name: Identifier
    doc_page: str
    description: SpecText
    fields: tuple[Field, ...]


ArgumentLocation = Literal["path", "query", "header", "cookie", "form", "file"]


@dataclass(frozen=True)
class Argument:
    name: Identifier
    wire_name: SpecText
    location: ArgumentLocation
    """Where the value is sent: a parameter's location, or a field (`form`) or file part of the body."""
    annotation: str
    required: bool
    description: SpecText | None

    @property
    def sent_as(self) -> str:
        """Where the argument goes, for docs: `query`, `form field`, `file`."""
        return {"form": "form field", "file": "file"}.get(self.location, self.location)

    @property
    def noun(self) -> str:
        """What the argument is, for docs: `query parameter`, `form field`, `file`."""
        return self.sent_as if self.location in ("form", "file") else f"{self.location} parameter"


@dataclass(frozen=True)
class Body:
    """A request body passed as one argument (JSON, text, bytes, or a dict of form fields)."""

    name: Identifier
    annotation: str
    required: bool
    description: SpecText | None


@dataclass(frozen=True)
class BodyEncoding:
    format: m.BodyFormat
    content_type: SpecText
    other_content_types: tuple[SpecText, ...]


@dataclass(frozen=True)
class ParameterStyle:
    """A parameter sent in another style than its location's default."""

    location: str
    wire_name: SpecText
    style: str
    explode: bool


@dataclass(frozen=True)
class DeclaredError:
    status: str
    """`404`, `4XX` or `default`."""
    exception: Identifier
    """The ApiError subclass raised for that status."""
    annotation: str | None
    """The type its body is parsed as; None when it declares no JSON body."""
    description: SpecText | None

    @property
    def label(self) -> str:
        return "any other error status" if self.status == "default" else f"HTTP {self.status}"


@dataclass(frozen=True)
class OperationMethod:
    method_name: Identifier
    endpoint_constant: Identifier
    http_method: str
    path: SpecText
    summary: SpecText | None
    description: SpecText | None
    deprecated: bool
    positional: tuple[Argument, ...]
    keyword: tuple[Argument, ...]
    body: Body | None
    body_encoding: BodyEncoding | None
    """How the body (or the form and file arguments) is sent; None without a request body."""
    styles: tuple[ParameterStyle, ...]
    errors: tuple[DeclaredError, ...]
    response_format: m.ResponseFormat | None
    """How the success response is read; None when it has no content."""
    accept: SpecText
    return_annotation: str
    needs_token: bool
    scopes: tuple[SpecText, ...]

    @property
    def arguments(self) -> tuple[Argument, ...]:
        return self.positional + self.keyword

    def located(self, location: str) -> tuple[Argument, ...]:
        return tuple(argument for argument in self.arguments if argument.location == location)

    @property
    def declares_default_error(self) -> bool:
        """Whether the spec describes every error status (a `default` response)."""
        return any(error.status == "default" for error in self.errors)


@dataclass(frozen=True)
class Resource:
    attribute: Identifier
    module: Identifier
    class_name: Identifier
    async_class_name: Identifier
    doc_page: str
    tag: SpecText
    description: SpecText | None
    summary: SpecText
    """The description, or a line naming the tag."""
    operations: tuple[OperationMethod, ...]


@dataclass(frozen=True)
class Sdk:
    package: Identifier
    distribution: str
    version: str
    env_prefix: str
    title: SpecText
    api_version: SpecText
    description: SpecText | None
    default_base_url: SpecText | None
    token_url: SpecText
    refresh_url: SpecText | None
    scheme_key: SpecText
    scheme_description: SpecText | None
    scopes: tuple[ScopeMember, ...]
    resources: tuple[Resource, ...]
    models: tuple[ModelClass, ...]
    enums: tuple[EnumClass, ...]


# Packages the generated SDK imports, and folders of the generated project, cannot be its name.
_TAKEN_PACKAGE_NAMES = frozenset({"doc", "httpx2", "httpcore2", "pydantic", "pydantic_core", "anyio", "h11"})


def package_name_is_free(name: str) -> bool:
    """Whether a package of this name would shadow nothing the SDK or its users import."""
    return name.strip("_") != "" and name not in _TAKEN_PACKAGE_NAMES and name not in sys.stdlib_module_names


def package_name(title: str) -> Identifier:
    """The default package name: the title's words lower-cased, camel case kept whole (`httpCCG` → `httpccg`)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    name = identifier("_".join(re.findall(r"[a-z0-9]+", ascii_title.lower())), "api_client")
    return name if package_name_is_free(name) else Identifier(f"{name}_client")


def name(api: m.Api, package: Identifier, report: Report) -> Sdk:
    """Name every part of the API for the templates."""
    class_names = _model_class_names(api.models)
    pages = _doc_pages(class_names.values())
    types = _TypeNamer(class_names)
    enums = tuple(
        _enum(model, class_names[model.key], pages[class_names[model.key]])
        for model in api.models
        if isinstance(model, m.EnumModel)
    )
    models = tuple(
        _model(model, class_names[model.key], pages[class_names[model.key]], types)
        for model in api.models
        if isinstance(model, m.ObjectModel)
    )
    servers = [server.url for server in api.servers]
    return Sdk(
        package=package,
        distribution=package.replace("_", "-"),
        version=_version(api.version, report),
        env_prefix=package.upper(),
        title=api.title,
        api_version=api.version,
        description=api.description,
        default_base_url=servers[0] if servers and "://" in servers[0].raw else None,
        token_url=api.scheme.token_url,
        refresh_url=api.scheme.refresh_url,
        scheme_key=api.scheme.key,
        scheme_description=api.scheme.description,
        scopes=_scopes(api.scheme.scopes),
        resources=_resources(api, types),
        models=models,
        enums=enums,
    )


def _version(version: SpecText, report: Report) -> str:
    text = version.raw.strip().lstrip("vV")
    if _PEP440.match(text):
        return text
    report.warn("/info/version", "info.version is not a PEP 440 version; the package is versioned 0.0.0")
    return "0.0.0"


def _scopes(scopes: tuple[m.Scope, ...]) -> tuple[ScopeMember, ...]:
    unique = UniqueNames()
    return tuple(
        ScopeMember(
            unique.claim(identifier(constant(scope.value.raw), "SCOPE")), scope.value, scope.description
        )
        for scope in scopes
    )


def _model_class_names(models: tuple[m.Model, ...]) -> dict[str, Identifier]:
    unique = UniqueNames(["OAuthScopeEnum", "OAuthToken"], separator="")
    # A class named like a builtin (`Exception`) would be resolved to the builtin in forward references.
    return {model.key: unique.claim(identifier(pascal(model.key), "Model", _BUILTINS)) for model in models}


def _doc_pages(class_names: Iterable[Identifier]) -> dict[Identifier, str]:
    """A distinct doc page name for each class: `OAuthToken` → `o-auth-token`."""
    unique = UniqueNames(["o_auth_scope_enum", "o_auth_token"])
    pages = {}
    for class_name in class_names:
        pages[class_name] = unique.claim(identifier(snake(class_name), "model")).replace("_", "-")
    return pages


def _enum(model: m.EnumModel, class_name: Identifier, doc_page: str) -> EnumClass:
    unique = UniqueNames()
    is_integer = model.kind == "integer"
    members = tuple(
        EnumMember(
            unique.claim(
                identifier(
                    constant(value.raw) if not is_integer else f"VALUE_{value.raw.replace('-', 'MINUS_')}",
                    "VALUE",
                )
            ),
            value,
            is_integer,
        )
        for value in dict.fromkeys(model.values)
    )
    description = model.description or SpecText(f"The values of the {model.key!r} schema.")
    return EnumClass(class_name, doc_page, description, members, is_integer)


def _model(model: m.ObjectModel, class_name: Identifier, doc_page: str, types: _TypeNamer) -> ModelClass:
    unique = UniqueNames()
    fields = []
    for prop in model.properties:
        attribute = unique.claim(identifier(snake(prop.name.raw), "field", _FIELD_RESERVED))
        annotation = types.annotation(prop.type, qualified=False)
        if not prop.required and not annotation.endswith("| None"):
            annotation += " | None"
        fields.append(
            Field(
                attribute, prop.name, attribute != prop.name.raw, annotation, prop.required, prop.description
            )
        )
    description = model.description or SpecText(f"An object of the {model.key!r} schema.")
    return ModelClass(class_name, doc_page, description, tuple(fields))


class _TypeNamer:
    """Type annotations for type references, in the models module or qualified as `models.X` elsewhere."""

    def __init__(self, class_names: dict[str, Identifier]) -> None:
        self.class_names = class_names

    def annotation(self, type_ref: m.TypeRef, qualified: bool) -> str:
        match type_ref:
            case m.Primitive(kind, format):
                return _primitive(kind, format)
            case m.ArrayOf(items):
                return f"list[{self.annotation(items, qualified)}]"
            case m.MapOf(values):
                return f"dict[str, {self.annotation(values, qualified)}]"
            case m.ModelRef(key):
                return f"models.{self.class_names[key]}" if qualified else self.class_names[key]
            case m.Nullable(inner):
                return f"{self.annotation(inner, qualified)} | None"
            case m.Binary():
                return "bytes"
            case m.Union(options):
                return " | ".join(self.annotation(option, qualified) for option in options)
        return "typing.Any"


def _primitive(kind: str, format: str | None) -> str:
    if kind == "string":
        formats = {
            "date": "datetime.date",
            "date-time": "datetime.datetime",
            "uuid": "uuid.UUID",
            "binary": "bytes",
        }
        return formats.get(format or "", "str")
    return {"integer": "int", "number": "float", "boolean": "bool"}[kind]


def _resources(api: m.Api, types: _TypeNamer) -> tuple[Resource, ...]:
    attributes = UniqueNames(_CLIENT_ATTRIBUTES)
    class_names: set[str] = set()
    resources = []
    for tag in api.tags:
        operations = [operation for operation in api.operations if operation.tag == tag.name]
        if not operations:
            continue
        attribute = attributes.claim(identifier(snake(tag.name.raw), "default"))
        class_name, async_class_name = _resource_class_names(pascal(attribute), class_names)
        resources.append(
            Resource(
                attribute=attribute,
                module=attribute,
                class_name=class_name,
                async_class_name=async_class_name,
                doc_page=attribute.replace("_", "-"),
                tag=tag.name,
                description=tag.description,
                summary=tag.description or SpecText(f"Operations tagged {tag.name.raw!r}."),
                operations=_operations(operations, types),
            )
        )
    return tuple(resources)


def _resource_class_names(stem: str, taken: set[str]) -> tuple[Identifier, Identifier]:
    """`ItemsResource` and `AsyncItemsResource`, numbered when a tag such as "Async Items" took them."""
    candidate, number = stem, 2
    while f"{candidate}Resource" in taken or f"Async{candidate}Resource" in taken:
        candidate, number = f"{stem}{number}", number + 1
    names = Identifier(f"{candidate}Resource"), Identifier(f"Async{candidate}Resource")
    taken.update(names)
    return names


def _operations(operations: list[m.Operation], types: _TypeNamer) -> tuple[OperationMethod, ...]:
    methods = UniqueNames(_ANNOTATION_NAMES)
    named = []
    for operation in operations:
        method_name = methods.claim(
            identifier(
                snake(operation.operation_id.raw) if operation.operation_id else _name_from_path(operation),
                "call",
            )
        )
        arguments = _arguments(operation, types)
        response = operation.response
        named.append(
            OperationMethod(
                method_name=method_name,
                endpoint_constant=Identifier(f"_{method_name.upper()}"),
                http_method=operation.method.upper(),
                path=operation.path,
                summary=operation.summary,
                description=operation.description,
                deprecated=operation.deprecated,
                positional=tuple(argument for argument in arguments if argument.location == "path"),
                keyword=tuple(argument for argument in arguments if argument.location != "path"),
                body=_body(operation.body, types),
                body_encoding=_body_encoding(operation.body),
                styles=tuple(
                    ParameterStyle(parameter.location, parameter.name, parameter.style, parameter.explode)
                    for parameter in operation.parameters
                    if (parameter.style, parameter.explode) != _default_style(parameter.location)
                ),
                errors=tuple(_declared_error(error, types) for error in operation.errors),
                response_format=response.format if response else None,
                accept=response.content_type if response else SpecText("application/json"),
                return_annotation=_return_annotation(response, types),
                needs_token=operation.scopes is not None,
                scopes=operation.scopes or (),
            )
        )
    return tuple(named)


def _name_from_path(operation: m.Operation) -> str:
    """A method name for an operation without operationId: `get /users/{id}/keys` → `get_user_keys`.

    Each path segment is a word; a segment followed by a parameter names one thing, so it is made singular.
    """
    parts: list[str] = [operation.method]
    for segment in operation.path.raw.split("/"):
        if "{" in segment:
            if len(parts) > 1:
                parts[-1] = _singular(parts[-1])
        elif snake(segment):
            parts.append(snake(segment))
    return "_".join(parts)


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_DEFAULT_STYLES = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}


def _default_style(location: str) -> tuple[str, bool]:
    style = _DEFAULT_STYLES[location]
    return style, style == "form"


# The ApiError subclass raised for each error status; other statuses raise ApiError itself.
_EXCEPTIONS = {
    "400": "BadRequestError",
    "401": "AuthenticationError",
    "403": "PermissionDeniedError",
    "404": "NotFoundError",
    "409": "ConflictError",
    "422": "UnprocessableEntityError",
    "429": "RateLimitError",
}


def _declared_error(error: m.ErrorResponse, types: _TypeNamer) -> DeclaredError:
    exception = _EXCEPTIONS.get(error.status, "InternalServerError" if error.status[0] == "5" else "ApiError")
    annotation = types.annotation(error.type, qualified=True) if error.type else None
    return DeclaredError(
        error.status,
        Identifier(exception),
        None if annotation == "typing.Any" else annotation,
        error.description,
    )


def _return_annotation(response: m.Response | None, types: _TypeNamer) -> str:
    if response is None:
        return "None"
    annotation = types.annotation(response.type, qualified=True)
    if response.may_be_empty and not annotation.endswith("| None") and annotation != "typing.Any":
        annotation += " | None"
    return annotation


# Parameter names taken by Python: keywords and builtins get a trailing underscore (`from_`, `type_`).
_ARGUMENT_RESERVED = frozenset(name for name in _BUILTINS if not name.startswith("_")) - {
    "copyright",
    "credits",
    "license",
    "exit",
    "quit",
    "help",
} | {"self"}
_LOCATION_ORDER = {"path": 0, "query": 1, "header": 2, "cookie": 3, "form": 4, "file": 4}


def _arguments(operation: m.Operation, types: _TypeNamer) -> list[Argument]:
    """The method's arguments, required ones first so that optional ones can default to None.

    Names are given out in the order of locations (path, query, header, cookie, body fields). A name
    another location already uses gets that location as suffix (`id` in the path, `id_query` in the
    query); a name used twice in the same location gets a number.
    """
    unique = UniqueNames()
    claimed_in: dict[str, str] = {}
    if operation.body is not None and operation.body.fields is None:
        claimed_in["body"] = unique.claim(Identifier("body"))
    arguments = []
    for wire_name, location, type_ref, required, description in _argument_sources(operation):
        name = identifier(snake(wire_name.raw), "param", _ARGUMENT_RESERVED)
        if claimed_in.setdefault(name.lower(), location) != location:
            name = Identifier(f"{name.rstrip('_')}_{location}")
        annotation = _argument_annotation(type_ref, location, types)
        if not required and not annotation.endswith("| None"):
            annotation += " | None"
        arguments.append(Argument(unique.claim(name), wire_name, location, annotation, required, description))
    return sorted(arguments, key=lambda argument: (argument.location != "path", not argument.required))


def _argument_sources(
    operation: m.Operation,
) -> list[tuple[SpecText, ArgumentLocation, m.TypeRef, bool, SpecText | None]]:
    """Parameters, then the fields of a form or multipart body, in the order names are given out."""
    sources: list[tuple[SpecText, ArgumentLocation, m.TypeRef, bool, SpecText | None]] = [
        (p.name, p.location, p.type, p.required, p.description)
        for p in sorted(operation.parameters, key=lambda p: _LOCATION_ORDER[p.location])
    ]
    body = operation.body
    for field in body.fields or () if body else ():
        location: ArgumentLocation = (
            "file" if body and body.format == "multipart" and _is_file(field.type) else "form"
        )
        sources.append(
            (
                field.name,
                location,
                field.type,
                field.required and bool(body and body.required),
                field.description,
            )
        )
    return sources


def _is_file(type_ref: m.TypeRef) -> bool:
    """Whether a multipart field holds file content: binary strings, or arrays of them."""
    match type_ref:
        case m.ArrayOf(items) | m.Nullable(items):
            return _is_file(items)
        case m.Primitive("string", "binary") | m.Binary():
            return True
    return False


def _argument_annotation(type_ref: m.TypeRef, location: ArgumentLocation, types: _TypeNamer) -> str:
    if location != "file":
        return types.annotation(type_ref, qualified=True)
    inner = type_ref.inner if isinstance(type_ref, m.Nullable) else type_ref
    return "list[_runtime.FileInput]" if isinstance(inner, m.ArrayOf) else "_runtime.FileInput"


def _body(body: m.RequestBody | None, types: _TypeNamer) -> Body | None:
    if body is None or body.fields is not None:
        return None
    annotation = (
        "bytes | typing.IO[bytes]" if body.format == "binary" else types.annotation(body.type, qualified=True)
    )
    if not body.required and not annotation.endswith("| None"):
        annotation += " | None"
    return Body(Identifier("body"), annotation, body.required, body.description)


def _body_encoding(body: m.RequestBody | None) -> BodyEncoding | None:
    if body is None:
        return None
    return BodyEncoding(body.format, body.content_type, body.other_content_types)
