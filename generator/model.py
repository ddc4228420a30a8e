"""Model stage: the spec as frozen dataclasses, with every string from the spec kept as SpecText.

Later stages never look at the raw document again. Anything this stage cannot express yet becomes a
warning naming its JSON pointer, and the rest of the spec is still modelled.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any, Literal

from generator.load import Source
from generator.problems import Report, pointer_of
from generator.samples import NoSample, Sampler
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
    discriminator: SpecText | None = None
    """The property whose value tells the options apart; each option is an object model that types it
    as the values naming that option."""


@dataclass(frozen=True)
class LiteralOf:
    """One of a few fixed values (`const`, a discriminator property), each as JSON text."""

    values: tuple[SpecText, ...]


TypeRef = Primitive | ArrayOf | MapOf | ModelRef | AnyValue | Binary | Nullable | Union | LiteralOf


@dataclass(frozen=True)
class Property:
    name: SpecText
    type: TypeRef
    required: bool
    description: SpecText | None
    default: SpecText | None = None
    """The schema's `default` as JSON text."""
    read_only: bool = False
    write_only: bool = False


@dataclass(frozen=True)
class ObjectModel:
    key: str
    description: SpecText | None
    properties: tuple[Property, ...]
    extra: TypeRef | None = None
    """The type of the values of undeclared properties, when additionalProperties gives one."""


@dataclass(frozen=True)
class EnumModel:
    key: str
    description: SpecText | None
    values: tuple[SpecText, ...]
    kind: Literal["string", "integer"]


@dataclass(frozen=True)
class AliasModel:
    """A component schema that is neither an object nor an enum and refers to itself (through arrays,
    unions or the objects in them): named, so that its type can refer to it."""

    key: str
    description: SpecText | None
    type: TypeRef


Model = ObjectModel | EnumModel | AliasModel


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
    client_authentication: str = "client_secret_basic"
    """How the client authenticates to the token endpoint unless its credentials say otherwise: one of
    `CLIENT_AUTHENTICATIONS`, from the scheme's `x-client-authentication`."""


@dataclass(frozen=True)
class UserTokenScheme:
    """An OAuth 2.0 scheme without a client-credentials flow, or an OpenID Connect scheme: its access tokens
    come from a flow a user goes through (authorization code, implicit, password, device code) outside the
    SDK, which uses the tokens it is given and renews them with the refresh grant when it can."""

    key: SpecText
    description: SpecText | None
    kind: Literal["oauth2", "openIdConnect"]
    flows: tuple[SpecText, ...]
    """The scheme's OAuth 2.0 flows; none for OpenID Connect."""
    authorization_url: SpecText | None
    """Where the user is sent to grant access (the first flow's `authorizationUrl`)."""
    token_url: SpecText | None
    """Where an authorization code or a user's password is exchanged for a token (the first `tokenUrl`)."""
    refresh_url: SpecText | None
    """Where the refresh grant is sent: the flows' `refreshUrl`, else their `tokenUrl`; None without either."""
    scopes: tuple[Scope, ...]
    """The scopes of all its flows."""
    open_id_connect_url: SpecText | None = None
    client_authentication: str = "client_secret_basic"
    """How the client authenticates to the token endpoint for the refresh grant, as for client credentials."""


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


SecurityScheme = ClientCredentialsScheme | UserTokenScheme | HttpScheme | ApiKeyScheme

CLIENT_AUTHENTICATION_EXTENSION = "x-client-authentication"
CLIENT_AUTHENTICATIONS = (
    "client_secret_basic",
    "client_secret_post",
    "private_key_jwt",
    "tls_client_auth",
    "self_signed_tls_client_auth",
)
"""The client authentication methods of the generated SDK, named as in RFC 7591's `token_endpoint_auth_method`."""


@dataclass(frozen=True)
class SchemeUse:
    """One scheme of a security requirement, with the OAuth scopes the requirement names."""

    scheme: SpecText
    scopes: tuple[SpecText, ...]


Requirement = tuple[SchemeUse, ...]
"""Schemes that are used together; an empty requirement needs no credentials."""


@dataclass(frozen=True)
class Example:
    """A value that conforms to a schema, for the SDK's own tests: its JSON text (from the spec's examples,
    defaults or enums, else made from the schema), or why none could be found."""

    json: SpecText | None
    problem: SpecText | None = None


ParameterLocation = Literal["path", "query", "header", "cookie"]
NestedEncoding = Literal["json", "brackets"]
"""How a parameter's values nested deeper than its style defines are written: as JSON text, or (deepObject)
as `name[key][inner]=value` with arrays repeated."""
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
    nested: NestedEncoding | None = None
    """How values nested deeper than the style defines are written; None when the type has none."""
    example: Example | None = None
    """A value to call the operation with, when the parameter is required."""


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
    example: Example | None = None
    """A body to call the operation with, when the body is required: for form and multipart bodies, an
    object of its fields."""


@dataclass(frozen=True)
class Response:
    """The success response an operation returns."""

    type: TypeRef
    format: ResponseFormat
    content_type: SpecText
    may_be_empty: bool
    """Whether another success status without content is declared (the JSON body may be absent)."""
    media_types: tuple[SpecText, ...] = ()
    """Every media type the response is declared in, the one read included."""


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
    security: tuple[Requirement, ...]
    """Alternative security requirements, any one of which suffices; empty when none is needed."""
    accept: SpecText
    """The Accept header: the media type of the success response as the spec names it, or the value a
    header parameter fixes."""
    headers: tuple[tuple[SpecText, SpecText], ...] = ()
    """Headers sent as the spec fixes them, by name: a `Content-Type` of an operation without a body."""
    declares_success: bool = True
    """Whether the spec declares a success answer (a 2xx, or `default`); otherwise every answer raises."""
    unsatisfiable: SpecText | None = None
    """Why no request can be what the spec asks for, when the spec contradicts itself."""


@dataclass(frozen=True)
class Tag:
    name: SpecText
    description: SpecText | None


@dataclass(frozen=True)
class Server:
    url: SpecText
    description: SpecText | None


@dataclass(frozen=True)
class License:
    name: SpecText | None
    identifier: SpecText | None
    """An SPDX license expression (OpenAPI 3.1)."""


@dataclass(frozen=True)
class Contact:
    name: SpecText | None
    email: SpecText | None
    url: SpecText | None


@dataclass(frozen=True)
class Api:
    title: SpecText
    version: SpecText
    description: SpecText | None
    servers: tuple[Server, ...]
    license: License | None
    contact: Contact | None
    schemes: tuple[SecurityScheme, ...]
    """The security schemes the SDK supports, in the spec's order."""
    tags: tuple[Tag, ...]
    operations: tuple[Operation, ...]
    models: tuple[Model, ...]


DEFAULT_TAG = "default"
_CONTROLLED_HEADERS = frozenset({"accept", "content-type", "authorization"})
"""Header parameters OpenAPI says to ignore: the client sets these headers itself."""
_TRANSPORT_HEADERS = frozenset({"content-length", "transfer-encoding", "host", "connection"})
"""Header parameters that describe the message, which the HTTP client writes for the request it sends."""
_FIXABLE_HEADERS = frozenset({"accept", "content-type"})
"""Ignored header parameters whose value is still sent when the schema allows one value only (or gives a
default): vendor media types that servers enforce."""
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
@dataclass(frozen=True)
class _Parameters:
    """An operation's parameters, and what its other header parameters say."""

    parameters: tuple[Parameter, ...]
    fixed_headers: dict[str, SpecText]
    """The values of the `Accept` and `Content-Type` headers the parameters fix, by lower-case name."""
    unsendable: tuple[str, ...]
    """Required path parameters that are not in the path."""


