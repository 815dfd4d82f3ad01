"""Partner organisations, data-sharing agreements and the "may we share?" check."""
