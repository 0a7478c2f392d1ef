"""Settings for the whole suite: Hypothesis profiles.

The property tests take their example counts from a profile, so the default
run stays fast and a thorough hunt is one option away:

    pytest                                   # profile "fast" (the default)
    pytest --hypothesis-profile=thorough     # or HYPOTHESIS_PROFILE=thorough pytest

"thorough" runs 20 times as many examples; use it before a release or
after touching the YAML reader, the loader or the store's copy code.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("fast", max_examples=25, **_COMMON)
settings.register_profile("thorough", max_examples=500, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))
