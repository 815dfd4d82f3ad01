"""The home page of each person's own tasks, and the health check."""
