"""The floor: the least Django can do for a page of projects, to compare the browse page with.

Served only by `bench/throughput.py` (its own settings module); the product's URLs never
include it.
"""
