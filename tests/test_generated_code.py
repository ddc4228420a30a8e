"""The committed golden SDK is valid Python 3.10, passes mypy --strict, exposes the documented public API
and loads its resource modules lazily."""

from __future__ import annotations

import ast
import enum
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import GOLDEN_HTTPCCG, ROOT
from generator.pipeline import generate_to

GENERATED = ROOT / "generated"
PYTHON_FILES = sorted(path for path in GENERATED.rglob("*.py") if "__pycache__" not in path.parts)

PUBLIC_API = {
    "Client",
    "AsyncClient",
    "ClientCredentialsAuthCredentials",
    "ClientCredentialsAuthManager",
    "AsyncClientCredentialsAuthManager",
    "OAuthScopeEnum",
    "OAuthToken",
    "TokenEvent",
    "TokenRetryPolicy",
    "OAuthProviderError",
    "ApiError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "FileInput",
}


def test_there_are_generated_python_files() -> None:
    """Guard against the parametrized parse test running for nothing."""
    names = {path.relative_to(GENERATED).as_posix() for path in PYTHON_FILES}
    assert {"httpccg/httpccg/__init__.py", "httpccg/httpccg/models/__init__.py", "httpccg/httpccg/resources/items.py"} <= names
    assert "warehouse/warehouse/resources/stock.py" in names


