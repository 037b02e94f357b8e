"""``python -m bridge``: the ``bridge`` command."""

import sys

from .cli import main

sys.exit(main())
