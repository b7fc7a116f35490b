"""The search vocabulary: lexicon patterns spelled out, the phrases readers type mapped to the
concepts an item is indexed under (brand and generic names, abbreviations, body parts,
guidelines and their pages), the synonyms file checked, and an item's concepts."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.anonymize import PublicDetermination, PublicItem
from generator.classify import classify
from generator.normalize.data import DataFileError
from generator.search.aliases import MAX_ALIASES, aliases
from generator.search.terms import terms
from generator.search.vocabulary import (
    Phrases,
    _synonym_phrases,
    all_phrases,
    item_concepts,
    load_synonyms,
    phrase_key,
    search_vocabulary,
)


def determination(treatments: list[str], reviewer_guideline: str) -> PublicDetermination:
    """A synthetic public determination with one upheld item a treatment."""
    items = tuple(
        PublicItem(n, text, "upheld", None, reviewer_guideline, "Not medically necessary.", None)
        for n, text in enumerate(treatments, start=1)
    )
    return PublicDetermination(
        "synthetic000", 2016, "40-49", "female", "Orthopedic Surgery", ("MD",), items,
        "Synthetic summary.", synthetic=True, recency=1,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("pattern", "spelled"),
    [
        (r"x-?rays?", {"xray", "xrays", "x-ray", "x-rays"}),
        (r"chiro\w*", {"chiro"}),
        (r"MRIs?", {"MRI", "MRIs"}),
        (
            r"hydrocodone(?:\s*/\s*|\s+)(?:apap|acetaminophen)",
            {
                "hydrocodone / apap",
                "hydrocodone / acetaminophen",
                "hydrocodone apap",
                "hydrocodone acetaminophen",
            },
        ),
        (r"cervical(?!\s+(?:pillow|collar))", {"cervical"}),
        (r"[BRL]UEs?", {"BUE", "BUEs", "RUE", "RUEs", "LUE", "LUEs"}),
        (r"post[\s-]*op", {"post op"}),
    ],
)
def test_simple_patterns_are_spelled_out(pattern: str, spelled: set[str]) -> None:
    assert set(aliases(pattern)) == spelled


@pytest.mark.parametrize(
    "pattern",
    [r"arthroscop\w*.*\bknee", r"\d+ mg", r"C[2-7]-?C?[3-7]", r"a{2,3}", "(?i)x", "(a|b", "[^a]"],
)
def test_other_patterns_give_nothing(pattern: str) -> None:
    assert aliases(pattern) == ()


def test_a_pattern_of_too_many_spellings_gives_nothing() -> None:
    pattern = "".join("(?:a|b)" for _ in range(6))  # 64 spellings
    assert MAX_ALIASES < 2**6 and aliases(pattern) == ()


def _concepts(text: str) -> list[str]:
    return all_phrases().concepts.get(phrase_key(text), [])


@pytest.mark.parametrize(
    ("said", "means"),
    [
        ("Norco", "c:hydrocodone-acetaminophen"),
        ("hydrocodone/APAP", "c:hydrocodone-acetaminophen"),
        ("hydrocodone", "c:hydrocodone-acetaminophen"),
        ("Synapryn", "c:tramadol"),
        ("Fanatrex", "c:gabapentin"),
        ("Neurontin", "c:gabapentin"),
        ("Prilosec", "c:omeprazole"),
        ("Flector", "c:diclofenac-topical"),
        ("Voltaren", "c:diclofenac"),
        ("Voltaren", "c:diclofenac-topical"),
        ("diclofenac", "i:diclofenac"),
        ("PT", "c:physical-therapy"),
        ("ESI", "c:epidural-steroid-injection"),
        ("UDS", "c:urine-drug-testing"),
        ("PPI", "c:omeprazole"),
        ("TENS", "c:tens-unit"),
        ("NCV", "c:emg-ncs"),
        ("NCS", "c:emg-ncs"),
        ("nerve conduction study", "c:emg-ncs"),
        ("chiro", "k:chiropractic"),
        ("xray", "c:x-ray"),
        ("X-rays", "c:x-ray"),
        ("L-spine", "b:lumbar-spine"),
        ("lumbosacral", "b:lumbar-spine"),
        ("neck", "b:cervical-spine"),
        ("arthroscopic", "c:knee-arthroscopy"),
        ("arthroscopy", "c:knee-arthroscopy"),
        ("lidocaine", "c:lidocaine-patch"),
        ("MTUS Chronic Pain", "g:mtus-chronic-pain-2016"),
        ("ACOEM Low Back", "g:acoem-low-back-2004"),
        ("ODG", "f:odg"),
        ("page 46", "s:mtus-chronic-pain-2009/epidural-steroid-injections"),
        ("ESIs", "s:mtus-chronic-pain-2009/epidural-steroid-injections"),
    ],
)
def test_what_readers_type_names_a_concept(said: str, means: str) -> None:
    assert means in _concepts(said)


def test_a_brand_of_the_tablets_does_not_name_the_cream() -> None:
    assert "i:cyclobenzaprine" not in _concepts("Flexeril")
    assert "i:cyclobenzaprine" in _concepts("cyclobenzaprine")


def test_a_qualifying_parenthesis_names_nothing_alone() -> None:
    """'Muscle relaxants (for pain)' is not what 'pain' means."""
    assert not any(c.endswith("/muscle-relaxants") for c in _concepts("pain"))


def _synonyms_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "synonyms.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_the_shipped_synonyms_file_loads_and_every_name_in_it_is_known() -> None:
    synonyms = load_synonyms()
    assert len(synonyms.synonyms) > 10
    _synonym_phrases(synonyms, all_phrases())  # raises on a name the vocabulary lacks


def test_a_synonym_adds_its_phrases(tmp_path: Path) -> None:
    path = _synonyms_file(
        tmp_path,
        """\
        version: 1
        synonyms:
          - {say: [hydro, "H/APAP"], means: [Norco], body_parts: [knee]}
        """,
    )
    phrases = Phrases()
    phrases.concepts.update({phrase_key("Norco"): ["c:hydrocodone-acetaminophen"]})
    _synonym_phrases(load_synonyms(path), phrases)
    assert phrases.concepts["hydro"] == ["c:hydrocodone-acetaminophen", "b:knee"]
    assert phrases.concepts[phrase_key("H/APAP")] == ["c:hydrocodone-acetaminophen", "b:knee"]


@pytest.mark.parametrize(
    ("entry", "named"),
    [
        ("{say: [x], means: [no such thing]}", "'no such thing' is not a phrase"),
        ("{say: [x], treatments: [no-such-slug]}", "'no-such-slug' is not a slug"),
        ("{say: [x], body_parts: [elbow-of-knee]}", "'elbow-of-knee' is not a slug"),
    ],
)
def test_a_synonym_naming_nothing_known_is_an_error_naming_it(
    tmp_path: Path, entry: str, named: str
) -> None:
    path = _synonyms_file(tmp_path, f"version: 1\nsynonyms:\n  - {entry}\n")
    with pytest.raises(DataFileError, match=r"synonyms\.yaml: synonyms\.0") as raised:
        _synonym_phrases(load_synonyms(path), all_phrases())
    assert named in str(raised.value)


def test_a_synonym_meaning_nothing_is_rejected_on_load(tmp_path: Path) -> None:
    path = _synonyms_file(tmp_path, "version: 1\nsynonyms:\n  - {say: [x]}\n")
    with pytest.raises(DataFileError, match=r"synonyms\.yaml: synonyms\.0"):
        load_synonyms(path)


def test_an_item_is_indexed_under_its_concepts() -> None:
    public = determination(
        treatments=["Norco 10/325mg #60", "MRI of the L-spine", "Flector 1.3% patch"],
        reviewer_guideline="MTUS Chronic Pain Medical Treatment Guidelines, Opioids, criteria for use, pages 76-80",
    )
    facts = classify(public)
    norco, mri, flector = (item_concepts(item) for item in facts.items)
    assert {"c:hydrocodone-acetaminophen", "k:opioids", "f:mtus"} <= set(norco)
    assert any(c.startswith("g:mtus-chronic-pain") for c in norco)
    assert any(
        c.startswith("s:mtus-chronic-pain") and c.endswith("opioids-criteria-for-use")
        for c in norco
    )
    assert {"c:mri-lumbar-spine", "c:mri", "k:imaging", "b:lumbar-spine"} <= set(mri)
    assert {"c:diclofenac-topical", "i:diclofenac", "k:topical-analgesics"} <= set(flector)


def test_a_site_vocabulary_keeps_what_the_site_holds() -> None:
    counts = {
        "c:hydrocodone-acetaminophen": 3,
        "t:norco": 2,
        "t:acupunture": 1,
        "t:quantity": 4,
        "t:x": 5,
    }
    vocabulary = search_vocabulary(counts)
    concepts = vocabulary["concepts"]
    assert concepts == [["c:hydrocodone-acetaminophen", "Hydrocodone/acetaminophen", 3]]
    phrases = vocabulary["phrases"]
    assert isinstance(phrases, dict)
    assert phrases["norco"] == [0] and phrases["hydrocodone"] == [0]
    assert "tramadol" not in phrases  # no tramadol item on this site
    assert all(key == " ".join(terms(key)) for key in phrases)  # as the script looks them up
    # Words of the items' treatments found more than once, not already phrases, five letters or more
    assert vocabulary["typo"] == ["quantity"]
