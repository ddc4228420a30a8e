"""Convert stage: a Swagger 2.0 document becomes the OpenAPI 3.0 document the model stage reads.

It runs after validation, so that violations are reported against the document the user wrote. The
converted document's `origins` lead every moved part back to where it was written (`/components/schemas/X`
to `/definitions/X`, a request body to its body parameter), so later warnings name the user's lines.
"""

from __future__ import annotations

from typing import Any

from generator.load import Source
from generator.model import HTTP_METHODS
from generator.problems import Report, pointer_of

_DEFAULT_MEDIA = ["application/json"]
_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"

# Swagger 2.0 names of the OAuth 2.0 flows: the OpenAPI 3 flow, and the URLs it has.
_FLOWS = {
    "application": ("clientCredentials", ("tokenUrl",)),
    "password": ("password", ("tokenUrl",)),
    "accessCode": ("authorizationCode", ("authorizationUrl", "tokenUrl")),
    "implicit": ("implicit", ("authorizationUrl",)),
}
# collectionFormat of array parameters: the OpenAPI 3 style and explode, where the parameter stands.
_STYLES: dict[str, dict[str, tuple[str, bool]]] = {
    "csv": {
        "query": ("form", False),
        "formData": ("form", False),
        "path": ("simple", False),
        "header": ("simple", False),
    },
    "multi": {"query": ("form", True), "formData": ("form", True)},
    "ssv": {"query": ("spaceDelimited", False), "formData": ("spaceDelimited", False)},
    "pipes": {"query": ("pipeDelimited", False), "formData": ("pipeDelimited", False)},
}
_DEFINITIONS, _SCHEMAS = "#/definitions/", "#/components/schemas/"
# Keywords of a non-body parameter, a header or an items object that describe its value: its schema.
_VALUE_KEYWORDS = frozenset(
    "type format items default maximum exclusiveMaximum minimum exclusiveMinimum maxLength minLength pattern "
    "maxItems minItems uniqueItems enum multipleOf x-nullable".split()
)
_SCHEMA_OF_SCHEMAS = frozenset({"items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"})
_LITERALS = frozenset({"example", "default", "enum", "x-example"})


def is_swagger2(data: dict[str, Any]) -> bool:
    return str(data.get("swagger")) == "2.0"


def convert(source: Source, report: Report) -> Source:
    """The OpenAPI 3.0 form of a Swagger 2.0 document; other documents are returned as they are."""
    if not is_swagger2(source.data):
        return source
    converter = _Converter(source, report)
    data = converter.document()
    return Source(source.path, source.text, data, origins={"": (source, ""), **converter.origins})


