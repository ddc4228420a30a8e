"""Shared fixtures: the real OAuth test server (support.server) and the golden httpccg SDK."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_HTTPCCG = ROOT / "generated" / "httpccg"

pytest_plugins = ["support.server", "support.proxy", "support.client_auth"]

# The tests call the committed golden SDK, so what they prove holds for what users get.
if str(GOLDEN_HTTPCCG) not in sys.path:
    sys.path.insert(0, str(GOLDEN_HTTPCCG))

# Generation caches black's output; the suite keeps its cache to itself (the user's stays untouched)
# and shares it between its tests and the processes they start.
os.environ.setdefault("GENERATE_SDK_CACHE", tempfile.mkdtemp(prefix="generate-sdk-cache-"))


def models_source(package: Path) -> str:
    """The source of a generated package's models, whichever of its modules each class is in."""
    return "".join(path.read_text(encoding="utf-8") for path in sorted((package / "models").glob("*.py")))
