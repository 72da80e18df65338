"""Copy strings.json (the English source) to translations/en.json; --check only compares.

Custom integrations are served their translations from translations/*.json; strings.json is the
source every other language is translated from. The tests check that every language has the same
keys and placeholders as strings.json.
"""

from __future__ import annotations

from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parents[2] / "custom_components" / "bluecurrent"

if __name__ == "__main__":
    source = (ROOT / "strings.json").read_text(encoding="utf-8")
    target = ROOT / "translations" / "en.json"
    if "--check" in sys.argv:
        sys.exit(0 if target.exists() and target.read_text(encoding="utf-8") == source else 1)
    target.write_text(source, encoding="utf-8")
