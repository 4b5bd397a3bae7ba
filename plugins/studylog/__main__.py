from __future__ import annotations

import sys

from studylog.cli import main

sys.exit(main())
