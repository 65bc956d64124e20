"""Compile every gettext catalog (translations/<lang>/LC_MESSAGES/<domain>.po → .mo).

Run at install (`make install`). Fails loudly on a catalog that does not compile; the service would
otherwise fall back to compiling in memory (service.i18n), which hides the problem.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent / "translations"


def main() -> int:
    compiled = 0
    for po_path in sorted(ROOT.glob("*/LC_MESSAGES/*.po")):
        language = po_path.parent.parent.name
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=po_path.stem)
        if catalog.fuzzy:
            print(f"{po_path}: the catalog header is marked fuzzy; remove the '#, fuzzy' line", file=sys.stderr)
            return 1
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
        compiled += 1
    print(f"compiled {compiled} catalogs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
