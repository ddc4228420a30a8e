"""Model stage: the spec as frozen dataclasses, with every string from the spec kept as SpecText.

Later stages never look at the raw document again. Anything this stage cannot express yet becomes a
warning naming its JSON pointer, and the rest of the spec is still modelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from generator.load import Source
from generator.problems import Report, pointer_of
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
    other_flows: tuple[SpecText, ...]
    """The scheme's other OAuth 2.0 flows, which the SDK does not use."""


@dataclass(frozen=True)
class HttpScheme:
    key: SpecText
    description: SpecText | None
    scheme: Literal["bearer", "basic"]


@dataclass(frozen=True)
class ApiKeyScheme:
    key: SpecText
    description: SpecText | None
    name: SpecText
    location: Literal["header", "query", "cookie"]


SecurityScheme = ClientCredentialsScheme | HttpScheme | ApiKeyScheme


@dataclass(frozen=True)
class SchemeUse:
    """One scheme of a security requirement, with the OAuth scopes the requirement names."""

    scheme: SpecText
    scopes: tuple[SpecText, ...]


Requirement = tuple[SchemeUse, ...]
"""Schemes that are used together; an empty requirement needs no credentials."""


@dataclass(frozen=True)
class Parameter:
    name: SpecText
    location: Literal["path", "query", "header"]
    required: bool
    type: TypeRef
    description: SpecText | None


@dataclass(frozen=True)
class RequestBody:
    type: TypeRef
    required: bool
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
    response: TypeRef | None
    """The type of the success response body; None when it has no content."""
    security: tuple[Requirement, ...]
    """Alternative security requirements, any one of which suffices; empty when none is needed."""


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
    schemes: tuple[SecurityScheme, ...]
    """The security schemes the SDK supports, in the spec's order."""
    tags: tuple[Tag, ...]
    operations: tuple[Operation, ...]
    models: tuple[Model, ...]


