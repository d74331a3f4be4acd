"""The report site in Debian's Chromium, as an author uses it: a 200-token collection's grid
renders, sorts, filters and searches with the right counts, keeps its state in the address
and answers the keys; a token page shows the still, the live art and the intelligence curve,
and its time scrubber and fee-rate slider change what the live art shows; the audit page and
a sampler audit's drawn portraits; dark and light palettes, a phone's width. From disk and
through `artgen serve`, with no console error and no request outside the site.

The collection is made without training (tests/report_fixtures.py): the minter's own
finalize over records of sampled traits, random-weight models and small real stills.
"""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import quote

import pytest
from report_fixtures import fake_collection
from test_inscription import serving
from test_report import data_of

from artgen.chain import DEFAULT_CHAIN_STATE
from artgen.lifecycle import STAGES
from collection.report import write_site
from collection.report.data import token_flags
from collection.report.run import report_collection

SIZE = 200
NO_STILL, UPGRADED = 5, 7  # a token whose stills are gone, a token with an upgrade on record
WIDE = {"width": 1200, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = fake_collection(tmp_path_factory.mktemp("browse") / "c", size=SIZE)
    for path in (f"images/{NO_STILL}.png", f"thumbnails/{NO_STILL}.png"):
        (root / path).unlink()
    meta_path = root / f"metadata/{UPGRADED}.json"
    meta = json.loads(meta_path.read_text())
    upgrade = {"sequence": 1, "upgrade": 1, "model_file": "new.json", "previous_inscription": "x"}
    meta["upgrades"] = [upgrade | {"hidden_layers": meta["hidden_layers"]}]
    meta_path.write_text(json.dumps(meta))
    result, report = report_collection(root)
    metas = {t: json.loads((root / f"metadata/{t}.json").read_text()) for t in range(SIZE)}
    return {"root": root, "folder": report.folder, "result": result, "metas": metas}


@pytest.fixture
def visit(browser):
    """Open pages in a fresh context; records console errors and every request."""
    contexts, seen = [], {"errors": [], "requests": []}

    def open_page(url: str, viewport=WIDE, scheme="light", ready=True):
        context = browser.new_context(viewport=viewport, color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda err: seen["errors"].append(str(err)))
        page.on("request", lambda r: seen["requests"].append(r.url))
        page.goto(url)
        if ready:
            page.wait_for_function("window.Report && Report.ready")
        return page

    open_page.seen = seen
    yield open_page
    for context in contexts:
        context.close()


def page_url(site, name: str, state: str = "") -> str:
    """The file:// address of a page of the site, with its state after the #."""
    return site["folder"].joinpath(name).as_uri() + (f"#{state}" if state else "")


def count_line(page) -> str:
    return page.text_content("#count")


def first_tokens(page, n: int = 3) -> list[int]:
    page.wait_for_function(f"document.querySelectorAll('#grid .cell').length >= {n}")
    return page.eval_on_selector_all(
        "#grid .cell", f"els => els.slice(0, {n}).map(e => +e.dataset.token)"
    )


def only_local(seen, prefix: str = "file://") -> bool:
    return all(u.startswith((prefix, "data:")) for u in seen["requests"])


def test_the_grid_of_200_tokens_renders_its_thumbnails_and_only_the_rows_in_view(site, visit):
    page = visit(page_url(site, "index.html"))
    assert count_line(page) == "200 of 200 tokens"
    cells = page.eval_on_selector_all(
        "#grid .cell",
        "els => els.map(e => [+e.dataset.token, e.querySelector('.thumb').style.backgroundImage,"
        " e.querySelector('.thumb').textContent])",
    )
    assert 20 <= len(cells) < SIZE  # virtual: the rows in view and a few more
    ranks = site["result"].scores.information_rank.tolist()
    assert [ranks[t] for t, _, _ in cells] == sorted(ranks[t] for t, _, _ in cells)
    for token, background, text in cells:
        if token == NO_STILL:
            assert text == "no still" and background == ""
        else:
            assert 'url("thumbs/' in background and text == ""
    sheet = page.evaluate(
        "new Promise(done => { const i = new Image(); i.onload = () => done([i.naturalWidth,"
        " i.naturalHeight]); i.src = 'thumbs/1.webp'; })"
    )
    assert sheet == [1280, 1280]
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    # the grid draws the rows in view on the next animation frame: wait for the last token
    # (the old rows are there at once, so waiting for any cell raced the redraw)
    page.wait_for_function(
        f"[...document.querySelectorAll('#grid .cell')].some(e => +e.id.slice(5) === {SIZE - 1})"
    )
    last = page.eval_on_selector_all(
        "#grid .cell", "els => Math.max(...els.map(e => +e.id.slice(5)))"
    )
    assert last == SIZE - 1
    assert visit.seen["errors"] == [] and only_local(visit.seen)


def test_sorting_filtering_and_searching_give_the_right_counts(site, visit):
    metas = site["metas"]
    page = visit(page_url(site, "index.html"))
    palette, n = Counter(
        next(a["value"] for a in m["attributes"] if a["trait_type"] == "Color Palette")
        for m in metas.values()
    ).most_common(1)[0]
    page.click("details.filters summary")
    page.check(f"input[data-name='Color Palette'][data-value='{palette}']")
    assert count_line(page) == f"{n} of 200 tokens"
    stage = metas[first_tokens(page, 1)[0]]["stage"]["name"]
    page.check(f"input[data-name='stage'][data-value='{stage}']")
    both = sum(
        1
        for m in metas.values()
        if m["stage"]["name"] == stage
        and {"trait_type": "Color Palette", "value": palette} in m["attributes"]
    )
    assert count_line(page) == f"{both} of 200 tokens"
    page.click("#reset")
    assert count_line(page) == "200 of 200 tokens"
    page.select_option("#sort", "number")
    assert first_tokens(page) == [0, 1, 2]
    page.select_option("#sort", "trait:Birth Year")
    page.click("#dir")
    years = {t: next(a["value"] for a in m["attributes"] if a["trait_type"] == "Birth Year")
             for t, m in metas.items()}  # fmt: skip
    assert years[first_tokens(page, 1)[0]] == max(years.values())
    page.fill("#q", "10-19, 150")
    assert count_line(page) == "11 of 200 tokens"
    page.fill("#q", "")
    page.check("input[data-name='flagged']")
    # the token without a still, and any pair the audit finds near-identical (at this fixture's
    # 64 px, two different portraits may hash 6 bits apart)
    tokens = site["result"].input.tokens.tolist()
    flagged = {t for t, f in zip(tokens, token_flags(site["result"]), strict=True) if f}
    assert NO_STILL in flagged and len(flagged) <= 3
    assert count_line(page) == f"{len(flagged)} of 200 tokens"
    assert set(first_tokens(page, len(flagged))) == flagged
    page.uncheck("input[data-name='flagged']")
    page.check("input[data-name='upgraded']")
    assert count_line(page) == "1 of 200 tokens" and first_tokens(page, 1) == [UPGRADED]
    page.check("input[data-name='flagged']")
    assert count_line(page) == "0 of 200 tokens"
    assert page.is_visible("text=No token matches these filters.")
    assert visit.seen["errors"] == []


def test_the_address_holds_the_state_so_a_filtered_view_is_a_link(site, visit):
    page = visit(page_url(site, "index.html"))
    page.click("details.filters summary")
    page.check("input[data-name='Paper Pattern'][data-value='Dotted']")
    page.select_option("#sort", "number")
    page.click("#dir")
    url = page.url
    assert "Paper+Pattern=Dotted" in url and "sort=number" in url and "dir=desc" in url
    shown, tokens = count_line(page), first_tokens(page)
    again = visit(url)
    assert count_line(again) == shown and first_tokens(again) == tokens
    assert again.is_checked("input[data-name='Paper Pattern'][data-value='Dotted']")
    assert again.input_value("#sort") == "number"


def test_keyboard_navigation_moves_opens_and_comes_back(site, visit):
    page = visit(page_url(site, "index.html", "sort=number"))
    cols = page.evaluate(
        "(() => { const c = [...document.querySelectorAll('#grid .cell')];"
        " return c.filter(e => e.style.top === c[0].style.top).length; })()"
    )
    page.focus("#grid")
    page.keyboard.press("ArrowRight")
    assert page.get_attribute("#grid", "aria-activedescendant") == "cell-1"
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#grid", "aria-activedescendant") == f"cell-{1 + cols}"
    page.keyboard.press("End")
    assert page.get_attribute("#grid", "aria-activedescendant") == f"cell-{SIZE - 1}"
    assert "t=199" in page.url
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_url("**/token.html#t=1&list=sort%3Dnumber")
    page.wait_for_function("window.Report && Report.ready")
    assert page.text_content("h1") == "Report Test #1"
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "Report.ready && document.querySelector('h1').textContent.endsWith('#2')"
    )
    page.keyboard.press("Escape")
    page.wait_for_url("**/index.html#sort=number&t=2")
    page.wait_for_function("window.Report && Report.ready")
    assert page.get_attribute("#grid", "aria-activedescendant") == "cell-2"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    assert visit.seen["errors"] == []


