"""Why you were not chosen: the reason codes, checking an answer, and the tally across applications.

One "no" teaches little; ten of them, each with its reason, show a pattern
(always "more experience", or always "an internal candidate") worth acting on.
"""
from . import validate
from .errors import ValidationError

REASONS = {
    "experience_level": "Experience level (more or less than they wanted)",
    "skills_gap": "A skill they needed",
    "internal_candidate": "They chose an internal candidate",
    "salary": "Salary expectations",
    "position_filled": "The position was filled or cancelled",
    "other": "Another reason",
}
MAX_TEXT = 2000


def check(payload):
    """Read {codes: [...], text} from a client; return (codes, text) or raise a 400 naming the problem."""
    unknown = set(payload) - {"codes", "text", "date"}
    if unknown:
        raise ValidationError(f"unknown field(s): {', '.join(sorted(unknown))}; send codes and text")
    codes = payload.get("codes") or []
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise ValidationError("codes must be a list of reason codes")
    wrong = [code for code in codes if code not in REASONS]
    if wrong:
        raise ValidationError(f"unknown reason code(s): {', '.join(wrong)}; valid codes are: {', '.join(REASONS)}",
                              code="unknown_reason", details={"valid": list(REASONS)})
    text = validate.text(payload.get("text"), "text", limit=MAX_TEXT) or ""
    if not codes and not text:
        raise ValidationError("send at least one reason code or a few words of text", code="empty_reason")
    return list(dict.fromkeys(codes)), text


def latest(application):
    """The last reason recorded for an application (a later answer corrects an earlier one), or None."""
    found = [e for e in application.get("history") or [] if e.get("kind") == "reason"]
    return found[-1] if found else None


def tally(applications):
    """How often each reason came up, most frequent first, and the words the employers used."""
    counts = dict.fromkeys(REASONS, 0)
    notes, answered = [], 0
    for application in applications:
        entry = latest(application)
        if not entry:
            continue
        answered += 1
        for code in entry.get("codes") or []:
            if code in counts:
                counts[code] += 1
        if entry.get("text"):
            notes.append({"application_id": application.get("id"), "company": application.get("company"),
                          "title": application.get("title"), "date": entry.get("date"), "text": entry["text"]})
    reasons = [{"code": code, "label": REASONS[code], "count": count} for code, count in counts.items()]
    reasons.sort(key=lambda r: -r["count"])  # stable: equal counts keep the declared order
    notes.sort(key=lambda n: n["date"] or "", reverse=True)
    return {"applications": answered, "reasons": reasons, "notes": notes}


def summary_line(result):
    """One line for `applied due`: "Why you were not chosen, so far (4 answers): skills gap 3, salary 1"."""
    counted = [r for r in result["reasons"] if r["count"]]
    if not counted:
        return None
    parts = ", ".join(f"{r['code'].replace('_', ' ')} {r['count']}" for r in counted)
    return f"Why you were not chosen, so far ({result['applications']} answers): {parts}"
