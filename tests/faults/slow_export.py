"""A report kind for the fault tests only: it leaves half a file in the run's temp path at
once, then reports progress slowly, so a worker can be killed in the middle of it.

The test process puts SLOW_EXPORT in the registry with monkeypatch; the worker subprocess
imports slow_export_worker (``celery worker --include``), which registers it there. Production
code carries no test hook."""

from __future__ import annotations

import time

from reporting.registry import ReportKind
from reporting.services import report_run_temp_path

SLOW_KIND = "test_slow_export"


def slow_export(run, progress) -> tuple[str, bytes]:
    temp = report_run_temp_path(run)
    temp.parent.mkdir(parents=True, exist_ok=True)
    temp.write_bytes(b"the first half of a file")
    for percent in range(5, 100, 5):
        progress(percent)
        time.sleep(1)
    return "slow.txt", b"a whole file"


SLOW_EXPORT = ReportKind(SLOW_KIND, "Slow test export", slow_export, "reporting.view_forecast")
