"""`jdgen schema`: the JSON Schema editors use accepts the project's own files and rejects damage."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from jdgen.format.folders import kind_of
from jdgen.project.files import Project

from conftest import SKA, run_jdgen


class EditorView(yaml.SafeLoader):
    """How an editor's YAML extension sees a file: `!include x.yaml` is the text `x.yaml`, `<<` a key."""

    def flatten_mapping(self, node):
        for key, _ in node.value:
            if key.tag == "tag:yaml.org,2002:merge":
                key.tag = "tag:yaml.org,2002:str"


EditorView.add_constructor("!include", lambda loader, node: loader.construct_scalar(node))


def as_json(data):
    """Values as JSON has them (a date is text)."""
    return json.loads(json.dumps(data, default=str))


def editor_view(rel: str):
    return as_json(yaml.load((SKA / rel).read_text("utf-8"), Loader=EditorView))


def schemas(tmp_path) -> dict[str, dict]:
    assert run_jdgen("schema", "-o", tmp_path) == 0
    return {
        kind: json.loads((tmp_path / f"{kind}.schema.json").read_text("utf-8"))
        for kind in ("position", "directive", "organisation", "unit")
    }


def project_files() -> list[str]:
    project = Project(SKA)
    units = sorted(p.relative_to(SKA).as_posix() for p in (SKA / "positions").rglob("_unit.yaml"))
    return ["organisation.yaml", *project.directive_files(), *project.position_files(), *units]


def it_writes_a_valid_draft_2020_12_schema_per_kind(tmp_path):
    for schema in schemas(tmp_path).values():
        jsonschema.Draft202012Validator.check_schema(schema)


def it_accepts_every_file_of_the_project_as_an_editor_sees_it_and_as_resolved(tmp_path):
    found = schemas(tmp_path)
    project = Project(SKA)
    files = project_files()
    assert len(files) == 12
    for rel in files:
        validator = jsonschema.Draft202012Validator(found[kind_of(rel)])
        assert list(validator.iter_errors(editor_view(rel))) == [], rel
        resolved = as_json(project.files.read(rel).data)
        assert list(validator.iter_errors(resolved)) == [], rel


@pytest.mark.parametrize(
    ("damage", "complaint"),
    [
        (lambda d: d.update(report_to=d.pop("reports_to")), "Additional properties"),
        (lambda d: d.update(tasks=5), "is not valid under any of the given schemas"),
        (lambda d: d.pop("title"), "'title' is a required property"),
        (lambda d: d["tasks"].append({"results": "x"}), "is not valid under any of the given schemas"),
    ],
)
def it_rejects_a_damaged_position(tmp_path, damage, complaint):
    schema = schemas(tmp_path)["position"]
    rel = Project(SKA).position_files()[0]
    data = editor_view(rel)
    damage(data)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert errors
    assert any(complaint in error.message for error in errors), [e.message for e in errors]


def it_prints_one_schema_to_stdout(capsys):
    assert run_jdgen("schema", "directive") == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Directive"
    assert "annexes" in schema["required"]
    assert run_jdgen("schema") == 2
