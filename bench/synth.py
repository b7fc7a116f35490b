"""Generate N realistic synthetic determination records (for benchmarks and scale tests).

    python bench/synth.py 20000 --out build/bench/records-20000 [--seed 1] [--first 1]

Records follow the record format (docs/record-format.md), are marked synthetic, and are made from
vocabularies written for this project (no text from real letters). The same seed gives the same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

TREATMENTS = [
    (
        "Norco 10/325mg #{n}",
        "MTUS Chronic Pain Medical Treatment Guidelines",
        "Opioids, criteria for use",
    ),
    (
        "Tramadol ER 150mg #{n}",
        "MTUS Chronic Pain Medical Treatment Guidelines",
        "Opioids, specific drug list",
    ),
    (
        "Cyclobenzaprine 7.5mg #{n}",
        "MTUS Chronic Pain Medical Treatment Guidelines",
        "Muscle relaxants (for pain)",
    ),
    (
        "Naproxen sodium 550mg #{n}",
        "MTUS Chronic Pain Medical Treatment Guidelines",
        "NSAIDs (non-steroidal anti-inflammatory drugs)",
    ),
    (
        "Gabapentin 600mg #{n}",
        "MTUS Chronic Pain Medical Treatment Guidelines",
        "Anti-epilepsy drugs (AEDs)",
    ),
    (
        "Flurbiprofen 20%/Lidocaine 5% cream {g}gm",
        "MTUS Chronic Pain Medical Treatment Guidelines",
        "Topical Analgesics",
    ),
    (
        "Physical therapy {k} sessions for the {part}",
        "MTUS Chronic Pain Medical Treatment Guidelines",
        "Physical Medicine",
    ),
    (
        "Chiropractic treatment 2x{w} for the lumbar spine",
        "MTUS Chronic Pain Medical Treatment Guidelines",
        "Manual therapy & manipulation",
    ),
    ("Acupuncture {k} sessions", "MTUS Acupuncture Medical Treatment Guidelines", None),
    (
        "Massage therapy {k} sessions",
        "MTUS Chronic Pain Medical Treatment Guidelines",
        "Massage therapy",
    ),
    ("MRI of the {part} without contrast", "MTUS {chapter} 2004", "Special Studies"),
    (
        "EMG/NCV of the bilateral lower extremities",
        "MTUS Low Back Complaints 2004",
        "Special Studies",
    ),
    (
        "Lumbar epidural steroid injection at L{lvl}-L{lvl2}",
        "MTUS Chronic Pain Medical Treatment Guidelines",
        "Epidural steroid injections (ESIs)",
    ),
    (
        "Right knee arthroscopy with partial meniscectomy",
        "MTUS Knee Complaints 2004",
        "Surgical Considerations",
    ),
    (
        "TENS unit purchase",
        "MTUS Chronic Pain Medical Treatment Guidelines",
        "Transcutaneous electrotherapy",
    ),
    (
        "Home health care 4 hours per day, 5 days per week",
        "MTUS Chronic Pain Medical Treatment Guidelines",
        "Home health services",
    ),
    (
        "Functional restoration program 80 hours",
        "MTUS Chronic Pain Medical Treatment Guidelines",
        "Functional restoration programs (FRPs)",
    ),
    (
        "Cognitive behavioral therapy {k} sessions",
        "MTUS Chronic Pain Medical Treatment Guidelines",
        "Behavioral interventions",
    ),
    (
        "Orthopedic surgeon consultation",
        "MTUS/ACOEM Practice Guidelines, 2nd Edition (2004), Chapter 7",
        "Independent Medical Examinations and Consultations",
    ),
    ("Urine drug screen", "MTUS Chronic Pain Medical Treatment Guidelines", "Drug testing"),
]
PARTS = {
    "lumbar spine": "Low Back Complaints",
    "cervical spine": "Neck and Upper Back Complaints",
    "right shoulder": "Shoulder Complaints",
    "left knee": "Knee Complaints",
    "right wrist": "Forearm, Wrist, and Hand Complaints",
}
SPECIALTIES = [
    "Family Practice",
    "Orthopedic Surgery",
    "Physical Medicine & Rehabilitation",
    "Anesthesiology",
    "Pain Medicine",
    "Internal Medicine",
    "Psychiatry",
    "Chiropractor",
    "Acupuncturist",
    "Neurology",
    "Occupational Medicine",
    "Emergency Medicine",
]
STATES = ["California", "Texas", "New York", "Florida", "Ohio", "Washington", "Arizona", "Maryland"]
DIAGNOSES = [
    "lumbar radiculopathy",
    "cervical strain",
    "rotator cuff tendinitis",
    "medial meniscus tear",
    "carpal tunnel syndrome",
    "chronic pain syndrome",
    "lumbar disc protrusion",
    "myofascial pain",
    "depression",
    "insomnia",
    "knee osteoarthritis",
    "shoulder impingement",
]
FINDINGS = [
    "tenderness to palpation of the paraspinal muscles",
    "decreased range of motion",
    "a positive straight leg raise on the right",
    "diminished sensation in the L5 dermatome",
    "a positive Hawkins impingement sign",
    "crepitus with flexion",
    "spasm of the upper trapezius",
    "an antalgic gait",
    "4/5 strength with abduction",
]
REASONS_UPHELD = [
    "There is no documentation of objective functional improvement with prior use.",
    "The guidelines do not support this quantity without evidence of a trial response.",
    "There is no evidence of red flag conditions or specific nerve compromise.",
    "The records do not document failure of conservative care.",
    "Long-term use is not recommended and no taper plan is documented.",
]
REASONS_OVERTURNED = [
    "The records document objective functional improvement and decreased pain with this treatment.",
    "Findings of radiculopathy are corroborated by imaging and electrodiagnostic testing.",
    "Conservative care has failed and the guideline criteria are met.",
    "Urine drug screens are consistent and a signed pain agreement is on file.",
]


def _treatment(rng: random.Random) -> tuple[str, str, str | None]:
    template, guideline, section = rng.choice(TREATMENTS)
    part = rng.choice(list(PARTS))
    lvl = rng.randint(3, 5)
    text = template.format(
        n=rng.choice([30, 60, 90, 120]),
        g=rng.choice([120, 180, 240]),
        k=rng.choice([6, 8, 12]),
        w=rng.choice([3, 4, 6]),
        part=part,
        lvl=lvl,
        lvl2=lvl + 1,
    )
    return text, guideline.format(chapter=PARTS[part]), section


def _item(rng: random.Random) -> str:
    text, guideline, section = _treatment(rng)
    decision = "upheld" if rng.random() < 0.65 else "overturned"
    reasons = rng.sample(REASONS_UPHELD if decision == "upheld" else REASONS_OVERTURNED, 2)
    verdict = "is not medically necessary" if decision == "upheld" else "is medically necessary"
    reviewer = f"{guideline}, Section(s): {section}." if section else f"{guideline}."
    rationale = f"{' '.join(reasons)} Therefore, the request for {text} {verdict}."
    return (
        f'  - treatment: "{text}"\n    decision: {decision}\n'
        f'    claims_administrator_guideline: "Decision based on {guideline}."\n'
        f'    reviewer_guideline: "Decision based on {reviewer}"\n'
        f'    rationale: "{rationale}"\n'
    )


FIRST_DECISION = dt.date(2013, 1, 1)
DECISION_DAYS = 5 * 365
"""Generated records are decided over five years from FIRST_DECISION."""


def record(
    number: int, rng: random.Random, first_day: dt.date = FIRST_DECISION, days: int = DECISION_DAYS
) -> str:
    """One synthetic record, decided on one of ``days`` days from ``first_day``."""
    decided = first_day + dt.timedelta(days=rng.randrange(days))
    injured = decided - dt.timedelta(days=rng.randrange(200, 3000))
    age, sex = rng.randint(22, 79), rng.choice(["male", "female"])
    items = "".join(_item(rng) for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4, 6])))
    diagnoses = ", ".join(rng.sample(DIAGNOSES, 3))
    findings = "; ".join(rng.sample(FINDINGS, 3))
    states = rng.sample(STATES, rng.randint(1, 2))
    return (
        f"---\ncase_number: CM99-{number:07d}\nsynthetic: true\n"
        f"decision_date: {decided.isoformat()}\ninjury_date: {injured.isoformat()}\n"
        f"worker: {{age: {age}, sex: {sex}}}\n"
        f"reviewer: {{specialty: {rng.choice(SPECIALTIES)}, licensure: [{', '.join(states)}]}}\n"
        f"items:\n{items}---\n"
        f"The injured worker is a {age} year old {sex} who sustained an industrial injury on "
        f"{injured.month}-{injured.day}-{injured.year % 100:02d}. The diagnoses include {diagnoses}. "
        f"On examination there was {findings}. Treatment to date has included medications, "
        f"physical therapy and a home exercise program. Utilization review non-certified the "
        f"requests on {decided.month}-{max(1, decided.day - 1)}-{decided.year % 100:02d}.\n"
    )


def generate(count: int, out: Path, seed: int = 1, first: int = 1) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for number in range(first, first + count):
        (out / f"synthetic-{number:07d}.md").write_text(record(number, rng), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--first", type=int, default=1, help="number of the first record (to add records later)"
    )
    args = parser.parse_args()
    generate(args.count, args.out, args.seed, args.first)
    print(f"Wrote {args.count} synthetic records to {args.out}")


if __name__ == "__main__":
    main()
