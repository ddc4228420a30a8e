"""Real third-party specs (../shared/specs/real): the generator never crashes on them, and every SDK it
generates imports, builds all its models, passes mypy --strict, and passes its own tests: every operation
called against Prism (a mock that checks each request against the spec), each one passing or skipped for a
reason of the spec's or the mock's, never failing.

Specs the generator cannot handle yet must fail with located problems (exit 2), never an internal error.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from generator.pipeline import generate_to
from generator.problems import SpecError
from support.suites import NOT_THE_SDKS, run_suite

REAL = ROOT.parent / "shared" / "specs" / "real"
SPECS = sorted(
    [path for path in REAL.glob("*") if path.suffix in (".yaml", ".json")]
    + [REAL / "large-no-cc" / "okta-management-minimal.yaml", REAL / "surevoip-multifile" / "openapi" / "openapi.yaml"]
) if REAL.is_dir() else []

CHECK = """
import importlib, pkgutil, sys
import pydantic
package = importlib.import_module(sys.argv[1])
models = importlib.import_module(sys.argv[1] + ".models")
resources = importlib.import_module(sys.argv[1] + ".resources")
count = 0
for name in models.__all__:  # each class, loaded from its module
    value = getattr(models, name)
    if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
        value.model_rebuild(force=True)
        count += 1
for info in pkgutil.iter_modules(resources.__path__):
    module = importlib.import_module(f"{resources.__name__}.{info.name}")
    for name, value in vars(module).items():
        if name.startswith("_") and name.isupper() and value.response_type not in (None, bytes):
            pydantic.TypeAdapter(value.response_type)
print(count)
"""


@pytest.mark.skipif(not SPECS, reason="../shared/specs/real is absent: the real specs are not in this clone")
@pytest.mark.parametrize("spec", SPECS, ids=lambda path: path.name)
def test_real_spec(spec: Path, tmp_path: Path) -> None:
    try:
        result = generate_to(spec, tmp_path / "out")
    except SpecError as error:
        assert error.problems and all(problem.file and problem.line for problem in error.problems)
        pytest.xfail(f"not handled yet: {error.problems[0]}")
    assert all(warning.pointer == "" or warning.pointer.startswith("/") for warning in result.warnings)
    out = tmp_path / "out"
    # The three checks read the generated project only: they run side by side.
    check = _started([sys.executable, "-c", CHECK, result.package], out)
    mypy_cache = str(tmp_path / "cache")
    mypy = _started(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", mypy_cache, result.package, "tests"],
        out,
    )
    (tmp_path / "suite").mkdir()
    outcome = run_suite(out, tmp_path / "suite")
    _, check_errors = check.communicate(timeout=300)
    assert check.returncode == 0, check_errors[-3000:]
    mypy_output, _ = mypy.communicate(timeout=600)
    assert mypy.returncode == 0, mypy_output[-3000:]
    assert not outcome.failed, {name: problem[:600] for name, problem in outcome.failed.items()}
    assert outcome.passed or outcome.skipped
    blamed = {name: reason for name, reason in outcome.skipped.items() if not NOT_THE_SDKS.search(reason)}
    assert not blamed, blamed


def _started(command: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
