"""Item texts to canonical treatments: a table of real-looking (synthetic) item texts."""

from __future__ import annotations

import pytest

from generator.normalize import normalize_treatment
from generator.normalize.treatments import extract_quantity, load_lexicon

TABLE = [
    # text, canonical, slug, category slug, quantity, body part
    (
        "Norco 10/325mg #120",
        "Hydrocodone/acetaminophen",
        "hydrocodone-acetaminophen",
        "opioids",
        "#120",
        None,
    ),
    (
        "Post-op Percocet 5/325mg #40",
        "Oxycodone/acetaminophen",
        "oxycodone-acetaminophen",
        "opioids",
        "#40",
        None,
    ),
    ("Ultram ER 150mg #30", "Tramadol", "tramadol", "opioids", "#30", None),
    ("Soma 350mg #60", "Carisoprodol", "carisoprodol", "muscle-relaxants", "#60", None),
    ("Flexeril 7.5mg #90", "Cyclobenzaprine", "cyclobenzaprine", "muscle-relaxants", "#90", None),
    ("Anaprox DS 550mg #60", "Naproxen", "naproxen", "nsaids", "#60", None),
    ("Lyrica 75mg #60", "Pregabalin", "pregabalin", "anticonvulsants", "#60", None),
    ("Cymbalta 60mg #30", "Duloxetine", "duloxetine", "antidepressants", "#30", None),
    ("Prilosec 20mg #60", "Omeprazole", "omeprazole", "gastrointestinal", "#60", None),
    ("Ambien 10mg #30", "Zolpidem", "zolpidem", "sleep-aids", "#30", None),
    (
        "Lidoderm 5% patch #30",
        "Lidocaine patch",
        "lidocaine-patch",
        "topical-analgesics",
        "#30",
        None,
    ),
    (
        "Ketoprofen 10% cream 120 grams",
        "Ketoprofen, topical",
        "ketoprofen-topical",
        "topical-analgesics",
        "120 grams",
        None,
    ),
    (
        "Flurbiprofen 20%/Baclofen 2%/Lidocaine 5% cream 180gm",
        "Compounded topical analgesic",
        "compounded-topical-analgesic",
        "topical-analgesics",
        "180 gm",
        None,
    ),
    (
        "MRI of the right shoulder without contrast",
        "MRI, shoulder",
        "mri-shoulder",
        "imaging",
        None,
        "right shoulder",
    ),
    ("Lumbar spine MRI", "MRI, lumbar spine", "mri-lumbar-spine", "imaging", None, "lumbar spine"),
    ("CT scan of the head", "CT scan, head", "ct-scan-head", "imaging", None, "head"),
    ("X-rays of the left knee, 3 views", "X-ray, knee", "x-ray-knee", "imaging", None, "left knee"),
    (
        "MR arthrogram of the left hip",
        "MR arthrogram, hip",
        "mr-arthrogram-hip",
        "imaging",
        None,
        "left hip",
    ),
    (
        "EMG/NCV of the bilateral lower extremities",
        "EMG/NCS, lower extremity",
        "emg-ncs-lower-extremity",
        "electrodiagnostics",
        None,
        "bilateral lower extremity",
    ),
    (
        "Physical therapy 2 times a week for 6 weeks for the cervical spine",
        "Physical therapy, cervical spine",
        "physical-therapy-cervical-spine",
        "physical-therapy",
        "2x/week for 6 weeks",
        "cervical spine",
    ),
    (
        "Twelve sessions of chiropractic treatment for the low back",
        "Chiropractic treatment, lumbar spine",
        "chiropractic-lumbar-spine",
        "chiropractic",
        "12 sessions",
        "lumbar spine",
    ),
    ("Acupuncture x 6 sessions", "Acupuncture", "acupuncture", "acupuncture", "6 sessions", None),
    (
        "Massage therapy, 8 visits",
        "Massage therapy",
        "massage-therapy",
        "massage",
        "8 visits",
        None,
    ),
    (
        "Right L4-L5 transforaminal epidural steroid injection",
        "Epidural steroid injection, lumbar spine",
        "epidural-steroid-injection-lumbar-spine",
        "injections",
        None,
        "right lumbar spine",
    ),
    (
        "Bilateral L4-5 medial branch blocks",
        "Facet joint injection or medial branch block, lumbar spine",
        "facet-injection-lumbar-spine",
        "injections",
        None,
        "bilateral lumbar spine",
    ),
    (
        "Right knee arthroscopy with partial medial meniscectomy",
        "Knee arthroscopic surgery",
        "knee-arthroscopy",
        "surgery",
        None,
        "right knee",
    ),
    (
        "Left carpal tunnel release",
        "Carpal tunnel release",
        "carpal-tunnel-release",
        "surgery",
        None,
        "left wrist",
    ),
    (
        "Assistant surgeon",
        "Assistant surgeon",
        "assistant-surgeon",
        "surgical-services",
        None,
        None,
    ),
    (
        "Cold therapy unit, 7 day rental",
        "Cold therapy or compression unit",
        "cold-therapy-unit",
        "durable-medical-equipment",
        "7-day rental",
        None,
    ),
    (
        "Lumbar brace",
        "Brace or support, lumbar spine",
        "brace-or-support-lumbar-spine",
        "durable-medical-equipment",
        None,
        "lumbar spine",
    ),
    (
        "TENS unit, 30 day trial",
        "TENS unit",
        "tens-unit",
        "durable-medical-equipment",
        "30-day trial",
        None,
    ),
    (
        "Home health aide 4 hours a day",
        "Home health aide",
        "home-health-aide",
        "home-health",
        None,
        None,
    ),
    (
        "Functional restoration program, 80 hours",
        "Functional restoration program",
        "functional-restoration-program",
        "programs",
        None,
        None,
    ),
    (
        "Cognitive behavioral therapy, 6 sessions",
        "Psychotherapy and cognitive behavioral therapy",
        "psychotherapy",
        "psychological-care",
        "6 sessions",
        None,
    ),
    (
        "Orthopedic surgeon consultation for the right shoulder",
        "Orthopedic or spine surgery consultation",
        "orthopedic-consultation",
        "consultations",
        None,
        "right shoulder",
    ),
    (
        "Follow-up office visit",
        "Office visit or follow-up",
        "office-visit",
        "consultations",
        None,
        None,
    ),
    ("Urine drug screen", "Urine drug testing", "urine-drug-testing", "laboratory", None, None),
    (
        "Pre-op labs: PT/PTT",
        "Coagulation tests (PT/PTT/INR)",
        "coagulation-tests",
        "laboratory",
        None,
        None,
    ),
    (
        "Post-operative physical therapy 12 sessions for the left shoulder",
        "Postoperative physical therapy, shoulder",
        "postoperative-physical-therapy-shoulder",
        "physical-therapy",
        "12 sessions",
        "left shoulder",
    ),
]


