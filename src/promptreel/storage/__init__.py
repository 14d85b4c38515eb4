"""Persistence: the only package that speaks SQL. Repositories are modules of functions per noun."""

from promptreel.storage.db import Database, migrate
from promptreel.storage.files import BlobStore, BlobWriter

__all__ = ["BlobStore", "BlobWriter", "Database", "migrate"]
