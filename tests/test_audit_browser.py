"""The audit's HTML report in a real browser: headless Chromium opens it offline, logs no error,
loads nothing from outside the page, shows every trait and escapes hostile strings."""

from __future__ import annotations

import dataclasses

from test_audit import write_minted

from artgen.tables import TRAIT_NAMES
from collection.audit import run_audit
from collection.config import load_config
from collection.sampling import collection_traits

HOSTILE_NAME = "Perceptrons <script>console.error('name')</script>"
HOSTILE_VALUE = "<img src=x onerror=\"console.error('value')\">"


def test_report_opens_in_chromium_without_errors_and_shows_every_trait(tmp_path, browser):
    config = dataclasses.replace(load_config(size=40, seed=8), name=HOSTILE_NAME)
    traits = collection_traits(config)
    traits[3] = dataclasses.replace(traits[3], pattern=HOSTILE_VALUE)
    root = write_minted(tmp_path / "c", config, traits)
    _, paths = run_audit(root)

    page = browser.new_page()
    problems, requests = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(paths["html"].as_uri())
    page.wait_for_load_state("load")
    shown = page.eval_on_selector_all(
        "article[data-trait] h3", "els => els.map(e => e.firstChild.textContent)"
    )
    bars = page.eval_on_selector_all(
        "article[data-trait]", "els => els.map(e => e.querySelectorAll('svg g.bar').length)"
    )
    scripts = page.eval_on_selector_all("script", "els => els.length")
    images = page.eval_on_selector_all(
        "figure.token img", "els => els.map(e => e.complete && e.naturalWidth > 0)"
    )
    title = page.title()
    flagged = page.eval_on_selector_all("article.flagged", "els => els.map(e => e.dataset.trait)")
    hostile_text = page.locator("article[data-trait='Paper Pattern'] svg").text_content()
    page.close()

    assert problems == []
    assert requests and all(u.startswith(("file://", "data:")) for u in requests)
    assert [u for u in requests if u.startswith("file://")] == [paths["html"].as_uri()]
    assert shown == list(TRAIT_NAMES)
    assert bars[0] == len(config.tables["Color Palette"].values)
    assert bars[1] == 4  # Plain, Dotted, Squared, and the value the table does not have
    assert scripts == 0 and title == f"Rarity audit: {HOSTILE_NAME}"
    assert images == [True] * 20
    assert flagged == ["Paper Pattern"]
    assert HOSTILE_VALUE in hostile_text
