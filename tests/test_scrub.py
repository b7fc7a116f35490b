"""Scrubbing: each detector removes its kind in several formats; must-keep tokens survive."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from conftest import VALID_RECORD, write_record

from generator.anonymize import anonymize
from generator.records import load_records
from generator.schema import FrontMatter, Item, Private, Record
from generator.scrub import scrub_text, scrubber_for


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seen on 11/17/2009.", "seen on [date] 2009."),
        ("injured on 10-13-16 at work", "injured on [date] 2016 at work"),
        ("dated Nov. 17, 2009,", "dated [date] 2009,"),
        ("on 17 November 2009 and", "on [date] 2009 and"),
        ("on 2009-11-17 and", "on [date] 2009 and"),
        ("since March 2014 and", "since [date] 2014 and"),
        ("on the 17th of November the", "on [date] the"),
        ("seen November 17 for", "seen [date] for"),
        ("injured in November and", "injured in [date] and"),
        ("ODG Low Back (updated 11/16/16)", "ODG Low Back (updated 2016)"),
        ("born 3/5/1925; a 92-year-old man", "born [date]; a 90 or older man"),
        ("age 93 and", "age 90 or older and"),
    ],
)
def test_dates_become_years_and_old_ages_are_banded(text: str, expected: str) -> None:
    assert scrub_text(text, reference_year=2016) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call (555) 123-4567 or 555.987.6543", "call [phone] or [phone]"),
        ("Fax: 555-1234.", "Fax: [phone]."),
        ("mail jdoe@example.com now", "mail [e-mail] now"),
        ("see https://www.doe-family.net/blog and 10.20.30.40", "see [url] and [ip address]"),
        ("SSN 123-45-6789, also xxx-xx-6789", "SSN [ssn], also [ssn]"),
        ("Claim #: 05-123456, NPI 1234567890", "Claim #: [number], NPI [number]"),
        ("WCAB ADJ1234567 and CM99-9012345", "WCAB [case number] and [case number]"),
        (
            "lives at 1234 Elm Street, Apt 5, Fresno, CA 93701.",
            "lives at [address], [city], CA [zip].",
        ),
        ("P.O. Box 442 in Bakersfield", "[address] in [city]"),
        ("plate 7ABC123 and file 004417839221", "plate [number] and file [number]"),
    ],
)
def test_contacts_numbers_and_addresses(text: str, expected: str) -> None:
    assert scrub_text(text, reference_year=2016) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seen by Dr. Harriet A. Vance on", "seen by Dr. [name] on"),
        ("Anselm Koury, MD, and Imogen Castellano, PA-C", "[name], MD, and [name], PA-C"),
        ("QUINTANILLA, MARGARITA was seen", "[name] was seen"),
        ("The patient, Maria Lopez, reported", "The patient, [name], reported"),
        ("Dear Ms. Garcia-Lopez:", "Dear Ms. [name]:"),
        ("cc: Bettina Lowry, Esq.", "cc: [name], Esq."),
        ("works for Bluegate Logistics, Inc. now", "works for [organization] now"),
        ("represented by Whitfield & Ostrander.", "represented by [organization]."),
    ],
)
def test_undeclared_names_and_organizations(text: str, expected: str) -> None:
    assert scrub_text(text, reference_year=2016) == expected


MUST_KEEP = (
    "Norco 10/325mg #120 for 6/10 pain; 12 sessions of PT 2x4; L4-L5 and C5-6; ICD-10 M54.16, "
    "ICD-9 724.2, CPT 64483; McMurray's test, Spurling's maneuver, Hawkins impingement, Tinel's and "
    "Phalen's signs, Waddell signs; MTUS Chronic Pain Medical Treatment Guidelines, Page(s): 76-80, "
    "Table 8-8, page 182; ODG Low Back; in 2014; a 62 year old female; Lyrica 75mg #60; "
    "Percocet 5/325; Continue PT. Post-op PT; Orthopedic Surgery, California, North Carolina; "
    "http://www.drugs.com/famotidine.html; Section 3.3.1.1; history of TIA, CVA and GERD."
)


def test_must_keep_tokens_survive_every_detector() -> None:
    assert scrub_text(MUST_KEEP, reference_year=2016) == MUST_KEEP


def _record(private: Private, summary: str, rationale: str = "Not necessary.") -> Record:
    meta = FrontMatter(
        case_number="CM99-1234567",
        decision_date=dt.date(2016, 12, 9),
        items=(Item(treatment="MRI", decision="upheld", rationale=rationale),),
        private=private,
        synthetic=True,
    )
    return Record(source="x.md", meta=meta, summary=summary)


def test_declared_names_are_found_in_every_variant() -> None:
    private = Private(names=("DOE-SMITH, JOSÉ M.",), phones=("(209) 555-0187",))
    scrub = scrubber_for(_record(private, ""))
    text = (
        "José Doe-Smith, JOSE DOE SMITH, Jose M. Doe-Smith, Mr. Doe-Smith, Smith, jose, J.M.D., "
        "call 209-555-0187 or 555 0187."
    )
    assert scrub(text) == (
        "[name], [name], [name], Mr. [name], [name], [name], [name], call [phone] or [phone]."
    )


def test_a_surname_that_is_a_common_word_is_scrubbed_only_as_a_name() -> None:
    scrub = scrubber_for(_record(Private(names=("Grace Long",)), ""))
    assert (
        scrub("Ms. Long had long-term pain; Grace said")
        == "Ms. [name] had long-term pain; [name] said"
    )


def test_a_name_found_once_is_found_everywhere_in_the_record() -> None:
    record = _record(Private(), "Nurse case manager Heloise Prater called.", "Heloise agreed.")
    public = anonymize(record, "secret")
    assert public.summary == "Nurse case manager [name] called."
    assert public.items[0].rationale == "[name] agreed."


def test_every_free_text_field_is_scrubbed(tmp_path: Path) -> None:
    text = VALID_RECORD.replace(
        "sustained an industrial injury", "sustained an industrial injury on 10/13/2016"
    ).replace("imaging is not indicated", "imaging on 11-3-16 is not indicated (555) 123-4567")
    write_record(tmp_path, "a.md", text)
    [record] = load_records(tmp_path)
    public = anonymize(record, "secret")
    assert "on [date] 2016" in public.summary and "10/13" not in public.summary
    assert (
        public.items[0].rationale.count("[phone]") == 1
        and "11-3-16" not in public.items[0].rationale
    )


@pytest.mark.parametrize(
    "text",
    [
        "O'" * 20_000,  # 40 KB: a run of name-like capitals and apostrophes
        "www." * 20_000,  # 80 KB: a host name with no end
        "A" * 40_000,
        "a." * 40_000,
        "A. " * 13_000,
        "Ab " * 13_000,
        "1-" * 20_000,
        "a@" * 20_000,
        "x" * 80_000,
        "Jan 1, " * 6_000,
        "(555) " * 7_000,
    ],
    ids=lambda text: repr(text[:4]),
)
def test_the_scrubber_is_linear_on_long_runs(text: str) -> None:
    """Hostile text (tens of kilobytes of one repeated shape) is scrubbed in well under a second;
    the bound is generous so a loaded machine does not fail it (a quadratic pattern took 24-45 s)."""
    started = time.perf_counter()
    scrub_text(text, reference_year=2016)
    private = Private(names=("Maria O'Brien",), organizations=("Acme Tools, Inc.",))
    scrubber_for(_record(private, text))(text)
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DOB: 3-Oct-66.", "DOB: [date] 1966."),
        ("injured 7-Apr-61 at", "injured [date] 1961 at"),
        ("MRI on 12/Oct/2016 showed", "MRI on [date] 2016 showed"),
        ("an MRI dated Oct-12-2015 was", "an MRI dated [date] 2015 was"),
        ("the visit of sept 17, 2016 because", "the visit of [date] 2016 because"),
        ("signed on 10–04–2016.", "signed on [date] 2016."),
        ("on 10/12/ 2016 and 10 / 12 / 2016", "on [date] 2016 and [date] 2016"),
        ("on 10/12/\n2016 at", "on [date] 2016 at"),
        ("seen Tuesday, July 19, 2016 and 19JUL2016", "seen [date] 2016 and [date] 2016"),
        ("the 3rd of March, 2016 and March 21st 2016", "[date] 2016 and [date] 2016"),
        (
            "in Nov. 2015, from Feb. '14 through mid-2015",
            "in [date] 2015, from [date] 2014 through mid-2015",
        ),
        ("from 11/2015 to 04/2016", "from [date] 2015 to [date] 2016"),
        (
            "On 9/17 she; on 9/13, 9/27 and 10/11 of 2016.",
            "On [date] she; on [date], [date] and [date] of 2016.",
        ),
        ("the 9/17 note; from 10/3 to 10/17/2016", "the [date] note; from [date] to [date] 2016"),
        ("On the 21st she; On Mar 3rd; Sept. 4th he", "On [date] she; On [date]; [date] he"),
        ("the MRI of 26.05.2015; DOB 19/02/1958", "the MRI of [date] 2015; DOB [date] 1958"),
        ("visits on 2nd February 2016 and 02 Sep 2016", "visits on [date] 2016 and [date] 2016"),
        (
            "date of birth October third, 1966; the first of March, 2016",
            "date of birth [date] 1966; [date] 2016",
        ),
        (
            "the third of May; a second opinion; May second opinion",
            "[date]; a second opinion; May second opinion",
        ),
    ],
)
def test_every_date_shape_keeps_only_its_year(text: str, expected: str) -> None:
    assert scrub_text(text, reference_year=2017) == expected


@pytest.mark.parametrize(
    "text",
    [
        "pain 5-10/10, now 7/10; BP 130/85; Norco 10/325 #120; L4-5 and C5-6; 8/10 before, 3/10 after",
        "Page(s): 60; pages 344-345; Table 8-8; 9-10 visits over 8 weeks; 2-3 weeks; 13-20 visits",
        "ICD-10 M54.5, CPT 64483; 2x6; 6 of 10 sessions; mid-2015; the summer of 2016; decreased 5",
        "A1c 7.2%, MME 120 mg/day, 1-2 tabs q4-6h prn #180; CPT 20610-RT, J3301; NDC 0591-0385-01; T-score -2.6",
        "Chou R, Turner JA. Ann Intern Med. 2015 Feb 17;162(4):276-86.",
        "Rockville (MD): Agency for Healthcare Research and Quality (AHRQ); 2013 Sep. 30. Available",
        "J Bone Joint Surg Am. 2010 Jan;92(1):218-9. FDA; 2013 May 14. Pain Physician. 2013 Apr;16(2)",
        "See http://www.dir.ca.gov/dwc/MTUS/MTUS_RegulationsGuidelines.html and www.odg-twc.com.",
    ],
)
def test_clinical_notation_and_citations_are_not_dates(text: str) -> None:
    assert scrub_text(text, reference_year=2017) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 559/555-0199 or (559) 555 - 0142", "call [phone] or [phone]"),
        (
            "or (559)555-0108 or 559 5550109, tel. 661.555.0148 x 2231",
            "or [phone] or [phone], tel. [phone]",
        ),
        ("SSN# 512.44.9087 and 548 - 11 - 4471", "SSN# [ssn] and [ssn]"),
    ],
)
def test_phones_and_ssns_in_every_punctuation(text: str, expected: str) -> None:
    assert scrub_text(text, reference_year=2016) == expected


def test_declared_names_give_initials_nicknames_and_relatives() -> None:
    private = Private(names=("OKONKWO-REYES, DELPHINE A.", 'Bartholomew "Bart" Lindqvist'))
    scrub = scrubber_for(_record(private, ""))
    text = (
        'Ms. Okonkwo-Reyes ("Del" to coworkers); D.O.R. and D.A.O. and M-R; Delphine\'s son '
        "Tobiah drove her. Her daughter, Xiomara, came; Bart and his wife Margarethe Lindqvist. "
        "Ms. O. and Mr. L. left. The car was parked."
    )
    assert scrub(text) == (
        'Ms. [name] ("[name]" to coworkers); [name] and [name] and M-R; [name]\'s son '
        "[name] drove her. Her daughter, [name], came; [name] and his wife [name]. "
        "Ms. [name] and Mr. [name] left. The car was parked."
    )


@pytest.mark.parametrize(
    ("organization", "text", "expected"),
    [
        (
            "CA Dept. of Corrections",
            "the CDCR facility; the Department of Corrections",
            "the [organization] facility; the [organization]",
        ),
        (
            "Sierra Vista Unified School District",
            "a custodian for SVUSD",
            "a custodian for [organization]",
        ),
        (
            "Pacific Coast Gas and Electric Company",
            "at Pacific Coast Gas and Electric (PCG&E)",
            "at [organization] ([organization])",
        ),
        (
            "Golden Poppy Packing, Inc.",
            "a sorter at Golden Poppy; GOLDEN POPPY PACKING",
            "a sorter at [organization]; [organization]",
        ),
        (
            "Kings River Dairy Cooperative",
            "a milker at KRDC; per the CDC guideline",
            "a milker at [organization]; per the CDC guideline",
        ),
    ],
)
def test_declared_organizations_by_acronym_and_short_form(
    organization: str, text: str, expected: str
) -> None:
    scrub = scrubber_for(_record(Private(organizations=(organization,)), ""))
    assert scrub(text) == expected


def test_citation_authors_and_journals_stay_as_written() -> None:
    text = "Keith MW, Masear V, Chung KC, et al. Ann Intern Med. 2015 Feb 17;162(4):276-86. Chou R, et al."
    assert scrub_text(text, reference_year=2016) == text
    assert (
        scrub_text("cc: Lopez MD, Garcia RN.", reference_year=2016) == "cc: [name] MD, [name] RN."
    )


def test_cities_by_name_and_urls_a_citation_cites() -> None:
    text = "the facility in Avenal; drove to Marina del Rey and Los Angeles. Norco 10/325 #120."
    assert scrub_text(text, reference_year=2016) == (
        "the facility in [city]; drove to [city] and [city]. Norco 10/325 #120."
    )
    cited = (
        "Non-MTUS Citation http://www.slideshare.net/a/differences, https://rehab.example.com/x."
    )
    assert scrub_text(cited, reference_year=2016) == cited
    assert scrub_text("her blog http://www.smith-family.net/blog", 2016) == "her blog [url]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("e-mail jdoe.h at gmail dot com today", "e-mail [e-mail] today"),
        (
            "last four of SSN 9381; Soc. Sec. # 623-51-0078",
            "last four of SSN [ssn]; Soc. Sec. # [ssn]",
        ),
        (
            "on September the 14th, 2016 and after the 9/14 injury",
            "on [date] 2016 and after the [date] injury",
        ),
        ("Percocet between 8/1 and 8/15/2016", "Percocet between [date] and [date] 2016"),
        (
            'Seamus ("Shay") came; ("Del" to her coworkers)',
            'Seamus ("[name]") came; ("[name]" to her coworkers)',
        ),
        ("claims examiner Horace Blickensderfer wrote", "claims examiner [name] wrote"),
        ("Ann Arbor (MI): University of Michigan; Elk Grove Village (IL): ACOEM; 2011", None),
        (
            "Wellington (NZ): Accident Compensation Insurance Corporation of New Zealand; 1997.",
            None,
        ),
    ],
)
def test_spelt_out_and_cued_identifiers(text: str, expected: str | None) -> None:
    assert scrub_text(text, reference_year=2016) == (expected or text)


def test_initials_of_a_hyphenated_first_name_and_a_dotted_acronym() -> None:
    private = Private(
        names=("VAN DER BERG, JAN-WILLEM",), organizations=("Los Angeles Unified School District",)
    )
    scrub = scrubber_for(_record(private, ""))
    assert scrub("JWVDB and JVDB work for L.A.U.S.D. (LAUSD)") == (
        "[name] and [name] work for [organization] ([organization])"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Her Medi-Cal ID 91234567A and CIN: 92047715B, BIC 98765432109.",
            "Her Medi-Cal ID [number] and CIN: [number], BIC [number].",
        ),
        (
            "CA DL D4417823, DL# B1234567; Medicare # 1EG4-TE5-MK73",
            "CA DL [number], DL# [number]; Medicare # [number]",
        ),
        ("account 12345678, then", "account [number], then"),
        ("Norco #120, #90. HCPCS E0730, J1885; Spine. 2008;33(25):2789-800.", None),
    ],
)
def test_program_licence_and_member_numbers_by_label_and_shape(
    text: str, expected: str | None
) -> None:
    assert scrub_text(text, reference_year=2016) == (expected or text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DOS 03/14/16-03/18/16", "DOS [date] 2016-[date] 2016"),
        ("3/14-3/18/16 and 03/2016-05/2016", "[date]-[date] 2016 and [date] 2016-[date] 2016"),
        ("therapy Mar–Apr 2016", "therapy [date] 2016"),
        ("C5-6, L4-5, 2-3 weeks, 13-20 visits, pages 344-345, 1994-2001, Table 8-8", None),
    ],
)
def test_date_ranges(text: str, expected: str | None) -> None:
    assert scrub_text(text, reference_year=2017) == (expected or text)


def test_an_organisation_acronym_never_takes_a_clinical_one() -> None:
    organizations = (
        "Ridgeview Orthopedic Medical",
        "Medical Rehabilitation Institute",
        "United Parcel Service, Inc.",
    )
    scrub = scrubber_for(_record(Private(organizations=organizations), ""))
    assert scrub("ROM was limited; MRI and an MRI report; works for UPS") == (
        "ROM was limited; MRI and an MRI report; works for [organization]"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "seen 17-Nov and on 10.12.16; version 1.2.16 and 3.3.1",
            "seen [date] and on [date] 2016; version 1.2.16 and 3.3.1",
        ),
        (
            "call 555-0142; pages 344-345; 1994-2001; CPT 97110-97112",
            "call [phone]; pages 344-345; 1994-2001; CPT 97110-97112",
        ),
    ],
)
def test_day_month_without_a_year_dotted_short_dates_and_local_phones(
    text: str, expected: str
) -> None:
    assert scrub_text(text, reference_year=2017) == expected


def test_names_before_a_role_in_parentheses_and_after_a_nursing_title() -> None:
    text = "Kathy Soto (adjuster) and Ray (NCM) called; Physical Therapy (PT), Xyvorin (DC); NP Maria Soto; PT twice weekly"
    assert scrub_text(text, reference_year=2016) == (
        "[name] (adjuster) and [name] (NCM) called; Physical Therapy (PT), Xyvorin (DC); NP [name]; PT twice weekly"
    )


def test_a_cited_source_keeps_the_year_of_its_version_without_a_mark() -> None:
    text = "Non-MTUS Citation ODG Low Back (Acute & Chronic) 12/20/2016 MRI; UpToDate.com on 12/17/2016."
    assert scrub_text(text, reference_year=2017) == (
        "Non-MTUS Citation ODG Low Back (Acute & Chronic) 2016 MRI; UpToDate.com in 2016."
    )
    assert (
        scrub_text("ODG (updated 11/16/16); seen on 12/17/2016", 2017)
        == "ODG (updated 2016); seen on [date] 2016"
    )


def test_a_declared_organisation_of_generic_words_alone_takes_nothing_else() -> None:
    scrub = scrubber_for(_record(Private(organizations=("Inc.", "Medical Group")), ""))
    text = "Acme Tools, Inc. and the Medical Group practice; medical group visits"
    assert scrub(text) == text


def test_a_titled_name_keeps_its_possessive() -> None:
    assert scrub_text("QME Dr. Xu's report; Dr. Harriet Vance's note", 2017) == (
        "QME Dr. [name]'s report; Dr. [name]'s note"
    )


def test_units_of_a_mobile_home_park_and_initials_of_a_hyphenated_surname() -> None:
    text = "Ms. A.-B. lives at 1234 N. First St., Space 17; Space 12; the space 5 cm; a parking lot"
    assert scrub_text(text, reference_year=2017) == (
        "Ms. [name] lives at [address]; [address]; the space 5 cm; a parking lot"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Child Protective Services called; her son Tobiah came",
            "Child [organization] called; her son [name] came",
        ),
        ("through the 4th finger; on the 21st she", "through the 4th finger; on [date] she"),
        (
            'she felt "Better" today; she goes by "Majo"',
            'she felt "Better" today; she goes by "[name]"',
        ),
    ],
)
def test_cues_that_are_no_name(text: str, expected: str) -> None:
    assert scrub_text(text, reference_year=2017) == expected


def test_a_first_name_short_form_is_never_a_number_word() -> None:
    scrub = scrubber_for(_record(Private(names=("Tenley Marchbanks",)), ""))
    assert scrub("Ten sessions for Tenley; Tenl") == "Ten sessions for [name]; [name]"


def test_a_verb_makes_a_month_day_a_date_but_not_a_score() -> None:
    text = "(received 1/9) and signed 12/28; reported 5/10 pain; performed 4/5 strength; issued on 2/10"
    assert scrub_text(text, reference_year=2017) == (
        "(received [date]) and signed [date]; reported 5/10 pain; performed 4/5 strength; issued on [date]"
    )


def test_particles_hyphenated_acronyms_parenthesised_names_and_ur_numbers() -> None:
    private = Private(
        names=('Guadalupe "Lupita" Ochoa de la Rosa',),
        organizations=("Tri-County Harvest Labor Contractors",),
    )
    scrub = scrubber_for(_record(private, ""))
    text = (
        "G.O.R. of TCHLC; the foreman (Beto Carrizales) said; UR # 88213 denied; the UR 2016 review"
    )
    assert scrub(text) == (
        "[name] of [organization]; the foreman ([name]) said; UR # [number] denied; the UR 2016 review"
    )


def test_a_letter_in_capitals() -> None:
    text = "PATIENT SEEN ON 10/12/2016 BY DR. SMITH FOR LOW BACK PAIN 7/10. MS. GARCIA RETURNED ON OCTOBER 14, 2016."
    assert scrub_text(text, reference_year=2017) == (
        "PATIENT SEEN ON [date] 2016 BY DR. [name] FOR LOW BACK PAIN 7/10. MS. [name] RETURNED ON [date] 2016."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Teo Quispe-Alvarenga, a 37-year-old milker", "[name], a 37-year-old milker"),
        (
            "Gwen MacAllister-DuBois is a 58-year-old lineworker",
            "[name] is a 58-year-old lineworker",
        ),
        ("The Injured Worker is a 45 year old male; The patient is a 41 year old male", None),
        ("Dr. Van der Berg and Ms. DiMaggio saw her", "Dr. [name] and Ms. [name] saw her"),
    ],
)
def test_a_name_before_an_age_and_names_with_inner_capitals_or_particles(
    text: str, expected: str | None
) -> None:
    assert scrub_text(text, reference_year=2017) == (expected or text)


def test_dotted_initials_of_a_hyphenated_surname() -> None:
    scrub = scrubber_for(_record(Private(names=("Seamus O'Shaughnessy-Kline",)), ""))
    assert scrub("S. O'S.-K. and S.O.-K.; the O.K. sign") == "[name] and [name]; the O.K. sign"


def test_holidays_saints_places_and_children_with_their_ages() -> None:
    text = (
        "her children, Mateo (7) and Lucia (4), came on Christmas Eve 2015; on Labor Day; "
        "Christmas lights; she attends St. Anthony of Padua church"
    )
    assert scrub_text(text, reference_year=2017) == (
        "her children, [name] (7) and [name] (4), came on [date] 2015; on [date]; "
        "Christmas lights; she attends [organization] church"
    )


def test_an_organisation_by_its_leading_words_and_a_day_range() -> None:
    organizations = ("Sequoia Ridge Nursing & Rehabilitation Center", "Kaiser Foundation Hospitals")
    scrub = scrubber_for(_record(Private(organizations=organizations), ""))
    text = (
        "an aide at Sequoia Ridge, a therapist at Kaiser; seen June 3-5, 2016 by Dr. Mary Ann Lee"
    )
    assert scrub(text) == (
        "an aide at [organization], a therapist at [organization]; seen [date] 2016 by Dr. [name]"
    )


def test_birthdays_weekdays_hospitals_and_a_partner_in_parentheses() -> None:
    text = (
        "fell on his 26th birthday, 8/30/16; a birthday cake; flown to Kern Medical; "
        "His girlfriend (Skye Delacroix-Ng) visits; the last dose on Tues 11/8; Durable Medical equipment"
    )
    assert scrub_text(text, reference_year=2017) == (
        "fell on [date], [date] 2016; a birthday cake; flown to [organization]; "
        "His girlfriend ([name]) visits; the last dose on Tues [date]; Durable Medical equipment"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Fontanesi of Solano Pain & Spine; the 4/20 and 5/18 notes; wrote on 6.6.16 that; version 1.2.16",
            "Dr. [name] of [organization]; the [date] and [date] notes; wrote on [date] 2016 that; version 1.2.16",
        ),
        ("Page(s): 114-116. Magnetic Resonance Imaging (MRI); Vestibular Rehabilitation", None),
    ],
)
def test_clinics_lists_of_dated_notes_cued_dotted_dates_and_page_ranges(
    text: str, expected: str | None
) -> None:
    assert scrub_text(text, reference_year=2017) == (expected or text)


def test_the_social_a_report_number_and_a_firm_after_evaluation_by() -> None:
    text = "last four digits of her social are 5521; report #QE-44021; the evaluation by Quillon Ergonomics"
    assert scrub_text(text, reference_year=2017) == (
        "last four digits of her social are [ssn]; report #[number]; the evaluation by [name]"
    )


def test_nicknames_in_full_names_and_as_others_call_them_and_a_unit_alone() -> None:
    text = 'Radoslaw "Radek" Ostrowski drove; Wojo, as the crew calls her; employee number is 00771'
    assert scrub_text(text, reference_year=2017) == (
        "[name] drove; [name], as the crew calls her; employee number is [number]"
    )
    scrub = scrubber_for(
        _record(Private(addresses=("4420 Aspen Court, #3, Merced, CA 95348",)), "")
    )
    assert scrub("at 4420 Aspen Court, #3; after at least 3 months") == (
        "at [address], #3; after at least 3 months"
    )
