"""Naming helpers shared by constructs and stacks."""

from __future__ import annotations


def region_slug(region: str) -> str:
    """``us-west-2`` -> ``us_west_2``: a region as part of a construct id or output name."""
    return region.replace("-", "_")
