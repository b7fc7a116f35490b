"""Writer: a parsed letter to a record file, YAML front matter in schema order plus the summary, written whole.

The same letter always gives the same bytes. A record is written to a temporary file beside its
destination and moved into place, so a reader never sees half a record.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from generator.ingest.letter import ParsedLetter
from generator.records import RECORD_SUFFIX

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter when PyYAML has it (ten times faster), else the pure-Python one."""
_YAML_WIDTH = 1_000_000
"""Wide enough that no value is folded over lines."""


def render_record(letter: ParsedLetter) -> str:
    """The record file's text: ``---``, the front matter, ``---``, a blank line, the summary."""
    data: dict[str, Any] = {
        "format": letter.meta.format,
        **letter.meta.model_dump(mode="json", exclude_defaults=True),
    }
    front = yaml.dump(
        data,
        Dumper=_DUMPER,
        sort_keys=False,
        allow_unicode=True,
        width=_YAML_WIDTH,
        default_flow_style=False,
    )
    return f"---\n{front}---\n\n{letter.summary.strip()}\n"


def write_record(letter: ParsedLetter, out_dir: Path, stem: str) -> Path:
    """Write ``out_dir/<stem>.md`` whole or not at all; return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{stem}{RECORD_SUFFIX}"
    handle, temporary = tempfile.mkstemp(dir=out_dir, prefix=f".{stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(render_record(letter))
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
