"""``python -m simulator`` is the ``cyclesim`` command."""

import sys

from simulator.cli import main

sys.exit(main())
