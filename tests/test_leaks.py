"""The leak gate end to end: the synthetic PHI letter set, ingested and built into a site, leaks nothing
from its answer key in any output file, keeps its must-keep strings, and the audit catches a leak."""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SHARED, build, run_cli

from generator import audit

PHI = REPO / "tests" / "fixtures" / "phi"
KEY = yaml.safe_load((PHI / "answer_key.yaml").read_text(encoding="utf-8"))
CORPUS = SHARED / "corpus" / "dwc-imr" / "txt"


def normalize(text: str) -> str:
    return " ".join(text.split()).casefold()


def output_text(path: Path) -> str:
    """A file as a reader sees it: entities and JSON escapes decoded, case and spacing folded."""
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", errors="replace")
    if path.suffix == ".json":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return normalize(html.unescape(text))


def whole(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_]){re.escape(normalize(needle))}(?![^\W_])")


@pytest.fixture(scope="module")
def phi_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("phi")
    ingested = run_cli("ingest", PHI / "letters", "--out", base / "content")
    assert ingested.code == 0, ingested.stderr
    built = build(base / "content", base / "site")
    assert built.code == 0, built.stderr
    return base / "site"


def test_the_letter_set_is_large_and_covers_every_kind() -> None:
    assert len(KEY) >= 40
    kinds = {ident["kind"] for entry in KEY.values() for ident in entry["identifiers"]}
    assert {
        "name",
        "date",
        "phone",
        "fax",
        "e-mail",
        "ssn",
        "url",
        "ip address",
        "zip",
        "city",
    } <= kinds
    assert {"employer", "clinic", "law firm", "claims administrator", "npi", "wcab number"} <= kinds


def test_no_identifier_of_the_answer_key_reaches_any_output_file(phi_site: Path) -> None:
    files = {
        path.relative_to(phi_site).as_posix(): output_text(path)
        for path in phi_site.rglob("*")
        if path.is_file()
        and path.suffix in {".html", ".json", ".xml", ".gz", ".txt", ".js", ".csv"}
    }
    assert sum(name.endswith(".json") for name in files) > 1  # the search data is audited too
    owners: dict[str, list[tuple[str, str]]] = {}
    for letter, entry in KEY.items():
        for ident in entry["identifiers"]:
            owners.setdefault(normalize(ident["text"]), []).append((letter, ident["kind"]))
    alternatives = "|".join(re.escape(text) for text in sorted(owners, key=len, reverse=True))
    anywhere = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")
    leaks = sorted(
        {
            (name, letter, kind)
            for name, text in files.items()
            for found in anywhere.findall(f"{normalize(name)} {text}")
            for letter, kind in owners[found]
        }
    )
    assert leaks == []


def test_must_keep_strings_survive(phi_site: Path) -> None:
    pages = " ".join(
        output_text(path) for path in (phi_site / "determinations").rglob("index.html")
    )
    wanted = [string for entry in KEY.values() for string in entry["keep"]]
    lost = sorted({string for string in wanted if not whole(string).search(pages)})
    assert lost == []


def test_check_runs_the_audit_and_reports_the_kind_not_the_identifier(
    phi_site: Path, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    assert run_cli("ingest", PHI / "letters" / "phi-001.txt", "--out", content).code == 0
    site = tmp_path / "site"
    assert build(content, site).code == 0
    assert run_cli("check", "--content", content, "--site-dir", site).code == 0
    page = next((site / "determinations").glob("*/index.html"))
    worker = next(i["text"] for i in KEY["phi-001"]["identifiers"] if i["kind"] == "name")
    page.write_text(
        page.read_text(encoding="utf-8") + f"<p>{worker} 123-45-6789</p>", encoding="utf-8"
    )
    result = run_cli("check", "--content", content, "--site-dir", site)
    assert result.code == 2, result.stderr
    assert (
        f"determinations/{page.parent.name}/index.html: name of {page.parent.name}" in result.stderr
    )
    assert "SSN pattern" in result.stderr
    assert worker not in result.stderr and "123-45-6789" not in result.stderr


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the real letters in ../shared are absent")
def test_real_letters_keep_no_date_but_the_year_and_lose_no_must_keep_token() -> None:
    from generator.anonymize import anonymize  # noqa: PLC0415
    from generator.ingest import parse_letter_text  # noqa: PLC0415
    from generator.schema import Record  # noqa: PLC0415

    full_date = re.compile(
        r"(?<![\w/.-])(?:0?[1-9]|1[0-2])([/-])(?:[12]\d|3[01]|0?[1-9])\1(?:\d{4}|\d\d)(?![\w/-])"
        r"|\b(?:January|February|March|April|June|July|August|September|October|November|December)"
        r"\.?\s+\d{1,2}(?:st|nd|rd|th)?\b"
    )
    keep = re.compile(
        r"(?<![\d/.-])\d{1,4}(?:\.\d+)?/\d{1,4}(?:\.\d+)?(?![\d/])|\b[CLTS]\d-[CLTS]?\d\b"
        r"|\b[A-TV-Z]\d\d\.\d{1,4}\b|\bMTUS\b|\bACOEM\b|\bODG\b|\b\d{1,2}/10\b|#\d{1,4}\b"
    )
    removed = total = 0
    for path in sorted(CORPUS.glob("*.txt")):
        letter = parse_letter_text(path.read_text(encoding="utf-8"), source=path.name)
        record = Record(source=path.name, meta=letter.meta, summary=letter.summary)
        public = anonymize(record, "test")
        pairs = [(record.summary, public.summary)]
        pairs += [
            (i.rationale, p.rationale) for i, p in zip(letter.meta.items, public.items, strict=True)
        ]
        pairs += [
            (i.treatment, p.treatment) for i, p in zip(letter.meta.items, public.items, strict=True)
        ]
        for before, after in pairs:
            assert not full_date.search(after), path.name
            tokens = keep.findall(before)
            total += len(tokens)
            removed += sum(1 for token in set(tokens) if token not in after)
    assert total > 500
    assert removed / total < 0.01


def test_large_data_files_are_audited_in_windows_without_missing_a_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A data file over the large-file size is read in windows; identifiers and residual patterns
    that straddle a cut are still found, and so is everything after the last full window."""
    monkeypatch.setattr(audit, "LARGE_FILE_BYTES", 1_000)
    monkeypatch.setattr(audit, "WINDOW_BYTES", 1_000)
    monkeypatch.setattr(audit, "WINDOW_OVERLAP", 200)
    text = "x" * 990 + " Zorblat Quixmore "  # the name crosses the first cut, at byte 1,000
    text += "y" * (1995 - len(text)) + " 078-05-1120 "  # an SSN across the second
    text += "z" * (2900 - len(text)) + "\n" + "w" * 80 + " Ploverton "  # after the last full window
    text += "v" * (2999 - len(text)) + "\n"
    assert len(text.encode()) == 3 * 1_000
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "items.csv").write_text(text, encoding="utf-8")
    for name in ("Zorblat Quixmore", "Ploverton"):
        known = [audit.KnownIdentifier(name, "name", "aaaaaaaaaaaa")]
        findings = {(f.output_file, f.kind) for f in audit.audit_site(tmp_path, known)}
        assert findings == {("data/items.csv", "name"), ("data/items.csv", "SSN pattern")}, name
