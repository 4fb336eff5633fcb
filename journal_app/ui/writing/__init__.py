"""Writing: the journal page, the entry list and editor, attachments and the guided reflection."""

__all__: list[str] = []
