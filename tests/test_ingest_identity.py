"""Unredacted letters: identity blocks and cc: footers go to ``private`` and nowhere public."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.ingest import ParsedLetter, read_letter
from generator.ingest.identity import find_identities
from generator.schema import FrontMatter

LETTERS = Path(__file__).parent / "fixtures" / "letters"
UNREDACTED = [
    "synthetic_2014_cover_letter",
    "synthetic_2016_dwc_identity",
    "synthetic_2016_form_header",
]


def letter(name: str) -> ParsedLetter:
    return read_letter(LETTERS / f"{name}.txt")


def public_text(parsed: ParsedLetter) -> str:
    meta: FrontMatter = parsed.meta.model_copy(update={"private": type(parsed.meta.private)()})
    return meta.model_dump_json() + parsed.summary


def test_dwc_header_with_last_first_worker_and_cc_footer() -> None:
    private = letter("synthetic_2016_dwc_identity").meta.private
    assert {"THRANDLEWICK, CORMAC J", "CORMAC J THRANDLEWICK", "Cormac Thrandlewick"} <= set(
        private.names
    )
    assert "THRANDLEWICK" not in private.names  # no bare surnames
    assert "Annika Solberg" in private.names
    assert private.organizations == ("Bluegate Logistics Inc.",)
    assert set(private.identifiers) == {"WC-4471-0932", "ADJ9912345"}
    assert set(private.addresses) == {"501 Willow Bend Road", "Stockton, CA 95204"}
    assert private.phones == ("(209) 555-0143",)
    assert "Requesting Provider" not in private.names


def test_cover_letter_with_address_block_salutation_signature_and_cc() -> None:
    parsed = letter("synthetic_2014_cover_letter")
    private = parsed.meta.private
    assert {"Margaret Quillfeather", "Oswin Teague", "Paul Brightwater"} <= set(private.names)
    assert {
        "2218 Larkspur Lane, Apt. 4",
        "Bakersfield, CA 93301",
        "4100 Canal Street, Suite 200",
        "Fresno, CA 93721",
        "9 Orchard Court",
        "Visalia, CA 93291",
    } <= set(private.addresses)
    assert set(private.organizations) == {
        "Harrowgate Mutual Insurance Company",
        "Ferncliff Spine Clinic",
    }
    assert private.identifiers == ("77-310-2291",)
    meta = parsed.meta
    assert meta.case_number == "CM99-0000106"
    assert (meta.injury_date, meta.ur_denial_date, meta.received_date) == (
        dt.date(2012, 3, 2),
        dt.date(2014, 8, 14),
        dt.date(2014, 8, 29),
    )
    assert [item.treatment for item in meta.items] == ["Massage therapy 8 sessions (unspecified)"]
    assert meta.items[0].rationale.endswith("The request is not medically necessary.")


def test_form_header_with_pipe_separated_fields() -> None:
    parsed = letter("synthetic_2016_form_header")
    private = parsed.meta.private
    assert {"Dorian Pellworth", "Lenora Vasquez-Hale"} <= set(private.names)
    assert set(private.identifiers) == {"4471-ZX-0932", "123-45-6789", "1234567893"}
    assert private.dates == (dt.date(1971, 4, 17),)
    assert set(private.phones) == {"(209) 555-0187", "209-555-0110"}
    assert private.emails == ("dpellworth@example.com",)
    assert private.organizations == ("Coldwater Orchards LLC",)
    assert "88 Quarry Road, Unit 12, Modesto, CA 95350" in private.addresses
    assert parsed.meta.decision_date == dt.date(2017, 2, 2)
    assert parsed.meta.received_date == dt.date(2016, 12, 30)


@pytest.mark.parametrize("name", UNREDACTED)
def test_no_identifier_reaches_a_public_field_or_the_summary(name: str) -> None:
    parsed = letter(name)
    public = public_text(parsed).lower()
    for value in parsed.meta.private.values():
        assert value.lower() not in public, value


@pytest.mark.parametrize("name", UNREDACTED)
def test_footer_is_not_part_of_the_last_rationale(name: str) -> None:
    last = letter(name).meta.items[-1].rationale
    assert "cc:" not in last
    assert "Sincerely" not in last


def test_redacted_letter_has_an_empty_private_section() -> None:
    assert letter("synthetic_2016_basic").meta.private.values() == ()


def test_a_legal_suffix_stays_with_its_name_and_departments_are_no_parties() -> None:
    private = find_identities(
        ["Injured Worker: Tamsin Orloff", "Employer: Acme Tools, Inc.", "Medi-Cal CIN: 92047715B"],
        [
            "cc: Acme Tools, Inc., Human Resources",
            "Lakeshore Casualty Insurance Company, Claims Department",
            "Pruett & Ocampo, Applicant Attorneys",
        ],
    )
    assert "Acme Tools, Inc." in private.organizations
    assert "Inc." not in private.organizations and "Inc" not in private.organizations
    parties = {*private.names, *private.organizations}
    assert parties.isdisjoint({"Human Resources", "Claims Department", "Applicant Attorneys"})
    assert "92047715B" in private.identifiers and "92047715B" not in private.names


def test_abbreviated_header_labels() -> None:
    private = find_identities(
        [
            "IW: TORVALDSEN, PIETER",
            "D.O.B.: 3-Oct-66",
            "DOI: 06/14/2015",
            "DA: Halvorsen Kirby LLP",
        ],
        [],
    )
    assert {"TORVALDSEN, PIETER", "PIETER TORVALDSEN"} <= set(private.names)
    assert private.dates == (dt.date(1966, 10, 3),)
    assert "Halvorsen Kirby LLP" in private.organizations
    assert not any("2015" in name for name in private.names)  # the injury date is a header field


def test_re_attn_and_to_lines_name_their_parties_but_not_generic_words() -> None:
    private = find_identities(
        [
            "RE: Delphine Okonkwo-Reyes",
            "Re: Okonkwo-Reyes v. CA Dept. of Corrections",
            "Attn: Marisol Quevedo, Claims Examiner",
            "Re: Independent Medical Review Final Determination",
            "To: Injured Worker",
        ],
        [],
    )
    assert set(private.names) == {"Delphine Okonkwo-Reyes", "Marisol Quevedo"}
    assert private.organizations == ("CA Dept. of Corrections",)


def test_a_party_under_a_number_like_label_and_role_labels() -> None:
    private = find_identities(
        [
            "Member: Ottoline Vasquez",
            "PTP: Harlan Pike, M.D.",
            "Nurse Case Manager: Tamsin Orloff, RN",
        ],
        [],
    )
    assert set(private.names) == {"Ottoline Vasquez", "Harlan Pike", "Tamsin Orloff"}
    assert private.identifiers == ()


def test_a_last_first_name_in_a_person_field_is_read_whole_in_any_case() -> None:
    private = find_identities(
        ["Employee: Quenby, Ottoline M.", "Claims Administrator: Sedgwick, Sacramento"], []
    )
    assert {"Quenby, Ottoline M", "Ottoline M Quenby"} <= set(private.names)
    assert "Quenby" not in private.names  # no bare surname, as in capitals
    # An organisation field keeps two names two (an organisation's words are not scrubbed alone).
    assert {"Sedgwick", "Sacramento"} <= set(private.organizations)


def test_a_nickname_in_brackets_in_a_person_field_is_declared_with_the_name() -> None:
    private = find_identities(
        [
            "Employee: QUENBY, OTTOLINE (OTTIE)",
            "Applicant: Harlan Pike (aka Red)",
            "Claimant: Tamsin Orloff (deceased) (Minor) (Spanish interpreter) (SPANISH) (TPA)",
            "Injured Worker: Lisbet Ruane (Litigated) (Cell) (McLisa)",
            "Applicant: DOE, JANE; ROE, JOHN (BUDDY)",
        ],
        [],
    )
    assert 'QUENBY, OTTOLINE "OTTIE"' in private.names  # as the scrubber reads a nickname
    assert 'Harlan Pike "Red"' in private.names  # any word after a cue
    assert not any('"' in name for name in private.names if "Orloff" in name)  # notes
    assert "OTTIE" not in private.names  # never alone: the audit would look for it everywhere
    assert 'Lisbet Ruane "McLisa"' in private.names  # notes and contact labels are not nicknames
    assert [n for n in private.names if '"' in n and "Ruane" in n] == ['Lisbet Ruane "McLisa"']
    assert not any("BUDDY" in name for name in private.names)  # whose of two people is not plain
