"""Training: courses, completions, imports and compliance."""
