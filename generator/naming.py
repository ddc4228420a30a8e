"""Naming stage: every Python identifier, type annotation and file name the SDK needs, decided once.

Names are derived from spec strings, validated as identifiers, kept clear of Python keywords and of the
names the runtime uses, and made unique in a deterministic order (the order of the spec).
"""

from __future__ import annotations

import builtins
import dataclasses
import json
import keyword
import math
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin

from generator import model as m
from generator.config import MINIMUM_PYTHON, ProjectSettings, SettingsError, is_email, spdx_expression
from generator.problems import Report
from generator.untrusted import WINDOWS_DEVICE_NAMES, Identifier, SpecText, is_windows_device_name, python_string

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
ANNOTATION_MODULES = ("datetime", "typing", "uuid", "pydantic")
"""The modules type annotations refer to: `datetime.date`, `typing.Any`, `uuid.UUID`, `pydantic.Field`."""
# Names that annotations in generated modules refer to; a field or method of that name would shadow them
# for the annotations after it (`uuid: uuid.UUID` makes a later `uuid.UUID` mean the field).
_ANNOTATION_NAMES = frozenset(
    {"bool", "bytes", "dict", "float", "int", "list", "str", "enum", "models", *ANNOTATION_MODULES}
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


def camel_case(attribute: str) -> str:
    """`created_at` → `createdAt`, `from_` → `from`: the wire name a camelCase model's base class gives an
    attribute (the SDK's `_camel_case`, which must stay the same)."""
    first, *rest = attribute.split("_")
    return first + "".join(word[:1].upper() + word[1:] for word in rest)


MODEL_BASES: dict[str, Callable[[str], str]] = {
    "_Model": lambda attribute: attribute,
    "_CamelCaseModel": camel_case,
    "_UpperCaseModel": str.upper,
}
"""The generated models' base classes, each with the wire name it gives a field's attribute (its alias
generator in the SDK), in order of preference."""


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


class _OAuthSchemeView:
    """What the naming views of OAuth 2.0 and OpenID Connect schemes read from their scheme alike."""

    scheme: m.ClientCredentialsScheme | m.UserTokenScheme

    @property
    def key(self) -> SpecText:
        return self.scheme.key

    @property
    def description(self) -> SpecText | None:
        return self.scheme.description

    @property
    def client_authentication(self) -> str:
        """The credentials' default client authentication method (never text from the spec)."""
        return self.scheme.client_authentication

    @property
    def refresh_url(self) -> SpecText | None:
        return self.scheme.refresh_url

    @property
    def refresh_url_is_absolute(self) -> bool:
        return self.refresh_url is not None and "://" in self.refresh_url.raw


@dataclass(frozen=True)
class OAuthAuth(_OAuthSchemeView):
    """A client-credentials scheme: its credentials class, managers, scope enum, client arguments and docs.

    With one such scheme in the spec its classes are the runtime's own (`ClientCredentialsAuthCredentials`,
    `OAuthScopeEnum`); with several, each scheme gets subclasses named after it."""

    scheme: m.ClientCredentialsScheme
    own_classes: bool
    argument: Identifier
    credentials_class: Identifier
    manager_attribute: Identifier
    manager_class: Identifier
    async_manager_class: Identifier
    scope_enum: Identifier
    scope_enum_page: str
    doc_page: str
    sharing_doc_page: str
    """The page on sharing one token between processes through a file or Redis."""
    token_url_argument: Identifier
    token_url_constant: Identifier
    resolved_token_url: SpecText | None
    """The tokenUrl resolved against the default base URL, when it is relative and there is one."""
    refresh_url_argument: Identifier
    refresh_url_constant: Identifier
    resolved_refresh_url: SpecText | None
    """The refreshUrl resolved against the default base URL, when it is relative and there is one."""
    env_prefix: str
    scopes: tuple[ScopeMember, ...]
    kind: Literal["client_credentials"] = "client_credentials"

    @property
    def token_url(self) -> SpecText:
        return self.scheme.token_url

    @property
    def other_flows(self) -> tuple[SpecText, ...]:
        return self.scheme.other_flows

    @property
    def token_url_is_absolute(self) -> bool:
        return "://" in self.token_url.raw

    @property
    def refresh_url_is_token_url(self) -> bool:
        return self.refresh_url is not None and self.refresh_url.raw == self.token_url.raw

    @property
    def store_name(self) -> str:
        """The token's name in the stores of the token-sharing recipes: apart for each scheme of a spec."""
        if not self.own_classes:
            return "oauth-token"
        return self.manager_attribute.removesuffix("_auth_manager").replace("_", "-") + "-oauth-token"


@dataclass(frozen=True)
class UserTokenAuth(_OAuthSchemeView):
    """An OAuth 2.0 scheme whose tokens a user's flow obtains, or an OpenID Connect scheme: its credentials
    class (a subclass of the runtime's `UserTokenCredentials`), its manager, client arguments and docs."""

    scheme: m.UserTokenScheme
    argument: Identifier
    credentials_class: Identifier
    manager_attribute: Identifier
    doc_page: str
    refresh_url_argument: Identifier
    refresh_url_constant: Identifier
    resolved_refresh_url: SpecText | None
    """The refresh URL resolved against the default base URL, when it is relative and there is one."""
    env_prefix: str
    kind: Literal["user_token"] = "user_token"

    @property
    def authorization_url(self) -> SpecText | None:
        return self.scheme.authorization_url

    @property
    def token_url(self) -> SpecText | None:
        return self.scheme.token_url

    @property
    def flows(self) -> tuple[SpecText, ...]:
        return self.scheme.flows

    @property
    def is_open_id_connect(self) -> bool:
        return self.scheme.kind == "openIdConnect"

    @property
    def has_authorization_code_flow(self) -> bool:
        return SpecText("authorizationCode") in self.flows

    @property
    def open_id_connect_url(self) -> SpecText | None:
        return self.scheme.open_id_connect_url

    @property
    def scopes(self) -> tuple[m.Scope, ...]:
        return self.scheme.scopes

    @property
    def environment_variables(self) -> list[str]:
        return [f"{self.env_prefix}O_AUTH_{name}" for name in _USER_TOKEN_VARIABLES] + [
            f"{self.env_prefix}REFRESH_URL"
        ]


@dataclass(frozen=True)
class StaticAuth:
    """An `http` bearer or basic scheme, or an API key: credentials sent as they are."""

    key: SpecText
    description: SpecText | None
    kind: Literal["bearer", "basic", "api_key"]
    argument: Identifier
    credentials_class: Identifier
    api_key_name: SpecText | None
    api_key_location: Literal["header", "query", "cookie"] | None
    doc_page: str
    env_prefix: str

    @property
    def kind_title(self) -> str:
        return _STATIC_TITLES[self.kind]

    @property
    def environment_variables(self) -> list[str]:
        return [self.env_prefix + name for name in _STATIC_VARIABLES[self.kind]]


@dataclass(frozen=True)
class CredentialUse:
    """One scheme of an operation's security requirement, for its docs and its endpoint."""

    key: SpecText
    argument: Identifier
    is_token: bool
    scopes: tuple[SpecText, ...]
    show_argument: bool
    """Whether the docs name the client argument: when the SDK has several schemes."""
    is_user_token: bool = False
    """Whether the token is a user's, which the SDK cannot get by itself."""


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
    """Whether the wire name differs from what the model's base class makes of the attribute."""
    annotation: str
    required: bool
    description: SpecText | None
    """The schema's description, with notes on readOnly, writeOnly and the default value."""
    default: str | None = None
    """The Python expression of the field's default; None when the field is required."""


@dataclass(frozen=True)
class ModelClass:
    class_name: Identifier
    doc_page: str
    description: SpecText
    fields: tuple[Field, ...]
    base_class: str = "_Model"
    """One of MODEL_BASES: how the fields' wire names are made from their attributes."""
    extra_annotation: str | None = None
    """The type of the values of fields the model does not declare, when the schema gives one."""


@dataclass(frozen=True)
class AliasClass:
    """A named type alias: a schema that refers to itself without being an object or an enum."""

    class_name: Identifier
    doc_page: str
    description: SpecText
    annotation: str


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
    example: m.Example | None = None
    """A value to call the operation with in the SDK's tests, when the argument is required."""
    nested: m.NestedEncoding | None = None
    """How the parameter's values nested deeper than its style defines are written, when it has any."""

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
    example: m.Example | None = None
    """A body to call the operation with in the SDK's tests, when it is required and not bytes."""


@dataclass(frozen=True)
class BodyEncoding:
    format: m.BodyFormat
    content_type: SpecText
    other_content_types: tuple[SpecText, ...]
    required: bool


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
    headers: tuple[tuple[SpecText, SpecText], ...]
    """Headers sent as the spec fixes them."""
    declares_success: bool
    """Whether the spec declares a success answer; otherwise every answer raises."""
    unsatisfiable: SpecText | None
    """Why no call can be what the spec asks for, when the spec contradicts itself."""
    return_annotation: str
    security: tuple[tuple[CredentialUse, ...], ...]
    """The alternative security requirements, each the schemes it combines; empty when none is needed."""

    @property
    def needs_token(self) -> bool:
        return any(use.is_token for requirement in self.security for use in requirement)

    @property
    def needs_user_token(self) -> bool:
        return any(use.is_user_token for requirement in self.security for use in requirement)

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
class ProjectAuthor:
    name: SpecText | None
    email: SpecText | None


@dataclass(frozen=True)
class ProjectUrl:
    label: str
    url: SpecText


@dataclass(frozen=True)
class Publishing:
    """The package metadata of the generated `pyproject.toml`, from the settings or the spec's info."""

    python: str
    """The oldest Python version the package supports."""
    license_expression: str | None
    """A valid SPDX license expression, in canonical form."""
    license_text: SpecText | None
    """A license name that is no SPDX expression, used when there is no expression."""
    authors: tuple[ProjectAuthor, ...]
    urls: tuple[ProjectUrl, ...]


@dataclass(frozen=True)
class Sdk:
    package: Identifier
    distribution: str
    version: str
    publishing: Publishing
    client_class: Identifier
    async_client_class: Identifier
    env_prefix: str
    title: SpecText
    api_version: SpecText
    description: SpecText | None
    default_base_url: SpecText | None
    oauth: tuple[OAuthAuth, ...]
    user_tokens: tuple[UserTokenAuth, ...]
    static_auth: tuple[StaticAuth, ...]
    resources: tuple[Resource, ...]
    models: tuple[ModelClass, ...]
    enums: tuple[EnumClass, ...]
    aliases: tuple[AliasClass, ...]

    @property
    def default_client_authentication(self) -> str:
        """The default of `ClientCredentialsAuthCredentials`: the scheme's when it is the only one; with
        several, each scheme's subclass sets its own."""
        if len(self.oauth) == 1 and not self.oauth[0].own_classes:
            return self.oauth[0].client_authentication
        return "client_secret_basic"

    @property
    def token_auth(self) -> list[OAuthAuth | UserTokenAuth]:
        """The schemes whose credentials are OAuth tokens, each with a token manager on the client."""
        return [*self.oauth, *self.user_tokens]

    @property
    def test_credential_classes(self) -> list[str]:
        """What the tests' conftest imports to give the client credentials for every scheme."""
        names = {auth.credentials_class for auth in self.token_auth} | set(self.static_credential_classes)
        return sorted(names | ({"OAuthToken"} if self.uses_tokens else set()))

    @property
    def uses_tokens(self) -> bool:
        """Whether some scheme authenticates with OAuth tokens, which the SDK then exports and documents."""
        return bool(self.oauth or self.user_tokens)

    @property
    def static_credential_classes(self) -> list[Identifier]:
        """The runtime's static credential classes the SDK uses, in a fixed order."""
        used = {auth.credentials_class for auth in self.static_auth}
        return [Identifier(name) for name in _STATIC_CLASSES.values() if name in used]

    @property
    def client_auth_imports(self) -> list[str]:
        """The classes of `_auth` that the client module names."""
        names = {"TokenManager", "AsyncTokenManager"}
        for auth in self.oauth:
            names.update((auth.credentials_class, auth.manager_class, auth.async_manager_class))
        names.update(auth.credentials_class for auth in self.user_tokens)
        if self.user_tokens:
            names.update(_USER_TOKEN_MANAGERS)
        return sorted(names | set(self.static_credential_classes))

    @property
    def environment_readers(self) -> list[str]:
        """The functions of `_environment` that `from_environment()` calls."""
        readers = {"read_setting", *(f"read_{static.kind}" for static in self.static_auth)}
        if self.oauth:
            readers.add("read_client_credentials")
        if self.user_tokens:
            readers.add("read_user_token")
        return sorted(readers)

    @property
    def public_auth_classes(self) -> list[str]:
        """The classes of `_auth` that the package exports."""
        names: set[str] = set(self.static_credential_classes)
        for auth in self.oauth:
            names.update((auth.credentials_class, auth.manager_class, auth.async_manager_class))
        if self.oauth:
            names.update(_OAUTH_RUNTIME_CLASSES)
        names.update(auth.credentials_class for auth in self.user_tokens)
        if self.user_tokens:
            names.update((*_TOKEN_RUNTIME_CLASSES, "UserTokenCredentials", *_USER_TOKEN_MANAGERS))
        return sorted(names)

    @property
    def api_error_classes(self) -> list[str]:
        """`ApiError` and the subclasses raised for error statuses."""
        return sorted({"ApiError", "InternalServerError", *_EXCEPTIONS.values()})

    @property
    def exception_classes(self) -> list[str]:
        names = [*self.api_error_classes, "OAuthProviderError"]
        return sorted(names + ["OAuthTokenUnavailableError"] if self.user_tokens else names)

    @property
    def public_names(self) -> list[str]:
        """The package's `__all__`."""
        names = [self.async_client_class, self.client_class, "FileInput", *self.exception_classes]
        names += self.public_auth_classes
        return sorted(names + [auth.scope_enum for auth in self.oauth])

    @property
    def credential_arguments(self) -> list[CredentialUse]:
        return _credential_uses(self.oauth, self.user_tokens, self.static_auth)

    @property
    def oauth_variable_names(self) -> tuple[str, ...]:
        return _OAUTH_VARIABLES

    @property
    def client_authentications(self) -> tuple[str, ...]:
        """The client authentication methods the credentials accept, as the spec extension names them."""
        return m.CLIENT_AUTHENTICATIONS

    @property
    def environment_variables(self) -> list[str]:
        """The variables `from_environment()` reads besides `<PREFIX>_BASE_URL`."""
        variables = []
        for auth in self.oauth:
            variables += [f"{auth.env_prefix}O_AUTH_{name}" for name in _OAUTH_VARIABLES]
            variables += [f"{auth.env_prefix}TOKEN_URL", f"{auth.env_prefix}REFRESH_URL"]
        for user_token in self.user_tokens:
            variables += user_token.environment_variables
        for static in self.static_auth:
            variables += static.environment_variables
        return variables

    @property
    def quick_start_auth(self) -> OAuthAuth | StaticAuth | UserTokenAuth | None:
        """The scheme the README's examples authenticate with: client credentials, else credentials given as
        they are, else a user's token."""
        schemes: list[OAuthAuth | StaticAuth | UserTokenAuth] = [*self.oauth, *self.static_auth, *self.user_tokens]
        return schemes[0] if schemes else None


# Packages the generated SDK imports, and folders of the generated project, cannot be its name.
_TAKEN_PACKAGE_NAMES = frozenset({"doc", "httpx2", "httpcore2", "pydantic", "pydantic_core", "anyio", "h11"})


def package_name_is_free(name: str) -> bool:
    """Whether a package of this name would shadow nothing the SDK or its users import."""
    return (
        name.strip("_") != ""
        and name not in _TAKEN_PACKAGE_NAMES
        and name not in sys.stdlib_module_names
        and not is_windows_device_name(name)
    )


def package_name(title: str) -> Identifier:
    """The default package name: the title's words lower-cased, camel case kept whole (`httpCCG` → `httpccg`)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    name = identifier("_".join(re.findall(r"[a-z0-9]+", ascii_title.lower())), "api_client")
    return name if package_name_is_free(name) else Identifier(f"{name}_client")


def name(
    api: m.Api, package: Identifier, report: Report, settings: ProjectSettings = ProjectSettings()
) -> Sdk:
    """Name every part of the API for the templates; the settings name and describe the project."""
    servers = [server.url for server in api.servers]
    default_base_url = servers[0] if servers and "://" in servers[0].raw else None
    oauth, user_tokens, static_auth = _auth(api.schemes, package.upper(), default_base_url)
    auth_classes = [
        name
        for auth in oauth
        for name in (auth.credentials_class, auth.scope_enum, auth.manager_class, auth.async_manager_class)
    ] + [auth.credentials_class for auth in user_tokens]
    clients = _client_classes(
        settings, [*auth_classes, *_AUTH_RUNTIME_CLASSES, *_EXCEPTIONS.values(), "InternalServerError"]
    )
    class_names = _model_class_names(api.models, [*auth_classes, *clients])
    pages = _doc_pages(class_names.values(), [auth.scope_enum_page for auth in oauth])
    enums = {
        model.key: _enum(model, class_names[model.key], pages[class_names[model.key]])
        for model in api.models
        if isinstance(model, m.EnumModel)
    }
    attributes = {
        model.key: _field_attributes(model) for model in api.models if isinstance(model, m.ObjectModel)
    }
    types = _TypeNamer(class_names, attributes)
    models = tuple(
        _model(
            model, class_names[model.key], pages[class_names[model.key]], types, attributes[model.key], enums
        )
        for model in api.models
        if isinstance(model, m.ObjectModel)
    )
    uses = {use.key.raw: use for use in _credential_uses(oauth, user_tokens, static_auth)}
    return Sdk(
        package=package,
        distribution=settings.distribution or package.replace("_", "-"),
        version=settings.version or _version(api.version, report),
        publishing=_publishing(api, settings, report),
        client_class=clients[0],
        async_client_class=clients[1],
        env_prefix=package.upper(),
        title=api.title,
        api_version=api.version,
        description=api.description,
        default_base_url=default_base_url,
        oauth=oauth,
        user_tokens=user_tokens,
        static_auth=static_auth,
        resources=_resources(api, types, uses),
        models=models,
        enums=tuple(enums.values()),
        aliases=tuple(
            AliasClass(
                class_names[model.key],
                pages[class_names[model.key]],
                model.description or SpecText(f"The type of the {model.key!r} schema, which refers to itself."),
                types.annotation(model.type, qualified=False),
            )
            for model in api.models
            if isinstance(model, m.AliasModel)
        ),
    )


def _client_classes(settings: ProjectSettings, taken: list[str]) -> tuple[Identifier, Identifier]:
    """The names of the two client classes: `Client` and `AsyncClient`, or those of the settings, which
    must not take a name the package or its client module uses."""
    names = Identifier(settings.client_class or "Client"), Identifier(settings.async_client_class or "AsyncClient")
    reserved = {*taken, *_CLIENT_MODULE_NAMES, *_BUILTINS} - {"Client", "AsyncClient"}
    for setting, name in zip(("client-class", "async-client-class"), names):
        if name in reserved or name.endswith("Resource"):
            raise SettingsError(f"setting {setting!r}: {name!r} is a name the SDK uses already; choose another")
    return names


def _publishing(api: m.Api, settings: ProjectSettings, report: Report) -> Publishing:
    contact = api.contact or m.Contact(None, None, None)
    urls = []
    if settings.repository:
        urls.append(ProjectUrl("Repository", SpecText(settings.repository)))
    if contact.url and re.fullmatch(r"https?://\S+", contact.url.raw):
        urls.append(ProjectUrl("Homepage", contact.url))
    expression, text = None, None
    if settings.license:
        expression = settings.license
    elif api.license:
        spdx = api.license.identifier or api.license.name
        expression = spdx_expression(spdx.raw) if spdx else None
        text = None if expression else api.license.name or api.license.identifier
    return Publishing(
        python=settings.python or MINIMUM_PYTHON,
        license_expression=expression,
        license_text=text,
        authors=_authors(settings, contact, report),
        urls=tuple(urls),
    )


def _authors(settings: ProjectSettings, contact: m.Contact, report: Report) -> tuple[ProjectAuthor, ...]:
    if settings.authors is not None:
        return tuple(
            ProjectAuthor(_optional_text(author.name), _optional_text(author.email))
            for author in settings.authors
        )
    email = contact.email
    if email and not is_email(email.raw):
        report.warn("/info/contact/email", "not an email address; left out of the package's authors")
        email = None
    return (ProjectAuthor(contact.name, email),) if contact.name or email else ()


def _optional_text(text: str | None) -> SpecText | None:
    return SpecText(text) if text is not None else None


def _version(version: SpecText, report: Report) -> str:
    # PEP 440 allows leading zeros in numbers ("2026.06.3" is 2026.6.3); the pattern matches the normal form.
    text = re.sub(r"(?<![0-9])0+(?=[0-9])", "", version.raw.strip().lstrip("vV"))
    if _PEP440.match(text):
        return text
    report.warn("/info/version", "info.version is not a PEP 440 version; the package is versioned 0.0.0")
    return "0.0.0"


# --- authentication ---------------------------------------------------------------------------

# Names the runtime modules define, which per-scheme classes must not take.
_AUTH_RUNTIME_CLASSES = (
    "OAuthToken",
    "OAuthScopeEnum",
    "TokenRetryPolicy",
    "TokenEvent",
    "ClientCredentialsAuthCredentials",
    "ClientCredentialsAuthManager",
    "AsyncClientCredentialsAuthManager",
    "UserTokenCredentials",
    "UserTokenAuthManager",
    "AsyncUserTokenAuthManager",
    "TokenManager",
    "AsyncTokenManager",
    "OAuthTokenUnavailableError",
    "HttpBearerCredentials",
    "HttpBasicCredentials",
    "ApiKeyCredentials",
    "ApiError",
    "OAuthProviderError",
    "Client",
    "AsyncClient",
)
# Names the client module imports, besides the auth classes and the resource classes.
_CLIENT_MODULE_NAMES = ("Mapping", "TracebackType", "TYPE_CHECKING", "FileInput")
_TOKEN_RUNTIME_CLASSES = ("OAuthToken", "TokenEvent", "TokenRetryPolicy")
"""What every SDK with OAuth tokens exports from the runtime's `_auth`."""
_OAUTH_RUNTIME_CLASSES = (
    "ClientCredentialsAuthCredentials",
    "ClientCredentialsAuthManager",
    "AsyncClientCredentialsAuthManager",
    *_TOKEN_RUNTIME_CLASSES,
)
_USER_TOKEN_MANAGERS = ("UserTokenAuthManager", "AsyncUserTokenAuthManager")
_USER_TOKEN_VARIABLES = ("ACCESS_TOKEN", "REFRESH_TOKEN", "CLIENT_ID", "CLIENT_SECRET")
"""The variables of each user-token scheme, after `<PREFIX>_<SCHEME>_O_AUTH_`."""
_OAUTH_VARIABLES = (
    "CLIENT_ID",
    "CLIENT_SECRET",
    "CLIENT_AUTHENTICATION",
    "PRIVATE_KEY_FILE",
    "PRIVATE_KEY_ID",
    "SIGNING_ALGORITHM",
    "SCOPES",
    "CLOCK_SKEW",
)
"""The variables of each client-credentials scheme, after `<PREFIX>_O_AUTH_`, in `_environment`'s order."""
_STATIC_VARIABLES = {"bearer": ("TOKEN",), "basic": ("USERNAME", "PASSWORD"), "api_key": ("API_KEY",)}
_STATIC_TITLES = {"bearer": "HTTP bearer token", "basic": "HTTP basic authentication", "api_key": "API key"}
_STATIC_CLASSES: dict[str, str] = {
    "bearer": "HttpBearerCredentials",
    "basic": "HttpBasicCredentials",
    "api_key": "ApiKeyCredentials",
}


_SHARING_PAGE = "sharing_tokens_between_processes"


def _auth(
    schemes: tuple[m.SecurityScheme, ...], env_prefix: str, default_base_url: SpecText | None
) -> tuple[tuple[OAuthAuth, ...], tuple[UserTokenAuth, ...], tuple[StaticAuth, ...]]:
    client_credentials = [scheme for scheme in schemes if isinstance(scheme, m.ClientCredentialsScheme)]
    single = len(client_credentials) == 1
    arguments = UniqueNames(["base_url", "token_url", "refresh_url", "http_client", "self"])
    classes = UniqueNames(_AUTH_RUNTIME_CLASSES, separator="")
    reserved = [_SHARING_PAGE] if single else ["oauth_2_client_credentials_grant"]
    pages = UniqueNames([*WINDOWS_DEVICE_NAMES, *reserved])
    if single:
        arguments.claim(Identifier("client_credentials_auth_credentials"))
    oauth, user_tokens, static = [], [], []
    for scheme in schemes:
        stem = snake(scheme.key.raw) or "scheme"
        if isinstance(scheme, m.ClientCredentialsScheme):
            oauth.append(
                _single_oauth(scheme, env_prefix, default_base_url)
                if single
                else _oauth(scheme, stem, env_prefix, default_base_url, arguments, classes, pages)
            )
        elif isinstance(scheme, m.UserTokenScheme):
            user_tokens.append(_user_token(scheme, stem, env_prefix, default_base_url, arguments, classes, pages))
        else:
            static.append(_static(scheme, stem, env_prefix, arguments, pages))
    return tuple(oauth), tuple(user_tokens), tuple(static)


def _single_oauth(
    scheme: m.ClientCredentialsScheme, env_prefix: str, default_base_url: SpecText | None
) -> OAuthAuth:
    """The foundation's names, for the common case of one client-credentials scheme."""
    return OAuthAuth(
        scheme=scheme,
        own_classes=False,
        argument=Identifier("client_credentials_auth_credentials"),
        credentials_class=Identifier("ClientCredentialsAuthCredentials"),
        manager_attribute=Identifier("client_credentials_auth_manager"),
        manager_class=Identifier("ClientCredentialsAuthManager"),
        async_manager_class=Identifier("AsyncClientCredentialsAuthManager"),
        scope_enum=Identifier("OAuthScopeEnum"),
        scope_enum_page="o-auth-scope-enum",
        doc_page="oauth-2-client-credentials-grant",
        sharing_doc_page=_SHARING_PAGE.replace("_", "-"),
        token_url_argument=Identifier("token_url"),
        token_url_constant=Identifier("SPEC_TOKEN_URL"),
        resolved_token_url=_resolved(scheme.token_url, default_base_url),
        refresh_url_argument=Identifier("refresh_url"),
        refresh_url_constant=Identifier("SPEC_REFRESH_URL"),
        resolved_refresh_url=_resolved(scheme.refresh_url, default_base_url),
        env_prefix=f"{env_prefix}_",
        scopes=_scopes(scheme.scopes),
    )


def _oauth(
    scheme: m.ClientCredentialsScheme,
    stem: str,
    env_prefix: str,
    default_base_url: SpecText | None,
    arguments: UniqueNames,
    classes: UniqueNames,
    pages: UniqueNames,
) -> OAuthAuth:
    """Names after the scheme, for a spec with several client-credentials schemes."""
    argument, stem, prefix = _scheme_names(stem, arguments, classes)
    page = pages.claim(Identifier(f"{stem}_oauth_2_client_credentials_grant")).replace("_", "-")
    return OAuthAuth(
        scheme=scheme,
        own_classes=True,
        argument=argument,
        credentials_class=Identifier(f"{prefix}Credentials"),
        manager_attribute=Identifier(f"{stem}_auth_manager"),
        manager_class=Identifier(f"{prefix}AuthManager"),
        async_manager_class=Identifier(f"Async{prefix}AuthManager"),
        scope_enum=Identifier(f"{prefix}ScopeEnum"),
        scope_enum_page=f"{stem.replace('_', '-')}-scope-enum",
        doc_page=page,
        sharing_doc_page=pages.claim(Identifier(f"{stem}_{_SHARING_PAGE}")).replace("_", "-"),
        token_url_argument=arguments.claim(Identifier(f"{stem}_token_url")),
        token_url_constant=Identifier(f"{stem.upper()}_TOKEN_URL"),
        resolved_token_url=_resolved(scheme.token_url, default_base_url),
        refresh_url_argument=arguments.claim(Identifier(f"{stem}_refresh_url")),
        refresh_url_constant=Identifier(f"{stem.upper()}_REFRESH_URL"),
        resolved_refresh_url=_resolved(scheme.refresh_url, default_base_url),
        env_prefix=f"{env_prefix}_{stem.upper()}_",
        scopes=_scopes(scheme.scopes),
    )


def _scheme_names(stem: str, arguments: UniqueNames, classes: UniqueNames) -> tuple[Identifier, str, Identifier]:
    """A scheme's client argument (`{stem}_credentials`), the stem it leaves for the scheme's other names,
    and the prefix of its classes."""
    argument = arguments.claim(identifier(f"{stem}_credentials", "scheme"))
    stem = argument.removesuffix("_credentials")
    return argument, stem, _class_prefix(stem, classes)


def _class_prefix(stem: str, classes: UniqueNames) -> Identifier:
    """The prefix of a scheme's classes (`{prefix}Credentials`, `{prefix}AuthManager`, ...), numbered when
    one of them would be a class of the runtime (a scheme named `ClientCredentialsAuth`)."""
    base = identifier(pascal(stem), "Scheme")
    candidate, number = base, 2
    while any(name in _AUTH_RUNTIME_CLASSES for name in _scheme_classes(candidate)):
        candidate, number = Identifier(f"{base}{number}"), number + 1
    return classes.claim(candidate)


def _scheme_classes(prefix: str) -> tuple[str, ...]:
    return (f"{prefix}Credentials", f"{prefix}AuthManager", f"Async{prefix}AuthManager", f"{prefix}ScopeEnum")


def _user_token(
    scheme: m.UserTokenScheme,
    stem: str,
    env_prefix: str,
    default_base_url: SpecText | None,
    arguments: UniqueNames,
    classes: UniqueNames,
    pages: UniqueNames,
) -> UserTokenAuth:
    """Names after the scheme: `pinterest_oauth2_credentials=PinterestOauth2Credentials(...)`."""
    argument, stem, prefix = _scheme_names(stem, arguments, classes)
    return UserTokenAuth(
        scheme=scheme,
        argument=argument,
        credentials_class=Identifier(f"{prefix}Credentials"),
        manager_attribute=Identifier(f"{stem}_auth_manager"),
        doc_page=pages.claim(Identifier(stem)).replace("_", "-"),
        refresh_url_argument=arguments.claim(Identifier(f"{stem}_refresh_url")),
        refresh_url_constant=Identifier(f"{stem.upper()}_REFRESH_URL"),
        resolved_refresh_url=_resolved(scheme.refresh_url, default_base_url),
        env_prefix=f"{env_prefix}_{stem.upper()}_",
    )


def _static(
    scheme: m.HttpScheme | m.ApiKeyScheme,
    stem: str,
    env_prefix: str,
    arguments: UniqueNames,
    pages: UniqueNames,
) -> StaticAuth:
    argument = arguments.claim(identifier(f"{stem}_credentials", "scheme"))
    stem = argument.removesuffix("_credentials")
    kind: Literal["bearer", "basic", "api_key"] = (
        scheme.scheme if isinstance(scheme, m.HttpScheme) else "api_key"
    )
    return StaticAuth(
        key=scheme.key,
        description=scheme.description,
        kind=kind,
        argument=argument,
        credentials_class=Identifier(_STATIC_CLASSES[kind]),
        api_key_name=scheme.name if isinstance(scheme, m.ApiKeyScheme) else None,
        api_key_location=scheme.location if isinstance(scheme, m.ApiKeyScheme) else None,
        doc_page=pages.claim(Identifier(stem)).replace("_", "-"),
        env_prefix=f"{env_prefix}_{stem.upper()}_",
    )


def _resolved(url: SpecText | None, default_base_url: SpecText | None) -> SpecText | None:
    if url is None or "://" in url.raw or not url.raw or default_base_url is None:
        return None
    return SpecText(urljoin(default_base_url.raw, url.raw))


def _credential_uses(
    oauth: tuple[OAuthAuth, ...], user_tokens: tuple[UserTokenAuth, ...], static_auth: tuple[StaticAuth, ...]
) -> list[CredentialUse]:
    several = len(oauth) + len(user_tokens) + len(static_auth) > 1
    return (
        [CredentialUse(auth.key, auth.argument, True, (), several) for auth in oauth]
        + [CredentialUse(auth.key, auth.argument, True, (), several, is_user_token=True) for auth in user_tokens]
        + [CredentialUse(auth.key, auth.argument, False, (), several) for auth in static_auth]
    )


def _scopes(scopes: tuple[m.Scope, ...]) -> tuple[ScopeMember, ...]:
    """Scope enum members named after the scopes, without the URL prefix that URL-shaped scopes share."""
    unique = UniqueNames()
    prefix = _shared_url_prefix([scope.value.raw for scope in scopes])
    return tuple(
        ScopeMember(
            unique.claim(identifier(constant(_scope_name(scope.value.raw, prefix)), "SCOPE")),
            scope.value,
            scope.description,
        )
        for scope in scopes
    )


def _shared_url_prefix(values: list[str]) -> str:
    """The `scheme://host/path/` that every URL-shaped scope starts with, when there are two or more."""
    urls = [value for value in values if "://" in value]
    if len(urls) < 2:
        return ""
    common = os.path.commonprefix(urls)
    return common[: common.rfind("/") + 1] if common.count("/") > 2 else ""


def _scope_name(scope: str, prefix: str) -> str:
    rest = scope[len(prefix) :] if prefix and scope.startswith(prefix) else scope
    if "://" in rest:
        rest = rest.split("://", 1)[1]  # the URL scheme says nothing about the scope
    return rest if words(rest) else scope


def _model_class_names(models: tuple[m.Model, ...], auth_classes: list[Identifier]) -> dict[str, Identifier]:
    unique = UniqueNames([*_AUTH_RUNTIME_CLASSES, *auth_classes], separator="")
    # A class named like a builtin (`Exception`) would be resolved to the builtin in forward references.
    return {model.key: unique.claim(identifier(pascal(model.key), "Model", _BUILTINS)) for model in models}


def _doc_pages(class_names: Iterable[Identifier], auth_pages: list[str]) -> dict[Identifier, str]:
    """A distinct doc page name for each class: `OAuthToken` → `o-auth-token`."""
    unique = UniqueNames(
        ["o_auth_scope_enum", "o_auth_token", *WINDOWS_DEVICE_NAMES, *(page.replace("-", "_") for page in auth_pages)]
    )
    pages = {}
    for class_name in class_names:
        pages[class_name] = unique.claim(identifier(snake(class_name), "model")).replace("_", "-")
    return pages


def _enum(model: m.EnumModel, class_name: Identifier, doc_page: str) -> EnumClass:
    unique = UniqueNames()
    is_integer = model.kind == "integer"
    members = tuple(
        EnumMember(unique.claim(_member_name(value.raw, is_integer)), value, is_integer)
        for value in dict.fromkeys(model.values)
    )
    description = model.description or SpecText(f"The values of the {model.key!r} schema.")
    return EnumClass(class_name, doc_page, description, members, is_integer)


def _member_name(value: str, is_integer: bool) -> Identifier:
    """`available` → AVAILABLE, `2xx` → VALUE_2XX, `-1` → VALUE_MINUS_1, `+` → VALUE."""
    if is_integer:
        return Identifier(f"VALUE_{value.replace('-', 'MINUS_')}")
    name = constant(value)
    return identifier(f"VALUE_{name}" if name[:1].isdigit() else name, "VALUE")


def _field_attributes(model: m.ObjectModel) -> dict[str, Identifier]:
    """The attribute of each property of a model, by JSON name."""
    unique = UniqueNames()
    return {
        prop.name.raw: unique.claim(identifier(snake(prop.name.raw), "field", _FIELD_RESERVED))
        for prop in model.properties
    }


def _model(
    model: m.ObjectModel,
    class_name: Identifier,
    doc_page: str,
    types: _TypeNamer,
    attributes: dict[str, Identifier],
    enums: dict[str, EnumClass],
) -> ModelClass:
    # The base class that names the most fields right leaves the fewest explicit aliases.
    wire_names = [(attributes[prop.name.raw], prop.name.raw) for prop in model.properties]
    base = min(MODEL_BASES, key=lambda name: sum(MODEL_BASES[name](a) != wire for a, wire in wire_names))
    fields = []
    for prop in model.properties:
        attribute = attributes[prop.name.raw]
        annotation = types.annotation(prop.type, qualified=False)
        default = None if prop.required else _default(prop, types, enums) or "None"
        if default == "None" and not annotation.endswith("| None"):
            annotation += " | None"
        fields.append(
            Field(
                attribute,
                prop.name,
                MODEL_BASES[base](attribute) != prop.name.raw,
                annotation,
                prop.required,
                _field_description(prop),
                default,
            )
        )
    description = model.description or SpecText(f"An object of the {model.key!r} schema.")
    extra = types.annotation(model.extra, qualified=False) if model.extra is not None else None
    return ModelClass(class_name, doc_page, description, tuple(fields), base, extra)


def _field_description(prop: m.Property) -> SpecText | None:
    parts = [prop.description.raw] if prop.description else []
    if prop.read_only:
        parts.append("Read-only: the server sets it; it is not required.")
    if prop.write_only:
        parts.append("Write-only: the server does not return it; it is not required.")
    if prop.default is not None:
        parts.append(f"Default: `{prop.default.raw}`.")
    return SpecText("\n\n".join(parts)) if parts else None


def _default(prop: m.Property, types: _TypeNamer, enums: dict[str, EnumClass]) -> str | None:
    """The schema's default as a Python expression, when it is a value of the field's type that can be
    written as a literal; else None, and the field defaults to None. An unset field is not sent either way."""
    if prop.default is None:
        return None
    value = json.loads(prop.default.raw)
    type_ref = prop.type.inner if isinstance(prop.type, m.Nullable) else prop.type
    if value is None:
        return "None" if isinstance(prop.type, m.Nullable) else None
    match type_ref:
        case m.Primitive() if isinstance(value, bool):
            return repr(value) if type_ref.kind == "boolean" else None
        case m.Primitive() if isinstance(value, str):
            return python_string(value) if types.annotation(type_ref, qualified=False) == "str" else None
        case m.Primitive() if isinstance(value, int):
            return str(value) if type_ref.kind in ("integer", "number") else None
        case m.Primitive() if isinstance(value, float) and math.isfinite(value):
            return repr(value) if type_ref.kind == "number" else None
        case m.ModelRef(key) if key in enums:
            enum = enums[key]
            members = [member.member for member in enum.members if member.value.raw == str(value)]
            same_kind = isinstance(value, int) if enum.is_integer else isinstance(value, str)
            return f"{enum.class_name}.{members[0]}" if members and same_kind else None
    return None


class _TypeNamer:
    """Type annotations for type references, in the models module or qualified as `models.X` elsewhere."""

    def __init__(
        self, class_names: dict[str, Identifier], attributes: dict[str, dict[str, Identifier]]
    ) -> None:
        self.class_names = class_names
        self.attributes = attributes

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
            case m.Union(options, discriminator):
                union = " | ".join(self.annotation(option, qualified) for option in options)
                attribute = self._discriminator_attribute(options, discriminator)
                if attribute is None:
                    return union
                return f"typing.Annotated[{union}, pydantic.Field(discriminator={python_string(attribute)})]"
            case m.LiteralOf(values):
                return f"typing.Literal[{', '.join(_literal(value) for value in values)}]"
        return "typing.Any"

    def _discriminator_attribute(self, options: tuple[m.TypeRef, ...], name: SpecText | None) -> str | None:
        """The attribute of the discriminator property, the same in every option's model."""
        if name is None:
            return None
        found = {
            self.attributes.get(option.key, {}).get(name.raw) if isinstance(option, m.ModelRef) else None
            for option in options
        }
        return found.pop() if len(found) == 1 and None not in found else None


def _literal(json_text: SpecText) -> str:
    value = json.loads(json_text.raw)
    return python_string(value) if isinstance(value, str) else repr(value)


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


def _resources(api: m.Api, types: _TypeNamer, uses: dict[str, CredentialUse]) -> tuple[Resource, ...]:
    attributes = UniqueNames(_CLIENT_ATTRIBUTES | WINDOWS_DEVICE_NAMES)  # an attribute is also a file name
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
                operations=_operations(operations, types, uses),
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


def _operations(
    operations: list[m.Operation], types: _TypeNamer, uses: dict[str, CredentialUse]
) -> tuple[OperationMethod, ...]:
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
                accept=operation.accept,
                headers=operation.headers,
                declares_success=operation.declares_success,
                unsatisfiable=operation.unsatisfiable,
                return_annotation=_return_annotation(response, types),
                security=tuple(
                    tuple(dataclasses.replace(uses[use.scheme.raw], scopes=use.scopes) for use in requirement)
                    for requirement in operation.security
                ),
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
    for source in _argument_sources(operation):
        location = source.location
        name = identifier(snake(source.wire_name.raw), "param", _ARGUMENT_RESERVED)
        if claimed_in.setdefault(name.lower(), location) != location:
            name = Identifier(f"{name.rstrip('_')}_{location}")
        annotation = _argument_annotation(source.type, location, types)
        if not source.required and not annotation.endswith("| None"):
            annotation += " | None"
        arguments.append(
            Argument(
                unique.claim(name),
                source.wire_name,
                location,
                annotation,
                source.required,
                source.description,
                source.example,
                source.nested,
            )
        )
    return sorted(arguments, key=lambda argument: (argument.location != "path", not argument.required))


@dataclass(frozen=True)
class _ArgumentSource:
    wire_name: SpecText
    location: ArgumentLocation
    type: m.TypeRef
    required: bool
    description: SpecText | None
    example: m.Example | None
    nested: m.NestedEncoding | None = None


def _argument_sources(operation: m.Operation) -> list[_ArgumentSource]:
    """Parameters, then the fields of a form or multipart body, in the order names are given out."""
    sources = [
        _ArgumentSource(p.name, p.location, p.type, p.required, _parameter_description(p), p.example, p.nested)
        for p in sorted(operation.parameters, key=lambda p: _LOCATION_ORDER[p.location])
    ]
    body = operation.body
    for field in body.fields or () if body else ():
        location: ArgumentLocation = (
            "file" if body and body.format == "multipart" and _is_file(field.type) else "form"
        )
        required = field.required and bool(body and body.required)
        example = _field_example(body.example, field.name) if body and required else None
        sources.append(_ArgumentSource(field.name, location, field.type, required, field.description, example))
    return sources


def _field_example(body: m.Example | None, name: SpecText) -> m.Example | None:
    """A field's value in an example of its form or multipart body."""
    if body is None or body.json is None:
        return body
    fields = json.loads(body.json.raw)
    if not isinstance(fields, dict) or name.raw not in fields:
        return m.Example(None, SpecText(f"the example of the body has no field {name.raw!r}"))
    return m.Example(SpecText(json.dumps(fields[name.raw], ensure_ascii=False)))


_NESTED_NOTES = {
    "json": "Values nested deeper than its style defines are sent as JSON text.",
    "brackets": (
        "Nested objects are sent as `name[key][inner]=value`, and arrays as `name[key]=item` once per item "
        "(the deepObject style defines neither)."
    ),
}


def _parameter_description(parameter: m.Parameter) -> SpecText | None:
    """The parameter's description, and how its nested values are written when the style does not say."""
    if parameter.nested is None:
        return parameter.description
    parts = [parameter.description.raw] if parameter.description else [f"The `{parameter.name.raw}` parameter."]
    return SpecText(" ".join([*parts, _NESTED_NOTES[parameter.nested]]))


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
    return Body(Identifier("body"), annotation, body.required, body.description, body.example)


def _body_encoding(body: m.RequestBody | None) -> BodyEncoding | None:
    if body is None:
        return None
    return BodyEncoding(body.format, body.content_type, body.other_content_types, body.required)