def live(page):
    frame = page.wait_for_selector("#live iframe").content_frame()
    frame.wait_for_function("window.Perceptron && Perceptron.ready")
    frame.evaluate("Perceptron.ready")
    return frame


def test_a_token_page_shows_the_still_the_live_art_and_the_curve(site, visit):
    token = 3
    page = visit(page_url(site, "token.html", f"t={token}"))
    still = page.eval_on_selector("#still img", "i => [i.complete, i.naturalWidth]")
    assert still == [True, 64]  # the fake collection's stills are 64 px
    frame = live(page)
    meta = site["metas"][token]
    assert frame.evaluate("Perceptron.app.life.stage") == meta["stage"]["name"]
    assert frame.evaluate("Perceptron.app.stillScene.nodes.length") > 0
    assert page.eval_on_selector_all("#curve circle", "els => els.length") == 11 + 1  # and the mark
    answers = page.eval_on_selector_all(".answer img", "els => els.map(i => i.naturalWidth)")
    assert len(answers) == 4 and all(answers)
    rows = page.eval_on_selector_all("#inscriptions tr", "els => els.map(e => e.textContent)")
    assert any(
        r.startswith("model") and "waiting (batch-00" in r and "after batch-001" in r for r in rows
    )
    traits = page.eval_on_selector_all("#traits tr", "els => els.length")
    assert traits == 13  # a header and the twelve traits
    assert visit.seen["errors"] == [] and only_local(visit.seen)


