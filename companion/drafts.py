"""The follow-up messages: a short, warm draft for each kind of follow-up, in our own words.

Each draft is filled with the role, the company, the contact's first name, the dates
that matter and the person's name (the `your_name` setting). They are starting points:
the person edits them in their mail program, which the ``mailto:`` link opens.
"""
from urllib.parse import quote

SIGN_OFF = {"checkin": "Thank you for your time,", "thank_you": "With thanks,",
            "interview_followup": "Kind regards,", "why": "Thank you, and best of luck with the hire,",
            "feedback": "Best wishes,"}


def _when(day):
    return f"{day.day} {day:%B}" if day else "recently"


def _on(day):
    """' on 3 November', or nothing when the day is not known."""
    return f" on {_when(day)}" if day else ""


def _contact(application):
    """The contact to write to: the first one with an email, else the first one named."""
    contacts = [c for c in application.get("contacts") or [] if isinstance(c, dict)]
    return next((c for c in contacts if c.get("email")), None) or next((c for c in contacts if c.get("name")), None)


def _greeting(application):
    contact = _contact(application)
    first = (contact.get("name") or "").split(" ")[0] if contact else ""
    return f"Hi {first}," if first else "Hello,"


def _ends(name):
    """A name that closes a sentence: "Quarry Inc." takes no second full stop, "Acme" takes one."""
    return name if name.endswith((".", "!", "?")) else name + "."


def _lines(kind, role, company, extra):
    applied = _on(extra.get("applied"))
    interview = _on(extra.get("interview"))
    if kind == "checkin":
        if extra.get("pulled") and extra.get("closes"):
            timing = f" As the posting closes on {_when(extra['closes'])}, I thought it best to ask before then."
        else:
            timing = ""
        return (f"Checking in on my application for the {role} role",
                f"I applied for the {role} role at {company}{applied} and wanted to check in.{timing} "
                f"I am still very interested, and I would be glad to send anything else that helps your review.\n\n"
                f"Could you let me know where things stand, or point me to the right person to ask?")
    if kind == "thank_you":
        return (f"Thank you for the conversation about the {role} role",
                f"Thank you for taking the time to speak with me{interview} about the {role} role. "
                f"I enjoyed learning more about {company} and the team, and our conversation made me even "
                f"more excited about the work.\n\nIf there is anything else I can send you, just let me know.")
    if kind == "interview_followup":
        return (f"Following up on our conversation about the {role} role",
                f"I hope you are well. It has been a little while since we spoke{interview} about the "
                f"{role} role, and I wanted to ask about next steps. I remain very interested in joining "
                f"{_ends(company)}\n\nIs there anything further you need from me?")
    if kind == "why":
        return (f"A quick question about the {role} role",
                (f"We spoke{interview} about the {role} role at {company}, and I have not heard back since, so I "
                 if extra.get("interview") else
                 f"I applied for the {role} role at {company}{applied} and have not heard back, so I ") +
                "assume the team has moved forward with someone else. That is completely fine.\n\n"
                "If you have a moment, I would really value a sentence or two on why I was not chosen: "
                "experience, a particular skill, or simply timing. It would help me a great deal with my search.")
    if kind == "feedback":
        return (f"Thank you, and a small request about the {role} role",
                f"Thank you for letting me know your decision about the {role} role. I am disappointed, but "
                f"I am glad I had the chance to learn about {_ends(company)}\n\nIf you are open to it, I would be "
                f"grateful for any brief feedback: what would have made me a stronger candidate? "
                f"Either way, I hope our paths cross again.")
    raise ValueError(f"no draft for follow-up kind {kind!r}")


TITLES = {
    "checkin": "Check in with {company} about {role}",
    "thank_you": "Thank {company} for the interview{interview}",
    "interview_followup": "Follow up on the interview{interview} at {company}",
    "why": "Ask {company} why you were not chosen for {role}",
    "feedback": "Ask {company} for feedback on {role}",
}


# Under the sign-off when no name is set yet: a message must not end on "Thank you for your time,"
# and nothing, and a bracketed blank is plainly something to fill in before sending.
NO_NAME = "[Your name]"


def signature(your_name):
    """The line under a draft's sign-off: the person's name, or a blank to fill in."""
    return (your_name or "").strip() or NO_NAME


def draft(kind, application, settings, extra):
    """{title, subject, body} for one follow-up of this kind."""
    role = (application.get("title") or "").strip() or "open"
    company = (application.get("company") or "").strip() or "your company"
    subject, middle = _lines(kind, role, company, extra)
    body = f"{_greeting(application)}\n\n{middle}\n\n{SIGN_OFF[kind]}\n{signature(settings.get('your_name'))}"
    title = TITLES[kind].format(company=(application.get("company") or "").strip() or "the employer",
                                role=role if role != "open" else "the role", interview=_on(extra.get("interview")))
    if kind == "why" and application.get("status") != "ghosted":
        title += " (and mark it ghosted)"
    return {"title": title, "subject": subject, "body": body}


def mailto_link(email, subject, body):
    """A mailto: link that opens a message to ``email`` with this subject and body in the mail program."""
    # RFC 6068: percent-encode everything (spaces as %20, line breaks as %0D%0A).
    body = body.replace("\n", "\r\n")
    return f"mailto:{quote(email, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def mailto(application, message):
    """A mailto: link that opens the draft addressed to the contact, or None without an email."""
    contact = _contact(application)
    if not contact or not contact.get("email"):
        return None
    return mailto_link(contact["email"], message["subject"], message["body"])