@pytest.mark.parametrize(("text", "canonical", "slug", "category", "quantity", "body_part"), TABLE)
def test_treatment_table(
    text: str, canonical: str, slug: str, category: str, quantity: str | None, body_part: str | None
) -> None:
    info = normalize_treatment(text)
    assert (info.canonical, info.slug, info.category_slug) == (canonical, slug, category)
    assert info.quantity == quantity
    assert info.body_part == body_part
    assert info.specific


def test_unknown_item_is_kept_as_written_and_not_bucketed() -> None:
    info = normalize_treatment("Zorblax capsules")
    assert not info.specific
    assert info.canonical == "Zorblax capsules"
    assert info.category_slug == "not-classified"


def test_category_and_group_titles() -> None:
    info = normalize_treatment("Norco 10/325mg #120")
    assert info.category == "Opioids"
    assert (info.group, info.group_slug) == ("Pharmacy", "pharmacy")


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("Physical therapy 3 times a week for 4 weeks", "3x/week for 4 weeks"),
        ("Six physical therapy visits", "6 visits"),
        ("Electrical stimulation times 6", "6 times"),
        ("Wheelchair, 2 month rental", "2-month rental"),
        ("NCV bilateral lower extremities QTY: 2", "#2"),
        ("MRI of the knee", None),
    ],
)
def test_quantity(text: str, quantity: str | None) -> None:
    assert extract_quantity(text) == quantity


def test_lexicon_is_sized_for_browsing() -> None:
    lexicon = load_lexicon()
    assert 100 <= len(lexicon.treatments) <= 400
    assert {category.group for category in lexicon.categories} == {
        group.slug for group in lexicon.groups
    }
