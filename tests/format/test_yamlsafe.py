"""jdgen's YAML values are PyYAML's: the straight construction of texts, lists and mappings
(`yamlsafe.Constructor.construct_document`) gives what `yaml.safe_load` gives, aliases, merge keys
and typed scalars included."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jdgen.format.yamlsafe import Constructor, NamedText, Parser

from conftest import REPO


def values_of(text: str):
    parser = Parser(NamedText(text, "test.yaml"))
    try:
        node = parser.get_single_node()
    finally:
        parser.dispose()
    return Constructor().construct_document(node)


# Text without control characters: jdgen refuses them (`BadValue`), as it must.
TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff"), max_size=30)
SCALARS = st.one_of(
    TEXT,
    st.integers(-(10**12), 10**12),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.floats(allow_nan=False, allow_infinity=False),
)
KEYS = st.one_of(TEXT, st.integers(0, 99))
DATA = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(DATA, st.sampled_from([None, '"', "'", "|"]))
def it_builds_what_pyyaml_builds(data, style):
    shared = {"a": data, "b": data, "c": [data, data]}  # dumped with an anchor and aliases
    text = yaml.safe_dump(shared, allow_unicode=True, default_style=style)
    assert values_of(text) == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    [
        "base: &base {a: 1, b: [x, y]}\nown:\n  <<: *base\n  b: z\n",
        "one: &one {a: 1}\ntwo: &two {a: 2, c: 3}\nboth:\n  <<: [*one, *two]\n  d: 4\n",
        "= : value tag\nplain: 1\n",
        "when: 2024-12-13\nstamp: 2024-12-13 10:00:00\nno: no\nnull_value: ~\nhex: 0x1F\n",
        "list: &l [1, 2]\nagain: *l\nnested: [*l, [*l]]\n",
        '"quoted key": "tab\\tand newline\\n"\n',
    ],
)
def it_builds_what_pyyaml_builds_for_merges_aliases_and_types(text):
    assert values_of(text) == yaml.safe_load(text)


def it_builds_a_shared_value_once():
    built = values_of("a: &x [one, two]\nb: *x\n")
    assert built["a"] is built["b"]


def it_builds_every_file_of_the_shipped_projects_as_pyyaml_does():
    files = sorted(
        path
        for folder in [REPO, *REPO.glob("examples/*")]
        for path in folder.glob("**/*.yaml")
        if ".venv" not in path.parts and "build" not in path.parts
    )
    assert len(files) > 20

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!include", lambda loader, node: ("include", loader.construct_scalar(node)))
    for path in files:
        text = path.read_text("utf-8")
        if "!include" in text:
            continue  # includes are resolved by `load` before construction
        assert values_of(text) == yaml.load(text, Loader=Loader), path
