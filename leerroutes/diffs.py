"""What changed between two versions of a plan: the texts word by word, the goals one by one.

Pure functions on two Plan rows (the goals come from each version's snapshot), so an old
version reads exactly as it was saved.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from .models import GoalKind, GoalStatus, Plan

TEXT_FIELDS = [("perspective", _("Perspective")), ("support_plan", _("Support plan"))]
GOAL_FIELDS = [
    ("description", _("Goal")),
    ("domain", _("Life domain")),
    ("kind", _("Kind of goal")),
    ("target_date", _("Target date")),
    ("status", _("Status")),
]


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "added" or "removed"
    text: str


@dataclass
class TextChange:
    label: str
    segments: list[Segment]
    changed: bool


@dataclass
class GoalChange:
    kind: str  # "added", "removed" or "changed"
    description: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after


@dataclass
class PlanDiff:
    older: Plan | None
    newer: Plan
    texts: list[TextChange]
    goals: list[GoalChange]

    @property
    def has_changes(self) -> bool:
        return bool(self.goals) or any(t.changed for t in self.texts)


def text_segments(before: str, after: str) -> list[Segment]:
    """Word-level changes; whitespace (line breaks included) is kept with the words."""
    if not before or not after:
        only = before or after
        return [Segment("removed" if before else "added", only)] if only else []
    old, new = before.split(" "), after.split(" ")
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", " ".join(old[a1:a2])))
            continue
        if op in {"delete", "replace"}:
            segments.append(Segment("removed", " ".join(old[a1:a2])))
        if op in {"insert", "replace"}:
            segments.append(Segment("added", " ".join(new[b1:b2])))
    return segments


def _show(name: str, value: str) -> str:
    if not value:
        return "—"
    if name == "target_date":
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    if name == "status":
        return str(dict(GoalStatus.choices).get(value, value))
    if name == "kind":
        return str(dict(GoalKind.choices).get(value, value))
    return value


def goal_changes(before: list[dict], after: list[dict]) -> list[GoalChange]:
    old = {g["id"]: g for g in before}
    changes = []
    for goal in after:
        previous = old.pop(goal["id"], None)
        if previous is None:
            changes.append(GoalChange("added", goal["description"]))
            continue
        fields = [
            (str(label), _show(name, previous.get(name, "")), _show(name, goal.get(name, "")))
            for name, label in GOAL_FIELDS
            if previous.get(name) != goal.get(name)
        ]
        if fields:
            changes.append(GoalChange("changed", goal["description"], fields))
    changes += [GoalChange("removed", g["description"]) for g in old.values()]
    return changes


def plan_diff(older: Plan | None, newer: Plan) -> PlanDiff:
    texts = []
    for name, label in TEXT_FIELDS:
        before = getattr(older, name) if older else ""
        after = getattr(newer, name)
        texts.append(TextChange(str(label), text_segments(before, after), before != after))
    goals = goal_changes(older.goals_snapshot if older else [], newer.goals_snapshot)
    return PlanDiff(older, newer, texts, goals)


def snapshot_goals(plan: Plan) -> list[dict]:
    """The goals as saved with a version, ready to show (dates parsed, status labels)."""
    labels = dict(GoalStatus.choices)
    return [
        {
            "description": g["description"],
            "domain": g.get("domain", ""),
            "target_date": date.fromisoformat(g["target_date"]),
            "status": g.get("status", ""),
            "status_label": labels.get(g.get("status", ""), ""),
        }
        for g in plan.goals_snapshot
    ]
