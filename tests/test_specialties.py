"""Reviewer specialties: a letter's typo joins the specialty it misspells; unknown ones are kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import VALID_RECORD, build, found, soup, write_record

from generator.normalize.data import data_file
from generator.normalize.specialties import normalize_specialty


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Orthopedic Surgery, Sports Medicinea", "Orthopedic Surgery, Sports Medicine"),
        ("physical medicine &  rehabilitation", "Physical Medicine & Rehabilitation"),
        (
            "Preventive Medicine, Occupational Medicine",
            "Preventive Medicine, Occupational Medicine",
        ),
        ("Internal Medicine, Internal Medicine", "Internal Medicine"),
        ("Anesthesiolgy", "Anesthesiology"),
        ("Wound Care Specialist", "Wound Care Specialist"),
        ("Pain Management", "Pain Management"),
        (" , ", None),
        (None, None),
    ],
)
def test_each_specialty_is_read_as_its_known_spelling(
    written: str | None, read: str | None
) -> None:
    assert normalize_specialty(written) == read


def test_known_specialties_are_not_close_to_each_other() -> None:
    """No known spelling would be read as another one (the close-match rule is unambiguous)."""
    lines = data_file("specialties.yaml").read_text(encoding="utf-8").splitlines()
    known = [line.strip()[2:] for line in lines if line.strip().startswith("- ")]
    assert len(known) >= 50
    assert len({name.casefold() for name in known}) == len(known)
    assert [normalize_specialty(name) for name in known] == known


def test_a_misspelt_specialty_joins_its_specialty_page(tmp_path: Path) -> None:
    content = tmp_path / "content"
    plain = VALID_RECORD.replace("Family Practice", '"Orthopedic Surgery, Sports Medicine"')
    write_record(content, "a.md", plain)
    typo = plain.replace("CM99-9000001", "CM99-9000002").replace('Medicine"', 'Medicinea"')
    assert "Sports Medicinea" in typo
    write_record(content, "b.md", typo)
    result = build(content, tmp_path / "site")
    assert result.code == 0, result.stderr
    pages = sorted(p.name for p in (tmp_path / "site" / "specialties").iterdir() if p.is_dir())
    assert pages == ["orthopedic-surgery-sports-medicine"]
    page = soup(tmp_path / "site" / "specialties" / pages[0] / "index.html")
    stats = [p.get_text(" ", strip=True) for p in page.select(".imr-stats p")]
    assert stats[0] == "4 items" and stats[-1] == "2 determinations"
    home = found(soup(tmp_path / "site" / "index.html").select_one("article")).get_text()
    assert "Medicinea" not in home
