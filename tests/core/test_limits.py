"""``Limits`` (what schemas validate against) mirrors ``Settings`` (what the service reads from the environment)."""

from __future__ import annotations

from dataclasses import fields

from app.core.limits import DEFAULT_LIMITS, Limits, limits_in
from app.runs import limits_of
from app.settings import Settings


def test_limits_defaults_equal_the_settings_defaults() -> None:
    for field in fields(Limits):
        assert field.name in Settings.model_fields, f"Limits.{field.name} has no setting of the same name"
        assert getattr(DEFAULT_LIMITS, field.name) == Settings.model_fields[field.name].default, field.name


def test_limits_of_carries_every_setting() -> None:
    """Each field of ``Limits`` set to its own value in ``Settings`` arrives in ``limits_of(settings)``."""
    values = {field.name: 8 + i for i, field in enumerate(fields(Limits))}  # 8: the least image side
    assert limits_of(Settings(**values)) == Limits(**values)
    assert limits_of(Settings()) == DEFAULT_LIMITS


def test_limits_in_a_context_or_the_defaults() -> None:
    mine = Limits(max_points=7)
    assert limits_in({"limits": mine}) is mine
    assert limits_in(None) is DEFAULT_LIMITS and limits_in({}) is DEFAULT_LIMITS
    assert limits_in({"limits": "not limits"}) is DEFAULT_LIMITS
