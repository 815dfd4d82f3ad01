"""The Caldicott Guardian decision log: requests, assessment, signed decisions."""
