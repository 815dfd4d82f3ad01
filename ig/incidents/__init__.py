"""The breach and incident register."""
