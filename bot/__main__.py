"""`python -m bot` is the same program as the `aiwatch` console script."""

from bot.cli import main

raise SystemExit(main())
