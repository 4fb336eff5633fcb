"""Exports and imports in the app: the dialogs, the PDF formats and the de-identification
review of whatever leaves the journal.
"""

__all__: list[str] = []
