"""The base layer: accounts, audit and the helpers every app uses (forms, uploads, cache).
It imports no domain app; the project's settings, URLs and Celery app live in ``config``."""
