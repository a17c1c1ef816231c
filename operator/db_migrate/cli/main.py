"""``db-migrate``: one argument tree (cli/parser.py), one error handler, one dispatch.

Exit codes: 0 success (warnings allowed), 1 a migration or seed failed (``lint`` and
``verify-idempotency``: findings), 2 invalid input, 3 database unreachable or lock not obtained
in time.  With several databases the highest code wins.

Each command's module is imported only when it runs, so ``--help``, a bad flag or ``new`` never
load psycopg, and no path but ``lint``/``verify-idempotency``/a dry run loads pglast.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO, cast

from db_migrate.cli.parser import RUN_COMMANDS, build_parser, reported_seed_mode
from db_migrate.engine.errors import EXIT_FAILED, DbMigrateError
from db_migrate.engine.scrub import Scrubber


def _command(args: argparse.Namespace) -> Callable[[], int]:
    if args.command in RUN_COMMANDS:
        from db_migrate.cli import apply_cmd

        return lambda: apply_cmd.run(args)
    if args.command == "lint":
        from db_migrate.cli import lint_cmd

        return lambda: lint_cmd.lint_main(args)
    if args.command == "verify-idempotency":
        from db_migrate.cli import verify_cmd

        return lambda: verify_cmd.verify_main(args)
    from db_migrate.cli import new_cmd

    return lambda: new_cmd.new_main(args)


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kubectl delete`` of a Job's Pod, ``docker stop``), handled like Ctrl-C: the
    running statement is cancelled on the server too (engine/wire.py), then exit 143."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


def _on_sigterm() -> None:
    # Only over the default action: as PID 1 in a container the default is to ignore SIGTERM
    # (the Pod would wait out its grace period), and a caller that ignores it on purpose wins.
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _raise_terminated)


def main(argv: Sequence[str] | None = None) -> int:
    _on_sigterm()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is not None and argv[0] != args.command:
        # argparse would let the subcommand's defaults silently replace options given before it.
        before = " ".join(argv[: argv.index(args.command)])
        parser.error(f"options go after the subcommand: db-migrate {args.command} {before} ...")
    prog = "db-migrate" if args.command in RUN_COMMANDS else f"db-migrate {args.command}"

    def as_json(message: str, code: int) -> None:
        # Each command's namespace holds its own flags only: `new` has no --json.
        if args.command in RUN_COMMANDS and args.json:
            from db_migrate.cli import jsonout

            sys.stdout.write(jsonout.document("error", reported_seed_mode(args), [], code,
                                              message) + "\n")
    streams = sys.stdout, sys.stderr
    _scrub_output(getattr(args, "url", None))
    try:
        return guarded(_command(args), prog=prog, url=getattr(args, "url", None),
                       verbose=args.verbose, on_error=as_json)
    finally:
        sys.stdout, sys.stderr = streams


def _secrets(url: str | None) -> list[str]:
    """The secret parts of every URL the command may use (connection.secrets_of)."""
    from db_migrate.engine.connection import secrets_of

    urls = [url] if url else []
    urls += [v for k, v in os.environ.items() if k.startswith("DB_MIGRATE_URL_")]
    return [part for u in urls for part in secrets_of(u)]


class _Scrubbed:
    """sys.stdout or sys.stderr, every write through the command's scrubber: whatever prints
    (a table, --json, a progress line, a warning), no run of 4 or more characters of a secret
    leaves the process (engine/scrub.py)."""

    def __init__(self, stream: TextIO, scrubber: Scrubber) -> None:
        self._stream = stream
        self._scrubber = scrubber

    def write(self, text: str) -> int:
        self._stream.write(self._scrubber(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _scrub_output(url: str | None) -> None:
    scrubber = Scrubber(_secrets(url))
    if scrubber:
        sys.stdout = cast(TextIO, _Scrubbed(sys.stdout, scrubber))
        sys.stderr = cast(TextIO, _Scrubbed(sys.stderr, scrubber))


def guarded(call: Callable[[], int], *, prog: str, url: str | None, verbose: bool,
            on_error: Callable[[str, int], None] | None = None) -> int:
    """The one error handler of every command: an expected error is one line and its exit code
    (README, exit codes), a bug one line too (the traceback only with --verbose); never a
    password."""
    try:
        return call()
    except DbMigrateError as exc:
        message, code = str(exc), exc.exit_code
    except Terminated:
        sys.stderr.write(f"{prog}: terminated (SIGTERM)\n")
        return 143
    except KeyboardInterrupt:
        sys.stderr.write(f"{prog}: interrupted\n")
        return 130
    except Exception as exc:
        if verbose:
            import traceback

            traceback.print_exc()
        message, code = f"internal error: {type(exc).__name__}: {exc}", EXIT_FAILED
    # Here, not at the top: only an error pays for this import (it loads psycopg).
    from db_migrate.engine.connection import redact

    message = redact(message, _secrets(url))
    if on_error is not None:
        on_error(message, code)
    sys.stderr.write(f"{prog}: error: {message}\n")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
