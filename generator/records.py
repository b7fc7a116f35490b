"""Read record files and validate them against the schema, reporting every problem of every file at once."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import reprlib
import unicodedata
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

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping, or a YAMLError naming a key given twice (YAML would keep the last)."""
        seen: set[object] = set()
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if not _hashable(key):
                line = _file_line(key_node.start_mark)
                raise _ShapeError(f"a key that is a list or a mapping (line {line}); use a name")
            if key in seen:
                line = _file_line(key_node.start_mark)
                raise _ShapeError(f"the key {_show(key)} is given twice (line {line}); keep one")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def _hashable(key: object) -> bool:
    """Whether a YAML key can be a mapping key (a list, a mapping or a tuple holding one cannot)."""
    try:
        hash(key)
    except TypeError:
        return False
    return True


MAX_RECORD_BYTES = 16 << 20
"""The largest record file read (the largest real letters' records are tens of KB)."""
MAX_DEPTH = 32
"""The deepest nesting of the front matter (a record's is 4 at most): deeper YAML crashes libyaml
(60,000 levels) or Python's recursion (1,000)."""
MAX_NODES = 1_000_000
"""The most values the front matter may hold once its aliases are expanded (32,767 items of a
few fields each are well below): a YAML alias bomb of a few hundred bytes holds billions."""


SCAN_ABOVE = 200
"""Front matter with fewer characters that can open a level ('[', '{', '-', ':', '?') cannot
nest deeper than this: only other front matter is gone through event by event first."""


_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,])[&*][^\s\[\]{},]", re.MULTILINE)
"""An anchor (&name) or an alias (*name) where YAML reads one (or text that looks alike)."""


def _may_be_deep_or_aliased(front_matter: str) -> bool:
    """Whether the front matter might nest deeper than SCAN_ABOVE or use aliases (a few
    ``count`` calls: going through the events of every record took 40% of its parsing)."""
    if _ANCHOR_OR_ALIAS.search(front_matter):
        return True
    openers = sum(front_matter.count(char) for char in "[{-:?")
    return openers > SCAN_ABOVE


class _ShapeError(ValueError):
    """The front matter is nested too deeply or expands to too many values."""


def _check_shape(front_matter: str) -> None:
    """Go through the front matter's YAML events (libyaml's parser keeps its own stack: no
    recursion) and raise _ShapeError where it nests deeper than MAX_DEPTH or, its aliases
    expanded, holds more than MAX_NODES values; before anything is composed or constructed."""
    open_counts: list[int] = [0]
    anchors: list[str | None] = [None]
    sizes: dict[str, int] = {}
    for event in yaml.parse(front_matter, Loader=_RecordYamlLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            if len(open_counts) > MAX_DEPTH:
                line = _file_line(event.start_mark)
                raise _ShapeError(
                    f"nested more than {MAX_DEPTH} levels deep (at line {line}); "
                    "a record's keys nest 4 levels at most"
                )
            open_counts.append(1)
            anchors.append(event.anchor)
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            size = open_counts.pop()
            anchor = anchors.pop()
            if anchor is not None:
                sizes[anchor] = size
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor or "", 1)
        else:
            continue
        open_counts[-1] += size
        if open_counts[-1] > MAX_NODES:
            raise _ShapeError(
                f"holds more than {MAX_NODES:,} values once its aliases (*name) are expanded; "
                "write the values out instead of repeating anchors"
            )


