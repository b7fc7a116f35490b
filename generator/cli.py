"""The `imr-site` command line: the only place that turns errors into messages and exit codes."""

from __future__ import annotations

import errno
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.structure.files import get_files

from generator.audit import audit_site, known_identifiers
from generator.exceptions import ConfigurationError, FileSystemError, ImrSiteError, LeakError
from generator.ownership import remove_own_scratch, require_writable_folder
from generator.pipeline import SPARE_FOLDERS
from generator.plugin import ImrPlugin, hand_written_pages
from generator.publish import staged_site
from generator.records import load_records, require_content_dir, require_records
from generator.settings import CONTENT_ENV, Settings

log = logging.getLogger(__name__)

EXIT_USAGE = 64
"""Exit code of a command-line usage error (EX_USAGE); click's own 2 is the leak audit's."""
EXIT_INTERRUPTED = 130

config_option = click.option(
    "-f",
    "--config-file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The site's MkDocs configuration.",
)
allow_empty_option = click.option(
    "--allow-empty",
    is_flag=True,
    help="Accept a content folder without any record file (an empty site).",
)
content_option = click.option(
    "--content",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of record files (default: the plugin's `content`, content/determinations).",
)


class _Commands(click.Group):
    """The command group, with the documented exit codes: a usage error is 64 (EX_USAGE), not
    click's 2 (the leak audit's), and an interruption 130 with one line."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        signal.signal(signal.SIGTERM, _terminated)
        try:
            return super().main(*args, **kwargs)
        except KeyboardInterrupt:
            _interrupted()

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _usage_exit_code():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with _usage_exit_code():
            return super().invoke(ctx)


@contextmanager
def _usage_exit_code() -> Iterator[None]:
    try:
        yield
    except _UsageError:
        raise
    except click.UsageError as error:
        raise _UsageError(error.format_message(), error.ctx) from None


class _UsageError(click.UsageError):
    exit_code = EXIT_USAGE


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM ends a build as Ctrl-C does: its folders are removed, its children stopped."""
    raise KeyboardInterrupt


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Also show MkDocs' own progress messages.")
@click.option("-q", "--quiet", is_flag=True, help="Only show warnings and errors.")
def cli(verbose: bool, quiet: bool) -> None:
    """Turn IMR determination records into an anonymized static site of precedents."""
    _configure_logging(verbose=verbose, quiet=quiet)


@cli.command()
@config_option
@content_option
@allow_empty_option
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the site (default: mkdocs.yml's site_dir, site/).",
)
@click.option("--site-url", default=None, help="The URL the site will be served from.")
@click.option("-s", "--strict", is_flag=True, help="Fail on MkDocs warnings too.")
@click.option(
    "--keep-going", is_flag=True, help="Publish the valid records and list the invalid ones."
)
@click.option("--no-cache", is_flag=True, help="Build everything afresh, ignoring the build cache.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the unresolved citations and unclassified treatments to this JSON file.",
)
def build(
    config_file: Path,
    content: Path | None,
    allow_empty: bool,
    site_dir: Path | None,
    site_url: str | None,
    strict: bool,
    keep_going: bool,
    no_cache: bool,
    report: Path | None,
) -> None:
    """Build the site from the records."""
    started = time.perf_counter()
    with _reported_errors():
        configured, protected = _site_folders(config_file, content, allow_empty=allow_empty)
        target = site_dir or configured
        withhold: frozenset[str] = frozenset()
        while True:  # once more, without them, if the audit names determinations to withhold
            try:
                with staged_site(target, protected) as staging:
                    config = _load_site_config(
                        config_file, content, site_dir=staging.path, site_url=site_url,
                        strict=strict, keep_going=keep_going, no_cache=no_cache,
                    )  # fmt: skip
                    plugin = _plugin(config)
                    plugin.withhold_ids = withhold
                    staging.keep_spare = _settings(config).cache_dir is not None
                    staging.spare_folders = SPARE_FOLDERS
                    plugin.spare_site = staging.spare
                    mkdocs_build(config)
                break
            except LeakError as error:
                if withhold or not error.withholdable:
                    raise
                withhold = error.withholdable
                for finding in error.findings:
                    log.warning("%s", finding)
                log.warning("Leak audit: building again without %d determination(s)", len(withhold))
        summary = _plugin(config).summary
        assert summary is not None  # on_pre_build ran or the build raised
        for problem in summary.rejected:
            log.warning("%s", problem)
        for withheld in summary.withheld:
            log.warning("%s", withheld)
        if summary.withheld:
            log.warning("What the leak audit found, where (private): %s", summary.leak_report)
        log.info("%s", summary.report.summary)
        if report is not None:
            summary.report.write(report)
        log.info(
            "Read %d records, wrote %d determination pages, withheld %d, rejected %d records "
            "in %.1f s. Site: %s",
            summary.records_read,
            summary.determinations,
            len(summary.withheld),
            len(summary.rejected_files),
            time.perf_counter() - started,
            site_dir or target,
        )
    _exit_without_teardown(EXIT_WITHHELD if summary.withheld else 0)


EXIT_WITHHELD = 3
"""The site was published, but the leak audit withheld some determinations."""


def _exit_without_teardown(code: int = 0) -> NoReturn:
    """End the process now: everything is written and flushed, and freeing every card, group and
    posting one object at a time at exit took seconds at 20,000 records for nothing."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


@cli.command()
@config_option
@content_option
@allow_empty_option
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Built site to audit for leaks (default: mkdocs.yml's site_dir, when it exists).",
)
def check(
    config_file: Path, content: Path | None, allow_empty: bool, site_dir: Path | None
) -> None:
    """Validate the records, and audit the built site for leaks if there is one."""
    with _reported_errors():
        config = _load_site_config(config_file, content, allow_empty=allow_empty)
        settings = _settings(config)
        records = load_records(settings.content_dir)
        log.info("%d records valid in %s.", len(records), settings.content_dir)
        site = site_dir or Path(config.site_dir)
        if site.is_dir():
            shown = settings.show_case_numbers
            identifiers = known_identifiers(
                records, settings.id_secret, published_case_numbers=shown
            )
            pages = hand_written_pages(get_files(config))
            findings = audit_site(site, identifiers, hand_written=pages)
            if findings:
                raise LeakError(findings)
            log.log(
                logging.INFO if site_dir else logging.DEBUG, "Leak audit of %s: 0 findings.", site
            )


@cli.command()
@config_option
@content_option
@allow_empty_option
@click.option(
    "-a",
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    help="Address to serve the preview on.",
)
def serve(config_file: Path, content: Path | None, allow_empty: bool, dev_addr: str) -> None:
    """Preview the site, rebuilding when a record or template changes."""
    with _reported_errors():
        _load_site_config(config_file, content, allow_empty=allow_empty)  # fail early
        if content is not None:
            os.environ[CONTENT_ENV] = str(content.resolve())
        from mkdocs.commands.serve import serve as mkdocs_serve  # noqa: PLC0415 - 0.1 s of imports

        mkdocs_serve(str(config_file), dev_addr=dev_addr, livereload=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write one record per letter into.",
)
def ingest(paths: tuple[Path, ...], out: Path) -> None:
    """Read determination letters (.txt or .pdf, or folders of them) into records."""
    from generator.ingest import ingest_paths  # noqa: PLC0415 - keeps PDF libraries off other commands

    started = time.perf_counter()
    with _reported_errors():
        report = ingest_paths(list(paths), out)
        for failure in report.failures:
            log.error("%s: %s", failure.letter, failure.reason)
        log.info(
            "Read %d letters, wrote %d records, %d letters failed in %.1f s. Records: %s",
            report.letters_read,
            len(report.records_written),
            len(report.failures),
            time.perf_counter() - started,
            out,
        )
        if report.failures:
            sys.exit(1)


@cli.command("export-docs")
@config_option
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="The built (and audited) site to export.",
)
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
def export_docs_command(config_file: Path, site_dir: Path, out: Path) -> None:
    """Export the built site as a docs folder and configuration that Zensical builds."""
    from generator.zensical import export_docs  # noqa: PLC0415 - only this command needs it

    with _reported_errors():
        export_docs(site_dir, config_file, out)


def _load_site_config(
    config_file: Path,
    content: Path | None,
    *,
    keep_going: bool = False,
    no_cache: bool = False,
    allow_empty: bool = True,
    **overrides: Any,
) -> MkDocsConfig:
    if not config_file.is_file():
        raise ConfigurationError(
            f"{config_file}: no such file; run from the site's folder or pass -f"
        )
    given = {
        key: (str(value) if isinstance(value, Path) else value)
        for key, value in overrides.items()
        if value is not None
    }
    config = load_config(str(config_file), **given)
    plugin = _plugin(config)
    plugin.errors_as_build_errors = False
    if content is not None:
        plugin.config.content = str(content.resolve())
    plugin.config.keep_going = keep_going or plugin.config.keep_going
    if no_cache:
        plugin.config.cache_dir = ""
    plugin.on_config(config)  # resolves the plugin's settings (paths) for every command
    require_content_dir(_settings(config).content_dir)
    require_records(_settings(config).content_dir, allow_empty=allow_empty)
    return config


def _site_folders(
    config_file: Path, content: Path | None, *, allow_empty: bool
) -> tuple[Path, list[tuple[str, Path]]]:
    """mkdocs.yml's site_dir, and the folders a site folder must never be, hold or lie in (and
    the content folder checked: it exists, and holds records unless ``allow_empty``)."""
    config = _load_site_config(config_file, content, allow_empty=allow_empty)
    settings = _settings(config)
    protected = [
        ("the project folder", config_file.resolve().parent),
        ("the content folder", settings.content_dir),
        ("docs_dir", Path(config.docs_dir)),
        ("the templates folder", settings.templates_dir),
    ]
    if settings.cache_dir is not None:
        protected.append(("the build cache", settings.cache_dir))
        require_writable_folder(settings.cache_dir, "build cache")
    if config.theme.custom_dir:
        protected.append(("the theme's custom_dir", Path(config.theme.custom_dir)))
    return Path(config.site_dir), protected


def _settings(config: MkDocsConfig) -> Settings:
    """The imr plugin's settings (resolved by ``_load_site_config``)."""
    settings = _plugin(config).settings
    assert settings is not None
    return settings