_KNOWN_DIALECTS = ("https://spec.openapis.org/oas/3.1/dialect/base", "https://json-schema.org/draft/2020-12/schema")


_Kind = Literal["alias", "enum", "object", "type", "deciding"]
_MAX_REF_CHAIN = 32


@dataclass
class _Declaration:
    """Where a property of an object is declared, and annotations later allOf parts added to it."""

    schema: Any
    pointer: str
    hint: str
    annotations: dict[str, Any]


@dataclass
class _Fields:
    """What the parts of an object schema declare, merged."""

    declarations: dict[str, _Declaration] = field(default_factory=dict)
    required: dict[str, str] = field(default_factory=dict)
    """Each required name, and the pointer of the first `required` list naming it."""
    extra: tuple[Any, str] | None = None
    """The schema of the values of undeclared properties (additionalProperties), and its pointer."""


def _model_refs(value: Any) -> list[str]:
    """The keys of the models a part of the API refers to, however deep in it."""
    if isinstance(value, ModelRef):
        return [value.key]
    if isinstance(value, (tuple, list)):
        return [key for item in value for key in _model_refs(item)]
    if is_dataclass(value) and not isinstance(value, type):
        return [key for item in fields(value) for key in _model_refs(getattr(value, item.name))]
    return []


def _class_name_key(key: str) -> str:
    """What the naming stage's class name for a key is, ignoring case: `listPets response` → listpetsresponse."""
    ascii_key = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_key.lower())


def _nullable(type_ref: TypeRef) -> TypeRef:
    return type_ref if isinstance(type_ref, (AnyValue, Nullable)) else Nullable(type_ref)


def _union_of(options: list[TypeRef]) -> TypeRef:
    if not options or any(isinstance(option, AnyValue) for option in options):
        return AnyValue()
    return options[0] if len(options) == 1 else Union(tuple(options))


def build(source: Source, report: Report) -> Api:
    """The intermediate model of a validated OpenAPI 3.0/3.1 document."""
    return _Builder(source, report).api()


def _every_option(type_ref: TypeRef, test: Callable[[TypeRef], bool]) -> bool:
    """Whether the test holds for the type, for what a nullable type wraps, and for every option of a union."""
    match type_ref:
        case Nullable(inner):
            return _every_option(inner, test)
        case Union(options):
            return all(_every_option(option, test) for option in options)
    return test(type_ref)


def _first_url(flows: list[dict[str, Any]], name: str) -> SpecText | None:
    """The first non-empty URL of that name among the flows."""
    url = next((flow[name] for flow in flows if isinstance(flow.get(name), str) and flow[name]), None)
    return SpecText(url) if url is not None else None


def _scopes_of(flows: list[dict[str, Any]]) -> tuple[Scope, ...]:
    """The scopes the flows declare, each once, in the order of the spec."""
    scopes: dict[str, SpecText] = {}
    for flow in flows:
        declared = flow.get("scopes")
        for name, text in (declared if isinstance(declared, dict) else {}).items():
            scopes.setdefault(str(name), SpecText(str(text or "")))
    return tuple(Scope(SpecText(name), text) for name, text in scopes.items())


def _license(raw: Any) -> License | None:
    if not isinstance(raw, dict) or not (raw.get("name") or raw.get("identifier")):
        return None
    return License(_text(raw.get("name")), _text(raw.get("identifier")))


