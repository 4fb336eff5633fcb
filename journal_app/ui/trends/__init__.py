"""The trends dashboard, its charts (pyqtgraph lives only here) and the PDF summary."""

__all__: list[str] = []
