"""Tests of the embedded demo world."""
