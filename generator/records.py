"""Read record files and validate them against the schema, reporting every problem of every file at once."""

from __future__ import annotations

import hashlib
import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.exceptions import ConfigurationError, InvalidRecordsError, RecordProblem
from generator.progress import progress
from generator.schema import FrontMatter, Record

log = logging.getLogger(__name__)

RECORD_SUFFIX = ".md"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _RecordYamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML without implicit timestamps: dates stay text so the schema reports bad ones by
    field ('decision_date: found ...') instead of YAML failing on the whole file."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


class _RecordYamlHandler(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=_RecordYamlLoader)  # noqa: S506 - a SafeLoader subclass


def require_content_dir(content_dir: Path) -> None:
    """Raise a ConfigurationError naming the fix when the content folder is missing."""
    if not content_dir.is_dir():
        raise ConfigurationError(
            f"{content_dir}: the content folder does not exist; pass --content DIR or create it."
        )


def find_record_files(content_dir: Path) -> list[Path]:
    """Every record file below ``content_dir``, in a stable order."""
    return [Path(path) for path in record_paths(content_dir)]


def record_paths(content_dir: Path) -> list[str]:
    """``find_record_files`` as strings (made without a Path each: a build lists every file)."""
    require_content_dir(content_dir)
    root = str(content_dir)
    return [os.path.join(root, *parts) for parts in sorted(_record_files(content_dir))]  # noqa: PTH118


