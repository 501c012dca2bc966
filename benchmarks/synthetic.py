"""Synthetic but realistic jdgen projects: N positions shaped like the annexes of nr 177."""

from __future__ import annotations

import random
import shutil
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The positions are shaped like nr 177's and use its shared files: SKA's project, at the root as
# shipped or under examples/ in a fork that keeps its own data at the root.
SKA = next(
    (p for p in [REPO, *sorted(REPO.glob("examples/*"))] if (p / "directives/ska-2024-177.yaml").is_file()),
    REPO,
)
UNIT = "positions/osakond/talitus"
WORDS_TEXT = (
    "järelevalve teenuste kvaliteedi nõuetele vastavuse hindamine koostöö ameti osakondade "
    "ministeeriumitega juhendmaterjalide koostamine analüüs ettepanekute esitamine nõustamine "
    "teenuseosutajate ekspertide osapoolte arendustegevustes osalemine aruandluse menetlemine "
    "õigusaktide kohaselt õigeaegselt korrektselt planeeritud läbi viidud kokkuvõtted esitatud"
)
WORDS = WORDS_TEXT.split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def position_yaml(index: int, rng: random.Random) -> str:
    tasks = []
    for _ in range(12):
        results = "\n".join(f"      - {sentence(rng, rng.randint(8, 16))}" for _ in range(rng.randint(2, 4)))
        tasks.append(f"  - task: {sentence(rng, rng.randint(6, 14))}\n    results:\n{results}")
    tasks.append("  - !include positions/_shared/ulesanded/muud.yaml")
    return (
        textwrap.dedent(f"""\
        <<: !include positions/_shared/ametnik.yaml
        title: Peaspetsialist ({index})
        reports_to: Talituse juhataja
        subordinates: "-"
        substitutes: Peaspetsialist ({index + 1})
        substituted_by: Peaspetsialist ({index + 1})
        purpose: {sentence(rng, 40)}
        education: {sentence(rng, 12)}
        experience: {sentence(rng, 14)}
        languages:
          - Eesti keel – kõrgtase
          - Inglise keel või vene keel – kesktase
        knowledge:
          - {sentence(rng, 20)}
          - !include positions/_shared/teadmised/juhiload.yaml
          - !include positions/_shared/teadmised/lahetused.yaml
        tasks:
        """)
        + "\n".join(tasks)
        + "\n"
    )


def make_project(root: Path, counts: list[int], seed: int = 177) -> dict[int, Path]:
    """Write a project with one directive per count; return the directive file of each count."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(SKA / "organisation.yaml", root / "organisation.yaml")
    shutil.copytree(SKA / "templates", root / "templates", dirs_exist_ok=True)
    shutil.copytree(SKA / "positions/_shared", root / "positions/_shared", dirs_exist_ok=True)
    (root / "positions/_shared/ulesanded").mkdir(exist_ok=True)
    (root / "positions/_shared/ulesanded/muud.yaml").write_text(
        "task: Vahetu juhi muude ühekordsete tööülesannete täitmine.\n"
        "results:\n  - Ühekordsed ülesanded on täidetud õigeaegselt ja korrektselt.\n",
        encoding="utf-8",
    )
    rng = random.Random(seed)
    directives = {}
    (root / "directives").mkdir(exist_ok=True)
    for count in counts:
        # Each directive approves the positions of a unit of its own, as in an agency: a build of
        # eight annexes reads (and the reviewer checks) eight positions, not every one of the project.
        unit = f"{UNIT}-{count}"
        (root / unit).mkdir(parents=True, exist_ok=True)
        unit_yaml = f"name: Osakond, talitus {count}\ngenitive: osakonna talituse {count}\n"
        (root / unit / "_unit.yaml").write_text(unit_yaml, encoding="utf-8")
        for index in range(1, count + 1):
            position = root / unit / f"ametikoht-{index:04d}.yaml"
            position.write_text(position_yaml(index, rng), encoding="utf-8")
        annexes = "\n".join(f"  - {unit}/ametikoht-{i:04d}.yaml" for i in range(1, count + 1))
        path = root / "directives" / f"bench-{count}.yaml"
        path.write_text(
            f"number: {count}\ndate: 2025-01-15\ntitle: Ametijuhendite kinnitamine\n"
            f"unit: {unit}\nannexes:\n{annexes}\nin_force: 2025-02-01\n",
            encoding="utf-8",
        )
        directives[count] = path
    return directives
