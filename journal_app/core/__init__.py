"""The Qt-free core: vault, store, domain model, search and the service both faces use.

Nothing below this package imports Qt; ``tests/unit/core/test_boundaries.py`` enforces it.
"""