def _record_files(folder: Path, parent: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path parts (below the content folder) of every record file, in no order: one
    ``scandir`` per folder instead of a ``stat`` per file."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):  # as ``rglob``: no loops through links
                yield from _record_files(Path(entry.path), (*parent, entry.name))
            elif entry.name.endswith(RECORD_SUFFIX) and entry.is_file():
                yield (*parent, entry.name)


def load_records(content_dir: Path) -> list[Record]:
    """Load and validate every record, or raise InvalidRecordsError listing all problems."""
    paths = find_record_files(content_dir)
    records, problems = validate_files(paths)
    if problems:
        raise InvalidRecordsError(problems, records_checked=len(paths))
    log.debug("Loaded %d records from %s", len(records), content_dir)
    return records


def validate_files(paths: Sequence[Path]) -> tuple[list[Record], list[RecordProblem]]:
    """Parse every file; return the valid records and the problems of the others (nothing dropped)."""
    records: list[Record] = []
    problems: list[RecordProblem] = []
    for path in progress(paths, desc="Reading records", unit="record"):
        record_or_problems = parse_record_file(path)
        if isinstance(record_or_problems, Record):
            records.append(record_or_problems)
        else:
            problems.extend(record_or_problems)
    problems.extend(duplicate_case_numbers(records))
    return records, problems


def parse_record_file(path: Path) -> Record | list[RecordProblem]:
    """One file to a Record, or to the list of everything wrong with it."""
    return parse_record_bytes(str(path), path.read_bytes())


def parse_record_bytes(source: str, raw: bytes) -> Record | list[RecordProblem]:
    """A record file's bytes to a Record, or to the list of everything wrong with it."""
    text_or_problem = _decoded(source, raw)
    if isinstance(text_or_problem, RecordProblem):
        return [text_or_problem]
    try:
        post = frontmatter.loads(text_or_problem, handler=_RecordYamlHandler())
    except yaml.YAMLError as error:
        return [RecordProblem(source, "front matter", _yaml_message(error))]
    if not post.metadata:
        return [
            RecordProblem(
                source,
                "front matter",
                "none found; a record starts with a '---' line, its YAML keys, then '---'",
            )
        ]
    problems: list[RecordProblem] = []
    summary = post.content.strip()
    if not summary:
        problems.append(
            RecordProblem(
                source, "summary", "the Markdown body is empty; add the clinical case summary"
            )
        )
    try:
        meta = FrontMatter.model_validate(post.metadata)
    except ValidationError as error:
        problems.extend(_problems_from_validation(source, error))
    if problems:
        return problems
    return Record(source=source, meta=meta, summary=summary)


def _decoded(source: str, raw: bytes) -> str | RecordProblem:
    if not raw.strip():
        return RecordProblem(source, "file", "the file is empty; write a record or delete the file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return RecordProblem(
            source,
            "file",
            f"not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            "save the file as UTF-8",
        )


def _yaml_message(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or "invalid YAML"
    # The mark counts lines inside the front matter; +2 accounts for the opening '---' line.
    where = f" at line {mark.line + 2}, column {mark.column + 1}" if mark is not None else ""
    return f"invalid YAML{where}: {problem}; fix the YAML syntax"


def _problems_from_validation(source: str, error: ValidationError) -> Iterable[RecordProblem]:
    for detail in error.errors(include_url=False):
        yield RecordProblem(source, _field_path(detail["loc"]), _describe(detail))


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "front matter"


def _describe(detail: ErrorDetails) -> str:  # noqa: PLR0911 - one return per kind of error
    kind, found = detail["type"], detail.get("input")
    if kind == "missing":
        return "missing; add this key"
    if kind == "extra_forbidden":
        known = ", ".join(_known_keys(detail["loc"][:-1]))
        return f"unknown key; remove it or use one of: {known}"
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        return f"found {_show(found)}; expected {expected}"
    if kind in {
        "date_from_datetime_parsing",
        "date_parsing",
        "date_type",
        "date_from_datetime_inexact",
    }:
        return f"found {_show(found)}; expected a date as YYYY-MM-DD"
    if kind == "too_short" and isinstance(found, list | tuple):
        return "found an empty list; expected at least one entry"
    if kind == "too_long" and isinstance(found, list | tuple):
        most = detail.get("ctx", {}).get("max_length")
        return f"found {len(found)} entries; expected at most {most} (split the record)"
    if kind == "string_too_short":
        return "found an empty text; expected some text"
    message = detail["msg"].removeprefix("Value error, ")
    return f"found {_show(found)}; {message[:1].lower()}{message[1:]}"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _known_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The keys the schema allows at ``loc`` (for 'unknown key' messages)."""
    model: type[BaseModel] = FrontMatter
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[str(part)].annotation
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
    return list(model.model_fields)


@dataclass(frozen=True)
class RecordKey:
    """Which file became which public id, and a hash of its normalized case number."""

    source: str
    public_id: str
    case_key: str
    previous_ids: tuple[str, ...] = ()
    """The ids this case had under the previous id secrets (their pages redirect here)."""


def case_key(case_number: str) -> str:
    """Case numbers compare without case or surrounding spaces, as the public id does."""
    return hashlib.sha256(case_number.strip().upper().encode("utf-8")).hexdigest()


def duplicate_case_numbers(records: Sequence[Record]) -> list[RecordProblem]:
    """A case number may appear in one record only; report every file that shares one."""
    keys = [
        RecordKey(r.source, case_key(r.meta.case_number), case_key(r.meta.case_number))
        for r in records
    ]
    return duplicate_case_problems(keys)


def duplicate_case_problems(keys: Iterable[RecordKey]) -> list[RecordProblem]:
    """One record per case number; and two case numbers must never share a public id."""
    keys = list(keys)
    cases, ids = {key.case_key for key in keys}, {key.public_id for key in keys}
    if len(cases) == len(ids) == len(keys):  # the common case, checked without grouping
        return []
    problems = []
    for members in _grouped(keys, lambda key: key.case_key):
        problems += _shared(members, "the same case number is used by {}; keep one record per case")
    for members in _grouped(keys, lambda key: key.public_id):
        if len({key.case_key for key in members}) > 1:
            problems += _shared(members, "its public id collides with {}'s; report this as a bug")
    return problems


def _shared(members: list[RecordKey], message: str) -> list[RecordProblem]:
    return [
        RecordProblem(
            key.source,
            "case_number",
            message.format(", ".join(o.source for o in members if o.source != key.source)),
        )
        for key in members
    ]


def _grouped(keys: Iterable[RecordKey], by: Callable[[RecordKey], str]) -> list[list[RecordKey]]:
    groups: dict[str, list[RecordKey]] = defaultdict(list)
    for key in keys:
        groups[by(key)].append(key)
    return [members for members in groups.values() if len(members) > 1]
