"""The ``newsforge`` command: parses arguments and calls the library, nothing more."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from newsforge import __version__
from newsforge.config import Config, load_config, replace
from newsforge.errors import NewsforgeError, format_error

# Like ``make -k``: the site was published, but some content files were left out.
EXIT_LEFT_OUT = 3


def run() -> NoReturn:
    """The ``newsforge`` command: ``main``, then the process ends at once. A build leaves
    millions of records that the interpreter would otherwise free one by one on the way
    out (a tenth of a second to half a second at 10k articles); every file is closed and
    every worker has stopped by then, so there is nothing else to finish."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code.

    0: done; 1: failed (for ``build``: nothing published, the previous output untouched);
    2: wrong usage; 3: ``build`` published the site but left out some content files.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return int(args.run(args))
    except NewsforgeError as error:
        print(f"newsforge: {format_error(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsforge: interrupted", file=sys.stderr)
        return 130
    except OSError as error:  # the machine refused (a full disk, a missing permission)
        where = f" ({error.filename})" if error.filename else ""
        print(f"newsforge: {error.strerror or error}{where}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsforge", description="Build a multilingual static website from a news archive.")
    parser.add_argument("--version", action="version", version=f"newsforge {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into build/")
    _site_options(build)
    build.add_argument("--out", type=Path, help="output folder (default: build/ at the site root)")
    build.add_argument("--strict", action="store_true", help="fail the build on warnings too")
    build.add_argument("--base-url", help="override base_url (e.g. https://example.org/archive/)")
    build.add_argument("--no-search", action="store_true",
                       help="skip the full-text search index (Pagefind)")
    build.add_argument("--executor", default="processes", metavar="processes|dask[=ADDRESS]",
                       help="where loading and tagging run: local processes (default) or a "
                       "Dask cluster (a local one, or the scheduler at ADDRESS)")
    verbosity = build.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="print every stage")
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="build, serve locally and rebuild on changes")
    _site_options(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--watch", action="store_true", help="rebuild and reload on every change")
    serve.add_argument("--out", type=Path, help="output folder (default: build/)")
    serve.set_defaults(run=_serve)

    inspect = commands.add_parser("inspect", help="show what newsforge understood of articles")
    _site_options(inspect)
    inspect.add_argument("paths", nargs="*", type=Path,
                         help="files or folders (default: the content folder)")
    inspect.add_argument("--json", action="store_true", help="machine-readable output")
    inspect.set_defaults(run=_inspect)

    entities = commands.add_parser("entities", help="list the resolved entities for review")
    _site_options(entities)
    entities.add_argument("--json", action="store_true", help="machine-readable output")
    entities.add_argument("--type", choices=["person", "party", "organisation", "event"],
                          help="only entities of this type")
    entities.set_defaults(run=_entities)

    init = commands.add_parser("init", help="create a new site that builds at once")
    init.add_argument("directory", type=Path)
    init.set_defaults(run=_init)
    return parser


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path,
                        help="site configuration file (default: ./newsforge.yaml if present)")
    parser.add_argument("--drafts", action="store_true",
                        help="include drafts (front matter draft: true), left out by default")


def _config(args: argparse.Namespace) -> Config:
    config = load_config(args.config)
    if getattr(args, "out", None) is not None:
        config = replace(config, output=args.out.resolve())
    if getattr(args, "base_url", None):
        config = replace(config, base_url=args.base_url)
    if getattr(args, "drafts", False):
        config = replace(config, drafts=True)
    if getattr(args, "no_search", False):
        config = replace(config, search=False)
    return config


def _stop_cleanly_on_sigterm() -> None:
    """SIGTERM (a service manager, ``kill``) unwinds like Ctrl-C: the temporary output
    tree is removed and the previous output stays whole."""
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def _build(args: argparse.Namespace) -> int:
    from newsforge.report import console_reporter
    from newsforge.uptodate import check, replay
    from newsforge.workers import parse_executor

    try:
        executor = parse_executor(args.executor)
    except ValueError as error:
        print(f"newsforge: {error}", file=sys.stderr)
        return 2
    _stop_cleanly_on_sigterm()
    reporter = console_reporter(quiet=args.quiet, verbose=args.verbose)
    config = _config(args)
    checked = check(config, args.strict)
    result = replay(checked, reporter)
    if result is None:  # there is work: only now load the pipeline
        from newsforge.build import build_site

        result = build_site(config, reporter=reporter, strict=args.strict,
                            executor=executor, checked=checked)
    if not result.ok:
        return 1
    return EXIT_LEFT_OUT if result.left_out else 0


def _serve(args: argparse.Namespace) -> int:
    from newsforge.server import serve

    return serve(_config(args), host=args.host, port=args.port, watch=args.watch)


def _inspect(args: argparse.Namespace) -> int:
    from newsforge.inspect import inspect_paths

    config = _config(args)
    paths = tuple(p.resolve() for p in args.paths) or (config.content,)
    output, problems = inspect_paths(config, paths, as_json=args.json)
    sys.stdout.write(output)
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    return 0


def _entities(args: argparse.Namespace) -> int:
    from newsforge.inspect import list_entities

    sys.stdout.write(list_entities(_config(args), as_json=args.json, only_type=args.type))
    return 0


def _init(args: argparse.Namespace) -> int:
    from newsforge.scaffold import init_site

    created = init_site(args.directory)
    print(f"created a new site in {created}; run 'newsforge build' there")
    return 0
