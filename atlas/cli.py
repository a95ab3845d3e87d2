"""The `atlas` command: build and check. The only module that prints and exits.

    atlas build [--content DIR] [--output DIR] [--base-url URL] [--drafts]
    atlas check [--content DIR] [--format text|json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import AtlasError, ContentError
from .pipeline import Config, build, check


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", default="content", help="content folder (default: content)")
    parser.add_argument("--base-url", default=None,
                        help="public address of the site, e.g. https://example.org/atlas/ (overrides atlas.yaml)")
    parser.add_argument("--drafts", action="store_true", help="include entries marked draft: true")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="atlas", description="Build the City Diplomacy Atlas.")
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="build the site into the output folder")
    _common(build_parser)
    build_parser.add_argument("--output", default="output", help="output folder (default: output)")
    check_parser = commands.add_parser("check", help="check the content without writing anything")
    _common(check_parser)
    check_parser.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    config = Config(content_dir=Path(args.content), output_dir=Path(getattr(args, "output", "output")),
                    base_url=args.base_url, drafts=args.drafts)
    if args.command == "check":
        return _check(config, args.format)
    try:
        report = build(config)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"build failed: {_plural(len(exc.problems), 'error')};"
              f" {config.output_dir} was left as it was", file=sys.stderr)
        return 1
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # disk full, permissions: the writer has already cleaned up
        print(f"error: could not write the site: {exc}; {config.output_dir} was left as it was", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    print(report.summary())
    return 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _check(config: Config, output_format: str) -> int:
    errors, _ = check(config)
    problems = sorted(errors.problems)
    if output_format == "json":
        print(json.dumps({"problems": [p.as_dict() for p in problems],
                          "errors": len(errors.errors), "warnings": len(errors.warnings)}, indent=2))
    else:
        for problem in problems:
            print(problem)
        print(f"{_plural(len(errors.errors), 'error')}, {_plural(len(errors.warnings), 'warning')}")
    return 1 if errors.errors else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
