"""Reading the normalizers' data files: YAML shipped in ``generator/data``, checked by a pydantic model.

Every problem is reported with the file and the key path that holds it
(``guidelines.yaml: guidelines.3.sections.0.slug: ...``) so a data edit fails loudly, never silently.
"""

from __future__ import annotations

import functools
import logging
import re
from importlib import resources
from pathlib import Path
from typing import Annotated, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from generator.exceptions import ConfigurationError
from generator.normalize.text import SLUG

log = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=BaseModel)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it: the same documents, about ten times faster."""


class DataFileError(ConfigurationError):
    """A normalization data file is missing, is not YAML, or does not match its declared format."""


class StrictModel(BaseModel):
    """Base of every data-file model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(
            f"{value!r} is not a slug (lower-case letters and digits joined by hyphens)"
        )
    return value


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as error:
        raise ValueError(f"{value!r} is not a regular expression: {error}") from error
    return value


Slug = Annotated[str, AfterValidator(_slug)]
Text = Annotated[str, Field(min_length=1)]
Pattern = Annotated[str, Field(min_length=1), AfterValidator(_regex)]
"""A regular expression of a data file, checked as the file is read (so a bad one is a
``DataFileError`` naming its key)."""


@functools.cache
def data_file(name: str) -> Path:
    """The path of a data file shipped with the package (``generator/data/<name>``); asked for
    once per card by some stages, so it is looked up once."""
    return Path(str(resources.files("generator").joinpath("data", name)))


def load_data(path: Path, model: type[ModelT]) -> ModelT:
    """Parse ``path`` as YAML and validate it against ``model``; raise ``DataFileError`` naming the key."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
    except OSError as error:
        raise DataFileError(f"{path}: cannot be read: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise DataFileError(f"{path}: not valid YAML: {error}") from error
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise DataFileError(_describe(path, error)) from error


def _describe(path: Path, error: ValidationError) -> str:
    lines = []
    for detail in error.errors(include_url=False):
        where = ".".join(str(part) for part in detail["loc"]) or "(top level)"
        lines.append(f"{path.name}: {where}: {detail['msg']}")
    return "\n".join(lines)
