"""Allow ``python -m interview_sim``."""

from interview_sim.cli.main import main

raise SystemExit(main())
