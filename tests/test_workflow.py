"""The generator in a team's workflow: settings files, `--check`, `--diff`, publishable projects and the
pre-commit hooks of this repository, run by the real pre-commit tool."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from generator.cli import main
from test_golden import tree

SPEC = ROOT / "specs" / "httpccg.yaml"
SETTINGS = """\
[project]
name = "team-app"

[tool.generate-sdk]
spec = "api/httpccg.yaml"
output = "sdk"
distribution = "acme-httpccg"
version = "4.1.0rc1"
python = "3.11"
license = "apache-2.0 OR mit"
authors = [{ name = "Acme SDK team", email = "sdk@acme.example" }]
repository = "https://git.acme.example/httpccg-sdk"
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A team's project folder, the current folder, with the spec under api/ and the settings."""
    (tmp_path / "api").mkdir()
    shutil.copy(SPEC, tmp_path / "api" / "httpccg.yaml")
    (tmp_path / "pyproject.toml").write_text(SETTINGS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _metadata(out: Path) -> dict[str, object]:
    project: dict[str, object] = tomllib.loads((out / "pyproject.toml").read_text())["project"]
    return project


# --- settings ---------------------------------------------------------------------------------------


def test_settings_in_pyproject_name_and_describe_the_project(project: Path) -> None:
    assert main([]) == 0
    metadata = _metadata(project / "sdk")
    assert metadata["name"] == "acme-httpccg" and metadata["version"] == "4.1.0rc1"
    assert metadata["requires-python"] == ">=3.11"
    assert metadata["license"] == "Apache-2.0 OR MIT"  # the canonical SPDX form
    assert metadata["authors"] == [{"name": "Acme SDK team", "email": "sdk@acme.example"}]
    assert metadata["urls"] == {"Repository": "https://git.acme.example/httpccg-sdk"}
    assert "Python 3.11 or newer" in (project / "sdk" / "README.md").read_text()


def test_flags_override_the_settings(project: Path) -> None:
    assert main(["-o", "elsewhere", "--package-name", "acme_items"]) == 0
    assert not (project / "sdk").exists()
    assert (project / "elsewhere" / "acme_items" / "__init__.py").is_file()


def test_settings_beside_the_spec_win_and_paths_are_relative_to_them(project: Path) -> None:
    (project / "api" / "generate-sdk.yaml").write_text("output: ../from-yaml\nversion: 9.0.0\n")
    assert main(["api/httpccg.yaml"]) == 0
    assert _metadata(project / "from-yaml")["version"] == "9.0.0"
    assert not (project / "sdk").exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('colour = "blue"', "unknown setting 'colour'"),
        ('version = "one"', "setting 'version' is 'one'; expected a PEP 440 version"),
        ('python = "2.7"', "setting 'python' is '2.7'; expected a Python version of 3.10 or later"),
        ('license = "Proprietary"', "setting 'license' is 'Proprietary'; expected an SPDX license expression"),
        ('package-name = "class"', "setting 'package-name': 'class' is not a valid Python package name"),
        ("distribution = 3", "setting 'distribution' must be a string"),
    ],
)
def test_bad_settings_are_errors_that_name_the_key(
    project: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    key = line.split(" = ")[0]
    kept = [kept for kept in SETTINGS.splitlines() if not kept.startswith(f"{key} = ")]
    (project / "pyproject.toml").write_text("\n".join([*kept, line, ""]))
    assert main([]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"generate-sdk: error: {project / 'pyproject.toml'}: ") and message in error
    assert not (project / "sdk").exists()


def test_without_spec_or_settings_the_usage_says_what_to_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit:
        main([])
    assert exit.value.code == 2 and "give SPEC, or set `spec`" in capsys.readouterr().err


# --- spec metadata ----------------------------------------------------------------------------------


def test_license_and_contact_of_the_spec_become_the_package_metadata(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = yaml.safe_load(SPEC.read_text())
    spec["info"]["license"] = {"name": "Acme Source License 2"}  # no SPDX expression: kept as text
    spec["info"]["contact"] = {"name": "Acme", "email": "not an address", "url": "https://acme.example"}
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec))
    assert main([str(tmp_path / "spec.yaml"), "-o", str(tmp_path / "out")]) == 0
    metadata = _metadata(tmp_path / "out")
    assert metadata["license"] == {"text": "Acme Source License 2"}
    assert metadata["authors"] == [{"name": "Acme"}]
    assert metadata["urls"] == {"Homepage": "https://acme.example"}
    assert "/info/contact/email: not an email address; left out of the package's authors" in capsys.readouterr().err


# --- --check and --diff -----------------------------------------------------------------------------


