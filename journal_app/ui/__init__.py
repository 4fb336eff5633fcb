"""The desktop app (PySide6 widgets). Everything Qt lives below here; the core stays Qt-free."""
