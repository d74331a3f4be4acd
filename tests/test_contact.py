"""Contact sheets at scale: a 2,400-token collection of synthetic thumbnails (no minting) gets a
mosaic of every token and labelled pages, grouped by a trait, in flat memory."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from mint_configs import tiny_config
from PIL import Image

from artgen.traits import sample_range
from collection.config import load_config
from collection.mint import contact
from collection.mint.layout import CONTACT_PAGES, contact_page_path

TOKENS = 2400
TRAIT = "Color Palette"
HERE = Path(__file__).resolve().parent


def thumbnail_color(token: int) -> tuple[int, int, int]:
    """A colour of its own for each token's synthetic thumbnail."""
    return (token * 37) % 256, (token * 91 + 60) % 256, (token * 13 + 120) % 256


def make_collection(root: Path, count: int) -> tuple:
    """(config, records) of a collection of `count` tokens with real traits and flat 64 px
    thumbnails (a white corner, so a tile's orientation shows), written under `root`."""
    config_path = root / "c.toml"
    config_path.write_text(tiny_config("Big", count, 7), encoding="utf-8")
    config = load_config(config_path)
    (root / "thumbnails").mkdir(parents=True, exist_ok=True)
    records = []
    for traits in sample_range(7, 0, count):
        t = traits.token
        picture = np.empty((64, 64, 3), np.uint8)
        picture[:] = thumbnail_color(t)
        picture[:8, :8] = 255
        Image.fromarray(picture).save(root / f"thumbnails/{t}.png", compress_level=1)
        files = {"thumbnail": f"thumbnails/{t}.png"}
        records.append({"token": t, "traits": traits.to_json(), "files": files})
    return config, records


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    root = tmp_path_factory.mktemp("big")
    config, records = make_collection(root, TOKENS)
    overview = contact.contact_sheets(root, config, records, TRAIT)
    return root, config, records, overview


def cells(sheet) -> dict[int, tuple[int, int, int]]:
    """token -> (x, y, cell) of each thumbnail on a sheet."""
    return {int(Path(i[1]).stem): i[2:] for i in sheet.items if i[0] == "thumbnail"}


def decoded(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert("RGB"), np.int16)


