"""Regenerate the golden SDKs in generated/ from the specs in specs/.

Run after an intended change to the generator, then read the diff before committing:
    python tests/regenerate_golden.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline import generate_to  # noqa: E402

GOLDEN = {
    "httpccg": ROOT / "specs" / "httpccg.yaml",
    "warehouse": ROOT / "specs" / "warehouse.yaml",
}
"""Each golden SDK: its folder under generated/ and the spec it is generated from."""


def main() -> None:
    for name, spec in GOLDEN.items():
        result = generate_to(spec, ROOT / "generated" / name)
        for warning in result.warnings:
            print(warning, file=sys.stderr)
        print(f"generated/{name}: {len(result.files)} files")


if __name__ == "__main__":
    main()
