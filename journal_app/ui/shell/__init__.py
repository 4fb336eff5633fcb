"""The app's shell: start-up, the main window, one app per vault, locking with the screen, the
read-only banner.
"""

__all__: list[str] = []
