"""/api/skills, /api/courses, /api/activity and /api/settings: skills wanted vs held, learning, your settings."""
from datetime import date, timedelta

from flask import jsonify, request

from .. import current, pipeline, report, sessions, skills
from ..errors import ValidationError
from ..settings import declared_user_settings, save_user_values
from . import bp, query_int, read_json


def _today():
    return date.today()


# -- skills -------------------------------------------------------------------------------------

@bp.get("/skills")
def skill_demand():
    """The skills saved postings ask for, ranked, against `my_skills`; ?status=a,b narrows the postings."""
    statuses = None
    if request.args.get("status"):
        statuses = {pipeline.check_status(s.strip()) for s in request.args["status"].split(",") if s.strip()}
    return jsonify(skills.demand(current.store(), current.user_settings()["my_skills"], statuses=statuses))


@bp.get("/skills/vocabulary")
def skill_vocabulary():
    return jsonify({"skills": skills.SKILL_NAMES})


# -- courses ------------------------------------------------------------------------------------

@bp.get("/courses")
def list_courses():
    return jsonify({"courses": skills.list_courses(current.store())})


@bp.post("/courses")
def create_course():
    return jsonify({"course": skills.create_course(current.store(), read_json(), _today())}), 201


@bp.get("/courses/<int:course_id>")
def read_course(course_id):
    return jsonify({"course": skills.get_course(current.store(), course_id)})


@bp.patch("/courses/<int:course_id>")
def change_course(course_id):
    return jsonify({"course": skills.update_course(current.store(), course_id, read_json(), _today())})


@bp.delete("/courses/<int:course_id>")
def delete_course(course_id):
    skills.delete_course(current.store(), course_id)
    return "", 204


@bp.post("/courses/<int:course_id>/hours")
def log_course_hours(course_id):
    """{hours, date?}: time spent learning counts as job-search work in that week."""
    payload = read_json()
    unknown = set(payload) - {"hours", "date"}
    if unknown:
        raise ValidationError(f"unknown field(s): {', '.join(sorted(unknown))}; send hours and optionally date")
    on = pipeline.parse_day(payload["date"], "date") if payload.get("date") else _today()
    if on > _today():
        raise ValidationError("date is in the future: log hours on the day you spent them")
    return jsonify({"course": skills.log_hours(current.store(), course_id, payload.get("hours"), on)})


# -- the work that counts -------------------------------------------------------------------------

@bp.get("/activity")
def activity():
    """Job-search work per week: applications, follow-ups done, interviews, people asked, course hours."""
    weeks, today = query_int("weeks", 8, minimum=1, maximum=104), _today()
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    records = report.records_between(current.store(), first, today)  # only those of the weeks shown
    return jsonify({"weeks": skills.weekly_activity(*records, today, weeks=weeks)})


# -- the person's settings ---------------------------------------------------------------------------

def _settings_body():
    # web_view: the web view's own address, for the person's tools to link to (the paired extension's token reads
    # it here; no answer open to anyone holds it, see webhost).
    return {"settings": current.user_settings(), "declared": declared_user_settings(),
            "web_view": f"{sessions.web_origin()}/"}


@bp.get("/settings")
def read_settings():
    return jsonify(_settings_body())


@bp.patch("/settings")
def change_settings():
    """{name: value, ...}: every value is checked first, so a bad one changes nothing."""
    save_user_values(current.store(), read_json())
    return jsonify(_settings_body())


@bp.put("/settings/<name>")
def put_setting(name):
    """{value}: set one setting, e.g. PUT /api/settings/my_skills {"value": ["Python", "SQL"]}."""
    payload = read_json()
    if set(payload) != {"value"}:
        raise ValidationError("send {\"value\": ...} with the setting's new value")
    save_user_values(current.store(), {name: payload["value"]})
    return jsonify(_settings_body())