def _plugin(config: MkDocsConfig) -> ImrPlugin:
    for plugin in config.plugins.values():
        if isinstance(plugin, ImrPlugin):
            return plugin
    raise ConfigurationError(f"{config.config_file_path}: add `- imr` under `plugins:`")


@contextmanager
def _reported_errors() -> Iterator[None]:
    """Turn a user's mistake into its message and exit code; never a traceback."""
    try:
        yield
    except ImrSiteError as error:
        _fail(error)
    except (Abort, MkDocsException) as error:
        cause = _imr_cause(error)
        if cause is not None:
            _fail(cause)
        log.error("%s", error)
        sys.exit(1)
    except KeyboardInterrupt:
        _interrupted()
    except OSError as error:
        _fail(_file_system_error(error))
    finally:
        remove_own_scratch()


def _imr_cause(error: BaseException) -> ImrSiteError | None:
    """The tool's own error behind one MkDocs reports (a plugin's error, an aborted build)."""
    seen = error.__cause__ or error.__context__
    while seen is not None and not isinstance(seen, ImrSiteError):
        seen = seen.__cause__ or seen.__context__
    return seen


def _interrupted() -> NoReturn:
    remove_own_scratch()
    log.error("Interrupted: nothing was published (the site already published is unchanged).")
    sys.exit(EXIT_INTERRUPTED)