def _contact(raw: Any) -> Contact | None:
    if not isinstance(raw, dict):
        return None
    return Contact(_text(raw.get("name")), _text(raw.get("email")), _text(raw.get("url")))


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
        self._component_kinds: dict[str, _Kind] = {}
        self.schemes: dict[str, SecurityScheme] = {}
        self._unwrapping: set[str] = set()
        self._class_names = {_class_name_key(str(key)) for key in self.schemas}
        """The class names taken, as `_class_name_key` gives them."""
        self._discriminator_values: dict[tuple[str, str], list[Any]] = {}
        """The values of each (model key, property) that a discriminator tells options apart by."""
        self._sampler = Sampler(self.doc)
        self._resolving: set[str] = set()
        """The pointers of the schemas whose types are being made, to find those that refer to themselves."""
        self._recursive: set[str] = set()
        """The components found to refer to themselves, which become named aliases."""

    def api(self) -> Api:
        info = self.doc["info"]
        self._check_dialect()
        self.schemes = self._schemes()
        self._models()
        tags = {str(tag["name"]): _text(tag.get("description")) for tag in self.doc.get("tags", [])}
        operations = self._operations()
        if not operations:
            self.report.warn(
                "/paths" if "paths" in self.doc else "", "the spec has no operations: the client has no resources"
            )
        for operation in operations:
            tags.setdefault(operation.tag.raw, None)
        return Api(
            title=SpecText(str(info["title"])),
            version=SpecText(str(info["version"])),
            description=_text(info.get("description")),
            servers=tuple(self._servers()),
            license=_license(info.get("license")),
            contact=_contact(info.get("contact")),
            schemes=tuple(self.schemes.values()),
            tags=tuple(Tag(SpecText(name), description) for name, description in tags.items()),
            operations=operations,
            models=self._finished_models(operations),
        )

    def _check_dialect(self) -> None:
        dialect = self.doc.get("jsonSchemaDialect")
        if dialect is not None and dialect not in _KNOWN_DIALECTS:
            self.report.warn(
                "/jsonSchemaDialect",
                f"schemas are read as OpenAPI 3.1 schemas (JSON Schema 2020-12), not in the dialect {dialect!r}; "
                "keywords whose meaning differs there may be read wrongly",
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
        if kind == "openIdConnect":
            return UserTokenScheme(
                SpecText(key),
                description,
                kind="openIdConnect",
                flows=(),
                authorization_url=None,
                token_url=None,
                refresh_url=None,
                scopes=(),
                open_id_connect_url=_text(raw.get("openIdConnectUrl")),
                client_authentication=self._client_authentication(raw, pointer),
            )
        http_scheme = str(raw.get("scheme", "")).lower()
        if kind == "http" and http_scheme in ("bearer", "basic"):
            return HttpScheme(SpecText(key), description, "bearer" if http_scheme == "bearer" else "basic")
        location = raw.get("in")
        if kind == "apiKey" and location in ("header", "query", "cookie") and raw.get("name"):
            return ApiKeyScheme(SpecText(key), description, SpecText(str(raw["name"])), location)
        what = f"http {http_scheme}" if kind == "http" else str(kind)
        self.report.warn(
            pointer, f"{what} security schemes are not supported; requirements that name this one are skipped"
        )
        return None

    def _oauth2(self, key: str, raw: dict[str, Any], pointer: str) -> ClientCredentialsScheme | UserTokenScheme:
        flows: dict[str, Any] = raw["flows"] if isinstance(raw.get("flows"), dict) else {}
        other_flows = tuple(sorted(str(name) for name in flows if name != "clientCredentials"))
        flow = flows.get("clientCredentials")
        if not isinstance(flow, dict):
            return self._user_token(key, raw, flows, pointer)
        if other_flows:
            self.report.warn(
                f"{pointer}/flows", f"only the clientCredentials flow is used; {', '.join(other_flows)} not handled"
            )
        return ClientCredentialsScheme(
            key=SpecText(key),
            description=_text(raw.get("description")),
            token_url=SpecText(str(flow.get("tokenUrl") or "")),
            refresh_url=_text(flow.get("refreshUrl") or None),
            scopes=_scopes_of([flow]),
            other_flows=tuple(SpecText(flow) for flow in other_flows),
            client_authentication=self._client_authentication(raw, pointer),
        )

    def _user_token(self, key: str, raw: dict[str, Any], flows: dict[str, Any], pointer: str) -> UserTokenScheme:
        """A scheme whose tokens a user's flow obtains: the SDK is given them and refreshes them where the
        flows name a token or refresh URL."""
        flow_objects = [flow for flow in flows.values() if isinstance(flow, dict)]
        token_url = _first_url(flow_objects, "tokenUrl")
        return UserTokenScheme(
            SpecText(key),
            _text(raw.get("description")),
            kind="oauth2",
            flows=tuple(SpecText(str(name)) for name in flows),
            authorization_url=_first_url(flow_objects, "authorizationUrl"),
            token_url=token_url,
            refresh_url=_first_url(flow_objects, "refreshUrl") or token_url,
            scopes=_scopes_of(flow_objects),
            client_authentication=self._client_authentication(raw, pointer),
        )

    def _client_authentication(self, raw: dict[str, Any], pointer: str) -> str:
        if CLIENT_AUTHENTICATION_EXTENSION not in raw:
            return "client_secret_basic"
        value = raw[CLIENT_AUTHENTICATION_EXTENSION]
        for method in CLIENT_AUTHENTICATIONS:
            if value == method:
                return method
        self.report.warn(
            f"{pointer}/{CLIENT_AUTHENTICATION_EXTENSION}",
            f"unknown client authentication {value!r} (expected one of {', '.join(CLIENT_AUTHENTICATIONS)}); "
            "the SDK defaults to client_secret_basic",
        )
        return "client_secret_basic"

    def _security(self, security: Any, pointer: str, security_pointer: str) -> tuple[Requirement, ...]:
        """The requirements the SDK can meet; one naming a scheme the SDK cannot use is left out whole, with a
        warning, since a request carrying only some of its schemes would be refused.

        Problems of one requirement point at it (in the operation or the document-wide `security`);
        what concerns the whole operation points at the operation.
        """
        if not isinstance(security, list) or not security:
            return ()
        declared = self.doc.get("components", {}).get("securitySchemes", {}) or {}
        requirements: list[Requirement] = []
        for index, requirement in enumerate(security):
            requirement = requirement if isinstance(requirement, dict) else {}
            for name in requirement:
                if name not in declared:
                    self.report.warn(
                        f"{security_pointer}/{index}{pointer_of(name)}",
                        f"security requirement names the undefined scheme {name!r}",
                    )
            unusable = [str(name) for name in requirement if str(name) not in self.schemes]
            if unusable:
                # A request must carry every scheme of a requirement: one sent with only some is refused.
                if len(requirement) > 1:
                    self.report.warn(
                        f"{security_pointer}/{index}",
                        f"this requirement is skipped: it needs {', '.join(map(repr, unusable))} as well, "
                        "which the SDK cannot use",
                    )
                continue
            usable = [str(name) for name in requirement]
            uses = tuple(
                self._scheme_use(name, requirement[name], f"{security_pointer}/{index}{pointer_of(name)}")
                for name in usable
            )
            authorizing = [use.scheme.raw for use in uses if not isinstance(self.schemes[use.scheme.raw], ApiKeyScheme)]
            if len(authorizing) > 1:
                self.report.warn(
                    f"{security_pointer}/{index}",
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
        if isinstance(scheme, ClientCredentialsScheme) or (isinstance(scheme, UserTokenScheme) and scheme.scopes):
            declared = {scope.value.raw for scope in scheme.scopes}
            undeclared = [scope for scope in names if scope not in declared]
            if undeclared:
                self.report.warn(
                    pointer,
                    f"scopes the scheme {name!r} does not declare: {', '.join(map(repr, undeclared))}; "
                    + ("requested" if isinstance(scheme, ClientCredentialsScheme) else "expected of its tokens")
                    + " as written",
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
        responses = raw.get("responses") or {}
        answers = self._answer_types(responses)
        found = self._parameters(path, shared, raw.get("parameters", []), pointer, hint, answers)
        if found is None:
            return None
        parameters, fixed = found.parameters, found.fixed_headers
        body = self._request_body(raw.get("requestBody"), pointer, hint)
        if body is False:
            return None
        content_type = fixed.get("content-type")
        if content_type is not None and body is not None:
            # Only a media type of the body's own encoding: JSON labelled as XML would mislead the server.
            if _media_format(content_type.raw, None) == body.format and body.format != "multipart":
                body = replace(body, content_type=content_type)
            content_type = None
        response, errors = self._responses(responses, pointer, hint)
        security = raw["security"] if "security" in raw else self.doc.get("security")
        security_pointer = f"{pointer}/security" if "security" in raw else "/security"
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
            security=self._security(security, pointer, security_pointer),
            accept=fixed.get("accept") or (response.content_type if response else SpecText("application/json")),
            unsatisfiable=self._unsatisfiable(found, response, pointer),
            declares_success=any(_status(code)[0] == "2" or _status(code) == "default" for code in responses),
            headers=((SpecText("Content-Type"), content_type),) if content_type is not None and body is None else (),
        )

    def _parameters(
        self, path: str, shared: list[Any], own: list[Any], pointer: str, hint: str, answers: tuple[str, ...]
    ) -> _Parameters | None:
        """The operation's parameters, its own replacing the path item's; None when it cannot be called."""
        by_place: dict[tuple[str, str], Parameter] = {}
        fixed: dict[str, SpecText] = {}
        unsendable: list[str] = []
        for index, raw in [
            (f"{pointer.rsplit('/', 1)[0]}/parameters/{i}", p) for i, p in enumerate(shared)
        ] + [(f"{pointer}/parameters/{i}", p) for i, p in enumerate(own)]:
            raw, place = self._deref_at(raw, index)
            if raw is None:
                continue
            header = str(raw.get("name", "")).lower() if raw.get("in") == "header" else ""
            if header in _CONTROLLED_HEADERS | _TRANSPORT_HEADERS:
                value = self._ignored_header(raw, place, answers)  # a shared parameter is reported where it stands
                if value is not None:
                    fixed[header] = value
                continue
            parameter = self._parameter(raw, place, _place_hint(place, f"{hint} {raw.get('name', '')}"))
            if parameter is None:
                if raw.get("required"):
                    self.report.warn(index, "the operation needs this parameter and is left out")
                    return None
                continue
            name = parameter.name.raw
            if parameter.location == "path" and name not in _PATH_PARAMETER.findall(path):
                # No placeholder takes the value: an argument for it would be accepted and never sent.
                self.report.warn(
                    index, f"the path parameter {name!r} does not appear in the path {path!r}; it is left out"
                )
                unsendable.append(name)
                continue
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
        return _Parameters(tuple(by_place.values()), fixed, tuple(unsendable))

    def _unsatisfiable(self, found: _Parameters, response: Response | None, pointer: str) -> SpecText | None:
        """Why no call of the operation can satisfy the spec: a required parameter that cannot be sent, or an
        Accept header the spec fixes that none of its answers' media types meets (with a warning)."""
        if found.unsendable:
            names = ", ".join(map(repr, found.unsendable))
            return SpecText(f"the spec declares path parameters that are not in the path ({names}), which no call can send")
        accept = found.fixed_headers.get("accept")
        if accept is None or response is None or any(_accepts(accept.raw, kind.raw) for kind in response.media_types):
            return None
        self.report.warn(
            pointer,
            f"the spec fixes the Accept header as {accept.raw!r} but declares its answer as "
            f"{response.content_type.raw!r}; the SDK asks for {accept.raw!r} and reads the answer as "
            f"{response.format}",
        )
        return SpecText(
            f"the spec fixes the Accept header as {accept.raw!r} but declares its answer as "
            f"{response.content_type.raw!r}, which no mock can serve together"
        )

    def _answer_types(self, responses: Any) -> tuple[str, ...]:
        """The media types of an operation's success answers (its 2xx, else `default`), as the spec writes
        them; read before the answers are modelled, since the Accept header a parameter fixes depends on
        them."""
        statuses = {_status(code): response for code, response in responses.items()} if isinstance(responses, dict) else {}
        success = [response for status, response in statuses.items() if status[0] == "2"]
        kinds: list[str] = []
        for response in success or [statuses.get("default")]:
            response = self._resolve(str(response["$ref"])) if isinstance(response, dict) and "$ref" in response else response
            content = response.get("content") if isinstance(response, dict) else None
            kinds += [str(kind) for kind in (content if isinstance(content, dict) else ())]
        return tuple(dict.fromkeys(kinds))

    def _ignored_header(self, raw: dict[str, Any], pointer: str, answers: tuple[str, ...]) -> SpecText | None:
        """The value to send for a header parameter that is no argument, when its schema fixes one (with a
        warning saying so); None, with a warning, when it is left to the client. `answers` are the media
        types of the operation's success answers, which an Accept value should admit."""
        name = str(raw["name"])
        if name.lower() in _FIXABLE_HEADERS:
            schema = self._deref(raw.get("schema"), pointer + "/schema") or {}
            choices = _header_values(raw, schema)
            if name.lower() == "accept" and answers:
                choices = [choice for choice in choices if any(_accepts(choice[0], kind) for kind in answers)] or choices
            if choices:
                value, why = choices[0]
                self.report.warn(pointer, f"header parameter {name!r} is no argument: it is sent as {value!r}, {why}")
                return SpecText(value)
        if name.lower() in _TRANSPORT_HEADERS:
            self.report.warn(pointer, f"header parameter {name!r} is ignored: the HTTP client writes it for each request")
        else:
            self.report.warn(
                pointer,
                f"header parameter {name!r} is ignored, as OpenAPI prescribes; "
                "set it in the headers of the http_client given to the client",
            )
        return None

    def _parameter(self, raw: dict[str, Any], pointer: str, hint: str) -> Parameter | None:
        """One parameter, where it stands (a shared one in `components`); None (with a warning) when it
        is left out."""
        location = raw.get("in")
        if location not in _STYLES:
            self.report.warn(pointer, f"{location} parameters are not supported; the parameter is left out")
            return None
        if "schema" not in raw:
            self.report.warn(
                pointer, "parameters described by `content` are not supported yet; the parameter is left out"
            )
            return None
        type_ref = self._type(raw["schema"], pointer + "/schema", hint)
        style, explode, nested = self._style(raw, location, type_ref, pointer)
        if raw.get("allowReserved") is True:
            self.report.warn(
                pointer, "allowReserved is not supported yet; reserved characters are percent-encoded"
            )
        required = bool(raw.get("required", location == "path"))
        return Parameter(
            name=SpecText(str(raw["name"])),
            location=location,
            required=required,
            type=type_ref,
            description=_text(raw.get("description")),
            style=style,
            explode=explode,
            nested=nested,
            example=self._example(raw["schema"], raw) if required else None,
        )

    def _style(
        self, raw: dict[str, Any], location: str, type_ref: TypeRef, pointer: str
    ) -> tuple[str, bool, NestedEncoding | None]:
        """The style and explode a parameter is sent with (as declared when its location supports it), and
        how values nested deeper than the style defines are written, with a warning, when it has any."""
        default = _STYLES[location][0]
        style = str(raw.get("style", default))
        explode = bool(raw.get("explode", style == "form"))
        if style not in _STYLES[location]:
            self.report.warn(
                pointer,
                f"the style {style!r} is not defined for {location} parameters; sent in the {default!r} style",
            )
            style, explode = default, default == "form"
        elif style == "deepObject" and not self._is_mapping(type_ref):
            self.report.warn(pointer, f"the deepObject style needs an object schema; sent in the {default!r} style")
            style, explode = default, True
        if self._style_expresses(type_ref):
            return style, explode, None
        if style == "deepObject":
            self.report.warn(
                pointer,
                "the deepObject style is defined for objects of plain values only; nested objects are sent as "
                "name[key][inner]=value, and arrays as name[key]=item once per item",
            )
            return style, explode, "brackets"
        self.report.warn(
            pointer,
            f"the {style!r} style cannot express values nested in this parameter; they are sent as JSON",
        )
        return style, explode, "json"

    def _is_mapping(self, type_ref: TypeRef) -> bool:
        """Whether the values of a type are objects (or may be: Any)."""
        return _every_option(type_ref, self._is_mapping_option)

    def _is_mapping_option(self, type_ref: TypeRef) -> bool:
        if isinstance(type_ref, ModelRef):
            return isinstance(self.models[type_ref.key], ObjectModel)
        return isinstance(type_ref, (MapOf, AnyValue))

    def _is_scalar(self, type_ref: TypeRef) -> bool:
        return _every_option(type_ref, self._is_scalar_option)

    def _is_scalar_option(self, type_ref: TypeRef) -> bool:
        if isinstance(type_ref, ModelRef):
            return isinstance(self.models[type_ref.key], EnumModel)
        return isinstance(type_ref, (Primitive, AnyValue, Binary))

    def _style_expresses(self, type_ref: TypeRef) -> bool:
        """Whether the form, simple, label and matrix styles can express a value: a scalar, an array of
        scalars, or an object whose values are scalars."""
        return _every_option(type_ref, self._style_expresses_option)

    def _style_expresses_option(self, type_ref: TypeRef) -> bool:
        match type_ref:
            case ArrayOf(items):
                return self._is_scalar(items)
            case MapOf(values):
                return self._is_scalar(values)
            case ModelRef(key):
                model = self.models[key]
                properties = model.properties if isinstance(model, ObjectModel) else ()
                return all(self._is_scalar(prop.type) for prop in properties)
        return self._is_scalar(type_ref)

    def _body_example(self, format: BodyFormat, schema: Any, media: dict[str, Any], content_type: Any) -> Example | None:
        """A body to call the operation with; None for bytes, which any value is."""
        if format == "binary":
            return None
        if format == "text" and not _is_string_schema(schema):
            # The text is made from data the schema describes (a signed JWT of it, say): none can be made here.
            return Example(None, SpecText(f"the body is {content_type} text made from data its schema describes"))
        return self._example(schema, media)

    def _example(self, schema: Any, holder: dict[str, Any]) -> Example:
        """A value of the schema, preferring the `example` or `examples` of the parameter or media type that
        holds it."""
        given = [holder["example"]] if "example" in holder else []
        examples = holder.get("examples")
        for example in examples.values() if isinstance(examples, dict) else ():
            if isinstance(example, dict) and "$ref" in example:
                example = self._resolve(str(example["$ref"]))
            if isinstance(example, dict) and "value" in example:
                given.append(example["value"])
        try:
            value = self._sampler.sample(schema, given)
            text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        except NoSample as problem:
            return Example(None, SpecText(str(problem)))
        except ValueError:  # infinity or NaN: YAML has them, JSON does not
            return Example(None, SpecText("the value found is no JSON number (infinity or NaN)"))
        return Example(SpecText(text))

    # --- bodies and responses -----------------------------------------------------------------

    def _request_body(self, raw: Any, pointer: str, hint: str) -> RequestBody | None | Literal[False]:
        if raw is None:
            return None
        pointer += "/requestBody"
        raw, place = self._deref_at(raw, pointer)
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
        media_pointer = f"{place}/content/{_escape_pointer(str(content_type))}"
        schema = media.get("schema")
        format = _media_format(str(content_type), schema)
        hint = _place_hint(place, f"{hint} body")
        fields = None
        if format in ("form", "multipart"):
            fields = self._form_fields(schema, media_pointer + "/schema", hint)
            if media.get("encoding"):
                self.report.warn(
                    media_pointer + "/encoding",
                    "encoding options are not supported yet; fields are sent the default way",
                )
        required = bool(raw.get("required", False))
        return RequestBody(
            type=self._body_type(format, schema, fields, media_pointer, hint),
            required=required,
            description=_text(raw.get("description")),
            content_type=SpecText(_sent_content_type(str(content_type), format)),
            format=format,
            fields=fields,
            other_content_types=tuple(SpecText(str(kind)) for kind in content if kind != content_type),
            example=self._body_example(format, schema, media, content_type) if required else None,
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
        type_ref = self._type(schema, pointer + "/schema", hint)
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
            return self._object_properties(schema, pointer, hint)[1]
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
            raw, place = self._deref_at(responses[keys[status]], status_pointer)
            content = (raw or {}).get("content") or {}
            if not content:
                empty = True
            elif chosen is None:
                chosen = place, content
            elif _schemas(content) != _schemas(chosen[1]):
                self.report.warn(
                    status_pointer,
                    "only the first success response with content sets the return type; "
                    "this one is decoded as that type",
                )
        response = (
            self._response(chosen[1], chosen[0], _place_hint(chosen[0], f"{hint} response"), empty)
            if chosen
            else None
        )
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
        response = self._read_response(content, pointer, hint, may_be_empty)
        return replace(response, media_types=tuple(SpecText(str(kind)) for kind in content))

    def _read_response(self, content: dict[Any, Any], pointer: str, hint: str, may_be_empty: bool) -> Response:
        content_type = str(
            min(content, key=lambda kind: _RESPONSE_RANK[_media_format(str(kind), _schema_of(content[kind]))])
        )
        schema = _schema_of(content[content_type])
        format = _media_format(content_type, schema)
        media_pointer = f"{pointer}/content/{_escape_pointer(content_type)}"
        if format == "json":
            type_ref = self._type(schema, media_pointer + "/schema", hint)
            return Response(type_ref, "json", SpecText(content_type), may_be_empty)
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
        raw, place = self._deref_at(raw, status_pointer)
        raw = raw or {}
        content = raw.get("content") or {}
        json_types = [kind for kind in content if _media_format(str(kind), None) == "json"]
        type_ref = None
        if json_types:
            media_pointer = f"{place}/content/{_escape_pointer(str(json_types[0]))}/schema"
            error_hint = _place_hint(place, f"{hint} {status} error")
            type_ref = self._type(_schema_of(content[json_types[0]]), media_pointer, error_hint)
        return ErrorResponse(status, type_ref, _text(raw.get("description")))

    # --- schemas ------------------------------------------------------------------------------
    #
    # Component schemas that are objects (allOf of objects included) become model classes, string and
    # integer enums become Enum classes, a schema that is only a `$ref` is the schema it names, the rest
    # (arrays, maps, unions, primitives) become types. Inline objects and enums become classes too, one
    # per place (JSON pointer), named after where they stand (`hint`).

    def _models(self) -> tuple[Model, ...]:
        for key, raw in self.schemas.items():
            pointer = pointer_of("components", "schemas", key)
            kind = self._component_kind(str(key))
            if kind == "enum":
                self._register(_enum_model(str(key), raw), pointer)
            elif kind == "object":
                self._register(self._object(str(key), raw, pointer), pointer)
            else:
                if kind == "type" and isinstance(raw, dict) and "enum" in raw:
                    self.report.warn(
                        pointer, "only string and integer enums become Enum classes; typed as the base type"
                    )
                # Types are made where they are used; this reports what they cannot express even unused,
                # and names the components that refer to themselves.
                self._ref_type("#" + pointer, pointer)
        return tuple(self.models.values())

    def _finished_models(self, operations: tuple[Operation, ...]) -> tuple[Model, ...]:
        """The models to generate: discriminator fields narrowed to their values, and only the inline
        models that a component schema or an operation uses (not those of a parameter left out)."""
        models = {key: self._narrowed(model) for key, model in self.models.items()}
        used: set[str] = set()
        pending = [key for pointer, key in self.model_at.items() if pointer.startswith("/components/schemas/")]
        pending += _model_refs(operations)
        while pending:
            key = pending.pop()
            if key not in used and key in models:
                used.add(key)
                pending += _model_refs(models[key])
        return tuple(model for key, model in models.items() if key in used)

    def _register(self, model: Model, pointer: str) -> ModelRef:
        self.models[model.key] = model
        self.model_at[pointer] = model.key
        self._class_names.add(_class_name_key(model.key))
        return ModelRef(model.key)

    def _inline_key(self, hint: str) -> str:
        """The key of an inline model, numbered when its class name is taken: `listPets response 2`."""
        key, number = hint, 2
        while _class_name_key(key) in self._class_names:
            key, number = f"{hint} {number}", number + 1
        return key

    def _component_kind(self, key: str) -> _Kind:
        kind = self._component_kinds.get(key)
        if kind is None:
            self._component_kinds[key] = "deciding"
            raw = self.schemas[key]
            if isinstance(raw, dict) and "$ref" in raw:
                kind = "alias"
            elif _enum_kind(raw) is not None:
                kind = "enum"
            elif self._is_object(raw):
                kind = "object"
            else:
                kind = "type"
            self._component_kinds[key] = kind
        return kind

    def _target_key(self, ref: str) -> str | None:
        """The component schema a `$ref` names, following aliases; None for other places and cycles."""
        key, visited = _component_key(ref), set()
        while key in self.schemas and key not in visited:
            visited.add(key)
            raw = self.schemas[key]
            if not (isinstance(raw, dict) and "$ref" in raw):
                return key
            key = _component_key(str(raw["$ref"]))
        return None

    def _is_object(self, schema: Any) -> bool:
        """Whether a schema describes an object with named properties, directly or through allOf."""
        if not isinstance(schema, dict):
            return False
        if "$ref" in schema:
            key = self._target_key(str(schema["$ref"]))
            if key is None:
                return False
            kind = self._component_kind(key)
            # A schema still being decided closes an allOf cycle, which is reported when fields are merged.
            return kind in ("object", "deciding") or (kind == "type" and self._wraps_object(key))
        if "allOf" in schema:
            parts = [part for part in schema["allOf"] if not _adds_no_structure(part)]
            objects = [part for part in parts if not _is_free_form(part)]
            if not objects or not all(self._is_object(part) for part in objects):
                return False
            # A lone part without fields of its own is the reference it wraps, not a new class.
            return len(parts) > 1 or _has_own_fields(schema)
        if "enum" in schema or "const" in schema or _is_union(schema) or len(_types(schema)) > 1:
            return False
        return bool(schema.get("properties")) and _schema_type(schema) in ("object", None)

    def _wraps_object(self, key: str) -> bool:
        """Whether a component is `allOf: [$ref]` of an object with a description: the object it wraps."""
        raw = self.schemas[key]
        parts = [part for part in raw.get("allOf") or [] if not _adds_no_structure(part)] if isinstance(raw, dict) else []
        if len(parts) != 1 or key in self._unwrapping:
            return False
        self._unwrapping.add(key)
        wraps = self._is_object(parts[0])
        self._unwrapping.remove(key)
        return wraps

    def _object(self, key: str, raw: dict[str, Any], pointer: str) -> ObjectModel:
        fields, properties = self._object_properties(raw, pointer, key)
        extra = None
        if fields.extra is not None:
            extra = self._type(fields.extra[0], fields.extra[1], f"{key} value")
        return ObjectModel(key, _text(raw.get("description")), properties, extra)

    def _object_properties(
        self, raw: dict[str, Any], pointer: str, hint: str
    ) -> tuple[_Fields, tuple[Property, ...]]:
        """What an object schema declares, its allOf parts included, and the properties it makes."""
        fields = _Fields()
        self._collect(raw, pointer, hint, fields, frozenset({pointer}))
        properties = tuple(
            self._property(name, declaration, name in fields.required)
            for name, declaration in fields.declarations.items()
        )
        for name, required_pointer in fields.required.items():
            if name not in fields.declarations:
                self.report.warn(
                    required_pointer,
                    f"`required` names {name!r}, which no property defines; it is not a field of the model "
                    "(values of undeclared fields are kept as extra fields)",
                )
        return fields, properties

    def _collect(self, raw: dict[str, Any], pointer: str, hint: str, fields: _Fields, seen: frozenset[str]) -> None:
        """Gather the properties, required names and extra-value schema of an object schema, its allOf
        parts first, in order. `required` in any part applies to a property declared in any other."""
        for index, part in enumerate(raw.get("allOf") or []):
            part_pointer, part_hint = f"{pointer}/allOf/{index}", hint
            while isinstance(part, dict) and "$ref" in part:
                target = self._schema_at(str(part["$ref"]))
                if target is None or target[0] in seen:
                    if target is not None:
                        self.report.warn(
                            f"{pointer}/allOf/{index}",
                            f"allOf cycle: {part['$ref']!r} includes this schema again; that part is left out",
                        )
                    part = None
                    break
                part_pointer, part = target
                seen, part_hint = seen | {part_pointer}, _pointer_hint(part_pointer)
            if isinstance(part, dict):
                self._collect(part, part_pointer, part_hint, fields, seen)
        for name, schema in (raw.get("properties") or {}).items():
            self._declare(fields, str(name), schema, f"{pointer}/properties/{_escape_pointer(str(name))}", hint)
        for name in raw.get("required") or []:
            fields.required.setdefault(str(name), f"{pointer}/required")
        extra = raw.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            fields.extra = (extra, f"{pointer}/additionalProperties")
        for keyword in ("oneOf", "anyOf"):
            if keyword in raw and raw.get("properties") and not _is_union(raw):
                self.report.warn(
                    f"{pointer}/{keyword}",
                    f"{keyword} of `required` lists is not checked by the model; the properties it names are optional",
                )

    def _declare(self, fields: _Fields, name: str, schema: Any, pointer: str, hint: str) -> None:
        """Declare a property; a later declaration (a subschema's) replaces an earlier one, unless it
        only annotates (a description, readOnly), which then adds to the earlier one."""
        earlier = fields.declarations.get(name)
        if earlier is not None and _is_annotation_only(schema):
            earlier.annotations.update(schema)
            return
        if earlier is not None:
            before, after = self._shape(earlier.schema), self._shape(schema)
            if before is not None and after is not None and before != after:
                self.report.warn(
                    pointer,
                    f"property {name!r} is declared as {after} here and as {before} at {earlier.pointer}; "
                    "this later declaration wins",
                )
        fields.declarations[name] = _Declaration(schema, pointer, f"{hint} {name}", {})

    def _shape(self, schema: Any) -> str | None:
        """The JSON type a schema declares, references followed; None when it declares none."""
        for _ in range(_MAX_REF_CHAIN):
            if not isinstance(schema, dict) or "$ref" not in schema:
                break
            target = self._schema_at(str(schema["$ref"]))
            schema = target[1] if target is not None else None
        if not isinstance(schema, dict) or "$ref" in schema:
            return None
        if self._is_object(schema):
            return "object"
        types = ["number" if kind == "integer" else kind for kind in _types(schema)]
        return " or ".join(types) if types else None

    def _property(self, name: str, declaration: _Declaration, required: bool) -> Property:
        schema = declaration.schema if isinstance(declaration.schema, dict) else {}
        notes = {key: value for key, value in schema.items() if key in _ANNOTATIONS} | declaration.annotations
        type_ref = self._type(declaration.schema, declaration.pointer, declaration.hint)
        if notes.get("nullable") is True:
            type_ref = _nullable(type_ref)
        read_only, write_only = (self._marked(schema, notes, keyword) for keyword in ("readOnly", "writeOnly"))
        return Property(
            name=SpecText(name),
            type=type_ref,
            # A property the server sets (readOnly) or never returns (writeOnly) is never required of the
            # model, which serves requests and responses alike.
            required=required and not (read_only or write_only),
            description=_text(notes.get("description")),
            default=SpecText(json.dumps(notes["default"])) if "default" in notes else None,
            read_only=read_only,
            write_only=write_only,
        )

    def _marked(self, schema: dict[str, Any], notes: dict[str, Any], keyword: str) -> bool:
        """Whether a property is readOnly (or writeOnly): said beside it, or by the schema its `$ref` names."""
        if keyword in notes:
            return notes[keyword] is True
        for _ in range(_MAX_REF_CHAIN):
            if "$ref" not in schema:
                break
            target = self._schema_at(str(schema["$ref"]))
            schema = target[1] if target is not None else {}
            if keyword in schema:
                return schema[keyword] is True
        return False

    def _narrowed(self, model: Model) -> Model:
        """The model with each discriminator property typed as the values naming it, and required."""
        if not isinstance(model, ObjectModel):
            return model
        properties = []
        for prop in model.properties:
            values = self._discriminator_values.get((model.key, prop.name.raw))
            if values:
                prop = replace(prop, type=LiteralOf(tuple(SpecText(json.dumps(v)) for v in values)), required=True)
            properties.append(prop)
        return replace(model, properties=tuple(properties))

    def _type(self, schema: Any, pointer: str, hint: str) -> TypeRef:
        if not isinstance(schema, dict):
            return AnyValue()
        if "$ref" in schema:
            inner = self._ref_type(str(schema["$ref"]), pointer)
        else:
            inner = self._inline_type(schema, pointer, hint)
        return _nullable(inner) if _is_nullable(schema) else inner

    def _ref_type(self, ref: str, pointer: str) -> TypeRef:
        """The type a `$ref` names: its class, or the type made of its schema. A component that is no class
        and is reached again while its type is being made becomes a named alias, so that its type can
        refer to it; any other schema that refers to itself is typed as Any."""
        target = self._schema_at(ref)
        if target is None:
            self.report.warn(pointer, f"$ref {ref!r} is not a schema under components/schemas; typed as Any")
            return AnyValue()
        target_pointer, schema = target
        key = _component_key(ref)
        kind = self._component_kind(key) if key in self.schemas else None
        if kind in ("enum", "object"):
            return _nullable(ModelRef(key)) if _is_nullable(schema) else ModelRef(key)
        if target_pointer in self.model_at:  # an alias made already
            return ModelRef(self.model_at[target_pointer])
        if target_pointer in self._resolving:
            if kind == "type":
                self._recursive.add(key)
                return ModelRef(key)
            self.report.warn(pointer, f"the schema {_pointer_hint(target_pointer)!r} refers to itself; typed as Any")
            return AnyValue()
        self._resolving.add(target_pointer)
        try:
            type_ref = self._type(schema, target_pointer, _pointer_hint(target_pointer))
        finally:
            self._resolving.discard(target_pointer)
        if key in self._recursive:
            return self._alias(key, schema, type_ref, target_pointer)
        return type_ref

    def _alias(self, key: str, schema: Any, type_ref: TypeRef, pointer: str) -> TypeRef:
        """The named alias of a component whose type refers to itself. An option that is the alias itself
        adds no value (`Tree | str` is `str` for it), and is left out."""
        options = type_ref.options if isinstance(type_ref, Union) else (type_ref,)
        kept = [option for option in options if option != ModelRef(key) and option != Nullable(ModelRef(key))]
        if not kept:
            self.report.warn(pointer, f"the schema {key!r} is made of itself only; typed as Any")
            return AnyValue()
        if len(kept) < len(options):
            type_ref = _union_of(kept) if not isinstance(type_ref, Union) else replace(type_ref, options=tuple(kept))
        description = _text(schema.get("description")) if isinstance(schema, dict) else None
        return self._register(AliasModel(key, description, type_ref), pointer)

    def _schema_at(self, ref: str) -> tuple[str, Any] | None:
        """The pointer and schema a local `$ref` names: a component, or a place inside one."""
        target = self._resolve(ref)
        return (ref[1:], target) if isinstance(target, dict) else None

    def _inline_type(self, schema: dict[str, Any], pointer: str, hint: str) -> TypeRef:
        if pointer in self.model_at:
            return ModelRef(self.model_at[pointer])
        if "const" in schema:
            return self._const(schema["const"], pointer)
        if "allOf" in schema:
            return self._all_of(schema, pointer, hint)
        if _is_union(schema):
            return self._union(schema, pointer, hint)
        types = _types(schema)
        if len(types) > 1:
            return self._type_list(schema, types, pointer, hint)
        if _enum_kind(schema) is not None:
            return self._register(_enum_model(self._inline_key(hint), schema), pointer)
        kind = types[0] if types else None
        if kind == "array":
            return ArrayOf(self._type(schema.get("items"), pointer + "/items", f"{hint} item"))
        if self._is_object(schema):
            return self._register(self._object(self._inline_key(hint), schema, pointer), pointer)
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                return MapOf(self._type(extra, pointer + "/additionalProperties", f"{hint} value"))
            return MapOf(AnyValue())
        primitive = _PRIMITIVE_KINDS.get(kind or "")
        if primitive is not None:
            return Primitive(primitive, str(schema["format"]) if "format" in schema else None)
        return AnyValue()

    def _type_list(
        self, schema: dict[str, Any], types: list[str], pointer: str, hint: str
    ) -> TypeRef:
        """A 3.1 type array such as `[string, integer]`: a union of one type per kind."""
        options: list[TypeRef] = []
        # An object becomes a class registered at this pointer; made last, it cannot stand in for the others.
        for kind in sorted(types, key=lambda kind: kind == "object"):
            option = self._inline_type({**schema, "type": kind}, pointer, hint)
            if option not in options:
                options.append(option)
        return _union_of(options)

    def _const(self, value: Any, pointer: str) -> TypeRef:
        if value is None or isinstance(value, (str, int, bool)):
            return LiteralOf((SpecText(json.dumps(value)),))
        self.report.warn(pointer, "only string, integer, boolean and null `const` values are supported; typed as Any")
        return AnyValue()

    def _all_of(self, schema: dict[str, Any], pointer: str, hint: str) -> TypeRef:
        if self._is_object(schema):
            return self._register(self._object(self._inline_key(hint), schema, pointer), pointer)
        parts = [
            (index, part)
            for index, part in enumerate(schema["allOf"])
            if not _adds_no_structure(part) and not _is_free_form(part)
        ]
        if len(parts) == 1:  # `allOf: [$ref]` is the usual way to add a description to a reference
            index, part = parts[0]
            return self._type(part, f"{pointer}/allOf/{index}", hint)
        if not parts:
            return MapOf(AnyValue()) if any(_is_free_form(part) for part in schema["allOf"]) else AnyValue()
        self.report.warn(
            pointer, "allOf of schemas that are not all objects is not supported yet; typed as Any"
        )
        return AnyValue()

    def _union(self, schema: dict[str, Any], pointer: str, hint: str) -> TypeRef:
        keyword = "oneOf" if "oneOf" in schema else "anyOf"
        options: list[TypeRef] = []
        nullable = False
        for index, option in enumerate(schema[keyword] or []):
            if isinstance(option, dict) and _schema_type(option) == "null" or option == {"nullable": True}:
                nullable = True
                continue
            type_ref = self._type(option, f"{pointer}/{keyword}/{index}", f"{hint} option {index + 1}")
            if isinstance(type_ref, Nullable):
                nullable, type_ref = True, type_ref.inner
            if type_ref not in options:
                options.append(type_ref)
        union = _union_of(options)
        if isinstance(union, Union) and isinstance(schema.get("discriminator"), dict):
            union = self._discriminated(union, schema["discriminator"], f"{pointer}/discriminator")
        return _nullable(union) if nullable else union

    def _discriminated(self, union: Union, discriminator: dict[str, Any], pointer: str) -> Union:
        """The union told apart by the discriminator property, when each option is an object model with
        that property as a string; the value of each option is recorded to type its property."""
        name = discriminator.get("propertyName")
        mapping = discriminator.get("mapping") or {}
        values: dict[str, list[Any]] = {}
        for option in union.options:
            if not (isinstance(option, ModelRef) and option.key in self.schemas):
                return self._undiscriminated(union, pointer, "an option is not an object schema under components")
            if not isinstance(name, str) or not self._has_string_property(option.key, name):
                return self._undiscriminated(union, pointer, f"{option.key!r} does not declare a string property {name!r}")
            named = [value for value, target in mapping.items() if self._mapping_key(target) == option.key]
            values[option.key] = named or [option.key]
        every = [value for named in values.values() for value in named]
        if len(set(map(str, every))) != len(every):
            return self._undiscriminated(union, pointer, "two options share a discriminator value")
        for key, named in values.items():
            recorded = self._discriminator_values.setdefault((key, str(name)), [])
            recorded += [value for value in named if value not in recorded]
        return Union(union.options, SpecText(str(name)))

    def _undiscriminated(self, union: Union, pointer: str, reason: str) -> Union:
        self.report.warn(pointer, f"the discriminator is not used ({reason}); the options are tried in turn")
        return union

    def _mapping_key(self, target: Any) -> str | None:
        """The component a discriminator mapping value names: a `$ref` or a schema name."""
        text = str(target)
        return self._target_key(text if text.startswith("#") else _SCHEMA_REF + _escape_pointer(text))

    def _has_string_property(self, key: str, name: str) -> bool:
        fields = _Fields()
        pointer = pointer_of("components", "schemas", key)
        self._collect(self.schemas[key], pointer, key, fields, frozenset({pointer}))
        declaration = fields.declarations.get(name)
        schema = declaration.schema if declaration is not None else None
        for _ in range(_MAX_REF_CHAIN):
            if not isinstance(schema, dict) or "$ref" not in schema:
                break
            target = self._schema_at(str(schema["$ref"]))
            schema = target[1] if target is not None else None
        if not isinstance(schema, dict):
            return False
        return _schema_type(schema) == "string" or isinstance(schema.get("const"), str)

    # --- references ---------------------------------------------------------------------------

    def _deref(self, value: Any, pointer: str) -> Any:
        """Follow local `$ref`s of non-schema objects (parameters, responses, bodies, path items)."""
        return self._deref_at(value, pointer)[0]

    def _deref_at(self, value: Any, pointer: str) -> tuple[Any, str]:
        """The object `$ref`s lead to, and where it stands: inline schemas in a shared parameter, response
        or body are modelled once, at that place, and named after it."""
        place = pointer
        for _ in range(_MAX_REF_CHAIN):
            if not isinstance(value, dict) or "$ref" not in value:
                return value, place
            target = self._resolve(str(value["$ref"]))
            if target is None:
                self.report.warn(pointer, f"cannot resolve $ref {value['$ref']!r}; left out")
                return None, place
            value, place = target, str(value["$ref"])[1:]
        self.report.warn(pointer, "$ref chain too long or circular; left out")
        return None, place

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
        for index, raw in enumerate(self.doc.get("servers") or []):
            url = str(raw.get("url", ""))
            for name, variable in (raw.get("variables") or {}).items():
                url = url.replace("{" + str(name) + "}", str(variable.get("default", "")))
            undefined = _PATH_PARAMETER.findall(url)
            if undefined:
                self.report.warn(
                    pointer_of("servers", index, "url"),
                    "the server URL has placeholders no server variable defines "
                    f"({', '.join(map(repr, undefined))}); they stay in the URL as written: "
                    "give the client base_url= with the values filled in",
                )
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


def _header_values(raw: dict[str, Any], schema: dict[str, Any]) -> list[tuple[str, str]]:
    """The values an Accept or Content-Type header parameter's schema fixes, the likeliest first, each
    with why: its default, its one allowed value, its allowed JSON media types, its other allowed values,
    and the example of a required one."""
    enum = [value for value in schema.get("enum") or [] if isinstance(value, str) and value]
    default = schema.get("default")
    choices: list[tuple[str, str]] = []
    if isinstance(default, str) and default and (not enum or default in enum):
        choices.append((default, "its schema's default"))
    if len(enum) == 1:
        choices.append((enum[0], "the one value its schema allows"))
    choices += [(value, "a JSON media type its schema allows") for value in enum if _media_format(value, None) == "json"]
    if len(enum) > 1:
        choices += [(value, "a value its schema allows") for value in enum]
    example = schema.get("example")
    if raw.get("required") is True and isinstance(example, str) and example:
        choices.append((example, "the example of its schema, since the spec requires it"))
    return choices


def _accepts(accept: str, content_type: str) -> bool:
    """Whether an Accept value (one media range or several) admits the media type (either may be a wildcard
    such as `*/*`)."""
    given = content_type.split(";")[0].strip().lower()
    for wanted in (part.split(";")[0].strip().lower() for part in accept.split(",")):
        if "*" in wanted or "*" in given or wanted == given:
            return True
    return False


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
    if not isinstance(schema, dict) or "$ref" in schema or not isinstance(schema.get("enum"), list):
        return None
    kind = _schema_type(schema)
    values = [value for value in schema["enum"] if value is not None]
    if not values:
        return None
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
    """The key of the component schema a `$ref` names; "" for any other place."""
    key = ref[len(_SCHEMA_REF) :] if ref.startswith(_SCHEMA_REF) else ""
    return "" if "/" in key else key.replace("~1", "/").replace("~0", "~")


def _place_hint(place: str, hint: str) -> str:
    """The name hint of a parameter, body or response: the operation's, or that of the shared component
    it is (`components/responses/PetList` → `PetList response`)."""
    parts = [part.replace("~1", "/").replace("~0", "~") for part in place.split("/")[1:]]
    if len(parts) != 3 or parts[0] != "components":
        return hint
    suffix = {"requestBodies": "body", "responses": "response"}.get(parts[1], "")
    return parts[2] if parts[2].lower().endswith(suffix) else f"{parts[2]} {suffix}"


def _pointer_hint(pointer: str) -> str:
    """The name hint of the schema at a pointer, as the places that reach it build it: `Pet collar`."""
    parts = [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]
    if parts[:2] == ["components", "schemas"]:
        parts = parts[2:]
    words: list[str] = []
    index = 0
    while index < len(parts):
        part, following = parts[index], parts[index + 1] if index + 1 < len(parts) else ""
        if part in ("properties", "allOf", "oneOf", "anyOf") and following:
            if part == "properties":
                words.append(following)
            elif part != "allOf" and following.isdigit():
                words.append(f"option {int(following) + 1}")
            index += 2
            continue
        words.append({"items": "item", "additionalProperties": "value"}.get(part, part))
        index += 1
    return " ".join(words)


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
        "$comment",
    }
)
# Keywords that only restrict values and never change what type a schema is.
_CONSTRAINTS = frozenset(
    {
        "required",
        "minProperties",
        "maxProperties",
        "dependentRequired",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
    }
)


def _is_annotation_only(schema: Any) -> bool:
    """Whether an allOf part only annotates (a description, nullable) and adds no structure."""
    return isinstance(schema, dict) and all(key in _ANNOTATIONS or key.startswith("x-") for key in schema)


def _adds_no_structure(schema: Any) -> bool:
    """Whether a schema only annotates or constrains (`required: [a]`), declaring no type of its own."""
    return isinstance(schema, dict) and all(
        key in _ANNOTATIONS or key in _CONSTRAINTS or key.startswith("x-") for key in schema
    )


def _is_free_form(schema: Any) -> bool:
    """Whether a schema is an object without named properties: a map of any values."""
    return (
        isinstance(schema, dict)
        and (_schema_type(schema) == "object" or "properties" in schema)
        and not schema.get("properties")
        and not any(key in schema for key in ("$ref", "allOf", "oneOf", "anyOf", "enum", "const"))
    )


def _is_union(schema: dict[str, Any]) -> bool:
    """Whether oneOf/anyOf lists alternative types, not just alternative sets of required properties."""
    options = schema.get("oneOf", schema.get("anyOf"))
    if not isinstance(options, list):
        return False
    return not (options and all(_adds_no_structure(option) and option for option in options))


def _has_own_fields(schema: dict[str, Any]) -> bool:
    parts = [part for part in schema.get("allOf") or [] if _adds_no_structure(part) or _is_free_form(part)]
    return any(bool(part.get("properties")) or bool(part.get("required")) for part in [schema, *parts])


def _types(schema: dict[str, Any]) -> list[str]:
    """The types a schema declares, null left out."""
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind is not None else []
    return [str(k) for k in kinds if k != "null"]


def _schema_type(schema: dict[str, Any]) -> str | None:
    kinds = _types(schema)
    if not kinds and schema.get("type") == "null":
        return "null"
    return kinds[0] if len(kinds) == 1 else None


def _allows_null(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return isinstance(kind, list) and "null" in kind


def _is_nullable(schema: dict[str, Any]) -> bool:
    """Whether null is a value: 3.0 `nullable`, 3.1 `type: [x, "null"]`, an enum with null, or an
    annotating allOf part saying `nullable: true`."""
    annotating = [part for part in schema.get("allOf") or [] if _is_annotation_only(part)]
    enum = schema.get("enum")
    return (
        any(part.get("nullable") is True for part in [schema, *annotating])
        or _allows_null(schema)
        or (isinstance(enum, list) and None in enum)
    )


def _escape_pointer(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")
