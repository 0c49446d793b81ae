"""What every benchmark needs first: the `sla` package of the checkout beside bench/ when there is
one (a benchmark run from a clone measures that clone, whatever else is installed), else the
installed one."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

if (ROOT / "sla" / "__init__.py").is_file():
    sys.path.insert(0, str(ROOT))
import sla

__all__ = ["HERE", "ROOT", "sla"]
