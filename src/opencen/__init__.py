"""opencen: an open, self-hostable Customs Enforcement Network."""

__version__ = "0.1.0"
