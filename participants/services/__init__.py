"""State changes of a participant's record: one function per change (see pipeline.py)."""

from .pipeline import *  # noqa: F403  (a first step: the next commit splits by entity)
