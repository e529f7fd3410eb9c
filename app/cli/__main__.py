"""`python -m app.cli`: the `switchboard` command."""

import sys

from app.cli import main

sys.exit(main())
