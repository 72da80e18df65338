"""Tests for the Blue Current integration, its API client and its cloud simulator."""
