"""``python -m simulator`` is the ``cyclesim`` command."""

import sys

from .cli import main

sys.exit(main())
