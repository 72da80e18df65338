"""Reliability tests: soak, hostile input, secrets and bad input."""
