"""fundflow: the funding cycle of cooperation federations and integration offices."""

__version__ = "0.1.0"
