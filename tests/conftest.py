"""Fixtures shared by the test files."""

from __future__ import annotations

import pytest
from browser import ARGS, CHROMIUM


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium for the whole run (browser tests open their own pages)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
