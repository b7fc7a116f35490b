"""Citation strings to catalog refs: every citation form the letters use (synthetic examples)."""

from __future__ import annotations

import pytest

from generator.normalize import CitationRef, load_catalog, resolve_citation


def ref(
    guideline: str, slug: str | None = None, pages: str | None = None
) -> tuple[str, str | None, str | None]:
    return (guideline, slug, pages)


def brief(text: str) -> list[tuple[str, str | None, str | None]]:
    result = resolve_citation(text)
    assert result.resolved, result
    return [(r.guideline_id, r.section_slug, r.pages) for r in result.refs]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Page(s): 60", older era, no year: the 2009 edition
        (
            "Decision based on MTUS Chronic Pain Treatment Guidelines Massage Therapy Page(s): 60.",
            [ref("mtus-chronic-pain-2009", "massage-therapy", "60")],
        ),
        # several sections, each with its own pages
        (
            "Decision based on MTUS Chronic Pain Medical Treatment Guidelines Opioids, criteria for "
            "use Page(s): 76-80, Muscle relaxants (for pain) Page(s): 63-66.",
            [
                ref("mtus-chronic-pain-2009", "opioids-criteria-for-use", "76-80"),
                ref("mtus-chronic-pain-2009", "muscle-relaxants", "63-66"),
            ],
        ),
        # "pages 303-305" with an en dash, "Chapter 12", spelled-out ACOEM
        (
            "Decision based on MTUS American College of Occupational and Environmental Medicine "
            "(ACOEM), 2nd Edition, (2004) Low Back Complaints, Chapter 12, pages 303–305.",
            [ref("acoem-low-back-2004", None, "303-305")],
        ),
        # chapter number alone names the ACOEM chapter
        (
            "Decision based on MTUS ACOEM Practice Guidelines, 2nd Edition (2004), Chapter 8, "
            "pages 177—178.",
            [ref("acoem-neck-upper-back-2004", None, "177-178")],
        ),
        # "Section(s): Special Studies" and the catalog's pages when the letter gives none
        (
            "Decision based on MTUS Shoulder Complaints 2004, Section(s): Special Studies.",
            [ref("acoem-shoulder-2004", "special-studies")],
        ),
        (
            "Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Section(s): "
            "Topical analgesics.",
            [ref("mtus-chronic-pain-2009", "topical-analgesics", "111-113")],
        ),
        # the 2016 edition by its year; several guidelines joined by ", and"
        (
            "Decision based on MTUS Low Back Complaints 2004, Section(s): Physical Methods, and "
            "Chronic Pain Medical Treatment 2016, Section(s): Manual therapy & manipulation.",
            [
                ref("acoem-low-back-2004", "physical-methods"),
                ref("mtus-chronic-pain-2016", "manual-therapy-and-manipulation"),
            ],
        ),
        # numbered opioid recommendations
        (
            "Decision based on MTUS Opioid Treatment 2016, Section(s): 3.3.6 Opioids for Chronic "
            "Pain and Chronic Opioid Treatment: Use of Urine Drug Testing (UDT), 4.1 Tapering "
            "Opioids: Indications for Tapering Opioids.",
            [
                ref("mtus-opioids-2016", "urine-drug-testing"),
                ref("mtus-opioids-2016", "indications-for-tapering"),
            ],
        ),
        # a misspelt section still finds its catalog entry
        (
            "Decision based on MTUS Knee Complaints 2004, Section(s): Diagnositc Criteria, "
            "Inital Care.",
            [ref("acoem-knee-2004", "diagnostic-criteria"), ref("acoem-knee-2004", "initial-care")],
        ),
        # a bare number after Section(s) is a page
        (
            "Decision based on MTUS Elbow Complaints 2007, Section(s): 326.",
            [ref("acoem-elbow-2007", None, "326")],
        ),
        # abbreviation
        (
            "Decision based on MTUS CPMTG, Topical Analgesics, pages 111-113",
            [ref("mtus-chronic-pain-2009", "topical-analgesics", "111-113")],
        ),
        (
            "Decision based on MTUS Postsurgical Treatment 2009, Section(s): Forearm, Wrist, & Hand.",
            [ref("mtus-postsurgical-2009", "forearm-wrist-and-hand")],
        ),
        (
            "Decision based on MTUS Acupuncture Medical Treatment Guidelines.",
            [ref("mtus-acupuncture-2007")],
        ),
    ],
)
def test_mtus_citation_forms(text: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    assert brief(text) == expected


def test_odg_chapter_and_topic() -> None:
    result = resolve_citation(
        "The Expert Reviewer based their decision on recommendation(s) outside of the MTUS "
        "Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) "
        "Knee & Leg (Acute & Chronic), Continuous-flow cryotherapy."
    )
    assert result.refs == (CitationRef("odg-knee-leg", None, "Continuous-flow cryotherapy", None),)


def test_odg_several_chapters() -> None:
    refs = resolve_citation(
        "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), Neck and Upper "
        "Back; Low Back - Lumbar & Thoracic (Acute & Chronic), MRIs (magnetic resonance imaging)."
    ).refs
    assert [r.guideline_id for r in refs] == ["odg-neck-upper-back", "odg-low-back"]
    assert refs[1].section_title == "MRIs (magnetic resonance imaging)"


def test_odg_without_a_chapter() -> None:
    refs = resolve_citation("Decision based on Non-MTUS Citation ODG, Gym memberships.").refs
    assert refs == (CitationRef("odg", None, "Gym memberships", None),)


def test_mtus_is_silent_falls_through_to_odg() -> None:
    result = resolve_citation(
        "The MTUS is silent regarding cold therapy units. Official Disability Guidelines, Knee "
        "Chapter, Continuous-flow cryotherapy."
    )
    assert result.resolved
    assert [r.guideline_id for r in result.refs] == ["odg-knee-leg"]


def test_mtus_and_odg_in_one_string() -> None:
    assert [
        r.guideline_id
        for r in resolve_citation(
            "Decision based on MTUS Shoulder Complaints 2004. Decision based on Non-MTUS Citation "
            "Official Disability Guidelines (ODG), Shoulder Chapter, Magnetic resonance imaging (MRI)."
        ).refs
    ] == ["acoem-shoulder-2004", "odg-shoulder"]


@pytest.mark.parametrize(
    ("text", "guideline"),
    [
        (
            "Decision based on Non-MTUS Citation FDA prescribing information for pregabalin.",
            "fda-drug-label",
        ),
        (
            "Decision based on Non-MTUS Citation Doe A, et al. Spine 2012;37:1-9.",
            "medical-literature",
        ),
        (
            "Decision based on Non-MTUS Citation Topiramate: Drug information, UpToDate, 2016.",
            "uptodate",
        ),
        ("Decision based on Non-MTUS Citation https://www.example.org/page.html.", "web-resource"),
        (
            "Decision based on Non-MTUS Citation ACOEM Practice Guidelines, 3rd ed., Low Back Disorders, pg. 607.",
            "acoem-practice-guidelines",
        ),
    ],
)
def test_other_non_mtus_sources(text: str, guideline: str) -> None:
    result = resolve_citation(text)
    assert result.resolved
    assert result.refs[0].guideline_id == guideline
    assert result.refs[0].section_title


def test_acoem_third_edition_section_and_page() -> None:
    refs = resolve_citation(
        "Decision based on Non-MTUS Citation ACOEM Practice Guidelines, 3rd ed., Low Back Disorders, pg. 607."
    ).refs
    assert refs == (
        CitationRef("acoem-practice-guidelines", "low-back-disorders", "Low Back Disorders", "607"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "The Claims Administrator did not cite any medical evidence for its decision.",
        "The Expert Reviewer did not cite any medical evidence for its decision.",
        None,
        "  ",
    ],
)
def test_no_citation(text: str | None) -> None:
    result = resolve_citation(text)
    assert result.no_citation
    assert result.resolved
    assert result.refs == ()


def test_unresolved_text_is_kept_and_listed() -> None:
    text = "Decision based on the treating physician's own experience."
    result = resolve_citation(text)
    assert not result.resolved
    assert result.text == text
    assert result.unmatched


def test_every_ref_names_a_catalogued_guideline_and_section() -> None:
    catalog = load_catalog()
    result = resolve_citation(
        "Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): NSAIDs, GI "
        "symptoms & cardiovascular risk, Proton Pump Inhibitors (PPIs)."
    )
    for item in result.refs:
        guideline = catalog.get(item.guideline_id)
        assert item.section_slug is not None
        assert guideline.section(item.section_slug) is not None


def test_results_are_cached() -> None:
    text = "Decision based on MTUS Knee Complaints 2004, Section(s): Special Studies."
    assert resolve_citation(text) is resolve_citation(text)
