"""The breach and incident register."""

# The register declares the 72-hour clocks' partial indexes from the same clauses its
# queries use, so it is loaded whenever the models are (for the migrations' comparison).
from ig.incidents import register as _register  # noqa: F401
