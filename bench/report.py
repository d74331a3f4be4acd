"""The report site: the time and bytes to write it for 1,000 tokens, and how soon the collection
page answers input with 10,000 tokens.

Collections are made without training (tests/report_fixtures.py): the 1,000 have real stills
(64 px) and models, through the minter's finalize; the 10,000 have generated metadata and
small plain thumbnails.

Baselines, measured in the same run:
- writing: the audit alone (metadata read, every still fingerprinted, the statistics), which
  any report of the collection needs; the site's first write (curves, thumbnail sheets, pages)
  and a second write (curves and sheets from its cache) as ratios of it;
- the page: the same grid drawn the plain way, every one of the 10,000 cells in the document
  (bench/out/report/all-cells.html, the same data and thumbnails), against the site's virtual
  grid. Each is timed in Chromium from navigation to ready, and for each input (sort by number,
  filter one palette, search a token, scroll to the end) from the event to the frame after it.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from audit import best_of  # noqa: E402  (bench/audit.py: the best time of a few runs)
from browser import ARGS, CHROMIUM  # noqa: E402
from report_fixtures import fake_collection  # noqa: E402

from collection.audit import audit_minted  # noqa: E402
from collection.report.run import report_collection  # noqa: E402

OUT = ROOT / "bench" / "out" / "report"
ROUNDS = 3

# The plain grid: every cell in the document, filtered by hiding, sorted by moving nodes.
ALL_CELLS = """<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/site.css"><style>#grid{display:grid;grid-template-columns:
repeat(auto-fill,minmax(150px,1fr))}.cell{position:static}</style></head><body><main>
<select id="sort"><option value="rank">rank</option><option value="number">number</option>
</select><input id="q"><p id="count"></p><div id="grid"></div></main>
<script src="data/collection.js"></script><script src="assets/common.js"></script><script>
(function () {
  var R = Report, T = R.collection.tokens, grid = document.getElementById("grid"), cells = [];
  for (var i = 0; i < R.count; i++) {
    var a = R.el("a", { class: "cell", href: "token.html#t=" + T.token[i] }, grid);
    R.thumb(R.el("span", { class: "thumb" }, a), i);
    R.el("span", { class: "caption" }, a, "#" + T.token[i] + " rank " + T.information_rank[i]);
    cells.push(a);
  }
  var state = R.parseState("");
  function update() {
    var list = R.list(state), keep = new Set(list);
    cells.forEach(function (c, i) { c.style.display = keep.has(i) ? "" : "none"; });
    list.forEach(function (i) { grid.appendChild(cells[i]); });
    document.getElementById("count").textContent = list.length + " tokens";
  }
  document.getElementById("sort").addEventListener("change", function (e) {
    state.sort = e.target.value; update();
  });
  document.getElementById("q").addEventListener("input", function (e) {
    state.q = e.target.value; update();
  });
  R.filter = function (name, value) { state.traits[name] = [value]; update(); };
  update();
  R.ready = true;
})();
</script></body></html>
"""

# Input from the event to the next frame (two animation frames: the one that runs after the
# handler's work, then the one that shows it), in ms; `act` is a JavaScript statement.
TIMED = """async act => {
  const start = performance.now();
  new Function(act)();
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - start;
}"""


def bench_writing() -> None:
    folder = OUT / "c1000"
    shutil.rmtree(OUT / "c1000", ignore_errors=True)
    start = time.perf_counter()
    fake_collection(folder, size=1000, seed=11)
    made = time.perf_counter() - start
    t_audit, _ = best_of(lambda: audit_minted(folder), 2)
    t_cold, (_, site) = best_of(lambda: report_collection(folder), 1)
    t_warm, _ = best_of(lambda: report_collection(folder), 2)
    print(f"1,000 tokens (made without training in {made:.1f} s)")
    print(f"baseline, the audit alone:        {t_audit:6.2f} s")
    print(f"the site, first write:            {t_cold:6.2f} s  ({t_cold / t_audit:.1f}x)")
    print(f"the site, again (its cache):      {t_warm:6.2f} s  ({t_warm / t_audit:.1f}x)")
    sheets = sum(p.stat().st_size for p in (site.folder / "thumbs").glob("*.webp"))
    data = sum(p.stat().st_size for p in (site.folder / "data").glob("*.js"))
    print(
        f"site: {site.files} files, {site.bytes:,} bytes ({site.bytes / 1000:,.0f} a token): "
        f"thumbnail sheets {sheets:,}, data {data:,}"
    )


def _page_times(browser, url: str, palette: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(url, wait_until="commit")
    page.wait_for_function("window.Report && Report.ready", timeout=120_000)
    out = {"ready": page.evaluate("performance.now()")}
    filters = f"Report.filter ? Report.filter('Color Palette', '{palette}') : " + (
        f'(document.querySelector("details.filters").open = true, (b => {{ b.checked = true;'
        f" b.dispatchEvent(new Event('change', {{bubbles: true}})); }})(document.querySelector("
        f"\"input[data-name='Color Palette'][data-value='{palette}']\")))"
    )
    steps = {
        "sort": "const s = document.getElementById('sort'); s.value = 'number';"
        " s.dispatchEvent(new Event('change', {bubbles: true}));",
        "filter": filters,
        "search": "const q = document.getElementById('q'); q.value = '4242';"
        " q.dispatchEvent(new Event('input', {bubbles: true}));",
        "scroll": "scrollTo(0, document.body.scrollHeight);",
    }
    for name, act in steps.items():
        out[name] = page.evaluate(TIMED, act)
    context.close()
    if errors:
        raise RuntimeError(f"{url}: {errors[0]}")
    return out


def bench_page() -> None:
    from playwright.sync_api import sync_playwright

    folder = OUT / "c10000"
    start = time.perf_counter()
    if not (folder / "metadata/9999.json").is_file():  # kept between runs: it takes a while
        shutil.rmtree(folder, ignore_errors=True)
        fake_collection(
            folder, size=10_000, seed=12, portraits=False, models=False, finalized=False
        )
    made = time.perf_counter() - start
    t_site, _ = best_of(lambda: report_collection(folder), 1)
    print(f"\n10,000 tokens (generated metadata and plain thumbnails, {made:.0f} s)")
    print(f"the site written in {t_site:.1f} s")
    site = folder / "report"
    (site / "all-cells.html").write_text(ALL_CELLS, "utf-8")
    import json

    text = (site / "data/collection.js").read_text("utf-8")
    data = json.loads(text.split(".collection=", 1)[1][:-2])
    palette = data["traits"][0]["values"][0]
    runs: dict[str, list[dict]] = {"plain": [], "site": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(ROUNDS):  # alternated, so both see the same moments of the machine
            runs["plain"].append(_page_times(browser, (site / "all-cells.html").as_uri(), palette))
            runs["site"].append(_page_times(browser, (site / "index.html").as_uri(), palette))
        browser.close()
    (site / "all-cells.html").unlink()
    print(f"median of {ROUNDS} rounds, ms    all cells (baseline)  virtual grid  baseline/grid")
    for key in ("ready", "sort", "filter", "search", "scroll"):
        plain = statistics.median(r[key] for r in runs["plain"])
        virtual = statistics.median(r[key] for r in runs["site"])
        label = "navigation to ready" if key == "ready" else f"{key}, input to next frame"
        print(f"{label:<32} {plain:10.0f} {virtual:14.0f} {plain / virtual:12.1f}x")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    bench_writing()
    bench_page()
    return 0


if __name__ == "__main__":
    sys.exit(main())