_OS_ERROR_FIXES = {
    errno.ENOSPC: "free some space (or use --no-cache) and build again",
    errno.EDQUOT: "free some space (or use --no-cache) and build again",
    errno.EACCES: "check the folder's permissions",
    errno.EPERM: "check the folder's permissions",
    errno.EROFS: "choose a folder on a writable file system",
    errno.ENOTDIR: "a file stands where a folder is needed: remove or rename it",
    errno.EISDIR: "a folder stands where a file is needed: remove or rename it",
    errno.EEXIST: "a file stands where a folder is needed: remove or rename it",
}


def _file_system_error(error: OSError) -> FileSystemError:
    """An OSError as one message naming the path, what went wrong and the fix (exit code 4)."""
    # A copy, link or rename names both files: a full or read-only disk is the second's.
    written = error.errno in {errno.ENOSPC, errno.EDQUOT, errno.EROFS} and error.filename2
    where = error.filename2 if written else error.filename
    reason = error.strerror or str(error)
    fix = _OS_ERROR_FIXES.get(error.errno or 0, "fix the file or folder and build again")
    return FileSystemError(f"{where}: {reason}; {fix}" if where else f"{reason}; {fix}")


def _fail(error: ImrSiteError) -> None:
    for line in str(error).splitlines():
        log.error("%s", line)
    sys.exit(error.exit_code)


def _configure_logging(*, verbose: bool, quiet: bool) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(_LevelPrefixFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING if quiet else logging.INFO)
    logging.getLogger("mkdocs").setLevel(logging.INFO if verbose else logging.WARNING)
    logging.getLogger("generator").setLevel(logging.DEBUG if verbose else logging.NOTSET)


class _LevelPrefixFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        return message if record.levelno == logging.INFO else f"{record.levelname}: {message}"


main: Callable[..., Any] = cli
