"""promptreel: a self-hosted, offline-by-default text-to-video studio."""

__version__ = "0.1.0"
__all__ = ["__version__"]