@pytest.mark.parametrize(
    "path", PYTHON_FILES, ids=[p.relative_to(GENERATED).as_posix() for p in PYTHON_FILES]
)
def test_parses_as_python_3_10(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    ast.parse(source, filename=str(path), feature_version=(3, 10))


def test_mypy_strict(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            "httpccg",
            "tests",  # the SDK's own tests are generated code too
        ],
        cwd=GOLDEN_HTTPCCG,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"mypy --strict failed:\n{result.stdout}\n{result.stderr}"
    assert "Success" in result.stdout


def test_public_api() -> None:
    import httpccg

    assert set(httpccg.__all__) == PUBLIC_API
    exported = {
        name
        for name in dir(httpccg)
        if not name.startswith("_") and not inspect.ismodule(getattr(httpccg, name))
    }
    assert exported == PUBLIC_API
    star: dict[str, object] = {}
    exec("from httpccg import *", star)  # noqa: S102 - the golden package, a trusted file
    assert set(star) - {"__builtins__"} == PUBLIC_API


def test_scope_enum() -> None:
    from httpccg import OAuthScopeEnum

    assert issubclass(OAuthScopeEnum, str)
    assert issubclass(OAuthScopeEnum, enum.Enum)
    assert OAuthScopeEnum.READ_SCOPE.value == "read_scope"
    assert OAuthScopeEnum.WRITE_SCOPE.value == "write_scope"
    assert [member.value for member in OAuthScopeEnum] == ["read_scope", "write_scope"]
    assert OAuthScopeEnum("read_scope") is OAuthScopeEnum.READ_SCOPE
    assert str.__eq__(OAuthScopeEnum.READ_SCOPE, "read_scope")  # a str enum is equal to its value


def test_provider_error_is_an_api_error() -> None:
    from httpccg import ApiError, OAuthProviderError

    assert issubclass(OAuthProviderError, ApiError)
    assert issubclass(ApiError, Exception)


def test_py_typed_marker() -> None:
    assert (GOLDEN_HTTPCCG / "httpccg" / "py.typed").is_file()


LAZY_CHECK = """
import json, sys
import httpccg
before = sorted(name for name in sys.modules if name.startswith("httpccg.resources"))
client = httpccg.Client(base_url="http://127.0.0.1:9")
client.items  # the attribute that loads the module
after = sorted(name for name in sys.modules if name.startswith("httpccg.resources"))
client.close()
print(json.dumps({"before": before, "after": after}))
"""


def test_resources_load_lazily() -> None:
    """`import httpccg` does not import the resource modules; using `client.items` does."""
    result = subprocess.run(
        [sys.executable, "-c", LAZY_CHECK], cwd=GOLDEN_HTTPCCG, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    modules = json.loads(result.stdout)
    assert "httpccg.resources.items" not in modules["before"]
    assert "httpccg.resources.service" not in modules["before"]
    # The control: the check above can see the module when it is loaded.
    assert "httpccg.resources.items" in modules["after"]


LOADED = """
import json, sys
def loaded():
    return sorted(name for name in sys.modules if name.startswith(("{package}.models", "{package}.resources")))
import {package}
steps = {{"import": loaded()}}
client = {package}.Client(base_url="http://127.0.0.1:9")
steps["client"] = loaded()
{action}
steps["action"] = loaded()
print(json.dumps(steps))
"""


def _loaded(package: str, action: str) -> dict[str, list[str]]:
    """The models and resource modules loaded after importing a golden package, after making a client,
    and after `action`, in a fresh process."""
    code = LOADED.format(package=package, action=action)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=GENERATED / package, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("package", ["httpccg", "warehouse"])
def test_importing_the_package_and_making_a_client_load_no_model(package: str) -> None:
    steps = _loaded(package, f"from {package} import models; models.__all__")
    assert steps["import"] == steps["client"] == []
    # The control: the check sees the models package once something uses it.
    assert steps["action"] == [f"{package}.models"]


def test_a_model_loads_its_module_only() -> None:
    item = "{'id': 1, 'name': 'a', 'status': 'sold', 'note': None}"
    steps = _loaded("httpccg", f"from httpccg.models import Item; Item.model_validate({item})")
    assert steps["action"] == ["httpccg.models", "httpccg.models._item_status"]


def test_a_resource_loads_the_models_it_uses_only() -> None:
    assert _loaded("httpccg", "client.items")["action"] == [
        "httpccg.models",
        "httpccg.models._item_status",
        "httpccg.resources",
        "httpccg.resources.items",
    ]
    # Stock uses articles and their categories, and problems; shipments and documents are not built.
    assert _loaded("warehouse", "client.stock")["action"] == [
        "warehouse.models",
        "warehouse.models._category",
        "warehouse.models._problem",
        "warehouse.resources",
        "warehouse.resources.stock",
    ]


def test_models_resolve_across_modules() -> None:
    """A model whose fields are classes of another module validates them (pydantic finds them there)."""
    check = (
        "from warehouse.models import PutArticlesSkuStockBody as B, PutArticlesSkuStockBodyReason as R; "
        "print(B.model_validate({'quantity': 2, 'reason': R.__members__[next(iter(R.__members__))].value}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=GENERATED / "warehouse", capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "quantity=2 reason=<PutArticlesSkuStockBodyReason." in result.stdout


# --- generated code for specs other than the golden one ------------------------------------------------


def _variant(tmp_path: Path, change: dict[str, object]) -> Path:
    spec = yaml.safe_load((ROOT / "specs" / "httpccg.yaml").read_text())
    spec["components"]["schemas"].update(change)
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    out = tmp_path / "sdk"
    generate_to(path, out)
    return out


def test_property_named_like_its_type_imports(tmp_path: Path) -> None:
    """An optional property named like a name its annotation uses (`datetime: datetime.datetime | None =
    None`) once shadowed it in the class body: pydantic could not build the model, the package not import."""
    out = _variant(
        tmp_path,
        {
            "Event": {
                "type": "object",
                "properties": {
                    "datetime": {"type": "string", "format": "date-time"},
                    "str": {"type": "string"},
                },
            }
        },
    )
    check = (
        "import json, httpccg.models as m; "
        "event = m.Event.model_validate({'datetime': '2020-01-02T03:04:05Z', 'str': 'x'}); "
        "print(json.dumps(event.model_dump(mode='json', by_alias=True, exclude_unset=True)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=out, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"datetime": "2020-01-02T03:04:05Z", "str": "x"}


def test_schema_named_like_a_builtin_imports(tmp_path: Path) -> None:
    """A schema named `Exception`, referenced before it is defined, was resolved to the builtin class."""
    out = _variant(
        tmp_path,
        {
            "Report": {"type": "object", "properties": {"error": {"$ref": "#/components/schemas/Exception"}}},
            "Exception": {"type": "object", "properties": {"code": {"type": "string"}}},
        },
    )
    check = "import httpccg.models as m; print(m.Report.model_validate({'error': {'code': 'x'}}).error)"
    result = subprocess.run([sys.executable, "-c", check], cwd=out, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "code='x'" in result.stdout


def test_resource_class_names_are_unique(tmp_path: Path) -> None:
    spec = yaml.safe_load((ROOT / "specs" / "httpccg.yaml").read_text())
    spec["paths"]["/status"]["get"]["tags"] = ["Async Items"]
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    generate_to(path, tmp_path / "sdk")
    client = (tmp_path / "sdk" / "httpccg" / "_client.py").read_text()
    # Each class name _client.py imports from a resource module must come from one module only.
    sources: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(client)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("resources."):
            for alias in node.names:
                sources.setdefault(alias.asname or alias.name, set()).add(node.module)
    assert "resources.async_items" in {module for modules in sources.values() for module in modules}
    clashes = {name: sorted(modules) for name, modules in sources.items() if len(modules) > 1}
    assert not clashes