def _scrub(page, frame):
    """Click the Dead stage on the timeline: the live art must show it; then the fee slider."""
    page.click(".timeline button.Dead")
    frame.wait_for_function("Perceptron.app.life.stage === 'Dead'")
    assert page.get_attribute("#stage", "data-stage") == "Dead"
    assert frame.evaluate("Perceptron.app.chain.source") == "pinned by the page"
    quiet = frame.evaluate("Perceptron.app.timeline.sat")
    page.eval_on_selector("#fee", "e => { e.value = '3'; e.dispatchEvent(new Event('input')); }")
    frame.wait_for_function("Perceptron.app.chain.fee_rate === 1000")
    assert frame.evaluate("Perceptron.app.timeline.sat") > quiet
    assert "fee=1000" in page.url
    page.click(".timeline button.Stable")
    frame.wait_for_function("Perceptron.app.life.stage === 'Stable'")


def test_the_time_scrubber_changes_the_live_arts_stage_from_disk(site, visit):
    page = visit(page_url(site, "token.html", "t=11"))
    frame = live(page)
    assert frame.url.split("#")[0].endswith("/live.html")
    _scrub(page, frame)
    assert visit.seen["errors"] == [] and only_local(visit.seen)


def test_served_the_token_page_shows_its_inscription_as_ord_serves_it(site, visit):
    with serving(site["root"], DEFAULT_CHAIN_STATE) as url:
        page = visit(url + "report/token.html#t=11")
        frame = live(page)
        html_id = site["metas"][11]["inscriptions"]["html"]
        assert frame.url == f"{url}content/{html_id}"
        assert frame.evaluate("Perceptron.app.model.name") == "Report Test #11"
        _scrub(page, frame)
        grid = visit(url + "report/")
        assert count_line(grid) == "200 of 200 tokens"
    assert visit.seen["errors"] == [] and only_local(visit.seen, url)


