"""Demonstration data for every tier of DESIGN.md ("Scale the product is built for"): a street
federation (S), a county (M) or a city (L), with their unions, members and several years of history.

`manage.py demo_data` is the way in; `build.build()` does the work, one module per concept.
"""
