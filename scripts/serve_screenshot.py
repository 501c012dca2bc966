"""The picture of `jdgen serve` in docs/commands.md: the directive page of nr 177 with one result edited since
the last recorded version, drawn by headless Chromium.

Usage: .venv/bin/python scripts/serve_screenshot.py docs/serve.png
(Chromium and its driver come with `make system-deps`.)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parent.parent


EKSPERT = REPO / "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus/ekspert-projekt.yaml"


def main(target: Path) -> None:
    """The preview of a copy of the project with one result of Lisa 4 edited since its last commit."""
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "sotsiaalkindlustusamet"
        project.mkdir()
        for name in ("organisation.yaml", "directives", "positions", "templates"):
            copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
            copy(REPO / name, project / name)
        git = ["git", "-c", "user.name=jdgen", "-c", "user.email=jdgen@example.org"]
        subprocess.run([*git, "init", "-q"], cwd=project, check=True)
        subprocess.run([*git, "add", "-A"], cwd=project, check=True)
        subprocess.run([*git, "commit", "-q", "-m", "as approved"], cwd=project, check=True)
        edited = project / EKSPERT.relative_to(REPO)
        text = edited.read_text("utf-8")
        edited.write_text(text.replace("täidetud nõuetekohaselt.", "täidetud nõuetekohaselt ja õigel ajal."))
        picture(project, target)


def picture(project: Path, target: Path) -> None:
    command = [sys.executable, "-m", "jdgen", "serve", "--port", "0"]
    server = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        deadline = time.monotonic() + 120
        page = f"{url}d/ska-2024-177/main"
        while "<ins>" not in urllib.request.urlopen(page, timeout=30).read().decode():
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
