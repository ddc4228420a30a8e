"""Write a synthetic OpenAPI 3.0 document of 2,000 operations and 1,500 schemas, the same bytes every run.

    python bench/synthetic_spec.py OUT.json   (OUT.yaml writes YAML)

The document has an OAuth 2.0 client-credentials scheme with scopes, tags, path, query and header
parameters, JSON request bodies, success and error responses, `$ref`s between schemas, enums (named and
inline) and nested inline objects. References only point to schemas defined earlier, so there are no
cycles, and every name is unique, so that any generator can read it.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

SEED = 20260601
OPERATIONS = 2000
SCHEMAS = 1500
RESOURCES = OPERATIONS // 4  # list, create, get and update of each resource
TAGS = 40
SCOPES = 20
ENUM_SHARE = 0.1

_WORDS = (
    "account order item price stock carrier parcel route invoice ledger tenant region vault metric "
    "report batch export import policy quota label badge venue ticket seat driver fleet trip fare "
    "lesson course grade device sensor reading alarm shift roster"
).split()


def _words(rng: random.Random, count: int) -> list[str]:
    return [rng.choice(_WORDS) for _ in range(count)]


def _sentence(rng: random.Random, count: int) -> str:
    return " ".join(_words(rng, count)).capitalize() + "."


def _schema_name(index: int) -> str:
    return f"{_WORDS[index % len(_WORDS)].capitalize()}{index}"


def _tag_name(tag: int) -> str:
    return f"{_WORDS[tag % len(_WORDS)]}_tag{tag}"


def _enum(rng: random.Random) -> dict[str, Any]:
    values = sorted(set(_words(rng, rng.randint(3, 7))))
    return {"type": "string", "enum": values, "description": _sentence(rng, 5)}


def _property(rng: random.Random, index: int, depth: int) -> dict[str, Any]:
    kind = rng.random()
    if kind < 0.2:
        return {"type": "string", "description": _sentence(rng, 6)}
    if kind < 0.3:
        return {"type": "integer", "format": "int64", "minimum": 0}
    if kind < 0.38:
        return {"type": "number"}
    if kind < 0.44:
        return {"type": "boolean", "default": False}
    if kind < 0.5:
        return {"type": "string", "format": "date-time"}
    if kind < 0.56:
        return {"type": "string", "format": "uuid", "nullable": True}
    if kind < 0.62:
        return _enum(rng)
    if index > 0 and kind < 0.78:
        return {"$ref": f"#/components/schemas/{_schema_name(rng.randrange(index))}"}
    if index > 0 and kind < 0.88:
        return {
            "type": "array",
            "items": {"$ref": f"#/components/schemas/{_schema_name(rng.randrange(index))}"},
        }
    if depth < 2:
        return _object(rng, index, depth + 1, rng.randint(2, 4))
    return {"type": "object", "additionalProperties": {"type": "string"}}


def _object(rng: random.Random, index: int, depth: int, size: int) -> dict[str, Any]:
    names = [f"{word}_{position}" for position, word in enumerate(_words(rng, size))]
    properties = {name: _property(rng, index, depth) for name in names}
    required = [name for name in names if rng.random() < 0.4]
    schema: dict[str, Any] = {"type": "object", "description": _sentence(rng, 8), "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _schemas(rng: random.Random) -> dict[str, Any]:
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
        }
    }
    for index in range(SCHEMAS - 1):
        is_enum = rng.random() < ENUM_SHARE
        schemas[_schema_name(index)] = _enum(rng) if is_enum else _object(rng, index, 0, rng.randint(4, 10))
    return schemas


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors() -> dict[str, Any]:
    return {
        "404": _json(_ref("Error"), "Not found."),
        "default": _json(_ref("Error"), "Unexpected error."),
    }


def _security(rng: random.Random) -> list[dict[str, list[str]]]:
    return [{"oauth": sorted({f"scope_{rng.randrange(SCOPES)}" for _ in range(rng.randint(1, 3))})}]


def _operation(rng: random.Random, operation_id: str, tag: str, method_summary: str) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "summary": f"{method_summary} ({operation_id})",
        "description": _sentence(rng, 14),
        "tags": [tag],
        "security": _security(rng),
    }


def _id_parameter() -> dict[str, Any]:
    return {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}


def _trace_header(rng: random.Random) -> dict[str, Any]:
    return {
        "name": "X-Trace-Id",
        "in": "header",
        "schema": {"type": "string"},
        "description": _sentence(rng, 4),
    }


def _resource_paths(rng: random.Random, resource: int, schema_names: list[str]) -> dict[str, Any]:
    name = f"{_WORDS[resource % len(_WORDS)]}{resource}"
    tag = _tag_name(resource % TAGS)
    item = _ref(rng.choice(schema_names))
    listing = _operation(rng, f"list_{name}", tag, "List")
    listing["parameters"] = [
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
        {"name": "cursor", "in": "query", "schema": {"type": "string"}},
        {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}},
        _trace_header(rng),
    ]
    listing["responses"] = {"200": _json({"type": "array", "items": item}, "The page."), **_errors()}
    create = _operation(rng, f"create_{name}", tag, "Create")
    create["requestBody"] = {"required": True, "content": {"application/json": {"schema": item}}}
    create["responses"] = {"201": _json(item, "Created."), **_errors()}
    get = _operation(rng, f"get_{name}", tag, "Get")
    get["parameters"] = [_id_parameter()]
    get["responses"] = {"200": _json(item, "Found."), **_errors()}
    update = _operation(rng, f"update_{name}", tag, "Update")
    update["parameters"] = [_id_parameter(), _trace_header(rng)]
    update["requestBody"] = {"required": True, "content": {"application/json": {"schema": item}}}
    update["responses"] = {
        "200": _json(item, "Updated."),
        "204": {"description": "Nothing to say."},
        **_errors(),
    }
    return {f"/{name}": {"get": listing, "post": create}, f"/{name}/{{id}}": {"get": get, "put": update}}


def synthetic_spec() -> dict[str, Any]:
    """The synthetic document as plain data, always the same for the same SEED."""
    rng = random.Random(SEED)
    schemas = _schemas(rng)
    object_names = [
        name for name, schema in schemas.items() if schema.get("type") == "object" and name != "Error"
    ]
    paths: dict[str, Any] = {}
    for resource in range(RESOURCES):
        paths.update(_resource_paths(rng, resource, object_names))
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Synthetic Bench",
            "version": "1.0.0",
            "description": "A synthetic API for benchmarks.",
        },
        "servers": [{"url": "https://api.example.com/v1"}],
        "tags": [{"name": _tag_name(tag), "description": _sentence(rng, 6)} for tag in range(TAGS)],
        "security": [{"oauth": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "oauth": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "https://auth.example.com/oauth/token",
                            "scopes": {f"scope_{scope}": f"Scope number {scope}." for scope in range(SCOPES)},
                        }
                    },
                }
            },
        },
    }


def write_synthetic_spec(path: Path) -> Path:
    document = synthetic_spec()
    if path.suffix in (".yaml", ".yml"):
        import yaml

        text = yaml.safe_dump(document, sort_keys=False, width=100)
    else:
        text = json.dumps(document, indent=2) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="where to write the document (.json or .yaml)")
    args = parser.parse_args()
    write_synthetic_spec(args.out)
    document = synthetic_spec()
    operations = sum(len(item) for item in document["paths"].values())
    print(f"wrote {args.out}: {operations} operations, {len(document['components']['schemas'])} schemas")


if __name__ == "__main__":
    main()
