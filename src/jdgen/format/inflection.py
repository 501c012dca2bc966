"""Estonian inflection of post titles and unit names, where a rule can do it: the genitive.

A template may print "Arendamise osakonna juhataja ametijuhend" or "LIIKLUSJUHTIMISKESKUSE
JUHATAJA" where the data says "arendamise osakond" and "juhataja". The genitive of such a name is
the genitive of its last word ("järelevalve osakond" -> "järelevalve osakonna"; a part in
parentheses at the end stays as it is). The rules below cover the words that name posts and units;
a word they do not know gives None, and the file must then write the form (`title_genitive`,
`genitive`). These are rules of the language, not of an agency.
"""

from __future__ import annotations

import re

# (ending, replacement), longest first within a kind; the first that fits the last word applies.
_RULES: tuple[tuple[str, str], ...] = (
    ("kond", "konna"),  # osakond, valdkond
    ("juht", "juhi"),  # juht, projektijuht, liiklusjuht
    ("ekspert", "eksperdi"),
    ("ent", "endi"),  # assistent, referent
    ("ant", "andi"),  # konsultant
    ("us", "use"),  # talitus, teenistus, keskus
    ("ik", "iku"),  # nõunik, ametnik, analüütik, tehnik
    ("ist", "isti"),  # spetsialist, jurist
    ("ekt", "ekti"),  # arhitekt
    ("oog", "oogi"),  # psühholoog
    ("grupp", "grupi"),
    ("amet", "ameti"),
    ("or", "ori"),  # direktor, inspektor, koordinaator
    ("ör", "öri"),  # kontrolör
    ("är", "äri"),  # sekretär
    ("ster", "stri"),  # meister, register
    ("ar", "ari"),  # notar
    ("er", "eri"),  # insener
    ("ur", "uri"),  # haldur
)
_VOWELS = "aeiouõäöü"
_TAIL = re.compile(r"^(?P<head>.*?)(?P<tail>\s*\([^()]*\))?$", re.DOTALL)


def genitive(name: str) -> str | None:
    """The genitive of a post title or unit name, or None where no rule knows its last word or the
    words before it are not already in the genitive (a comma, an adjective: "regionaalne osakond")."""
    split = _split(name)
    if split is None or not _genitive_already(split[0]):
        return None
    before, last, tail = split
    if re.match(r"\s*\(\s*edaspidi\b", tail):  # "(edaspidi osakond)" defines a short name: no part of it
        tail = ""
    inflected = _word_genitive(last)
    return None if inflected is None else f"{before}{inflected}{tail}"


def _split(name: str) -> tuple[str, str, str] | None:
    """The name as (what comes before its last word, the last word, a part in parentheses after it)."""
    found = _TAIL.match(name.strip())
    words = re.match(r"^(?P<before>.*?)(?P<last>[^\s-]+)$", found.group("head"), re.DOTALL) if found else None
    if found is None or words is None:
        return None
    return words.group("before"), words.group("last"), found.group("tail") or ""


def _genitive_already(words: str) -> bool:
    """Whether the words before the last stay as they are: genitives ("liikluse seireseadmete"),
    which end in a vowel; not a nominative adjective ("regionaalne", "vanem"), not a list."""
    return "," not in words and all(
        (word[-1:].lower() in _VOWELS and not word.lower().endswith("ne"))
        or word.endswith("-")  # the first part of a compound: jurist-analüütik
        or word.startswith("(")  # a part in parentheses: (UTM/TO)
        or word in ("ning",)
        for word in words.split()
    )


def _word_genitive(word: str) -> str | None:
    lower = word.lower()
    if lower.endswith("ne"):  # andmeteadlane -> andmeteadlase
        return word[:-2] + ("SE" if word.isupper() else "se")
    if lower[-1:] in _VOWELS:  # juhataja, nõustaja, büroo: the same form
        return word
    for ending, replacement in _RULES:
        if lower.endswith(ending):
            inflected = word[: len(word) - len(ending)] + replacement
            return inflected.upper() if word.isupper() else inflected
    return None


def nominative(genitive_form: str) -> str | None:
    """The name whose genitive (by the rules above) is `genitive_form`: "lõuna osakonna" -> "lõuna
    osakond", "eksperdi" -> "ekspert"; a form no rule makes gives None. Where a consonant rule and
    the same form both fit ("spetsialisti"), the rule wins: titles rarely end in -i."""
    split = _split(genitive_form)
    if split is None:
        return None
    before, last, tail = split
    lower = last.lower()
    for ending, replacement in _RULES:
        candidate = last[: len(last) - len(replacement)] + (ending.upper() if last.isupper() else ending)
        if lower.endswith(replacement) and _word_genitive(candidate) == last:
            return f"{before}{candidate}{tail}"
    if lower.endswith("se") and _word_genitive(last[:-2] + "ne") == last and not _word_genitive(last[:-1]):
        return f"{before}{last[:-2]}ne{tail}"  # andmeteadlase -> andmeteadlane
    return f"{before}{last}{tail}" if _word_genitive(last) == last else None