def assert_tiles_show_their_thumbnails(picture: np.ndarray, placed: dict) -> None:
    """Each cell holds its token's colour, and its white corner at the top left."""
    for token, (x, y, cell) in placed.items():
        inner = cell // 4  # well inside the flat part and the white corner
        body = picture[y + cell - inner : y + cell, x + cell - inner : x + cell]
        assert np.abs(body - thumbnail_color(token)).max() <= 2, token
        corner = picture[y : y + max(1, cell // 16), x : x + max(1, cell // 16)]
        assert corner.min() >= 240, token


def test_the_overview_is_a_mosaic_of_every_token_in_their_groups(big):
    root, config, records, overview = big
    sheet = contact.overview(config, records, TRAIT)
    placed = cells(sheet)
    assert sorted(placed) == list(range(TOKENS))
    assert sheet.width * sheet.height <= contact.MAX_PIXELS * 1.05
    picture = decoded(overview)
    assert picture.shape == (sheet.height, sheet.width, 3)
    assert_tiles_show_their_thumbnails(picture, placed)
    # no two tiles overlap, and none leaves the sheet
    taken = np.zeros((sheet.height, sheet.width), bool)
    for x, y, cell in placed.values():
        assert not taken[y : y + cell, x : x + cell].any()
        taken[y : y + cell, x : x + cell] = True
    # the groups, in table order, each under its heading with its count
    headings = [i[1] for i in sheet.items if i[0] == "text"][1:]
    grouped = contact.groups(config, records, TRAIT)
    assert headings == [f"{value} ({len(members)})" for value, members in grouped]
    order = [int(Path(i[1]).stem) for i in sheet.items if i[0] == "thumbnail"]
    assert order == [r["token"] for _, members in grouped for r in members]


def test_pages_hold_the_labelled_thumbnails_in_group_order(big):
    root, config, records, _ = big
    grouped = contact.groups(config, records, TRAIT)
    paged = contact.pages(grouped)
    assert len(paged) == -(-TOKENS // contact.PAGE_TOKENS)  # 10 pages of at most 256
    files = sorted((root / CONTACT_PAGES).iterdir())
    assert [p.relative_to(root).as_posix() for p in files] == [
        contact_page_path(n) for n in range(1, len(paged) + 1)
    ]
    shown = []
    sheets = list(contact.page_sheets(config, records, TRAIT))
    for number, (page, sheet) in enumerate(zip(paged, sheets, strict=True), 1):
        placed = cells(sheet)
        assert len(placed) <= contact.PAGE_TOKENS
        data = (root / contact_page_path(number)).read_bytes()
        assert_tiles_show_their_thumbnails(decoded(data), placed)
        texts = [i[1] for i in sheet.items if i[0] == "text"]
        assert texts[0] == f"Big: tokens by {TRAIT}, page {number} of {len(paged)}"
        assert {f"#{t}" for t in placed} <= set(texts)  # each token's number under it
        for value, _, size, continued in page:
            heading = f"{value} ({size}{', continued' if continued else ''})"
            assert heading in texts
        shown += [int(Path(i[1]).stem) for i in sheet.items if i[0] == "thumbnail"]
    assert shown == [r["token"] for _, members in grouped for r in members]  # all, in order
    assert any(continued for page in paged[1:] for *_, continued in page[:1])


def test_sheets_are_deterministic_and_stale_pages_go(big, tmp_path):
    root, config, records, overview = big
    first_page = (root / contact_page_path(1)).read_bytes()
    assert contact.contact_sheets(root, config, records, TRAIT) == overview
    assert (root / contact_page_path(1)).read_bytes() == first_page
    # the same folder re-sheeted for fewer tokens keeps only the pages they need
    fewer = records[:600]
    contact.contact_sheets(root, config, fewer, TRAIT)
    assert sorted(p.name for p in (root / CONTACT_PAGES).iterdir()) == [
        "page-0001.png",
        "page-0002.png",
        "page-0003.png",
    ]
    contact.contact_sheets(root, config, records[:200], TRAIT)  # one labelled sheet: no pages
    assert not list((root / CONTACT_PAGES).iterdir())
    contact.contact_sheets(root, config, records, TRAIT)  # (restored for the other tests)


def peak_rss_mb(root: Path, count: int) -> float:
    """Peak RSS (MB) of a fresh process that draws the sheets of `count` tokens under `root`
    (their thumbnails already made)."""
    code = textwrap.dedent(
        f"""
        import json, resource, sys
        sys.path.insert(0, {str(HERE)!r})
        from pathlib import Path
        from test_contact import make_records
        from collection.mint import contact
        root = Path({str(root)!r})
        config, records = make_records(root, {count})
        contact.contact_sheets(root, config, records, {TRAIT!r})
        print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def make_records(root: Path, count: int) -> tuple:
    """(config, records) of the first `count` tokens whose thumbnails `make_collection` made."""
    config = load_config(root / "c.toml")
    records = [
        {
            "token": t.token,
            "traits": t.to_json(),
            "files": {"thumbnail": f"thumbnails/{t.token}.png"},
        }
        for t in sample_range(7, 0, count)
    ]
    return config, records


def test_memory_stays_flat_as_the_collection_grows(big):
    root = big[0]
    small, large = peak_rss_mb(root, 300), peak_rss_mb(root, TOKENS)
    # 8x the tokens: the mosaic is 2.6x the pixels (about 45 MB as one surface) and there are
    # 9 more pages; drawn in bands and page by page, the peak grows by a few bands
    assert large < small + 30, (small, large)
