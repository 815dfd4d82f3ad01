"""Organisations, teams and staff: who is who, shared by every register."""
