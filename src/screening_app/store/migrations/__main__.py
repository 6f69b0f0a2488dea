"""Developer entry point for Alembic commands without an ``alembic.ini``.

    SCREENING_APP_DB=sqlite:////tmp/dev.db python -m screening_app.store.migrations \
        revision --autogenerate -m "what changed"

Runtime upgrades never come through here: the app runs them from ``schema.ensure_schema``.
"""

from __future__ import annotations

import sys

from alembic.config import CommandLine, Config

from screening_app.store.database import resolve_database_url
from screening_app.store.schema import SCRIPT_LOCATION


def main(argv: list[str] | None = None) -> None:
    cli = CommandLine(prog="python -m screening_app.store.migrations")
    options = cli.parser.parse_args(argv)
    if not hasattr(options, "cmd"):
        cli.parser.error("too few arguments")
    config = Config(cmd_opts=options)
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("sqlalchemy.url", resolve_database_url().replace("%", "%%"))
    cli.run_cmd(config, options)


if __name__ == "__main__":
    main(sys.argv[1:])
