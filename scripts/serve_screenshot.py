"""The README's picture of `jdgen serve`: the directive page of nr 177, drawn by headless Chromium.

Usage: .venv/bin/python scripts/serve_screenshot.py docs/serve.png
(Chromium and its driver come with `make system-deps`.)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parent.parent


def main(target: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "jdgen", "serve", "--port", "0"], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        deadline = time.monotonic() + 120
        page = f"{url}d/ska-2024-177/main"
        while 'id="page-1"' not in urllib.request.urlopen(page, timeout=30).read().decode():
            if time.monotonic() > deadline:
                raise SystemExit("the preview did not show nr 177 in two minutes")
            time.sleep(0.5)
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "chromium"
        for argument in ("--headless=new", "--no-sandbox", "--window-size=1200,1500", "--hide-scrollbars"):
            options.add_argument(argument)
        browser = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
        try:
            browser.get(f"{url}d/ska-2024-177")
            time.sleep(1)
            browser.save_screenshot(str(target))
        finally:
            browser.quit()
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
