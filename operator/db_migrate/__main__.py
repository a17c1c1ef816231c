"""``python -m db_migrate`` is the same as the ``db-migrate`` command."""

from db_migrate.cli.main import main

raise SystemExit(main())
