"""The IG report: every register's figures for a period, stored, trended and printed."""
