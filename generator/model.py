"""Model stage: the spec as frozen dataclasses, with every string from the spec kept as SpecText.

Later stages never look at the raw document again. Anything this stage cannot express yet becomes a
warning naming its JSON pointer, and the rest of the spec is still modelled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from generator.load import Source
from generator.problems import Problem, Report, Severity, SpecError, pointer_of
from generator.untrusted import SpecText

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PrimitiveKind = Literal["string", "integer", "number", "boolean"]
_PRIMITIVE_KINDS: dict[str, PrimitiveKind] = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
}


@dataclass(frozen=True)
class Primitive:
    kind: PrimitiveKind
    format: str | None = None


@dataclass(frozen=True)
class ArrayOf:
    items: TypeRef


@dataclass(frozen=True)
class MapOf:
    values: TypeRef


@dataclass(frozen=True)
class ModelRef:
    key: str
    """The key of the model's schema under components/schemas."""


@dataclass(frozen=True)
class AnyValue:
    pass


@dataclass(frozen=True)
class Binary:
    """A body passed through as bytes."""


@dataclass(frozen=True)
class Nullable:
    inner: TypeRef


@dataclass(frozen=True)
class Union:
    """A value of one of several types (oneOf, anyOf)."""

    options: tuple[TypeRef, ...]


TypeRef = Primitive | ArrayOf | MapOf | ModelRef | AnyValue | Binary | Nullable | Union


@dataclass(frozen=True)
class Property:
    name: SpecText
    type: TypeRef
    required: bool
    description: SpecText | None


@dataclass(frozen=True)
class ObjectModel:
    key: str
    description: SpecText | None
    properties: tuple[Property, ...]


@dataclass(frozen=True)
class EnumModel:
    key: str
    description: SpecText | None
    values: tuple[SpecText, ...]
    kind: Literal["string", "integer"]


Model = ObjectModel | EnumModel


@dataclass(frozen=True)
class Scope:
    value: SpecText
    description: SpecText


@dataclass(frozen=True)
class ClientCredentialsScheme:
    key: SpecText
    description: SpecText | None
    token_url: SpecText
    refresh_url: SpecText | None
    scopes: tuple[Scope, ...]


ParameterLocation = Literal["path", "query", "header", "cookie"]
BodyFormat = Literal["json", "form", "multipart", "text", "binary"]
"""How a request body is encoded: JSON, form fields, multipart parts, text, or the bytes given."""
ResponseFormat = Literal["json", "text", "binary"]


@dataclass(frozen=True)
class Parameter:
    name: SpecText
    location: ParameterLocation
    required: bool
    type: TypeRef
    description: SpecText | None
    style: str
    """The OpenAPI style it is sent in; always one the location supports."""
    explode: bool


@dataclass(frozen=True)
class RequestBody:
    type: TypeRef
    required: bool
    description: SpecText | None
    content_type: SpecText
    format: BodyFormat
    fields: tuple[Property, ...] | None
    """The fields of a form or multipart body whose schema names them; None when the body is one value."""
    other_content_types: tuple[SpecText, ...]
    """Content types the operation also accepts, not used."""


@dataclass(frozen=True)
class Response:
    """The success response an operation returns."""

    type: TypeRef
    format: ResponseFormat
    content_type: SpecText
    may_be_empty: bool
    """Whether another success status without content is declared (the JSON body may be absent)."""


@dataclass(frozen=True)
class ErrorResponse:
    status: str
    """`404`, `4XX` or `default`."""
    type: TypeRef | None
    """The type of its JSON body; None when it declares none."""
    description: SpecText | None


@dataclass(frozen=True)
class Operation:
    operation_id: SpecText | None
    method: str
    path: SpecText
    tag: SpecText
    summary: SpecText | None
    description: SpecText | None
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    errors: tuple[ErrorResponse, ...]
    response: Response | None
    """The success response; None when it has no content."""
    scopes: tuple[SpecText, ...] | None
    """Scopes of the client-credentials scheme the operation needs; None when it needs no token."""


@dataclass(frozen=True)
class Tag:
    name: SpecText
    description: SpecText | None


@dataclass(frozen=True)
class Server:
    url: SpecText
    description: SpecText | None


@dataclass(frozen=True)
class Api:
    title: SpecText
    version: SpecText
    description: SpecText | None
    servers: tuple[Server, ...]
    scheme: ClientCredentialsScheme
    tags: tuple[Tag, ...]
    operations: tuple[Operation, ...]
    models: tuple[Model, ...]


