"""The studio's projects: list, open, rename, duplicate, delete, and a photo's fit."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

__all__ = [
    "Project",
    "ProjectList",
    "RenameRequest",
    "DuplicateRequest",
    "Duplicated",
    "Deleted",
    "FitRequest",
    "FitResult",
]


class Project(BaseModel):
    session_id: str
    task_id: str
    task_name: str = Field(description="the project's name (rename changes it)")
    title: str = Field(description="the video's own title when it has one, else the project's name")
    language: str
    version: int = Field(description="the head draft's version (0: nothing generated yet)")
    ready: bool
    duration_ms: int
    scenes: int
    width: int
    height: int
    poster_ms: int = Field(description="the representative moment the poster shows")
    turn_running: bool
    created_at: str
    updated_at: str


class ProjectList(BaseModel):
    projects: list[Project]


class RenameRequest(BaseModel):
    task_name: str = Field(min_length=1, max_length=200)


class DuplicateRequest(BaseModel):
    task_name: str = Field("", max_length=200, description='the copy\'s name; empty: "<name> (copy)"')


class Duplicated(BaseModel):
    task_id: str
    session_id: str
    bind_id: str
    task_name: str
    language: str
    project: Project


class Deleted(BaseModel):
    session_id: str
    task_id: str
    deleted: bool


class FitRequest(BaseModel):
    media_id: str = Field(min_length=1, max_length=80)
    fit: Literal["cover", "contain"] = Field(
        description="cover: fill the frame (edges cropped); contain: show it whole"
    )


class FitResult(BaseModel):
    media_id: str
    fit: str
    segments: int = Field(description="timeline segments showing this upload")
    changed: int = Field(description="segments whose fit changed (a new draft version when > 0)")
    version: int
