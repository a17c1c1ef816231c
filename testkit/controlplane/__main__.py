"""``python -m testkit.controlplane`` (what ``scripts/cluster`` runs)."""

import sys

from testkit.controlplane.cli import main

sys.exit(main())