DEFAULT_TAG = "default"
_CONTROLLED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_STYLES = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
}
"""The styles OpenAPI defines for each location, its default first."""
_PATH_PARAMETER = re.compile(r"\{([^{}]+)\}")
_BODY_RANK: dict[BodyFormat, int] = {"json": 0, "form": 1, "multipart": 2, "text": 3, "binary": 4}
_RESPONSE_RANK: dict[BodyFormat, int] = {"json": 0, "text": 1, "form": 2, "multipart": 2, "binary": 2}
_TEXT_MEDIA = re.compile(r"application/(csv|xml|yaml|x-yaml|jwt|javascript|graphql|sql|x-ndjson)|.+\+xml")
_BINARY_MEDIA = re.compile(r"application/(octet-stream|pdf|zip|gzip)|(image|audio|video|font)/.*")
_SCHEMA_REF = "#/components/schemas/"


def build(source: Source, report: Report) -> Api:
    """The intermediate model of a validated OpenAPI 3.0/3.1 document."""
    return _Builder(source, report).api()


def _text(value: Any) -> SpecText | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return SpecText("true" if value else "false")
    return SpecText(str(value))


class _Builder:
    def __init__(self, source: Source, report: Report) -> None:
        self.doc = source.data
        self.source = source
        self.report = report
        self.schemas: dict[str, Any] = self.doc.get("components", {}).get("schemas", {}) or {}
        self.models: dict[str, Model] = {}
        self.model_at: dict[str, str] = {}
        """The key of the model made for the schema at each JSON pointer."""
        self._component_kinds: dict[str, Literal["enum", "object", "type"]] = {}

    def api(self) -> Api:
        info = self.doc["info"]
        scheme_key, scheme = self._scheme()
        self._models()
        tags = {str(tag["name"]): _text(tag.get("description")) for tag in self.doc.get("tags", [])}
        operations = self._operations(scheme_key)
        for operation in operations:
            tags.setdefault(operation.tag.raw, None)
        return Api(
            title=SpecText(str(info["title"])),
            version=SpecText(str(info["version"])),
            description=_text(info.get("description")),
            servers=tuple(self._servers()),
            scheme=scheme,
            tags=tuple(Tag(SpecText(name), description) for name, description in tags.items()),
            operations=operations,
            models=tuple(self.models.values()),
        )

    # --- security -----------------------------------------------------------------------------

    def _scheme(self) -> tuple[str, ClientCredentialsScheme]:
        schemes = self.doc.get("components", {}).get("securitySchemes", {}) or {}
        found: list[tuple[str, ClientCredentialsScheme]] = []
        for key, raw in schemes.items():
            pointer = pointer_of("components", "securitySchemes", key)
            raw = self._deref(raw, pointer)
            flow = (raw.get("flows") or {}).get("clientCredentials") if raw else None
            if raw and raw.get("type") == "oauth2" and flow:
                found.append((key, self._client_credentials(key, raw, flow)))
            else:
                self.report.warn(
                    pointer,
                    "only OAuth 2.0 client-credentials schemes are supported yet; this scheme is ignored",
                )
        if not found:
            problem = Problem(
                Severity.ERROR,
                "/components/securitySchemes",
                "no OAuth 2.0 scheme with a clientCredentials flow",
            )
            raise SpecError([self.source.locate(problem)])
        for key, _ in found[1:]:
            self.report.warn(
                pointer_of("components", "securitySchemes", key),
                f"several client-credentials schemes are not supported yet; only {found[0][0]!r} is used",
            )
        return found[0]

    def _client_credentials(
        self, key: str, raw: dict[str, Any], flow: dict[str, Any]
    ) -> ClientCredentialsScheme:
        scopes = flow.get("scopes") or {}
        other_flows = sorted(str(name) for name in raw.get("flows") or {} if name != "clientCredentials")
        if other_flows:
            self.report.warn(
                pointer_of("components", "securitySchemes", key, "flows"),
                f"only the clientCredentials flow is used; {', '.join(other_flows)} not handled",
            )
        return ClientCredentialsScheme(
            key=SpecText(key),
            description=_text(raw.get("description")),
            token_url=SpecText(str(flow.get("tokenUrl", ""))),
            refresh_url=_text(flow.get("refreshUrl")),
            scopes=tuple(
                Scope(SpecText(str(name)), SpecText(str(text or ""))) for name, text in scopes.items()
            ),
        )

    def _operation_scopes(self, security: Any, scheme_key: str, pointer: str) -> tuple[SpecText, ...] | None:
        """The client-credentials scopes of the first requirement that uses that scheme."""
        if not security:
            return None
        known = self.doc.get("components", {}).get("securitySchemes", {}) or {}
        for requirement in security:
            for name in requirement:
                if name not in known:
                    self.report.warn(pointer, f"security requirement names the undefined scheme {name!r}")
        for requirement in security:
            if scheme_key in requirement:
                scopes = tuple(str(scope) for scope in requirement[scheme_key] or ())
                self._check_declared(scopes, scheme_key, pointer)
                return tuple(SpecText(scope) for scope in scopes)
        if not any(requirement == {} for requirement in security):
            self.report.warn(
                pointer,
                "the operation's security schemes are not supported yet; it is called without credentials",
            )
        return None

    def _check_declared(self, scopes: tuple[str, ...], scheme_key: str, pointer: str) -> None:
        flow = self.doc["components"]["securitySchemes"][scheme_key]["flows"]["clientCredentials"]
        undeclared = [scope for scope in scopes if scope not in (flow.get("scopes") or {})]
        if undeclared:
            self.report.warn(
                pointer,
                f"scopes the scheme {scheme_key!r} does not declare: {', '.join(map(repr, undeclared))}; "
                "requested as written",
            )

    # --- operations ---------------------------------------------------------------------------

    def _operations(self, scheme_key: str) -> tuple[Operation, ...]:
        operations = []
        for path, item in (self.doc.get("paths") or {}).items():
            item_pointer = pointer_of("paths", path)
            item = self._deref(item, item_pointer)
            if item is None:
                continue
            shared = item.get("parameters", [])
            for method in item:
                if method not in HTTP_METHODS:
                    continue
                built = self._operation(path, method, item[method], shared, scheme_key)
                if built is not None:
                    operations.append(built)
        return tuple(operations)

    def _operation(
        self, path: str, method: str, raw: dict[str, Any], shared: list[Any], scheme_key: str
    ) -> Operation | None:
        pointer = pointer_of("paths", path, method)
        hint = str(raw.get("operationId") or f"{method} {path}")
        parameters = self._parameters(path, shared, raw.get("parameters", []), pointer, hint)
        if parameters is None:
            return None
        body = self._request_body(raw.get("requestBody"), pointer, hint)
        if body is False:
            return None
        response, errors = self._responses(raw.get("responses") or {}, pointer, hint)
        security = raw["security"] if "security" in raw else self.doc.get("security")
        tags = raw.get("tags") or [DEFAULT_TAG]
        return Operation(
            operation_id=_text(raw.get("operationId")),
            method=method,
            path=SpecText(path),
            tag=SpecText(str(tags[0])),
            summary=_text(raw.get("summary")),
            description=_text(raw.get("description")),
            deprecated=bool(raw.get("deprecated", False)),
            parameters=parameters,
            body=body,
            errors=errors,
            response=response,
            scopes=self._operation_scopes(security, scheme_key, pointer),
        )

    def _parameters(
        self, path: str, shared: list[Any], own: list[Any], pointer: str, hint: str
    ) -> tuple[Parameter, ...] | None:
        """The operation's parameters, its own replacing the path item's; None when it cannot be called."""
        by_place: dict[tuple[str, str], Parameter] = {}
        for index, raw in [
            (f"{pointer.rsplit('/', 1)[0]}/parameters/{i}", p) for i, p in enumerate(shared)
        ] + [(f"{pointer}/parameters/{i}", p) for i, p in enumerate(own)]:
            raw = self._deref(raw, index)
            if raw is None:
                continue
            if raw.get("in") == "header" and str(raw.get("name", "")).lower() in _CONTROLLED_HEADERS:
                # OpenAPI: such header parameters are ignored; the client sets these headers itself.
                self.report.warn(
                    index,
                    f"header parameter {raw['name']!r} is ignored, as OpenAPI prescribes; "
                    "set it in the headers of the http_client given to the client",
                )
                continue
            parameter = self._parameter(raw, index, hint)
            if parameter is None:
                if raw.get("required"):
                    self.report.warn(index, "the operation needs this parameter and is left out")
                    return None
                continue
            name = parameter.name.raw
            by_place[(parameter.location, name.lower() if parameter.location == "header" else name)] = (
                parameter
            )
        for name in _PATH_PARAMETER.findall(path):
            if ("path", name) not in by_place:
                self.report.warn(
                    pointer, f"the path parameter {name!r} is not declared; it becomes a string argument"
                )
                by_place[("path", name)] = Parameter(
                    SpecText(name), "path", True, Primitive("string"), None, "simple", False
                )
        return tuple(by_place.values())

    def _parameter(self, raw: dict[str, Any], pointer: str, hint: str) -> Parameter | None:
        """One parameter; None (with a warning) when it is left out."""
        location = raw.get("in")
        if location not in _STYLES:
            self.report.warn(pointer, f"{location} parameters are not supported; the parameter is left out")
            return None
        if "schema" not in raw:
            self.report.warn(
                pointer, "parameters described by `content` are not supported yet; the parameter is left out"
            )
            return None
        type_ref = self._type(raw["schema"], pointer + "/schema", f"{hint} {raw.get('name', '')}")
        style, explode = self._style(raw, location, type_ref, pointer)
        if raw.get("allowReserved") is True:
            self.report.warn(
                pointer, "allowReserved is not supported yet; reserved characters are percent-encoded"
            )
        return Parameter(
            name=SpecText(str(raw["name"])),
            location=location,
            required=bool(raw.get("required", location == "path")),
            type=type_ref,
            description=_text(raw.get("description")),
            style=style,
            explode=explode,
        )

    def _style(self, raw: dict[str, Any], location: str, type_ref: TypeRef, pointer: str) -> tuple[str, bool]:
        """The style and explode a parameter is sent with: as declared when its location supports it."""
        default = _STYLES[location][0]
        style = str(raw.get("style", default))
        explode = bool(raw.get("explode", style == "form"))
        if style not in _STYLES[location]:
            self.report.warn(
                pointer,
                f"the style {style!r} is not defined for {location} parameters; sent in the {default!r} style",
            )
            style, explode = default, default == "form"
        elif style == "deepObject":
            if not self._is_mapping(type_ref):
                self.report.warn(
                    pointer, f"the deepObject style needs an object schema; sent in the {default!r} style"
                )
                style, explode = default, True
            return style, explode
        if not self._style_expresses(type_ref):
            self.report.warn(
                pointer,
                f"the {style!r} style cannot express values nested in this parameter; they are sent as JSON",
            )
        return style, explode

    def _is_mapping(self, type_ref: TypeRef) -> bool:
        """Whether the values of a type are objects (or may be: Any)."""
        match type_ref:
            case Nullable(inner):
                return self._is_mapping(inner)
            case Union(options):
                return all(self._is_mapping(option) for option in options)
            case ModelRef(key):
                return isinstance(self.models[key], ObjectModel)
        return isinstance(type_ref, (MapOf, AnyValue))

    def _is_scalar(self, type_ref: TypeRef) -> bool:
        match type_ref:
            case Nullable(inner):
                return self._is_scalar(inner)
            case Union(options):
                return all(self._is_scalar(option) for option in options)
            case ModelRef(key):
                return isinstance(self.models[key], EnumModel)
        return isinstance(type_ref, (Primitive, AnyValue, Binary))

    def _style_expresses(self, type_ref: TypeRef) -> bool:
        """Whether the form, simple, label and matrix styles can express a value: a scalar, an array of
        scalars, or an object whose values are scalars."""
        match type_ref:
            case Nullable(inner):
                return self._style_expresses(inner)
            case Union(options):
                return all(self._style_expresses(option) for option in options)
            case ArrayOf(items):
                return self._is_scalar(items)
            case MapOf(values):
                return self._is_scalar(values)
            case ModelRef(key):
                model = self.models[key]
                properties = model.properties if isinstance(model, ObjectModel) else ()
                return all(self._is_scalar(prop.type) for prop in properties)
        return self._is_scalar(type_ref)

    # --- bodies and responses -----------------------------------------------------------------

    def _request_body(self, raw: Any, pointer: str, hint: str) -> RequestBody | None | Literal[False]:
        if raw is None:
            return None
        pointer += "/requestBody"
        raw = self._deref(raw, pointer)
        if raw is None:
            return False
        content = raw.get("content") or {}
        if not content:
            self.report.warn(pointer, "the request body names no content type; the operation sends no body")
            return None
        # JSON first, then form fields, multipart, text and bytes; the spec's order among equals.
        content_type = min(
            content, key=lambda kind: _BODY_RANK[_media_format(str(kind), _schema_of(content[kind]))]
        )
        media = content[content_type] or {}
        media_pointer = f"{pointer}/content/{_escape_pointer(str(content_type))}"
        schema = media.get("schema")
        format = _media_format(str(content_type), schema)
        fields = None
        if format in ("form", "multipart"):
            fields = self._form_fields(schema, media_pointer + "/schema", f"{hint} body")
            if media.get("encoding"):
                self.report.warn(
                    media_pointer + "/encoding",
                    "encoding options are not supported yet; fields are sent the default way",
                )
        return RequestBody(
            type=self._body_type(format, schema, fields, media_pointer, hint),
            required=bool(raw.get("required", False)),
            description=_text(raw.get("description")),
            content_type=SpecText(_sent_content_type(str(content_type), format)),
            format=format,
            fields=fields,
            other_content_types=tuple(SpecText(str(kind)) for kind in content if kind != content_type),
        )

    def _body_type(
        self, format: BodyFormat, schema: Any, fields: tuple[Property, ...] | None, pointer: str, hint: str
    ) -> TypeRef:
        if format == "text":
            if not _is_string_schema(schema):
                self.report.warn(
                    pointer,
                    f"request bodies of type {_media_type(pointer)} are sent as the text given; the schema is not used",
                )
            return Primitive("string")
        if format == "binary":
            if schema is not None and not _is_binary_schema(schema):
                self.report.warn(
                    pointer,
                    f"request bodies of type {_media_type(pointer)} are sent as the bytes given; the schema is not used",
                )
            return Binary()
        type_ref = self._type(schema, pointer + "/schema", f"{hint} body")
        if format == "json" or fields is not None or isinstance(type_ref, (MapOf, AnyValue)):
            return type_ref
        self.report.warn(
            pointer + "/schema", "a form body needs an object schema; it is typed as a dict of fields"
        )
        return MapOf(AnyValue())

    def _form_fields(self, schema: Any, pointer: str, hint: str) -> tuple[Property, ...] | None:
        """The named fields of an object schema; None when it names none (a map, or not an object)."""
        if isinstance(schema, dict) and "$ref" in schema:
            type_ref = self._type(schema, pointer, hint)
            model = self.models.get(type_ref.key) if isinstance(type_ref, ModelRef) else None
            return model.properties if isinstance(model, ObjectModel) else None
        if self._is_object(schema):
            return tuple(self._object_properties(schema, pointer, hint, frozenset()).values())
        return None

    def _responses(
        self, responses: dict[Any, Any], pointer: str, hint: str
    ) -> tuple[Response | None, tuple[ErrorResponse, ...]]:
        """The success response (the lowest 2xx with content; `default` when no 2xx is declared) and
        the declared error responses."""
        keys = {_status(code): code for code in responses}
        success = sorted(status for status in keys if re.fullmatch(r"2[0-9][0-9]", status))
        success += [status for status in keys if status == "2XX"]
        if not success and "default" in keys:
            success = ["default"]
        chosen: tuple[str, Any] | None = None
        empty = False
        for status in success:
            status_pointer = f"{pointer}/responses/{_escape_pointer(str(keys[status]))}"
            content = (self._deref(responses[keys[status]], status_pointer) or {}).get("content") or {}
            if not content:
                empty = True
            elif chosen is None:
                chosen = status_pointer, content
            elif _schemas(content) != _schemas(chosen[1]):
                self.report.warn(
                    status_pointer,
                    "only the first success response with content sets the return type; "
                    "this one is decoded as that type",
                )
        response = self._response(chosen[1], chosen[0], hint, empty) if chosen else None
        errors = tuple(
            self._error_response(
                status,
                responses[keys[status]],
                f"{pointer}/responses/{_escape_pointer(str(keys[status]))}",
                hint,
            )
            for status in keys
            if status not in success and (status[0] in "45" or status == "default")
        )
        return response, errors

    def _response(self, content: dict[Any, Any], pointer: str, hint: str, may_be_empty: bool) -> Response:
        content_type = str(
            min(content, key=lambda kind: _RESPONSE_RANK[_media_format(str(kind), _schema_of(content[kind]))])
        )
        schema = _schema_of(content[content_type])
        format = _media_format(content_type, schema)
        media_pointer = f"{pointer}/content/{_escape_pointer(content_type)}"
        if format == "json":
            type_ref = self._type(schema, media_pointer + "/schema", f"{hint} response")
            return Response(
                type_ref, "json", SpecText(_sent_content_type(content_type, format)), may_be_empty
            )
        if format == "text":
            if not _is_string_schema(schema):
                self.report.warn(
                    media_pointer,
                    f"responses of type {content_type} are returned as text; the schema is not used",
                )
            return Response(Primitive("string"), "text", SpecText(content_type), False)
        if schema is not None and not _is_binary_schema(schema):
            self.report.warn(
                media_pointer,
                f"responses of type {content_type} are returned as bytes; the schema is not used",
            )
        return Response(Binary(), "binary", SpecText(content_type), False)

    def _error_response(self, status: str, raw: Any, status_pointer: str, hint: str) -> ErrorResponse:
        raw = self._deref(raw, status_pointer) or {}
        content = raw.get("content") or {}
        json_types = [kind for kind in content if _media_format(str(kind), None) == "json"]
        type_ref = None
        if json_types:
            media_pointer = f"{status_pointer}/content/{_escape_pointer(str(json_types[0]))}/schema"
            type_ref = self._type(_schema_of(content[json_types[0]]), media_pointer, f"{hint} {status} error")
        return ErrorResponse(status, type_ref, _text(raw.get("description")))

    # --- schemas ------------------------------------------------------------------------------
    #
    # Component schemas that are objects (allOf of objects included) become model classes, string and
    # integer enums become Enum classes, the rest (arrays, maps, unions, primitives) become types. Inline
    # objects and enums become classes too, named after where they stand (`hint`); one class per place.

    def _models(self) -> tuple[Model, ...]:
        for key, raw in self.schemas.items():
            pointer = pointer_of("components", "schemas", key)
            kind = self._component_kind(str(key))
            if kind == "enum":
                self._register(_enum_model(str(key), raw), pointer)
            elif kind == "object":
                self._register(self._object(str(key), raw, pointer), pointer)
            else:
                if isinstance(raw, dict) and "enum" in raw:
                    self.report.warn(
                        pointer, "only string and integer enums become Enum classes; typed as the base type"
                    )
                # Types are made where they are used; this reports what they cannot express even unused.
                self._type(raw, pointer, str(key), frozenset({str(key)}))
        return tuple(self.models.values())

    def _register(self, model: Model, pointer: str) -> ModelRef:
        self.models[model.key] = model
        self.model_at[pointer] = model.key
        return ModelRef(model.key)

    def _inline_key(self, hint: str) -> str:
        key, number = hint, 2
        while key in self.models or key in self.schemas:
            key, number = f"{hint} {number}", number + 1
        return key

    def _component_kind(self, key: str) -> Literal["enum", "object", "type"]:
        if key not in self._component_kinds:
            self._component_kinds[key] = "type"  # while deciding: a cycle through allOf is not an object
            raw = self.schemas[key]
            kind: Literal["enum", "object", "type"] = "type"
            if _enum_kind(raw) is not None:
                kind = "enum"
            elif self._is_object(raw):
                kind = "object"
            self._component_kinds[key] = kind
        return self._component_kinds[key]

    def _is_object(self, schema: Any) -> bool:
        """Whether a schema describes an object with named properties, directly or through allOf."""
        if not isinstance(schema, dict):
            return False
        if "$ref" in schema:
            key = _component_key(str(schema["$ref"]))
            return key in self.schemas and self._component_kind(key) == "object"
        if "allOf" in schema:
            parts = [part for part in schema["allOf"] if not _is_annotation_only(part)]
            if not parts or not all(self._is_object(part) for part in parts):
                return False
            # A lone part without fields of its own is the reference it wraps, not a new class.
            return len(parts) > 1 or _has_own_fields(schema)
        if "oneOf" in schema or "anyOf" in schema or "enum" in schema:
            return False
        is_object = _schema_type(schema) == "object" or "properties" in schema
        return is_object and (bool(schema.get("properties")) or "additionalProperties" not in schema)

    def _object(self, key: str, raw: dict[str, Any], pointer: str) -> ObjectModel:
        properties = self._object_properties(raw, pointer, key, frozenset())
        return ObjectModel(key, _text(raw.get("description")), tuple(properties.values()))

    def _object_properties(
        self, raw: dict[str, Any], pointer: str, hint: str, seen: frozenset[str]
    ) -> dict[str, Property]:
        """The properties of an object schema, those of its allOf parts merged in order."""
        properties: dict[str, Property] = {}
        for index, part in enumerate(raw.get("allOf") or []):
            part_pointer = f"{pointer}/allOf/{index}"
            if isinstance(part, dict) and "$ref" in part:
                key = _component_key(str(part["$ref"]))
                if key in seen or key not in self.schemas:
                    continue
                part, part_pointer, seen = (
                    self.schemas[key],
                    pointer_of("components", "schemas", key),
                    seen | {key},
                )
            if isinstance(part, dict):
                properties.update(self._object_properties(part, part_pointer, hint, seen))
        required = set(raw.get("required") or [])
        for name, schema in (raw.get("properties") or {}).items():
            schema_dict = schema if isinstance(schema, dict) else {}
            # A property the server sets (readOnly) or never returns (writeOnly) is never required of the
            # model, which serves requests and responses alike.
            one_way = schema_dict.get("readOnly") is True or schema_dict.get("writeOnly") is True
            properties[str(name)] = Property(
                name=SpecText(str(name)),
                type=self._type(
                    schema, f"{pointer}/properties/{_escape_pointer(str(name))}", f"{hint} {name}"
                ),
                required=name in required and not one_way,
                description=_text(schema_dict.get("description")),
            )
        for name in required - (raw.get("properties") or {}).keys():
            if name in properties:  # required here, defined by an allOf part
                inherited = properties[name]
                properties[name] = Property(inherited.name, inherited.type, True, inherited.description)
        return properties

    def _type(self, schema: Any, pointer: str, hint: str, seen: frozenset[str] = frozenset()) -> TypeRef:
        if not isinstance(schema, dict):
            return AnyValue()
        if "$ref" in schema:
            return self._ref_type(str(schema["$ref"]), pointer, seen)
        nullable = schema.get("nullable") is True or _allows_null(schema)
        inner = self._inline_type(schema, pointer, hint, seen)
        return Nullable(inner) if nullable and not isinstance(inner, (AnyValue, Nullable)) else inner

    def _ref_type(self, ref: str, pointer: str, seen: frozenset[str]) -> TypeRef:
        key = _component_key(ref)
        if key not in self.schemas:
            self.report.warn(pointer, f"$ref {ref!r} is not a schema under components/schemas; typed as Any")
            return AnyValue()
        if self._component_kind(key) != "type":
            return ModelRef(key)
        if key in seen:
            self.report.warn(pointer, f"the schema {key!r} refers to itself; typed as Any")
            return AnyValue()
        return self._type(self.schemas[key], pointer_of("components", "schemas", key), key, seen | {key})

    def _inline_type(self, schema: dict[str, Any], pointer: str, hint: str, seen: frozenset[str]) -> TypeRef:
        if pointer in self.model_at:
            return ModelRef(self.model_at[pointer])
        if "allOf" in schema:
            return self._all_of(schema, pointer, hint, seen)
        if "oneOf" in schema or "anyOf" in schema:
            return self._union(schema, pointer, hint, seen)
        kind = _schema_type(schema)
        if "enum" in schema and _enum_kind(schema) is not None:
            return self._register(_enum_model(self._inline_key(hint), schema), pointer)
        if kind == "array":
            return ArrayOf(self._type(schema.get("items"), pointer + "/items", f"{hint} item", seen))
        if self._is_object(schema):
            return self._register(self._object(self._inline_key(hint), schema, pointer), pointer)
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                return MapOf(self._type(extra, pointer + "/additionalProperties", f"{hint} value", seen))
            return MapOf(AnyValue())
        primitive = _PRIMITIVE_KINDS.get(kind or "")
        if primitive is not None:
            return Primitive(primitive, str(schema["format"]) if "format" in schema else None)
        return AnyValue()

    def _all_of(self, schema: dict[str, Any], pointer: str, hint: str, seen: frozenset[str]) -> TypeRef:
        if self._is_object(schema):
            return self._register(self._object(self._inline_key(hint), schema, pointer), pointer)
        parts = [(i, part) for i, part in enumerate(schema["allOf"]) if not _is_annotation_only(part)]
        if len(parts) == 1:  # `allOf: [$ref]` is the usual way to add a description to a reference
            index, part = parts[0]
            return self._type(part, f"{pointer}/allOf/{index}", hint, seen)
        self.report.warn(
            pointer, "allOf of schemas that are not all objects is not supported yet; typed as Any"
        )
        return AnyValue()

    def _union(self, schema: dict[str, Any], pointer: str, hint: str, seen: frozenset[str]) -> TypeRef:
        keyword = "oneOf" if "oneOf" in schema else "anyOf"
        options: list[TypeRef] = []
        nullable = False
        for index, option in enumerate(schema[keyword] or []):
            if isinstance(option, dict) and _schema_type(option) == "null" or option == {"nullable": True}:
                nullable = True
                continue
            type_ref = self._type(option, f"{pointer}/{keyword}/{index}", f"{hint} option {index + 1}", seen)
            if isinstance(type_ref, Nullable):
                nullable, type_ref = True, type_ref.inner
            if type_ref not in options:
                options.append(type_ref)
        if not options or any(isinstance(option, AnyValue) for option in options):
            union: TypeRef = AnyValue()
        else:
            union = options[0] if len(options) == 1 else Union(tuple(options))
        return Nullable(union) if nullable and not isinstance(union, AnyValue) else union

    # --- references ---------------------------------------------------------------------------

    def _deref(self, value: Any, pointer: str) -> Any:
        """Follow local `$ref`s of non-schema objects (parameters, responses, bodies, path items)."""
        for _ in range(32):
            if not isinstance(value, dict) or "$ref" not in value:
                return value
            target = self._resolve(str(value["$ref"]))
            if target is None:
                self.report.warn(pointer, f"cannot resolve $ref {value['$ref']!r}; left out")
                return None
            value = target
        self.report.warn(pointer, "$ref chain too long or circular; left out")
        return None

    def _resolve(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            return None
        node: Any = self.doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return node

    def _servers(self) -> list[Server]:
        servers = []
        for raw in self.doc.get("servers") or []:
            url = str(raw.get("url", ""))
            for name, variable in (raw.get("variables") or {}).items():
                url = url.replace("{" + str(name) + "}", str(variable.get("default", "")))
            servers.append(Server(SpecText(url), _text(raw.get("description"))))
        return servers


def _media_format(content_type: str, schema: Any) -> BodyFormat:
    """How content of a media type is encoded: JSON (also for a wildcard with a non-binary schema), form
    fields, multipart, text (`text/*`, or a string schema), or bytes."""
    base = content_type.split(";")[0].strip().lower()
    if base == "application/json" or (base.startswith("application/") and base.endswith("+json")):
        return "json"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base == "multipart/form-data":
        return "multipart"
    if base.startswith("text/") or _TEXT_MEDIA.fullmatch(base):
        return "text"
    if base in ("*/*", "application/*") and schema is not None and not _is_binary_schema(schema):
        return "json"
    if not _BINARY_MEDIA.fullmatch(base) and isinstance(schema, dict) and _schema_type(schema) == "string":
        return "binary" if schema.get("format") == "binary" else "text"
    return "binary"


def _sent_content_type(content_type: str, format: BodyFormat) -> str:
    """The content type to send or accept: JSON for a wildcard read as JSON, else as the spec names it."""
    return "application/json" if format == "json" and "*" in content_type else content_type


def _schemas(content: dict[Any, Any]) -> dict[str, Any]:
    return {str(kind): _schema_of(media) for kind, media in content.items()}


def _schema_of(media: Any) -> Any:
    return media.get("schema") if isinstance(media, dict) else None


def _media_type(media_pointer: str) -> str:
    return media_pointer.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")


def _is_string_schema(schema: Any) -> bool:
    """Whether text can stand for the schema: no schema, or a string one."""
    return not isinstance(schema, dict) or not schema or _schema_type(schema) == "string"


def _is_binary_schema(schema: Any) -> bool:
    """Whether a schema describes raw bytes: a string (binary, or without format), or nothing at all."""
    return isinstance(schema, dict) and (
        not schema or (_schema_type(schema) == "string" and schema.get("format") in (None, "binary", "byte"))
    )


def _status(code: Any) -> str:
    """A response key as OpenAPI means it: `200`, `4XX` or `default`."""
    text = str(code)
    return "default" if text.lower() == "default" else text.upper()


def _enum_kind(schema: Any) -> Literal["string", "integer"] | None:
    """The kind of a schema that becomes an Enum class, or None when it does not."""
    if not isinstance(schema, dict) or "$ref" in schema or "enum" not in schema:
        return None
    kind = _schema_type(schema)
    values = [value for value in schema["enum"] if value is not None]
    if kind == "string" and all(isinstance(value, str) for value in values):
        return "string"
    if kind == "integer" and all(isinstance(value, int) and not isinstance(value, bool) for value in values):
        return "integer"
    return None


def _enum_model(key: str, raw: dict[str, Any]) -> EnumModel:
    kind = _enum_kind(raw)
    assert kind is not None
    values = tuple(SpecText(str(value)) for value in raw["enum"] if value is not None)
    return EnumModel(key, _text(raw.get("description")), values, kind)


def _component_key(ref: str) -> str:
    return (
        ref[len(_SCHEMA_REF) :].replace("~1", "/").replace("~0", "~") if ref.startswith(_SCHEMA_REF) else ""
    )


_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "nullable",
        "readOnly",
        "writeOnly",
        "deprecated",
        "example",
        "examples",
        "default",
        "externalDocs",
        "xml",
    }
)


def _is_annotation_only(schema: Any) -> bool:
    """Whether an allOf part only annotates (a description, nullable) and adds no structure."""
    return isinstance(schema, dict) and all(key in _ANNOTATIONS or key.startswith("x-") for key in schema)


def _has_own_fields(schema: dict[str, Any]) -> bool:
    return bool(schema.get("properties")) or bool(schema.get("required"))


def _schema_type(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        non_null = [k for k in kind if k != "null"]
        return str(non_null[0]) if len(non_null) == 1 else None
    return str(kind) if kind is not None else None


def _allows_null(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return isinstance(kind, list) and "null" in kind


def _escape_pointer(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")
