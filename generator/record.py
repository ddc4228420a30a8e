"""The record of a generation: what a spec and its settings generated, kept so that running again on
inputs that did not change costs a few file reads instead of a generation.

A record is kept in the cache (see generator/cache.py) under everything the output depends on besides
the spec's files: the spec as named on the command line and where it was run, the settings, the Python
version, and a digest of the generator's own code, templates and the versions of the libraries that
shape the output. It holds the digest of each file the spec is made of (the spec and the files its
`$ref`s name), the digest of each file generated, and the warnings the generation gave. When every one of
those input files still has its digest, the record says what a generation would make; whether the output
folder holds it is then a matter of comparing digests.

This module imports neither the stages nor black, Jinja or the validator: a run that the record answers
needs none of them.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from generator.cache import Cache
from generator.check import stale_paths
from generator.output import TEMPLATES, OutputFile

_OUTPUT_LIBRARIES = ("black", "jinja2", "openapi-spec-validator", "pyyaml")
"""The libraries whose version can change the generated files or the warnings."""


@dataclass(frozen=True)
class Record:
    package: str
    files: dict[str, str]
    """The digest of each generated file's bytes, by its POSIX path in the output folder."""
    warnings: list[str]
    """The warnings the generation printed, as printed."""

    def stale(self, out: Path) -> list[str]:
        """The generated files that are missing from `out` or differ there, as `--check` lists them."""
        return stale_paths(out, ((path, _digest_is(digest)) for path, digest in self.files.items()))


def find(spec: Path, settings: object) -> Record | None:
    """The record of an earlier generation from this spec with these settings, when none of the spec's
    files changed since; None otherwise."""
    entry = _cache().get(_key(spec, settings))
    if entry is None:
        return None
    try:
        saved = json.loads(entry)
        for path, digest in saved["inputs"].items():
            if _digest(Path(path).read_text(encoding="utf-8").encode("utf-8")) != digest:
                return None
        return Record(saved["package"], saved["files"], saved["warnings"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return None


def keep(
    spec: Path,
    settings: object,
    inputs: dict[Path, str],
    package: str,
    files: list[OutputFile],
    warnings: list[str],
) -> None:
    """Record a generation: `inputs` are the texts of the spec's files as the generation read them."""
    saved = {
        "inputs": {str(path): _digest(text.encode("utf-8")) for path, text in inputs.items()},
        "package": package,
        "files": {file.path.as_posix(): _digest(file.text.encode("utf-8")) for file in files},
        "warnings": warnings,
    }
    _cache().put(_key(spec, settings), json.dumps(saved))


def _key(spec: Path, settings: object) -> str:
    """What, besides the spec's files, the output depends on. Warnings name the spec as given, so the
    name given counts as well as the file it resolves to."""
    return json.dumps([str(spec), str(spec.resolve()), os.getcwd(), repr(settings), sys.version])


def _cache() -> Cache:
    return Cache.from_environment(f"record-{_generator_digest()}")


@cache
def _generator_digest() -> str:
    """The generator's code and templates and the versions of the libraries that shape its output."""
    digest = hashlib.sha256()
    for library in _OUTPUT_LIBRARIES:
        digest.update(f"{library} {metadata.version(library)}\n".encode())
    for folder in (Path(__file__).parent, TEMPLATES):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(folder).as_posix()}\n".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _digest_is(digest: str) -> Callable[[bytes], bool]:
    return lambda data: _digest(data) == digest


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
