"""Tests of the side-by-side benchmark (a tiny run) and the simulator hooks it relies on."""
