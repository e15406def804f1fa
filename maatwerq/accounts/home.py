"""Moved to ``home.selectors``: the start page is its own app now. This re-export exists only
so the old start-page view left in ``accounts/views.py`` still imports; delete both once that
file is rewritten (the layers contract ignores this one import until then)."""

from home.selectors import home_context

__all__ = ["home_context"]
