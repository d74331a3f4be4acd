"""How the browser tests start Debian's chromium (never a browser download)."""

CHROMIUM = "/usr/bin/chromium"
#: Headless as root, with the background services off: this machine reaches no network.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
