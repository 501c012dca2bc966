"""jdgen speaks Estonian where the locale is Estonian: the same bad input, said in both languages,
and a catalog that translates every message the code marks (with the same placeholders)."""

from __future__ import annotations

import gettext
import io
import os
import re
import subprocess
import sys

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from jdgen.i18n import DOMAIN, LOCALE_DIR

from conftest import REPO

EKSPERT = "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus/ekspert-projekt.yaml"
CATALOG = LOCALE_DIR / "et/LC_MESSAGES/jdgen.po"
LANGS = ("C.UTF-8", "et_EE.UTF-8")  # English, Estonian


def _jdgen(project, *args: str, **language: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run(
        [sys.executable, "-m", "jdgen", *args],
        cwd=project,
        env={**env, **language},
        capture_output=True,
        text=True,
        check=False,
    )


def _check(project, **language: str) -> tuple[int, list[str]]:
    result = _jdgen(project, "check", EKSPERT, **language)
    return result.returncode, result.stderr.splitlines()


def it_says_the_same_problems_in_english_and_in_estonian(example_project):
    path = example_project / EKSPERT
    path.write_text(path.read_text("utf-8").replace("\nreports_to:", "\nreport_to:"), "utf-8")
    line = path.read_text("utf-8").split("\nreport_to:")[0].count("\n") + 2
    english = _check(example_project, LANG="C.UTF-8")
    estonian = _check(example_project, LANG="et_EE.UTF-8")
    assert english == (
        1,
        [
            f"{EKSPERT}:2:1: reports_to: this required key is missing — add `reports_to:` "
            "(see `jdgen schema --reference` for what it holds)",
            f"{EKSPERT}:{line}:1: report_to: unknown key 'report_to' — did you mean 'reports_to'?",
            "2 error(s), 0 warning(s)",
        ],
    )
    assert estonian == (
        1,
        [
            f"{EKSPERT}:2:1: reports_to: see kohustuslik võti puudub — lisage `reports_to:` "
            "(mida see sisaldab, näitab `jdgen schema --reference`)",
            f"{EKSPERT}:{line}:1: report_to: tundmatu võti 'report_to' — kas mõtlesite 'reports_to'?",
            "vigu: 2, hoiatusi: 0",
        ],
    )
    assert _check(example_project, LANGUAGE="et", LANG="C.UTF-8") == estonian  # GNU's order: LANGUAGE first


def it_says_what_changed_and_what_is_wrong_with_a_command_in_both_languages(example_project):
    old = EKSPERT.replace("projekt.yaml", "vana.yaml")
    text = (example_project / EKSPERT).read_text("utf-8")
    text = text.replace("\nreports_to: Juhtivspetsialist", "\nreports_to: Juhataja")
    text = text.replace("dokumentatsioon on täidetud nõuetekohaselt.", "dokumentatsioon on täidetud.")
    (example_project / old).write_text(text, "utf-8")
    english = _jdgen(example_project, "diff", old, EKSPERT, LANG="C.UTF-8")
    estonian = _jdgen(example_project, "diff", old, EKSPERT, LANG="et_EE.UTF-8")
    assert english.returncode == estonian.returncode == 0
    # the document's own words (headings, labels, text) stay; jdgen's words change language
    assert english.stdout.splitlines()[1:6] == [
        "1. Üldosa",
        "  Vahetu juht changed: [-Juhataja-] {+Juhtivspetsialist+}",
        "2. Peamised teenistusülesanded",
        "  2.1 result changed: Projekti dokumentatsioon on [-täidetud.-] {+täidetud nõuetekohaselt.+}  [!]",
        "2 changes",
    ]
    assert estonian.stdout.splitlines()[1:6] == [
        "1. Üldosa",
        "  Vahetu juht muudetud: [-Juhataja-] {+Juhtivspetsialist+}",
        "2. Peamised teenistusülesanded",
        "  2.1 tulemus muudetud: Projekti dokumentatsioon on [-täidetud.-] {+täidetud nõuetekohaselt.+}  [!]",
        "2 muudatust",
    ]
    assert estonian.stdout.splitlines()[6].startswith("[!] 1 tööülesannete või nõuete muudatus: ")
    missing = [
        _jdgen(example_project, "import", "puudub.txt", "--into", "positions", LANG=lang) for lang in LANGS
    ]
    assert [(m.returncode, m.stderr) for m in missing] == [
        (2, "jdgen: puudub.txt: no such file; give the published text (.txt), a .docx or a .pdf\n"),
        (2, "jdgen: puudub.txt: sellist faili ei ole; andke avaldatud tekst (.txt), .docx või .pdf\n"),
    ]


def it_says_the_yaml_parsers_words_in_the_users_language(example_project):
    """libyaml's own phrase inside a syntax error is Estonian too, where the locale is: each way of
    breaking a file HR is likely to meet, said in both languages, with no English phrase left."""
    path = example_project / EKSPERT
    original = path.read_text("utf-8")
    breaks = [  # a key's line broken, and libyaml's English phrase for it
        ("\nreports_to: a: ", "mapping values are not allowed in this context"),
        ("\npurpose: 'unclosed\nx: ", "found unexpected end of stream"),
        ("\nreports_to: @", "found character that cannot start any token"),
    ]
    for broken, phrase in breaks:
        first = broken.split(": ", 1)[0] + ": "
        path.write_text(original.replace(first, broken, 1), "utf-8")
        english, estonian = (_check(example_project, LANG=lang)[1][0] for lang in LANGS)
        assert phrase in english
        assert "YAML-i süntaks:" in estonian and phrase not in estonian, estonian
    from jdgen.format.yamlsafe import _YAML_PROBLEMS, _YAML_SAID_OTHERWISE

    with open(CATALOG, "rb") as catalog:
        translated = {message.id: message.string for message in read_po(catalog) if message.id}
    said = [*_YAML_PROBLEMS, *_YAML_SAID_OTHERWISE.values()]
    assert all(translated.get(phrase) not in (None, "", phrase) for phrase in said)


def it_writes_a_new_directive_and_its_help_in_the_users_language(example_project):
    """What jdgen writes into a file for HR to fill in (the comments saying what each key holds)
    and the placeholders of its help are Estonian under an Estonian locale."""
    unit = "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus"
    written = {}
    for lang in LANGS:
        out = f"directives/uus-{lang[:2]}.yaml"
        result = _jdgen(example_project, "new", "directive", "--unit", unit, "-o", out, LANG=lang)
        assert result.returncode == 0, result.stderr
        written[lang] = (example_project / out).read_text("utf-8")
    english, estonian = written["C.UTF-8"], written["et_EE.UTF-8"]
    assert "# number: …  # Register number; leave out for a draft." in english
    assert "# number: …  # Registreerimisnumber; eelnõul jätke ära." in estonian
    comments = [line.split("  # ", 1)[1] for line in estonian.splitlines() if "  # " in line]
    assert len(comments) >= 10 and not set(comments) & {
        line.split("  # ", 1)[1] for line in english.splitlines() if "  # " in line
    }
    helps = [_jdgen(example_project, "diff", "--help", LANG=lang).stdout for lang in LANGS]
    assert "[--since REVISION] [--docx FILE.docx]" in " ".join(helps[0].split())
    assert "[--since REVISJON] [--docx FAIL.docx]" in " ".join(helps[1].split())


def it_helps_with_every_command_in_the_users_language(example_project):
    """Each command's help is Estonian under an Estonian locale: no line of words is the same as in
    English (option names, placeholders, file names and code aside); the commands that only report
    say their own lines (the data's, indented, aside) in Estonian."""
    from jdgen.cli.arguments import parser

    [action] = parser()._subparsers._group_actions  # type: ignore[union-attr]
    commands = [[], *([name] for name in action.choices)]
    assert ["serve"] in commands and len(commands) > 10

    def prose(text: str) -> set[str]:
        lines = set()
        for line in text.splitlines():
            words = re.findall(
                r"[^\W\d_]{3,}", re.sub(r"--?[\w-]+|\b[^\Wa-zõäöü]{2,}\b|`[^`]*`|\S+\.\w+", " ", line)
            )
            if len(words) >= 3:  # a phrase, not a choice list or a file name
                lines.add(" ".join(words))
        return lines

    for command in commands:
        english, estonian = (_jdgen(example_project, *command, "--help", LANG=lang) for lang in LANGS)
        assert english.returncode == estonian.returncode == 0, (command, estonian.stderr)
        assert english.stdout != estonian.stdout and "kasutus:" in estonian.stdout
        assert not prose(english.stdout) & prose(estonian.stdout), (
            command,
            prose(english.stdout) & prose(estonian.stdout),
        )
    for command in (["list"], ["uses", "positions/_shared/oigused.yaml"]):
        english, estonian = (_jdgen(example_project, *command, LANG=lang) for lang in LANGS)
        assert english.returncode == estonian.returncode == 0
        assert len(english.stdout.splitlines()) == len(estonian.stdout.splitlines()) > 2
        said = [
            {line for line in run.stdout.splitlines() if not line.startswith(" ")}
            for run in (english, estonian)
        ]
        assert said[0] and not said[0] & said[1]  # jdgen's own lines (the indented ones are the data's)


def it_translates_every_message_the_code_marks_with_the_same_placeholders():
    keywords = {"_": None, "N_": None, "n_": (1, 2), "p_": ((1, "c"), 2), "ngettext": (1, 2)}
    found = extract_from_dir(  # as `make catalogs` does: the code and the preview's pages
        REPO / "src/jdgen",
        method_map=[("**.py", "python"), ("preview/pages/*.html", "jinja2")],
        options_map={"preview/pages/*.html": {"extensions": "jinja2.ext.i18n"}},
        keywords=keywords,
        comment_tags=(),
    )
    marked = {
        (message if isinstance(message, str) else message[0], context) for _, _, message, _, context in found
    }
    assert len(marked) > 60 and ("Units and positions", None) in marked and ("annexes", "changes") in marked
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalog if m.id and m.string
    }
    assert marked - set(translated) == set()  # `make catalogs`, then translate what is new
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for text in strings:
            assert _placeholders(text) == _placeholders(ids[0]), (message.id, text)


def it_ships_the_catalog_compiled_from_its_source():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    with (CATALOG.with_suffix(".mo")).open("rb") as handle:
        shipped = gettext.GNUTranslations(handle)
    assert shipped._catalog == fresh._catalog  # type: ignore[attr-defined]  # `make catalogs` compiles it
    assert DOMAIN == "jdgen"


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{[^{}]*\}|%\(\w+\)s", text))
