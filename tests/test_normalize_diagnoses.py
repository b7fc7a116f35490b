"""Diagnosis groups from a summary's diagnosis sentences and ICD codes."""

from __future__ import annotations

from generator.normalize import all_groups, diagnosis_groups


def slugs(summary: str) -> set[str]:
    return {group.slug for group in diagnosis_groups(summary)}


def test_diagnoses_include_sentence() -> None:
    summary = (
        "The injured worker is a 50 year old who was hurt lifting boxes. Diagnoses include lumbar "
        "radiculopathy, lumbar disc protrusion and right shoulder strain. Treatment has included "
        "physical therapy and medications."
    )
    assert slugs(summary) == {
        "low-back",
        "shoulder",
        "radiculopathy",
        "disc-degenerative",
        "sprain-strain",
    }


def test_other_sentences_add_nothing() -> None:
    summary = "The worker reported knee pain after a fall. Treatment to date included an MRI."
    assert slugs(summary) == set()


def test_treated_for_counts_as_a_diagnosis_sentence() -> None:
    assert slugs(
        "The injured worker is being treated for carpal tunnel syndrome of the left wrist."
    ) == {
        "wrist-hand",
        "nerve-entrapment",
    }


def test_icd_codes() -> None:
    summary = "Diagnosis codes on the request: ICD-10 M54.16, S83.241A. Earlier: ICD-9 722.10."
    found = slugs(summary)
    assert {
        "low-back",
        "radiculopathy",
        "knee-leg",
        "tendon-ligament-tear",
        "disc-degenerative",
    } <= found


def test_vertebral_levels_are_not_icd_codes() -> None:
    assert slugs("Past history: fusion at T12 and L1.") == set()


def test_groups_are_ordered_regions_first() -> None:
    groups = all_groups()
    kinds = [group.kind for group in groups]
    assert kinds == sorted(kinds, key=lambda kind: kind != "region")
    assert len({group.slug for group in groups}) == len(groups)
