"""The API's operations, mounted on one NinjaAPI under /api/v1/."""

from __future__ import annotations

from tremplin.api import assessment, learning, people, publications, usage
from tremplin.api.core import api

api.add_router("", people.router)
api.add_router("", assessment.router)
api.add_router("", learning.router)
api.add_router("", publications.router)
api.add_router("", usage.router)

__all__ = ["api"]
