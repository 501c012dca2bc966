"""mkdocs's hook for the site of docs/ (mkdocs.yml): the format reference, made at each build.

`reference.md` (English) and `reference-et.md` (Estonian) are what `jdgen schema --reference`
prints for this project in each language: from the models, the template's labels and the
project's files, so the page cannot drift from what `check` accepts. They are made by jdgen itself,
in a process of its own per language (jdgen chooses its language when it starts).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

PAGES = {"reference.md": "en", "reference-et.md": "et"}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).parent
    for page, language in PAGES.items():
        env = {**os.environ, "LANGUAGE": language, "LC_ALL": "", "LANG": "C.UTF-8"}
        made = subprocess.run(
            [sys.executable, "-m", "jdgen", "-C", str(root), "schema", "--reference"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if made.returncode != 0:
            raise SystemExit(f"{page}: jdgen schema --reference failed: {made.stderr.strip()}")
        files.append(File.generated(config, page, content=made.stdout))
    return files
