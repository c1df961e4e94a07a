"""Checks for what clients send: each failure a ValidationError that names the field and says what fits."""
from .errors import ValidationError


def text(value, field, *, limit=200, required=False):
    """A string field, stripped; None when absent or blank (or an error when required)."""
    if value is None:
        if required:
            raise ValidationError(f"{field} is required", code=f"missing_{field}")
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a string")
    value = value.strip()
    if len(value) > limit:
        raise ValidationError(f"{field} is longer than {limit} characters")
    if required and not value:
        raise ValidationError(f"{field} is required", code=f"missing_{field}")
    return value or None


def known_fields(payload, allowed, what=None):
    """The payload, once it is a JSON object holding only ``allowed`` keys."""
    if not isinstance(payload, dict):
        raise ValidationError("the request body must be a JSON object")
    unknown = set(payload) - set(allowed)
    if unknown:
        hint = f"; {what} has: {', '.join(allowed)}" if what else ""
        raise ValidationError(f"unknown field(s): {', '.join(sorted(unknown))}{hint}")
    return payload
