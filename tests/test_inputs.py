"""Bad input gives a one-line error naming the file (and line), and writes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from alignment.cli.app import app


def build(ws: Path) -> tuple[int, str]:
    r = CliRunner().invoke(app, ["--workspace", str(ws), "build"])
    return r.exit_code, r.stderr


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
    return r.exit_code, r.stdout, r.stderr


def clean_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert err.startswith("error: ") and "Traceback" not in err
    for n in needles:
        assert n in err, err


def add_document(ws: Path, name: str, data: bytes, layout: str = "hwb-domain") -> None:
    (ws / "sources" / name).write_bytes(data)
    manifest = yaml.safe_load((ws / "manifest.yaml").read_text())
    manifest["documents"].append({
        "id": "extra", "file": f"sources/{name}", "plan": "HWB", "layout": layout,
        "title": "Extra", "publisher": "Test", "period": "2026", "kind": "test",
        "sha256": hashlib.sha256(data).hexdigest()})
    (ws / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))


def assert_clean_error(code: int, err: str, *needles: str) -> None:
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "Traceback" not in err
    for n in needles:
        assert n in err


def test_invalid_manifest_yaml_names_file_and_line(ws: Path) -> None:
    (ws / "manifest.yaml").write_text("plans:\n  - id: CP24\n    title: [unclosed\n")
    code, err = build(ws)
    assert_clean_error(code, err, "manifest.yaml:", "invalid YAML")
    assert not (ws / ".align").exists()


def test_manifest_missing_field(ws: Path) -> None:
    manifest = yaml.safe_load((ws / "manifest.yaml").read_text())
    del manifest["documents"][0]["sha256"]
    (ws / "manifest.yaml").write_text(yaml.safe_dump(manifest))
    code, err = build(ws)
    assert_clean_error(code, err, "documents[0].sha256", "Field required")


def test_empty_document(ws: Path) -> None:
    add_document(ws, "empty.txt", b"")
    assert_clean_error(*build(ws), "empty.txt", "is empty")


def test_binary_document(ws: Path) -> None:
    add_document(ws, "bin.txt", b"Domain 4. Aims and ambitions\n\xff\xfe\x00junk")
    assert_clean_error(*build(ws), "bin.txt:2", "not UTF-8")


def test_unknown_layout(ws: Path) -> None:
    add_document(ws, "x.txt", b"text\n", layout="newsletter")
    assert_clean_error(*build(ws), "unknown layout 'newsletter'", "known:")


def test_document_with_no_structure(ws: Path) -> None:
    add_document(ws, "prose.txt", b"Just a paragraph of prose.\nAnother line.\n")
    assert_clean_error(*build(ws), "prose.txt", "no structure")


def test_crlf_and_bom_read_like_the_original(ws: Path) -> None:
    src = (ws / "sources" / "hwb-2022-26-domain4.txt").read_bytes()
    data = b"\xef\xbb\xbf" + src.replace(b"\n", b"\r\n")
    (ws / "sources" / "hwb-2022-26-domain4.txt").write_bytes(data)
    manifest = yaml.safe_load((ws / "manifest.yaml").read_text())
    for d in manifest["documents"]:
        if d["id"] == "hwb-d4":
            d["sha256"] = hashlib.sha256(data).hexdigest()
    (ws / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    code, err = build(ws)
    assert code == 0, err


def test_correction_that_no_longer_matches(ws: Path) -> None:
    path = ws / "corrections.yaml"
    path.write_text(path.read_text().replace("Tilbury Community Led", "Basildon Community Led"))
    assert_clean_error(*build(ws), "corrections.yaml", "hwb-d4-year1-4c-run-on",
                       "'Basildon Community Led Community Development project' not found on line 254")


def test_registry_duplicate_ids(ws: Path) -> None:
    path = ws / "registry.yaml"
    path.write_text(path.read_text().replace("id: POST-CFO", "id: POST-ACE"))
    assert_clean_error(*build(ws), "registry.yaml", "POST-ACE")


@pytest.mark.parametrize(("name", "text", "needle"), [
    pytest.param("decisions.yaml", "decisions: 5\n", "'decisions' must be a list", id="decisions"),
    pytest.param("registry.yaml", "- a\n", "expected a mapping", id="registry-list"),
    pytest.param("registry.yaml", "posts: 5\n", "'posts' must be a list", id="registry-posts"),
    pytest.param("corrections.yaml", "corrections: 5\n", "'corrections' must be a list",
                 id="corrections"),
    pytest.param("manifest.yaml", "plans: 5\ndocuments: []\n", "'plans' must be a list",
                 id="manifest"),
])
def test_curated_files_of_the_wrong_shape(ws: Path, name: str, text: str, needle: str) -> None:
    (ws / name).write_text(text)
    clean_error(*run("--workspace", str(ws), "build")[::2], name, needle)


def test_empty_strategy_label_is_refused(ws: Path) -> None:
    path = ws / "registry.yaml"
    path.write_text(path.read_text().replace("label: Local Plan", "label: ''"))
    clean_error(*run("--workspace", str(ws), "build")[::2], "STRAT-LOCAL-PLAN", "empty label")
