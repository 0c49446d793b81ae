"""What every benchmark needs first: the `sla` package, installed, or else the source of the
checkout beside bench/ (a benchmark run from a clone without `pip install`)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

try:
    import sla
except ImportError:
    if not (ROOT / "sla" / "__init__.py").is_file():
        raise
    sys.path.insert(0, str(ROOT))
    import sla

__all__ = ["HERE", "ROOT", "sla"]