class _RecordYamlHandler(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        try:
            if _may_be_deep_or_aliased(fm):
                _check_shape(fm)
            loaded = yaml.load(fm, Loader=_RecordYamlLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.reader.ReaderError as error:
            line = fm[: error.position].count("\n") + 1
            raise _ShapeError(
                f"a character YAML does not allow (#x{error.character:04x}, {error.reason}) at "
                f"line {line}; remove it"
            ) from None
        if loaded is not None and not isinstance(loaded, dict):
            kind = "a list" if isinstance(loaded, list) else f"a single value ({_show(loaded)})"
            raise _ShapeError(
                f"found {kind}; expected keys and values (case_number: ..., items: ...)"
            )
        return loaded


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


def _record_files(
    folder: Path, parent: tuple[str, ...] = (), *, report: bool = True
) -> Iterator[tuple[str, ...]]:
    """The path parts (below the content folder) of every record file, in no order: one
    ``scandir`` per folder instead of a ``stat`` per file."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):  # as ``rglob``: no loops through links
                yield from _record_files(Path(entry.path), (*parent, entry.name), report=report)
            elif entry.name.endswith(RECORD_SUFFIX) and entry.is_file():
                yield (*parent, entry.name)
            elif report and (entry.name.endswith(RECORD_SUFFIX) or _folder_link(entry)):
                log.warning("%s: %s", entry.path, _why_skipped(entry))


def _folder_link(entry: os.DirEntry[str]) -> bool:
    return entry.is_symlink() and entry.is_dir()


def _why_skipped(entry: os.DirEntry[str]) -> str:
    """Why a record file, or a folder that might hold some, is not read (said, never silent)."""
    if _folder_link(entry):
        return (
            "a link to a folder, not followed (it could lead in a loop); skipped: move its "
            "records into the content folder, or link each file"
        )
    if entry.is_symlink() and not os.path.exists(entry.path):  # noqa: PTH110 - a DirEntry's path
        return "a link to a file that does not exist; skipped: remove the link or restore the file"
    return "not a regular file; skipped: a record is a Markdown file"


def has_record_files(content_dir: Path) -> bool:
    """Whether ``content_dir`` holds a record file (stops at the first)."""
    return next(_record_files(content_dir, report=False), None) is not None


def require_records(content_dir: Path, *, allow_empty: bool) -> None:
    """A ConfigurationError when the content folder holds no record file (an empty site), unless
    ``allow_empty``."""
    if not allow_empty and not has_record_files(content_dir):
        raise ConfigurationError(
            f"{content_dir}: no record files (*{RECORD_SUFFIX}) in the content folder; add "
            "records, pass --content DIR, or --allow-empty to build a site without any"
        )


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
    post = _post(source, raw)
    if isinstance(post, list):
        return post
    metadata, content = post
    problems: list[RecordProblem] = []
    summary = content.strip()
    if not summary:
        problems.append(
            RecordProblem(
                source, "summary", "the Markdown body is empty; add the clinical case summary"
            )
        )
    try:
        meta = FrontMatter.model_validate(metadata)
    except ValidationError as error:
        problems.extend(_problems_from_validation(source, error))
    if problems:
        return problems
    return Record(source=source, meta=meta, summary=summary)


def _post(source: str, raw: bytes) -> tuple[dict[str, Any], str] | list[RecordProblem]:
    """The file's front matter (a mapping, within the limits) and body, or what is wrong."""
    text_or_problem = _decoded(source, raw)
    if isinstance(text_or_problem, RecordProblem):
        return [text_or_problem]
    try:
        # ``parse``, not ``loads``: loads passes the keys as keyword arguments (a key 'content',
        # or one that is not text, raised TypeError).
        metadata, content = frontmatter.parse(text_or_problem, handler=_RecordYamlHandler())
    except yaml.YAMLError as error:
        return [RecordProblem(source, "front matter", _yaml_message(error))]
    except (_ShapeError, RecursionError) as error:
        message = str(error) if isinstance(error, _ShapeError) else "nested too deeply"
        return [RecordProblem(source, "front matter", message)]
    # Only text holding one, or a YAML escape ("\e"), can give a field a control character.
    may_hold = _CONTROL.search(text_or_problem) or "\\" in text_or_problem
    controls = _control_characters(metadata, content) if may_hold else []
    if controls:
        return [RecordProblem(source, field, _CONTROL_FIX) for field in controls]
    if not metadata:
        return [
            RecordProblem(
                source,
                "front matter",
                "none found; a record starts with a '---' line, its YAML keys, then '---'",
            )
        ]
    return metadata, content


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters (ESC, BEL, ...): never meant in a record's text, never put in a page."""
_CONTROL_FIX = "holds a control character (such as ESC or BEL); remove it"


def _control_characters(metadata: object, summary: str) -> list[str]:
    """The fields (as ``_field_path`` names them) whose text holds a control character. Each
    list or mapping is gone through once, however many aliases repeat it."""
    found = ["summary"] if _CONTROL.search(summary) else []
    seen: set[int] = set()
    pending: list[tuple[object, str]] = [(metadata, "")]
    while pending:
        value, field = pending.pop()
        if isinstance(value, str):
            if _CONTROL.search(value):
                found.append(field or "front matter")
            continue
        if not isinstance(value, dict | list) or id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, dict):
            for key, inner in value.items():
                name = f"{field}.{key}" if field else str(key)
                pending.append((inner, name))
                if isinstance(key, str) and _CONTROL.search(key):
                    found.append(name)
        else:
            pending += [(inner, f"{field}[{place}]") for place, inner in enumerate(value)]
    return sorted(found)


def _decoded(source: str, raw: bytes) -> str | RecordProblem:
    if not raw.strip():
        return RecordProblem(source, "file", "the file is empty; write a record or delete the file")
    if len(raw) > MAX_RECORD_BYTES:
        return RecordProblem(
            source,
            "file",
            f"{len(raw):,} bytes; a record file holds at most {MAX_RECORD_BYTES:,} (split it)",
        )
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
    where = f" at line {_file_line(mark)}, column {mark.column + 1}" if mark is not None else ""
    return f"invalid YAML{where}: {problem}; fix the YAML syntax"


def _file_line(mark: Any) -> int:
    """The line of the record file a mark of its front matter is on: the front matter YAML reads
    starts with the end of the opening '---' line (0-based line 0 of the mark is that line)."""
    return mark.line + 1 if mark is not None else 0


def _problems_from_validation(source: str, error: ValidationError) -> Iterable[RecordProblem]:
    details = error.errors(include_url=False)
    entries_wrong = {
        detail["loc"][:place]
        for detail in details
        for place, part in enumerate(detail["loc"])
        if isinstance(part, int)
    }
    for detail in details:
        if detail["type"] == "too_short" and detail["loc"] in entries_wrong:
            continue  # not empty: its entries are wrong, and said so
        yield RecordProblem(source, _field_path(detail["loc"]), _describe(detail))


def _is_entry(loc: tuple[int | str, ...]) -> bool:
    return bool(loc) and isinstance(loc[-1], int)


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "front matter"


def _describe(detail: ErrorDetails) -> str:  # noqa: PLR0911 - one return per kind of error
    kind, found = detail["type"], detail.get("input")
    if kind == "missing":
        return "missing; add this key"
    if kind in {"model_type", "model_attributes_type", "dict_type"} and found is None:
        known = ", ".join(_known_keys(_model_loc(detail["loc"])))
        return f"empty (null); expected keys: {known}"
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


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 2, 58, 58
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = _SHORT.maxset = 4


def _show(value: Any) -> str:
    """A value as a message shows it: at most 60 characters, made without a full ``repr`` (a
    nested or aliased value's can be gigabytes)."""
    text = _SHORT.repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _model_loc(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """The location of the model a value at ``loc`` should be (an entry: its list's)."""
    return loc[:-1] if _is_entry(loc) else loc


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


_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"
)
"""Hyphens, dashes and minus signs, read as '-'."""


def normalized_case_number(case_number: str) -> str:
    """A case number as it is compared: Unicode NFKC (full-width letters and digits as ASCII),
    every dash as '-', without invisible characters (zero-width spaces and joiners, the byte
    order mark, soft hyphens: Unicode's format characters), surrounding spaces or case."""
    text = unicodedata.normalize("NFKC", case_number).translate(_DASHES)
    visible = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return visible.strip().upper()


def case_key(case_number: str) -> str:
    """Case numbers compare as ``normalized_case_number`` shows them: two records whose case
    numbers differ only by a zero-width space, full-width letters or a kind of dash are one case."""
    return hashlib.sha256(normalized_case_number(case_number).encode("utf-8")).hexdigest()


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