DEFAULT_TAG = "default"
_CONTROLLED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple"}
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
        self.schemes: dict[str, SecurityScheme] = {}

    def api(self) -> Api:
        info = self.doc["info"]
        self.schemes = self._schemes()
        self._models()
        tags = {str(tag["name"]): _text(tag.get("description")) for tag in self.doc.get("tags", [])}
        operations = self._operations()
        for operation in operations:
            tags.setdefault(operation.tag.raw, None)
        return Api(
            title=SpecText(str(info["title"])),
            version=SpecText(str(info["version"])),
            description=_text(info.get("description")),
            servers=tuple(self._servers()),
            schemes=tuple(self.schemes.values()),
            tags=tuple(Tag(SpecText(name), description) for name, description in tags.items()),
            operations=operations,
            models=tuple(self.models.values()),
        )

    # --- security -----------------------------------------------------------------------------

    def _schemes(self) -> dict[str, SecurityScheme]:
        schemes: dict[str, SecurityScheme] = {}
        raw_schemes = self.doc.get("components", {}).get("securitySchemes", {}) or {}
        for key, raw in raw_schemes.items():
            pointer = pointer_of("components", "securitySchemes", key)
            scheme = self._scheme(str(key), self._deref(raw, pointer), pointer)
            if scheme is not None:
                schemes[str(key)] = scheme
        if not any(isinstance(scheme, ClientCredentialsScheme) for scheme in schemes.values()):
            names = ", ".join(repr(key) for key in schemes)
            outcome = f"the SDK authenticates with {names} only" if names else "the SDK sends no credentials"
            self.report.warn(
                "/components/securitySchemes", f"no OAuth 2.0 scheme with a clientCredentials flow; {outcome}"
            )
        return schemes

    def _scheme(self, key: str, raw: Any, pointer: str) -> SecurityScheme | None:
        if not isinstance(raw, dict):
            return None
        kind = raw.get("type")
        description = _text(raw.get("description"))
        if kind == "oauth2":
            return self._oauth2(key, raw, pointer)
        http_scheme = str(raw.get("scheme", "")).lower()
        if kind == "http" and http_scheme in ("bearer", "basic"):
            return HttpScheme(SpecText(key), description, "bearer" if http_scheme == "bearer" else "basic")
        location = raw.get("in")
        if kind == "apiKey" and location in ("header", "query", "cookie") and raw.get("name"):
            return ApiKeyScheme(SpecText(key), description, SpecText(str(raw["name"])), location)
        what = f"http {http_scheme}" if kind == "http" else str(kind)
        self.report.warn(
            pointer, f"{what} security schemes are not supported; operations that need only this one "
            "are called without credentials"
        )
        return None

    def _oauth2(self, key: str, raw: dict[str, Any], pointer: str) -> ClientCredentialsScheme | None:
        flows: dict[str, Any] = raw["flows"] if isinstance(raw.get("flows"), dict) else {}
        other_flows = tuple(sorted(str(name) for name in flows if name != "clientCredentials"))
        flow = flows.get("clientCredentials")
        if not isinstance(flow, dict):
            self.report.warn(
                pointer, f"OAuth 2.0 scheme without a clientCredentials flow ({', '.join(other_flows)}) "
                "is not supported; operations that need only this one are called without credentials"
            )
            return None
        if other_flows:
            self.report.warn(
                f"{pointer}/flows", f"only the clientCredentials flow is used; {', '.join(other_flows)} not handled"
            )
        scopes: dict[Any, Any] = flow["scopes"] if isinstance(flow.get("scopes"), dict) else {}
        return ClientCredentialsScheme(
            key=SpecText(key),
            description=_text(raw.get("description")),
            token_url=SpecText(str(flow.get("tokenUrl") or "")),
            refresh_url=_text(flow.get("refreshUrl") or None),
            scopes=tuple(
                Scope(SpecText(str(name)), SpecText(str(text or ""))) for name, text in scopes.items()
            ),
            other_flows=tuple(SpecText(flow) for flow in other_flows),
        )

    def _security(self, security: Any, pointer: str) -> tuple[Requirement, ...]:
        """The requirements the SDK can meet; the schemes it cannot use are left out with a warning."""
        if not isinstance(security, list) or not security:
            return ()
        declared = self.doc.get("components", {}).get("securitySchemes", {}) or {}
        requirements: list[Requirement] = []
        for requirement in security:
            requirement = requirement if isinstance(requirement, dict) else {}
            for name in requirement:
                if name not in declared:
                    self.report.warn(pointer, f"security requirement names the undefined scheme {name!r}")
            usable = [str(name) for name in requirement if str(name) in self.schemes]
            if len(usable) < len(requirement) and not usable:
                continue  # no scheme of this alternative can be used: another alternative must do
            uses = tuple(self._scheme_use(name, requirement[name], pointer) for name in usable)
            authorizing = [use.scheme.raw for use in uses if not isinstance(self.schemes[use.scheme.raw], ApiKeyScheme)]
            if len(authorizing) > 1:
                self.report.warn(
                    pointer,
                    f"a requirement combines schemes that all set the Authorization header "
                    f"({', '.join(map(repr, authorizing))}); a request carries one: the OAuth token if the "
                    "requirement has one, else the last scheme's credentials",
                )
            if uses not in requirements:
                requirements.append(uses)
        if not requirements:
            self.report.warn(
                pointer, "no security requirement of the operation can be met; it is called without credentials"
            )
        return tuple(requirements)

    def _scheme_use(self, name: str, scopes: Any, pointer: str) -> SchemeUse:
        scheme = self.schemes[name]
        names = tuple(str(scope) for scope in scopes or ()) if isinstance(scopes, list) else ()
        if isinstance(scheme, ClientCredentialsScheme):
            declared = {scope.value.raw for scope in scheme.scopes}
            undeclared = [scope for scope in names if scope not in declared]
            if undeclared:
                self.report.warn(
                    pointer,
                    f"scopes the scheme {name!r} does not declare: {', '.join(map(repr, undeclared))}; "
                    "requested as written",
                )
        return SchemeUse(SpecText(name), tuple(SpecText(scope) for scope in names))

    # --- operations ---------------------------------------------------------------------------

    def _operations(self) -> tuple[Operation, ...]:
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
                built = self._operation(path, method, item[method], shared)
                if built is not None:
                    operations.append(built)
        return tuple(operations)

    def _operation(
        self, path: str, method: str, raw: dict[str, Any], shared: list[Any]
    ) -> Operation | None:
        pointer = pointer_of("paths", path, method)
        hint = str(raw.get("operationId") or f"{method} {path}")
        parameters = self._parameters(shared, raw.get("parameters", []), pointer, hint)
        if parameters is None:
            return None
        body = self._request_body(raw.get("requestBody"), pointer, hint)
        if body is False:
            return None
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
            response=self._response(raw.get("responses") or {}, pointer, hint),
            security=self._security(security, pointer),
        )

    def _parameters(
        self, shared: list[Any], own: list[Any], pointer: str, hint: str
    ) -> tuple[Parameter, ...] | None:
        by_place: dict[tuple[str, str], Parameter] = {}
        for index, raw in [
            (f"{pointer.rsplit('/', 1)[0]}/parameters/{i}", p) for i, p in enumerate(shared)
        ] + [(f"{pointer}/parameters/{i}", p) for i, p in enumerate(own)]:
            raw = self._deref(raw, index)
            if raw is None:
                continue
            location = raw.get("in")
            if location not in ("path", "query", "header"):
                message = f"{location} parameters are not supported yet"
                if raw.get("required"):
                    self.report.warn(index, message + "; the operation needs one and is left out")
                    return None
                self.report.warn(index, message + "; the parameter is left out")
                continue
            if location == "header" and str(raw.get("name", "")).lower() in _CONTROLLED_HEADERS:
                # OpenAPI: such header parameters are ignored; the client sets these headers itself.
                self.report.warn(
                    index,
                    f"header parameter {raw['name']!r} is ignored, as OpenAPI prescribes; "
                    "set it in the headers of the http_client given to the client",
                )
                continue
            if raw.get("style", _DEFAULT_STYLE[location]) != _DEFAULT_STYLE[location] or raw.get(
                "explode", location == "query"
            ) != (location == "query"):
                self.report.warn(
                    index,
                    "parameter style and explode options are not supported yet; sent in the default style",
                )
            type_ref = self._parameter_type(raw, index, f"{hint} {raw.get('name', '')}")
            if type_ref is None:
                if raw.get("required"):
                    self.report.warn(
                        index, "the parameter's schema is not supported yet; the operation is left out"
                    )
                    return None
                self.report.warn(
                    index, "the parameter's schema is not supported yet; the parameter is left out"
                )
                continue
            parameter = Parameter(
                name=SpecText(str(raw["name"])),
                location=location,
                required=bool(raw.get("required", location == "path")),
                type=type_ref,
                description=_text(raw.get("description")),
            )
            by_place[(location, str(raw["name"]).lower() if location == "header" else str(raw["name"]))] = (
                parameter
            )
        return tuple(by_place.values())

    def _parameter_type(self, raw: dict[str, Any], pointer: str, hint: str) -> TypeRef | None:
        if "schema" not in raw:
            return None
        type_ref = self._type(raw["schema"], pointer + "/schema", hint)
        inner = type_ref.inner if isinstance(type_ref, Nullable) else type_ref
        scalar = (Primitive, ModelRef)
        if isinstance(inner, ModelRef) and not isinstance(self.models.get(inner.key), EnumModel):
            return None
        if isinstance(inner, scalar) or (isinstance(inner, ArrayOf) and isinstance(inner.items, scalar)):
            return type_ref
        return None

    def _request_body(self, raw: Any, pointer: str, hint: str) -> RequestBody | None | Literal[False]:
        if raw is None:
            return None
        pointer += "/requestBody"
        raw = self._deref(raw, pointer)
        if raw is None:
            return False
        media = _json_media(raw.get("content") or {})
        if media is None:
            kinds = ", ".join(sorted(str(kind) for kind in raw.get("content") or {}))
            self.report.warn(
                pointer, f"request bodies of type {kinds} are not supported yet; the operation is left out"
            )
            return False
        content_type, schema = media
        return RequestBody(
            type=self._type(
                schema, f"{pointer}/content/{_escape_pointer(content_type)}/schema", f"{hint} body"
            ),
            required=bool(raw.get("required", False)),
            description=_text(raw.get("description")),
        )

    def _response(self, responses: dict[Any, Any], pointer: str, hint: str) -> TypeRef | None:
        success = sorted(str(code) for code in responses if str(code).startswith("2"))
        if not success:
            return None
        code = success[0]
        response_pointer = f"{pointer}/responses/{_escape_pointer(code)}"
        raw = responses.get(code, responses.get(int(code)) if code.isdigit() else None)
        raw = self._deref(raw, response_pointer)
        content = (raw or {}).get("content") or {}
        if not content:
            return None
        media = _json_media(content)
        if media is None:
            kinds = ", ".join(sorted(str(kind) for kind in content))
            self.report.warn(response_pointer, f"responses of type {kinds} are returned as bytes")
            return Binary()
        content_type, schema = media
        return self._type(
            schema, f"{response_pointer}/content/{_escape_pointer(content_type)}/schema", f"{hint} response"
        )

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


def _json_media(content: dict[Any, Any]) -> tuple[str, Any] | None:
    for content_type, media in content.items():
        base = str(content_type).split(";")[0].strip().lower()
        if base == "application/json" or (base.startswith("application/") and base.endswith("+json")):
            return str(content_type), (media or {}).get("schema")
    return None


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
