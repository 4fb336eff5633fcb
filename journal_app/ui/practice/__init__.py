"""Practice screens: the check-in, the self-assessments and the support panel."""

__all__: list[str] = []