class _Converter:
    def __init__(self, source: Source, report: Report) -> None:
        self.doc = source.data
        self.source = source
        self.report = report
        self.origins: dict[str, tuple[Source, str]] = {}

    def moved(self, pointer: str, origin: str) -> None:
        self.origins[pointer] = (self.source, origin)

    def document(self) -> dict[str, Any]:
        converted: dict[str, Any] = {"openapi": "3.0.3"}
        for key, value in self.doc.items():
            if key in ("info", "tags", "security", "externalDocs") or key.startswith("x-"):
                converted[key] = value
        converted["servers"] = self._servers()
        converted["paths"] = {
            path: self._path_item(pointer_of("paths", path), item)
            for path, item in (self.doc.get("paths") or {}).items()
        }
        converted["components"] = {
            "schemas": {
                key: self._schema(schema) for key, schema in (self.doc.get("definitions") or {}).items()
            },
            "securitySchemes": {
                key: self._security_scheme(key, scheme)
                for key, scheme in (self.doc.get("securityDefinitions") or {}).items()
            },
        }
        self.moved("/components/schemas", "/definitions")
        self.moved("/components/securitySchemes", "/securityDefinitions")
        return converted

    def _servers(self) -> list[dict[str, Any]]:
        base_path = str(self.doc.get("basePath") or "").rstrip("/")
        host = self.doc.get("host")
        self.moved("/servers", "/host" if host else "/basePath")
        if not host:
            return [{"url": base_path or "/"}]
        schemes = [str(scheme) for scheme in self.doc.get("schemes") or ["https"]]
        # The first server is the client's default: the secure one, when the API offers both.
        schemes.sort(key=lambda scheme: scheme != "https")
        return [{"url": f"{scheme}://{host}{base_path}"} for scheme in schemes]

    # --- operations ---------------------------------------------------------------------------

    def _path_item(self, pointer: str, item: dict[str, Any]) -> dict[str, Any]:
        shared = self._resolved_parameters(item.get("parameters") or [], f"{pointer}/parameters")
        converted: dict[str, Any] = {}
        for key, value in item.items():
            if key in HTTP_METHODS:
                converted[key] = self._operation(f"{pointer}/{key}", value, shared)
            elif key == "parameters":
                converted[key] = self._plain_parameters(shared, f"{pointer}/parameters")
            else:
                converted[key] = value
        return converted

    def _operation(
        self, pointer: str, raw: dict[str, Any], shared: list[tuple[str, dict[str, Any]]]
    ) -> dict[str, Any]:
        converted = {
            key: value
            for key, value in raw.items()
            if key not in ("parameters", "responses", "consumes", "produces", "schemes")
        }
        if "schemes" in raw:
            self.report.warn(
                f"{pointer}/schemes",
                "schemes of single operations are not supported; the API's servers are used",
            )
        own = self._resolved_parameters(raw.get("parameters") or [], f"{pointer}/parameters")
        converted["parameters"] = self._plain_parameters(own, f"{pointer}/parameters")
        consumes = raw.get("consumes") or self.doc.get("consumes") or _DEFAULT_MEDIA
        body = self._request_body(shared, own, consumes, f"{pointer}/requestBody")
        if body is not None:
            converted["requestBody"] = body
        produces = raw.get("produces") or self.doc.get("produces") or _DEFAULT_MEDIA
        converted["responses"] = {
            code: self._response(f"{pointer}/responses/{_escape(str(code))}", response, produces)
            for code, response in (raw.get("responses") or {}).items()
        }
        return converted

    def _resolved_parameters(self, raw: list[Any], pointer: str) -> list[tuple[str, dict[str, Any]]]:
        """The parameters with `#/parameters/...` references followed, each with the pointer it stands at."""
        resolved = []
        for index, parameter in enumerate(raw):
            origin = f"{pointer}/{index}"
            ref = parameter.get("$ref") if isinstance(parameter, dict) else None
            if isinstance(ref, str) and ref.startswith("#/parameters/"):
                name = ref[len("#/parameters/") :].replace("~1", "/").replace("~0", "~")
                if name in (self.doc.get("parameters") or {}):
                    origin, parameter = pointer_of("parameters", name), self.doc["parameters"][name]
            if isinstance(parameter, dict):
                resolved.append((origin, parameter))
        return resolved

    def _plain_parameters(self, parameters: list[tuple[str, dict[str, Any]]], pointer: str) -> list[Any]:
        """The parameters that stay parameters in OpenAPI 3 (not body, not form data)."""
        converted: list[Any] = []
        for origin, parameter in parameters:
            if parameter.get("in") in ("body", "formData"):
                continue
            new_pointer = f"{pointer}/{len(converted)}"
            self.moved(new_pointer, origin)
            self.moved(f"{new_pointer}/schema", origin)
            converted.append(self._parameter(parameter, new_pointer))
        return converted

    def _parameter(self, raw: dict[str, Any], pointer: str) -> dict[str, Any]:
        if "$ref" in raw:
            return {"$ref": raw["$ref"]}
        converted = {
            key: value for key, value in raw.items() if key not in _VALUE_KEYWORDS | {"collectionFormat"}
        }
        converted["schema"] = self._value_schema(raw)
        style = self._style(raw, str(raw.get("in")), pointer)
        if style is not None:
            converted["style"], converted["explode"] = style
        return converted

    def _style(self, raw: dict[str, Any], location: str, pointer: str) -> tuple[str, bool] | None:
        if raw.get("type") != "array":
            return None
        collection_format = str(raw.get("collectionFormat", "csv"))
        style = _STYLES.get(collection_format, {}).get(location)
        if style is None:
            self.report.warn(
                pointer,
                f"collectionFormat {collection_format!r} has no OpenAPI 3 equivalent here; "
                "sent comma-separated",
            )
            return _STYLES["csv"].get(location)
        return style

    def _request_body(
        self,
        shared: list[tuple[str, dict[str, Any]]],
        own: list[tuple[str, dict[str, Any]]],
        consumes: list[str],
        pointer: str,
    ) -> dict[str, Any] | None:
        # An operation's parameter replaces the path's parameter of the same name and location.
        by_place = {(p.get("in"), p.get("name")): (origin, p) for origin, p in shared + own}
        body = [(origin, p) for origin, p in by_place.values() if p.get("in") == "body"]
        form = [(origin, p) for origin, p in by_place.values() if p.get("in") == "formData"]
        if body:
            return self._body(*body[-1], consumes, pointer)
        if form:
            return self._form(form, consumes, pointer)
        return None

    def _body(
        self, origin: str, parameter: dict[str, Any], consumes: list[str], pointer: str
    ) -> dict[str, Any]:
        self.moved(pointer, origin)
        schema = self._schema(parameter.get("schema") or {})
        for media_type in consumes:
            self.moved(f"{pointer}/content/{_escape(media_type)}/schema", f"{origin}/schema")
        body: dict[str, Any] = {
            "content": {media_type: {"schema": schema} for media_type in consumes},
            "required": bool(parameter.get("required", False)),
        }
        if "description" in parameter:
            body["description"] = parameter["description"]
        return body

    def _form(
        self, parameters: list[tuple[str, dict[str, Any]]], consumes: list[str], pointer: str
    ) -> dict[str, Any]:
        """Form data parameters: one object, sent as a form, or as multipart when it holds a file."""
        has_file = any(parameter.get("type") == "file" for _, parameter in parameters)
        multipart = has_file or (_MULTIPART in consumes and _FORM not in consumes)
        media_type = _MULTIPART if multipart else _FORM
        schema_pointer = f"{pointer}/content/{_escape(media_type)}/schema"
        self.moved(pointer, parameters[0][0])
        properties, encoding = {}, {}
        for origin, parameter in parameters:
            name = str(parameter.get("name"))
            self.moved(f"{schema_pointer}/properties/{_escape(name)}", origin)
            properties[name] = self._value_schema(parameter)
            if "description" in parameter:
                properties[name]["description"] = parameter["description"]
            style = self._style(parameter, "formData", f"{schema_pointer}/properties/{_escape(name)}")
            if style is not None:
                encoding[name] = {"style": style[0], "explode": style[1]}
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        required = [str(parameter.get("name")) for _, parameter in parameters if parameter.get("required")]
        if required:
            schema["required"] = required
        media: dict[str, Any] = {"schema": schema}
        if encoding:
            media["encoding"] = encoding
        return {"content": {media_type: media}, "required": bool(required)}

    def _response(self, pointer: str, raw: Any, produces: list[str]) -> Any:
        origin = pointer
        ref = raw.get("$ref") if isinstance(raw, dict) else None
        if isinstance(ref, str) and ref.startswith("#/responses/"):
            name = ref[len("#/responses/") :].replace("~1", "/").replace("~0", "~")
            if name in (self.doc.get("responses") or {}):
                origin, raw = pointer_of("responses", name), self.doc["responses"][name]
        if not isinstance(raw, dict):
            return raw
        self.moved(pointer, origin)
        # `examples` holds one example per media type; those the operation does not produce are left out.
        converted = {key: value for key, value in raw.items() if key not in ("schema", "examples", "headers")}
        converted.setdefault("description", "")
        if "schema" in raw:
            schema = self._schema(raw["schema"])
            examples = raw.get("examples") or {}
            converted["content"] = {}
            for media_type in produces:
                self.moved(f"{pointer}/content/{_escape(media_type)}/schema", f"{origin}/schema")
                media = converted["content"][media_type] = {"schema": schema}
                if media_type in examples:
                    media["example"] = examples[media_type]
        if "headers" in raw:
            converted["headers"] = {
                name: {
                    **{
                        key: value
                        for key, value in header.items()
                        if key == "description" or key.startswith("x-")
                    },
                    "schema": self._value_schema(header),
                }
                for name, header in raw["headers"].items()
                if isinstance(header, dict)
            }
        return converted

    # --- schemas and security -----------------------------------------------------------------

    def _value_schema(self, raw: dict[str, Any]) -> dict[str, Any]:
        """The schema of a non-body parameter, a header or a form field: its value keywords."""
        schema = {key: value for key, value in raw.items() if key in _VALUE_KEYWORDS}
        if isinstance(schema.get("items"), dict):
            schema["items"] = self._value_schema(schema["items"])
        converted: dict[str, Any] = self._schema(schema)
        return converted

    def _schema(self, schema: Any) -> Any:
        if isinstance(schema, list):
            return [self._schema(item) for item in schema]
        if not isinstance(schema, dict):
            return schema
        converted: dict[str, Any] = {}
        for key, value in schema.items():
            if key in _LITERALS:
                converted[key] = value
            elif key == "$ref":
                converted[key] = _local_ref(value)
            elif key == "x-nullable":
                converted["nullable"] = value
            elif key == "type" and value == "file":
                converted.update(type="string", format="binary")
            elif key == "discriminator" and isinstance(value, str):
                converted[key] = {"propertyName": value}
            elif key in _SCHEMA_OF_SCHEMAS:
                converted[key] = self._schema(value)
            elif key == "properties" and isinstance(value, dict):
                converted[key] = {name: self._schema(item) for name, item in value.items()}
            else:
                converted[key] = value
        if "$ref" in converted and converted.get("nullable") is True:
            # OpenAPI 3.0 ignores what stands next to a $ref; allOf is how a reference is made nullable.
            return {"allOf": [{"$ref": converted.pop("$ref")}], **converted}
        return converted

    def _security_scheme(self, key: str, raw: Any) -> Any:
        if not isinstance(raw, dict):
            return raw
        kept = {name: value for name, value in raw.items() if name == "description" or name.startswith("x-")}
        kind = raw.get("type")
        if kind == "basic":
            return {"type": "http", "scheme": "basic", **kept}
        if kind == "apiKey":
            return {"type": "apiKey", "name": raw.get("name"), "in": raw.get("in"), **kept}
        if kind != "oauth2" or raw.get("flow") not in _FLOWS:
            return dict(raw)
        flow_name, urls = _FLOWS[str(raw["flow"])]
        flow = {url: raw[url] for url in urls if url in raw}
        flow["scopes"] = raw.get("scopes") or {}
        self.moved(
            pointer_of("components", "securitySchemes", key, "flows"),
            pointer_of("securityDefinitions", key, "flow"),
        )
        return {"type": "oauth2", "flows": {flow_name: flow}, **kept}


def _local_ref(ref: Any) -> Any:
    if isinstance(ref, str) and ref.startswith(_DEFINITIONS):
        return _SCHEMAS + ref[len(_DEFINITIONS) :]
    return ref


def _escape(part: str) -> str:
    """One part of a JSON pointer."""
    return part.replace("~", "~0").replace("/", "~1")
