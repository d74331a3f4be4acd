"""Make the README's pictures again from the current code: `.venv/bin/python tools/docs_images.py`.

Mints the demo into a scratch folder (or reuses one given as the first argument), then writes
into docs/img/:

- portrait-1.png, portrait-3.png, portrait-9.png: demo tokens 1, 3 and 9's stills, 400 px;
- preview-1.gif: token 1's 4 s idle loop (the blink at the demo's fee rate), 256 px;
- report-collection.png, report-token.png: the report site's collection page and token 1's
  page in Debian's chromium, 1280 x 900.

It prints each picture's alt text (from the token's metadata) for the README. Look at every
picture before committing it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs/img"
ARTGEN = [sys.executable, "-c", "from collection.cli import main; main()"]
PORTRAITS = (1, 3, 9)
CHROMIUM = "/usr/bin/chromium"


def demo(folder: Path) -> Path:
    root = folder / "demo-output"
    subprocess.run([*ARTGEN, "demo", "--out", str(root), "-q"], check=True)
    return root


def describe(root: Path, token: int) -> str:
    meta = json.loads((root / f"metadata/{token}.json").read_text())
    a = {x["trait_type"]: x["value"] for x in meta["attributes"]}
    return (
        f"{a['Network Architecture']} network, {a['Deep Learning Framework']} nodes, "
        f"{a['Color Palette']} palette, {meta['stage']['name']}"
    )


def portraits(root: Path) -> None:
    for t in PORTRAITS:
        with Image.open(root / f"images/{t}.png") as im:
            small = im.convert("RGB").resize((400, 400), Image.Resampling.LANCZOS)
        small.save(OUT / f"portrait-{t}.png", optimize=True)
        print(f"portrait-{t}.png: {describe(root, t)}")


def preview(root: Path) -> None:
    from collection.config import load_config

    seed = str(load_config(root / "collection.toml").seed)
    out = OUT / "preview-1.gif"
    subprocess.run(
        [*ARTGEN, "animate", "--seed", seed, "--token", "1", "--px", "256",
         "-o", str(out), "-q"],
        check=True,
    )  # fmt: skip
    print(f"preview-1.gif: {out.stat().st_size:,} bytes")


def screenshots(root: Path) -> None:
    from playwright.sync_api import sync_playwright

    site = (root / "report/index.html").as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(site)
        page.wait_for_load_state("networkidle")
        time.sleep(1.0)
        page.screenshot(path=str(OUT / "report-collection.png"))
        page.goto(site.replace("index.html", "token.html#t=1"))
        page.wait_for_load_state("networkidle")
        time.sleep(3.0)  # the live art's reveal
        page.screenshot(path=str(OUT / "report-token.png"))
        browser.close()
    print("report-collection.png, report-token.png")


def main() -> None:
    if len(sys.argv) > 1:
        root = Path(sys.argv[1])
    else:
        root = demo(Path(tempfile.mkdtemp(prefix="artgen-docs-")))
    portraits(root)
    preview(root)
    screenshots(root)


if __name__ == "__main__":
    main()