def test_check_reports_stale_files_and_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check"]) == 1
    assert "stale: " + str(project / "sdk" / "pyproject.toml") + " (missing)" in capsys.readouterr().out
    assert not (project / "sdk").exists()

    assert main([]) == 0
    capsys.readouterr()
    assert main(["--check"]) == 0
    assert capsys.readouterr().out == ""

    readme = project / "sdk" / "README.md"
    readme.write_text(readme.read_text() + "edited\n")
    (project / "sdk" / "httpccg" / "_client.py").unlink()
    before = tree(project / "sdk")
    assert main(["--check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [f"stale: {readme}", f"stale: {project / 'sdk' / 'httpccg' / '_client.py'} (missing)"]
    assert tree(project / "sdk") == before


def test_diff_lists_what_changed_for_release_notes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = yaml.safe_load(SPEC.read_text())
    listing = spec["paths"]["/items"]["get"]
    listing["parameters"] = [p for p in listing.get("parameters", []) if "$ref" in p or p.get("name") != "limit"]
    listing["parameters"].append({"name": "owner", "in": "query", "required": True, "schema": {"type": "string"}})
    del spec["paths"]["/items/{itemId}"]["delete"]
    spec["components"]["schemas"]["Item"]["properties"]["colour"] = {"type": "string"}
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(spec))
    assert main([str(tmp_path / "new.yaml"), "--diff", str(SPEC)]) == 0
    notes = capsys.readouterr().out
    assert "### Removed\n\n- `client.items.delete_item()`" in notes
    assert "- `client.items.list_items()`\n  - new required argument `owner: str`" in notes
    assert "- model `Item`\n  - new optional field `colour: str | None`" in notes
    assert not (tmp_path / "sdk").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["new.yaml"]


# --- publishable projects ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["httpccg", "warehouse"])
def test_golden_projects_build_and_pass_twine_check(name: str, tmp_path: Path) -> None:
    source = tmp_path / name
    shutil.copytree(ROOT / "generated" / name, source, ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache"))
    built = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp_path / "dist"), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    dists = sorted(path.name for path in (tmp_path / "dist").iterdir())
    version = _metadata(source)["version"]
    assert dists == [f"{name}-{version}-py3-none-any.whl", f"{name}-{version}.tar.gz"]
    checked = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, (tmp_path / "dist").iterdir())],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert (ROOT / "generated" / name / ".github" / "workflows" / "publish.yml").is_file()


def test_the_built_wheel_installs_into_a_fresh_environment(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", str(tmp_path), str(ROOT / "generated" / "httpccg")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("*.whl")
    venv.create(tmp_path / "env", with_pip=True)
    python = tmp_path / "env" / "bin" / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True, timeout=600
    )
    assert installed.returncode == 0, installed.stderr
    imported = subprocess.run(
        [str(python), "-c", "import httpccg; httpccg.Client(base_url='http://127.0.0.1:9').close(); print(httpccg.__file__)"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert imported.returncode == 0, imported.stderr
    assert str(tmp_path / "env") in imported.stdout  # the installed copy, not the golden folder


# --- pre-commit -------------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=120)


def _try_repo(repo: Path, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run one hook of this repository in `repo` on the staged files, as `git commit` would."""
    environment = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=900,
        env=environment,
    )


def test_pre_commit_hooks_regenerate_and_check(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "api").mkdir(parents=True)
    shutil.copy(SPEC, repo / "api" / "httpccg.yaml")
    (repo / "pyproject.toml").write_text(SETTINGS)
    for args in (["init", "-q"], ["config", "user.email", "dev@example.invalid"], ["config", "user.name", "dev"]):
        _git(repo, *args)
    _git(repo, "add", "-A")
    home = tmp_path / "pre-commit-home"

    first = _try_repo(repo, "generate-sdk", home)
    assert first.returncode == 1, first.stdout + first.stderr  # files were added: the commit fails
    assert "files changed: " in first.stdout
    assert (repo / "sdk" / "httpccg" / "_client.py").is_file()
    _git(repo, "add", "-A")
    second = _try_repo(repo, "generate-sdk", home)
    assert second.returncode == 0, second.stdout + second.stderr
    assert _git(repo, "commit", "-q", "-m", "SDK").returncode == 0

    spec = repo / "api" / "httpccg.yaml"
    spec.write_text(spec.read_text().replace("operationId: listItems", "operationId: listAllItems"))
    _git(repo, "add", "-A")
    stale = _try_repo(repo, "generate-sdk-check", home)
    assert stale.returncode == 1 and "stale: " in stale.stdout
    items = repo / "sdk" / "httpccg" / "resources" / "items.py"
    assert "def list_all_items" not in items.read_text()  # the check writes nothing

    changed = _try_repo(repo, "generate-sdk", home)
    assert changed.returncode == 1 and "files were modified by this hook" in changed.stdout
    assert "def list_all_items" in items.read_text()
    _git(repo, "add", "-A")
    assert _try_repo(repo, "generate-sdk", home).returncode == 0
    assert _try_repo(repo, "generate-sdk-check", home).returncode == 0
    assert _git(repo, "commit", "-q", "-m", "Rename listItems").returncode == 0


def test_client_class_names_from_the_settings(project: Path) -> None:
    with (project / "pyproject.toml").open("a") as settings:
        settings.write('client-class = "AcmeClient"\nasync-client-class = "AcmeAsyncClient"\n')
    assert main([]) == 0
    script = (
        "import httpccg, inspect\n"
        "client = httpccg.AcmeClient(base_url='http://127.0.0.1:9')\n"
        "with client as entered: assert entered is client\n"
        "assert inspect.iscoroutinefunction(httpccg.AcmeAsyncClient.aclose)\n"
        "assert not hasattr(httpccg, 'Client') and not hasattr(httpccg, 'AsyncClient')\n"
        "print(sorted(httpccg.__all__))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=project / "sdk", capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "'AcmeAsyncClient', 'AcmeClient'" in run.stdout
    readme = (project / "sdk" / "README.md").read_text()
    assert "client = AcmeClient(" in readme and "AcmeAsyncClient.from_environment()" in readme
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(project / ".mypy"), "httpccg"],
        cwd=project / "sdk",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('client-class = "acme"', "setting 'client-class' is 'acme'; expected a class name"),
        ('client-class = "OAuthToken"', "setting 'client-class': 'OAuthToken' is a name the SDK uses already"),
        ('client-class = "ItemsResource"', "setting 'client-class': 'ItemsResource' is a name the SDK uses already"),
        ('async-client-class = "Client"', "'client-class' and 'async-client-class' must differ"),
    ],
)
def test_client_class_names_are_checked(
    project: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    (project / "pyproject.toml").write_text(SETTINGS + ('client-class = "Client"\n' if "must differ" in message else "") + line + "\n")
    assert main([]) == 2
    assert message in capsys.readouterr().err
    assert not (project / "sdk").exists()