def test_dark_and_light_palettes_and_a_phone_width(site, visit):
    index = page_url(site, "index.html")
    page = visit(index, viewport=PHONE, scheme="dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(13, 17, 23)"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    columns = page.evaluate(
        "(() => { const c = [...document.querySelectorAll('#grid .cell')];"
        " return c.filter(e => e.style.top === c[0].style.top).length; })()"
    )
    assert columns in (2, 3)
    page.click("#theme")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    token = visit(page_url(site, "token.html", "t=4"), viewport=PHONE)
    live(token)
    assert token.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    boxes = token.evaluate(
        "['#still', '#live'].map(s => document.querySelector(s).getBoundingClientRect().top)"
    )
    assert boxes[1] > boxes[0]  # stacked, one above the other
    audit = visit(page_url(site, "audit.html"), viewport=PHONE, scheme="dark")
    assert audit.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert visit.seen["errors"] == []


def test_the_audit_page_shows_states_and_each_token_once(site, visit):
    page = visit(page_url(site, "audit.html"))
    states = page.eval_on_selector_all("article.trait", "els => els.map(e => e.dataset.state)")
    assert len(states) == 12 and set(states) <= {"ok", "flagged", "not tested"}
    cards = page.eval_on_selector_all("a.card", "els => els.map(e => +e.dataset.token)")
    assert len(cards) == 20 and len(set(cards)) == 20
    thumbs = page.eval_on_selector_all(
        "a.card .thumb", "els => els.map(e => e.style.backgroundImage)"
    )
    assert all("thumbs/" in t for t in thumbs)
    assert visit.seen["errors"] == [] and only_local(visit.seen)


def test_a_sampler_audit_draws_real_portraits_not_placeholders(tmp_path, visit):
    from collection.audit import audit_sampler

    result = audit_sampler(size=500, seed=9)
    site = write_site(result, tmp_path)
    page = visit(site.paths["audit"].as_uri())
    page.wait_for_function(
        "document.querySelectorAll('a.card .thumb canvas[data-drawn]').length === 20"
    )
    colours = page.evaluate(
        "[...document.querySelectorAll('a.card .thumb canvas')].map(c => { const d ="
        " c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const s = new Set();"
        " for (let i = 0; i < d.length; i += 64) s.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);"
        " return s.size; })"
    )
    assert min(colours) > 3  # a portrait: paper, lines, nodes; not one flat colour
    growing = data_of(tmp_path / "data/collection.js")["tokens"]["stage"].count(0)
    grid = visit(site.paths["site"].as_uri() + "#stage=Growing")
    assert count_line(grid) == f"{growing} of 500 tokens" and STAGES[0] == "Growing"
    grid.wait_for_function("document.querySelector('#grid .thumb canvas[data-drawn]')")
    assert visit.seen["errors"] == [] and only_local(visit.seen)


HOSTILE_NAME = "Perceptrons <script>console.error('name')</script>"
HOSTILE_VALUE = "<img src=x onerror=\"console.error('value')\">"


def test_hostile_names_and_values_stay_text_on_every_page(tmp_path, visit):
    import dataclasses

    from test_audit import write_minted

    from collection.config import load_config
    from collection.sampling import collection_traits

    config = dataclasses.replace(load_config(size=40, seed=8), name=HOSTILE_NAME)
    traits = collection_traits(config)
    traits[3] = dataclasses.replace(traits[3], pattern=HOSTILE_VALUE)
    root = write_minted(tmp_path / "c", config, traits)
    _, site = report_collection(root)
    pages = {}
    for name, state in (("index.html", "Paper+Pattern=" + quote(HOSTILE_VALUE)),
                        ("token.html", "t=3"), ("audit.html", "")):  # fmt: skip
        page = visit(site.folder.joinpath(name).as_uri() + (f"#{state}" if state else ""))
        pages[name] = page
    assert pages["index.html"].text_content("h1") == HOSTILE_NAME
    assert count_line(pages["index.html"]) == "1 of 40 tokens"
    assert HOSTILE_VALUE in pages["token.html"].text_content("#traits")
    chart = pages["audit.html"].text_content("article[data-trait='Paper Pattern'] svg")
    assert HOSTILE_VALUE in chart
    flagged = pages["audit.html"].eval_on_selector_all(
        "article.flagged", "els => els.map(e => e.dataset.trait)"
    )
    assert flagged == ["Paper Pattern"]  # a value the table cannot give
    assert pages["audit.html"].title() == f"Rarity audit: {HOSTILE_NAME}"
    assert visit.seen["errors"] == [] and only_local(visit.seen)
