"""Fixtures of the knowledge tests: the network world of tests/network (two networks, a user
per network role) and the tier matrix of tests/conftest.py (German decisions in every tier)."""

from __future__ import annotations

from ..network.conftest import ROLE_MEMBERSHIPS, ROLES, SEES_PEOPLE_A, VISIBLE, World, world

__all__ = ["ROLES", "ROLE_MEMBERSHIPS", "SEES_PEOPLE_A", "VISIBLE", "World", "world"]
