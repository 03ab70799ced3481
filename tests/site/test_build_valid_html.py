"""Every HTML page of the seed build is valid HTML by the W3C Nu validator (vnu-jar).

One validator run covers the whole build folder. A page known to be invalid is put into
the same run, so the test also proves the validator really read the folder and that its
report is understood: that page must be the only one with errors.
"""

from __future__ import annotations

from pathlib import Path

from webcheck import (
    build_seeds,
    describe_validator_errors,
    validate_html,
)

# Two errors the validator always reports: no <title>, and an <li> outside a list.
BROKEN_PAGE = ('<!doctype html><html lang="en"><head><meta charset="utf-8"></head>'
               "<body><li>loose</li></body></html>\n")


def test_every_seed_page_is_valid_html(tmp_path: Path) -> None:
    seeds = build_seeds(tmp_path)
    pages = sorted(seeds.output.rglob("*.html"))
    assert len(pages) > 50, "the seed build is smaller than expected"
    canary = tmp_path / "build" / "zz-known-invalid" / "index.html"
    canary.parent.mkdir()
    canary.write_text(BROKEN_PAGE, encoding="utf-8")

    errors = validate_html(seeds.output)

    on_canary = [e for e in errors if e.get("url", "").endswith("zz-known-invalid/index.html")]
    assert len(on_canary) >= 2, f"the validator missed the known errors: {errors[:3]}"
    on_site = [e for e in errors if e not in on_canary]
    assert not on_site, (f"{len(on_site)} validator errors in the seed build:\n"
                         + describe_validator_errors(on_site, seeds.output))
