"""The guideline catalog: the data file loads, ids are stable slugs, and bad data fails by key."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.normalize import DataFileError, load_catalog
from generator.normalize.text import SLUG

REQUIRED_IDS = [
    "mtus-chronic-pain-2009",
    "mtus-chronic-pain-2016",
    "mtus-opioids-2016",
    "mtus-acupuncture-2007",
    "mtus-postsurgical-2009",
    "acoem-general-approaches-2004",
    "acoem-neck-upper-back-2004",
    "acoem-shoulder-2004",
    "acoem-elbow-2007",
    "acoem-forearm-wrist-hand-2004",
    "acoem-low-back-2004",
    "acoem-knee-2004",
    "acoem-ankle-foot-2004",
    "acoem-stress-related-conditions-2004",
    "acoem-eye-2004",
    "acoem-low-back-disorders",
    "mtus-drug-formulary",
    "odg",
    "odg-pain",
    "odg-low-back",
    "medical-literature",
    "fda-drug-label",
]


def test_every_required_guideline_is_catalogued() -> None:
    catalog = load_catalog()
    for guideline_id in REQUIRED_IDS:
        assert guideline_id in catalog


def test_ids_and_section_slugs_are_url_slugs() -> None:
    for guideline in load_catalog():
        assert SLUG.match(guideline.id)
        assert guideline.url.startswith("https://")
        for section in guideline.sections:
            assert SLUG.match(section.slug)


def test_families_and_mtus_flags() -> None:
    catalog = load_catalog()
    assert catalog.get("mtus-chronic-pain-2009").family == "mtus"
    assert catalog.get("acoem-low-back-2004").family == "acoem"
    assert catalog.get("acoem-low-back-2004").mtus
    assert catalog.get("odg-pain").family == "odg"
    assert not catalog.get("odg-pain").mtus
    assert catalog.get("uptodate").family == "other"


def test_regulation_and_its_dir_link() -> None:
    low_back = load_catalog().get("acoem-low-back-2004")
    assert low_back.regulation == "8 CCR §9792.23.5"
    assert low_back.regulation_url == "https://www.dir.ca.gov/t8/9792_23_5.html"
    assert load_catalog().get("odg").regulation_url is None


def test_2009_sections_have_pages_and_2016_inherits_topics_without_them() -> None:
    catalog = load_catalog()
    relaxants_2009 = catalog.get("mtus-chronic-pain-2009").section("muscle-relaxants")
    relaxants_2016 = catalog.get("mtus-chronic-pain-2016").section("muscle-relaxants")
    assert relaxants_2009 is not None
    assert relaxants_2009.pages == "63-66"
    assert relaxants_2016 is not None
    assert relaxants_2016.pages is None
    assert catalog.get("mtus-chronic-pain-2016").section("compound-drugs") is not None


def test_unknown_id_names_the_id() -> None:
    with pytest.raises(KeyError, match="no-such-guideline"):
        load_catalog().get("no-such-guideline")


def test_load_is_cached() -> None:
    assert load_catalog() is load_catalog()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "guidelines.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
version: 1
guidelines:
  - id: example-guideline
    title: Example
    short_title: Example
    issuer: Someone
    family: other
    edition: "1"
    url: https://example.org/
    mtus: false
"""


def test_a_valid_file_loads(tmp_path: Path) -> None:
    assert len(load_catalog(_write(tmp_path, GOOD))) == 1


def test_unknown_key_is_an_error_naming_the_key(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + "    colour: blue\n")
    with pytest.raises(DataFileError, match=r"guidelines\.0\.colour"):
        load_catalog(path)


def test_bad_slug_is_an_error_naming_the_key(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("example-guideline", "Example Guideline"))
    with pytest.raises(DataFileError, match=r"guidelines\.0\.id.*not a slug"):
        load_catalog(path)


def test_bad_pattern_is_an_error_naming_the_key(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + '    patterns: ["(unclosed"]\n')
    with pytest.raises(
        DataFileError, match=r"guidelines\.0\.patterns\.0.*not a regular expression"
    ):
        load_catalog(path)


def test_bad_family_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="family"):
        load_catalog(_write(tmp_path, GOOD.replace("family: other", "family: blog")))


def test_not_yaml_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="not valid YAML"):
        load_catalog(_write(tmp_path, "version: [1\n"))
