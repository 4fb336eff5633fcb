"""journal-app: a private, encrypted, local-only journal for reflective practice in medicine."""

__version__ = "0.1.0"
