"""Every error the tool raises for a user's mistake. Only the CLI turns these into messages and exit codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


class ImrSiteError(Exception):
    """A problem the user can fix; reported without a traceback."""

    exit_code = 1


class ConfigurationError(ImrSiteError):
    """The command line or mkdocs.yml asks for something impossible."""


class UnsafeOutputError(ConfigurationError):
    """A build or an export was asked to write into a folder that is not its own: the project,
    the records, hand-written pages, or a folder of someone's files. Nothing was touched."""


class WorkerDiedError(ImrSiteError):
    """A worker process died (killed, out of memory, a crash) while working on the job named."""


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
        self.records_checked = records_checked
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[InvalidRecordsError], tuple[list[RecordProblem], int]]:
        """Pickled by its arguments (the records stage runs in a child process)."""
        return (type(self), (self.problems, self.records_checked))

    def __str__(self) -> str:
        lines = [str(problem) for problem in self.problems]
        count = len({problem.file for problem in self.problems})
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
    found: str = field(default="", compare=False, repr=False)
    """The text found, for the private report only (``audit.write_leak_report``)."""

    def __str__(self) -> str:
        return f"{page_description(self.output_file)}: {self.kind} of {self.determination}"


def page_description(output_file: str) -> str:
    """How a message names an output file: its path, unless the path is made of a record's text
    (a group page's slug: a specialty written with a name in it), then the kind of page ("a page
    of specialties/")."""
    from generator.groups import GROUP_FOLDERS  # noqa: PLC0415 - groups imports the records' modules

    folder, _, rest = output_file.partition("/")
    if folder in GROUP_FOLDERS and rest not in {"", "index.html"}:
        return f"a page of {folder}/"
    return output_file


class LeakError(ImrSiteError):
    """The leak audit found identifying text and the site was not published: in strict mode, or
    a finding no determination can be withheld for."""

    exit_code = 2

    def __init__(self, findings: Sequence[LeakFinding], report: str = "") -> None:
        self.findings = sorted(findings)
        self.report = report
        """Where the private report (with the text found) was written, if anywhere."""
        self.withholdable: frozenset[str] = frozenset()
        """Determinations a build without them would not have these findings for (empty: none
        can be withheld for some finding, or strict mode)."""
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[LeakError], tuple[list[LeakFinding], str]]:
        return (type(self), (self.findings, self.report))

    def __str__(self) -> str:
        lines = [str(finding) for finding in self.findings]
        lines.append(
            f"Leak audit failed with {len(self.findings)} finding(s); the site is not safe to publish."
        )
        if self.report:
            lines.append(f"What was found where (private, not in the site): {self.report}")
        return "\n".join(lines)


@dataclass(frozen=True, order=True)
class WithheldRecord:
    """A determination the leak audit withheld from the site: its record file, its public id and
    the kinds of identifying text found in what it would publish (never the text)."""

    file: str
    determination: str
    kinds: tuple[str, ...]
    found: tuple[str, ...] = field(default=(), compare=False, repr=False)
    """The text found, for the private report only (``audit.write_leak_report``)."""

    def __str__(self) -> str:
        return f"{self.file}: determination {self.determination} withheld ({', '.join(self.kinds)})"


class WithheldError(LeakError):
    """Strict mode (all or nothing): determinations would be withheld, so nothing is published."""

    def __init__(self, withheld: Sequence[WithheldRecord], report: str = "") -> None:
        self.withheld = sorted(withheld)
        super().__init__([], report)

    def __reduce__(self) -> tuple[type[LeakError], tuple[list[WithheldRecord], str]]:  # type: ignore[override]
        return (type(self), (self.withheld, self.report))

    def __str__(self) -> str:
        lines = [str(record) for record in self.withheld]
        lines.append(
            f"Leak audit: {len(self.withheld)} determination(s) hold identifying text; strict "
            "mode publishes all or nothing, so the site was not published."
        )
        if self.report:
            lines.append(f"What was found where (private, not in the site): {self.report}")
        return "\n".join(lines)
