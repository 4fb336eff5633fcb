"""Sharing with a mentor in the desktop app: cards and contacts, share, receive, feedback.

The core (``journal_app.core.sharing.service``) does the work; these modules ask the questions (a
fingerprint to confirm, identifiers to decide, where to save) and show the answers. The main
window builds a :class:`~journal_app.ui.sharing.controller.SharingController`, which owns the
Sharing menu and the context-menu actions; the entry editor shows a
:class:`~journal_app.ui.sharing.feedback_panel.FeedbackPanel`.

Nothing is imported here, so the editor can import the feedback panel without pulling in the
dialogs (and the dialogs can import the editor's labels).
"""
