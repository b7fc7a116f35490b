"""Every error the tool raises for a user's mistake. Only the CLI turns these into messages and exit codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class ImrSiteError(Exception):
    """A problem the user can fix; reported without a traceback."""

    exit_code = 1


class ConfigurationError(ImrSiteError):
    """The command line or mkdocs.yml asks for something impossible."""


class UnsafeOutputError(ConfigurationError):
    """A build or an export was asked to write into a folder that is not its own: the project,
    the records, hand-written pages, or a folder of someone's files. Nothing was touched."""


class FileSystemError(ImrSiteError):
    """Reading or writing failed for a reason outside the records: a full disk, a permission, a
    path that is a file where a folder is needed, a damaged cache that could not be discarded."""

    exit_code = 4


@dataclass(frozen=True, order=True)
class RecordProblem:
    """One thing wrong with one record file: where, which field, what was found and what is expected."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class InvalidRecordsError(ImrSiteError):
    """One or more record files failed validation; carries every problem found in the run."""

    def __init__(self, problems: Sequence[RecordProblem], records_checked: int) -> None:
        self.problems = sorted(problems)
        self.invalid_files = sorted({p.file for p in self.problems})
        self.records_checked = records_checked
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[InvalidRecordsError], tuple[list[RecordProblem], int]]:
        """Pickled by its arguments (the records stage runs in a child process)."""
        return (type(self), (self.problems, self.records_checked))

    def __str__(self) -> str:
        lines = [str(problem) for problem in self.problems]
        count = len(self.invalid_files)
        lines.append(
            f"Aborted with {count} invalid record{'s' if count != 1 else ''} "
            f"(of {self.records_checked} read)."
        )
        return "\n".join(lines)


@dataclass(frozen=True, order=True)
class LeakFinding:
    """An identifier found in a published file. Names the page and the kind, never the identifier."""

    output_file: str
    determination: str
    kind: str

    def __str__(self) -> str:
        return f"{self.output_file}: {self.kind} of {self.determination}"


class LeakError(ImrSiteError):
    """The leak audit found identifying text in the built site."""

    exit_code = 2

    def __init__(self, findings: Sequence[LeakFinding]) -> None:
        self.findings = sorted(findings)
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[LeakError], tuple[list[LeakFinding]]]:
        return (type(self), (self.findings,))

    def __str__(self) -> str:
        lines = [str(finding) for finding in self.findings]
        lines.append(
            f"Leak audit failed with {len(self.findings)} finding(s); the site is not safe to publish."
        )
        return "\n".join(lines)
