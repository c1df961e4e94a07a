"""Writes tests/mail/messages/*.eml and expected.json: our own test messages, modelled on how applicant
tracking systems, job boards and people write, each with the kind and the application it is about.

Run it after changing a message here (`python tests/mail/make_messages.py`); the .eml files it writes
are committed, so that the tests, `applied mail classify` and the IMAP tests read real files. The
person is Sam Rivera; their applications are in applications.json beside this file.
"""
import json
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path
import html
import re
import zlib

HERE = Path(__file__).resolve().parent
OUT = HERE / "messages"
CET = timezone(timedelta(hours=1))

GH = ("no-reply@us.greenhouse-mail.io",)
M = []  # every message: a spec and its expectation


def msg(name, kind, application, sender, subject, when, text, *, html_body=None, alt=True, encoding="qp",
        charset="utf-8", reply_to=None, calendar=None, headers=None, in_reply_to=None, message_id=None):
    M.append({"name": name, "kind": kind, "application": application, "sender": sender, "subject": subject,
              "when": when, "text": text, "html_body": html_body, "alt": alt, "encoding": encoding, "charset": charset,
              "reply_to": reply_to, "calendar": calendar, "headers": headers or {}, "in_reply_to": in_reply_to,
              "message_id": message_id})


# -- Greenhouse: Northwind Traders, two roles --------------------------------------------------------------
msg("01-greenhouse-received-data-engineer", "received", 1, ("Northwind Traders Hiring Team", GH[0]),
    "Thank you for applying to Northwind Traders", "2026-10-01 14:03",
    """Hi Sam,

Thanks for applying to Northwind Traders! Your application for the Data Engineer role has been received and our team will review it shortly.

If your experience is a match, a member of our recruiting team will reach out to schedule an interview.

View the job: https://boards.greenhouse.io/northwindtraders/jobs/4012345?gh_src=email

Best,
Northwind Traders Talent Team""")
msg("02-greenhouse-received-analytics-engineer", "received", 2, ("Northwind Traders Hiring Team", GH[0]),
    "Thank you for applying to Northwind Traders", "2026-10-03 09:12",
    """Hi Sam,

Thank you for your interest in Northwind Traders. We have received your application for the Analytics Engineer position.

We review every application carefully. If we would like to move forward, we will be in touch.

Our careers page: https://boards.greenhouse.io/northwindtraders

Kind regards,
The Northwind Traders Recruiting Team""")
msg("03-greenhouse-rejection-warm", "rejection", 1, ("Northwind Traders Hiring Team", GH[0]),
    "Your application for Data Engineer at Northwind Traders", "2026-10-20 17:40",
    """Hi Sam,

Thank you for taking the time to apply for the Data Engineer role. We truly enjoyed learning about your background, and we were impressed by your projects.

After careful consideration, we have decided to move forward with candidates whose experience more closely matches what the team needs right now.

We will keep your details on file and hope our paths cross again. We wish you all the best in your search.

The Northwind Traders Talent Team
https://boards.greenhouse.io/northwindtraders""",
    reply_to="talent@northwindtraders.com")
msg("04-greenhouse-interview-analytics", "interview", 2, ("Dana Okafor", GH[0]),
    "Northwind Traders - Analytics Engineer - Interview invitation", "2026-10-14 11:05",
    """Hi Sam,

Thanks again for applying to Northwind Traders. We'd like to invite you to a 45 minute video interview with our Analytics Engineering lead for the Analytics Engineer position.

Please pick a time that works for you here: https://app.goodtime.io/schedule/northwindtraders/ae-2231

Looking forward to speaking with you,
Dana Okafor
Recruiter, Northwind Traders""",
    reply_to="dana.okafor@northwindtraders.com")
msg("05-greenhouse-update-which-role", "rejection", None, ("Northwind Traders Hiring Team", GH[0]),
    "An update on your application", "2026-11-02 16:22",
    """Hi Sam,

We wanted to follow up on your application to Northwind Traders. Unfortunately, we will not be moving forward with your application at this time.

Thank you for your interest, and we encourage you to apply again in the future.

Northwind Traders Talent Team
https://boards.greenhouse.io/northwindtraders""")

# -- Lever: Northwind Health (a similar name, the same title as application 1) -------------------------------
msg("06-lever-received-northwind-health", "received", 3, ("Northwind Health", "no-reply@hire.lever.co"),
    "Thank you for your application to Northwind Health", "2026-10-02 08:30",
    """Hi Sam,

Thank you for your interest in Northwind Health! We have received your application for Data Engineer and our team is reviewing it.

You can view the posting here: https://jobs.lever.co/northwind-health/6f1c2a9e-0b7d-4c55-9a61-2f0e8d3b1c77

Warmly,
Northwind Health People Team""")
msg("07-lever-rejection-northwind-health", "rejection", 3, ("Northwind Health", "no-reply@hire.lever.co"),
    "Your application to Northwind Health", "2026-10-24 10:15",
    """Hi Sam,

Thank you for applying for the Data Engineer role at Northwind Health and for your patience during our process.

We have reviewed your application carefully and unfortunately we will not be moving forward with your application at this time. This was a difficult decision given the number of strong applicants.

We wish you every success in your job search.

Northwind Health
https://jobs.lever.co/northwind-health""")
msg("08-person-northwind-ambiguous", "recruiter", None, ("Chris Lane", "chris.lane.talent@gmail.com"),
    "Your application at Northwind", "2026-10-09 19:02",
    """Hi Sam,

I'm a recruiter working with Northwind and saw your application for the data role. Do you have a few minutes this week to talk about the position?

Thanks,
Chris""", alt=False)

# -- Workday: Contoso ---------------------------------------------------------------------------------------------
msg("09-workday-received", "received", 4, ("Contoso", "contoso@myworkday.com"),
    "Thank you for applying for Backend Developer", "2026-10-05 22:47",
    """Dear Sam Rivera,

Thank you for your interest in Contoso. We have received your application for the Backend Developer (R12345) position.

You can check the status of your application at any time in your candidate home: https://contoso.wd5.myworkdayjobs.com/en-US/External/userHome

Sincerely,
Contoso Talent Acquisition""")
msg("10-workday-assessment", "assessment", 4, ("Contoso", "contoso@myworkday.com"),
    "Action required: complete your online assessment", "2026-10-12 13:00",
    """Dear Sam Rivera,

As the next step for the Backend Developer position, we invite you to complete a short online assessment. It takes about 60 minutes and should be completed within 5 days.

Start the assessment from your candidate home: https://contoso.wd5.myworkdayjobs.com/en-US/External/userHome/tasks

Sincerely,
Contoso Talent Acquisition""")
msg("11-person-offer-contoso", "offer", 4, ("Claire Martin", "claire.martin@contoso.com"),
    "Offer - Backend Developer", "2026-11-18 15:31",
    """Hi Sam,

It was a pleasure to meet you during the final round. I am delighted to offer you the position of Backend Developer at Contoso!

Your offer letter is attached and in your candidate home. Could you let me know by Friday whether you accept?

Best regards,
Claire Martin
Talent Partner""", alt=False)

# -- Ashby: Fabrikam ------------------------------------------------------------------------------------------------
msg("12-ashby-received", "received", 5, ("Fabrikam Recruiting", "no-reply@ashbyhq.com"),
    "Thanks for applying to Fabrikam!", "2026-10-06 10:10",
    """Hi Sam,

Thanks for applying for the Platform Engineer role at Fabrikam. We've received your application and we'll get back to you as soon as we can.

https://jobs.ashbyhq.com/fabrikam/1b2c3d4e-5f60-4718-9abc-def012345678

The Fabrikam team""")
msg("13-ashby-interview-calendar", "interview", 5, ("Fabrikam Recruiting", "no-reply@ashbyhq.com"),
    "Invitation: Platform Engineer - Technical Interview @ Tue Oct 27, 2026 3pm", "2026-10-21 09:00",
    """Hi Sam,

Your technical interview for the Platform Engineer role is confirmed. The invitation is attached.

Fabrikam Recruiting""",
    calendar={"summary": "Fabrikam - Platform Engineer - Technical Interview", "start": "20261027T150000",
              "organizer": "recruiting@fabrikam.io"})
msg("14-ashby-rejection-after-interview", "rejection", 5, ("Fabrikam Recruiting", "no-reply@ashbyhq.com"),
    "Update on your Fabrikam application", "2026-11-04 18:20",
    """Hi Sam,

Thank you for taking the time to interview with us for the Platform Engineer role. We really appreciated the conversation.

Unfortunately, we have decided not to proceed with your candidacy. The team felt other candidates were a closer fit for the role at this time.

Best of luck,
Fabrikam Recruiting
https://jobs.ashbyhq.com/fabrikam""")

# -- SmartRecruiters: Tailspin Toys -----------------------------------------------------------------------------------
msg("15-smartrecruiters-received", "received", 6, ("Tailspin Toys", "noreply@smartrecruiters.com"),
    "Your application for Product Analyst", "2026-10-07 12:00",
    """Dear Sam,

Thank you for applying to Tailspin Toys! This email confirms that we have received your application for Product Analyst.

Job: https://jobs.smartrecruiters.com/TailspinToys/743999-product-analyst

Kind regards,
Tailspin Toys Recruiting""")
msg("16-smartrecruiters-filled", "rejection", 6, ("Tailspin Toys", "noreply@smartrecruiters.com"),
    "Product Analyst position update", "2026-11-10 09:45",
    """Dear Sam,

Thank you for your interest in the Product Analyst role at Tailspin Toys. We want to let you know that the position has been filled.

We encourage you to keep an eye on our careers page for future openings: https://careers.smartrecruiters.com/TailspinToys

Kind regards,
Tailspin Toys Recruiting""")

# -- iCIMS: Woodgrove Bank --------------------------------------------------------------------------------------------
msg("17-icims-received", "received", 7, ("Woodgrove Bank", "woodgrove@talent.icims.com"),
    "Woodgrove Bank: application received", "2026-10-08 07:55",
    """Dear Sam,

Thank you for submitting your application for the Software Engineer position. Your application was received and is under review.

To view your application status, visit https://careers-woodgrove.icims.com/jobs/candidate

Woodgrove Bank Talent Acquisition""")
msg("18-icims-phone-screen", "interview", 7, ("Woodgrove Bank", "woodgrove@talent.icims.com"),
    "Next steps: phone screen for Software Engineer", "2026-10-16 14:30",
    """Dear Sam,

We reviewed your application and would like to schedule a phone screen with a member of our technology recruiting team.

Please share your availability for a 30 minute call next week by replying to this message.

Woodgrove Bank Talent Acquisition
https://careers-woodgrove.icims.com/jobs/5521/software-engineer/job""")

# -- Teamtailor: Lumen Studio -------------------------------------------------------------------------------------------
msg("19-teamtailor-received", "received", 8, ("Lumen Studio", "no-reply@teamtailor.com"),
    "We have received your application!", "2026-10-09 16:16",
    """Hi Sam,

Thank you for applying for Frontend Developer at Lumen Studio! We have received your application and will get back to you within two weeks.

https://lumenstudio.teamtailor.com/jobs/3011-frontend-developer

Best wishes,
Lumen Studio""")
msg("20-teamtailor-interview-invite-ics", "interview", 8, ("Lumen Studio", "no-reply@teamtailor.com"),
    "Interview with Lumen Studio", "2026-10-19 10:00",
    """Hi Sam,

Great news! We would like to meet you. You are booked for a first interview with our design lead, see the calendar invitation attached.

https://lumenstudio.teamtailor.com/jobs/3011-frontend-developer

Lumen Studio""",
    calendar={"summary": "Interview: Frontend Developer", "start": "20261023T100000",
              "organizer": "hello@lumenstudio.se"})
msg("21-teamtailor-role-filled", "rejection", 8, ("Lumen Studio", "no-reply@teamtailor.com"),
    "About your application at Lumen Studio", "2026-11-06 11:11",
    """Hi Sam,

Thank you so much for the time you spent with us. We have now filled the role of Frontend Developer, so we are closing your application.

We hope you find a great place to grow, and we would love to hear from you again.

Lumen Studio
https://lumenstudio.teamtailor.com""")

# -- Personio: Bergmann Logistik GmbH (German) ---------------------------------------------------------------------------
msg("22-personio-eingang-de", "received", 9, ("Bergmann Logistik GmbH", "no-reply@bergmann-logistik.jobs.personio.de"),
    "Ihre Bewerbung als Datenanalyst (m/w/d)", "2026-10-04 09:01",
    """Sehr geehrte/r Sam Rivera,

vielen Dank für Ihre Bewerbung als Datenanalyst (m/w/d) und Ihr Interesse an der Bergmann Logistik GmbH. Hiermit bestätigen wir den Eingang Ihrer Bewerbung.

Wir melden uns so schnell wie möglich bei Ihnen.

Mit freundlichen Grüßen
Ihr Recruiting-Team der Bergmann Logistik GmbH""", encoding="qp")
msg("23-person-einladung-de", "interview", 9, ("Katrin Vogel", "k.vogel@bergmann-logistik.de"),
    "Einladung zum Vorstellungsgespräch", "2026-10-15 10:40",
    """Hallo Sam Rivera,

vielen Dank für Ihre Bewerbung bei Bergmann Logistik GmbH. Wir möchten Sie gerne zu einem Vorstellungsgespräch einladen.

Bitte teilen Sie uns mit, ob Ihnen Dienstag, der 27. Oktober um 14 Uhr passt, oder nennen Sie uns einen Terminvorschlag.

Viele Grüße
Katrin Vogel
Personalabteilung""", alt=False, encoding="base64")
msg("24-personio-absage-de", "rejection", 9, ("Bergmann Logistik GmbH", "no-reply@bergmann-logistik.jobs.personio.de"),
    "Ihre Bewerbung bei Bergmann Logistik GmbH", "2026-10-30 15:05",
    """Sehr geehrte/r Sam Rivera,

nochmals vielen Dank für Ihr Interesse und die Zeit, die Sie sich für uns genommen haben.

Leider müssen wir Ihnen mitteilen, dass wir uns für andere Kandidaten entschieden haben, deren Profil besser zu den Anforderungen passt.

Wir wünschen Ihnen für Ihre weitere berufliche Zukunft alles Gute.

Mit freundlichen Grüßen
Bergmann Logistik GmbH""")
msg("25-person-vertragsangebot-de", "offer", 9, ("Katrin Vogel", "k.vogel@bergmann-logistik.de"),
    "=?utf-8?b?VW5zZXIgVmVydHJhZ3NhbmdlYm90IGbDvHIgU2ll?=", "2026-11-12 11:20",
    """Hallo Sam Rivera,

wir freuen uns sehr, Ihnen die Stelle als Datenanalyst bei Bergmann Logistik GmbH anbieten zu können. Anbei erhalten Sie unser Vertragsangebot.

Bitte geben Sie uns bis Freitag Bescheid.

Viele Grüße
Katrin Vogel""", alt=False)

# -- Workable: Proseware ------------------------------------------------------------------------------------------------
msg("26-workable-received", "received", 10, ("Proseware", "noreply@candidates.workablemail.com"),
    "Proseware: we received your application", "2026-10-10 20:20",
    """Hi Sam,

Thank you for applying for the DevOps Engineer position at Proseware. We've successfully received your application.

https://apply.workable.com/proseware/j/AB12CD34EF/

Regards,
Proseware Hiring Team""")
msg("27-hackerrank-assessment", "assessment", 10, ("HackerRank", "support@hackerrank.com"),
    "Proseware has invited you to a HackerRank test", "2026-10-17 08:00",
    """Hi Sam,

Proseware has invited you to take the DevOps Engineer coding challenge on HackerRank.

Test duration: 90 minutes. Please complete it before October 24.

Start the test: https://www.hackerrank.com/tests/abc123/login?b=eyJ1c2VyIjoic2FtIn0

Good luck!
HackerRank on behalf of Proseware""", html_body="auto")
msg("28-workable-rejection", "rejection", 10, ("Proseware", "noreply@candidates.workablemail.com"),
    "Your application for DevOps Engineer", "2026-10-29 12:12",
    """Hi Sam,

Thank you for your time and the effort you put into the coding challenge.

We regret to inform you that we have decided to pursue other candidates for the DevOps Engineer role.

All the best,
Proseware Hiring Team
https://apply.workable.com/proseware/""")

# -- LinkedIn: Litware ---------------------------------------------------------------------------------------------------
msg("29-linkedin-application-sent", "received", 11, ("LinkedIn", "jobs-noreply@linkedin.com"),
    "Sam, your application was sent to Litware", "2026-10-11 18:44",
    None, alt=False, html_body="""<html><body><table><tr><td>
<h2>Your application was sent to Litware</h2>
<p><a href="https://www.linkedin.com/comm/jobs/view/3901234567/?trackingId=abc%3D%3D&amp;refId=xyz">Machine Learning Engineer</a></p>
<p>Litware · Amsterdam, North Holland, Netherlands (Hybrid)</p>
<p>Applied on October 11, 2026</p>
<p><a href="https://www.linkedin.com/comm/jobs/tracker/applied/">View your applied jobs</a></p>
</td></tr></table>
<p style="font-size:11px">You are receiving Job Applications notification emails. <a href="https://www.linkedin.com/comm/psettings/email-unsubscribe">Unsubscribe</a></p>
</body></html>""", headers={"List-Unsubscribe": "<https://www.linkedin.com/comm/psettings/email-unsubscribe>"})
msg("30-linkedin-job-alert", "other", None, ("LinkedIn Job Alerts", "jobalerts-noreply@linkedin.com"),
    "Litware is hiring: Machine Learning Engineer and 12 more jobs", "2026-10-13 07:02",
    None, alt=False, html_body="""<html><body>
<h2>Your job alert for machine learning engineer in Amsterdam</h2>
<p>12 new jobs match your preferences.</p>
<p><a href="https://www.linkedin.com/comm/jobs/view/3901239999/">Senior Machine Learning Engineer</a> Litware · Amsterdam</p>
<p><a href="https://www.linkedin.com/comm/jobs/view/3901238888/">Data Engineer</a> Northwind Traders · Remote</p>
<p><a href="https://www.linkedin.com/comm/jobs/view/3901237777/">ML Engineer</a> Hooli · Amsterdam</p>
<p><a href="https://www.linkedin.com/comm/jobs/search/?alertAction=viewjobs">See all jobs</a></p>
</body></html>""", headers={"List-Unsubscribe": "<https://www.linkedin.com/comm/psettings/email-unsubscribe>"})
msg("31-linkedin-inmail-recruiter", "recruiter", None, ("Maya Chen via LinkedIn", "inmail-hit-reply@linkedin.com"),
    "Maya sent you a new message", "2026-10-18 15:33",
    """Hi Sam,

I came across your profile and think you could be a great fit for a Machine Learning Engineer role on my team at Hooli. Would you be open to a short call next week?

Best,
Maya Chen
Technical Recruiter at Hooli""", alt=False)
msg("32-linkedin-rejection", "rejection", 11, ("LinkedIn", "jobs-noreply@linkedin.com"),
    "Your application to Machine Learning Engineer at Litware", "2026-11-08 09:09",
    None, alt=False, html_body="""<html><body>
<p>Your update from Litware</p>
<p>Thank you for your interest in the <a href="https://www.linkedin.com/comm/jobs/view/3901234567/">Machine Learning Engineer</a> position at Litware in Amsterdam.</p>
<p>Unfortunately, Litware decided not to move forward with your application.</p>
<p>Keep going: <a href="https://www.linkedin.com/comm/jobs/collections/recommended/">jobs you may be interested in</a></p>
</body></html>""")
msg("33-linkedin-viewed", "other", None, ("LinkedIn", "jobs-noreply@linkedin.com"),
    "Your application was viewed by Litware", "2026-10-15 12:00",
    """Sam, your application was viewed by Litware.

Machine Learning Engineer
Litware · Amsterdam

https://www.linkedin.com/comm/jobs/view/3901234567/

Applicants who follow up have a better chance.""", headers={"List-Unsubscribe": "<https://www.linkedin.com/comm/psettings/email-unsubscribe>"})

# -- Indeed: Adatum -------------------------------------------------------------------------------------------------------
msg("34-indeed-application-submitted", "received", 12, ("Indeed Apply", "indeedapply@indeed.com"),
    "Application submitted: QA Engineer at Adatum", "2026-10-12 10:05",
    """Application submitted

QA Engineer
Adatum - Paris

Your application has been submitted. Good luck!

View the job: https://www.indeed.com/viewjob?jk=a1b2c3d4e5f60718&from=applyconf""",
    html_body="auto")
msg("35-indeed-job-alert", "other", None, ("Indeed", "alert@indeed.com"),
    "15 new jobs for QA Engineer in Paris", "2026-10-14 06:30",
    """15 new jobs for QA Engineer in Paris

QA Engineer - Adatum - Paris
https://www.indeed.com/rc/clk?jk=ffeeddccbbaa0099

Test Automation Engineer - Contoso - Paris
https://www.indeed.com/rc/clk?jk=0011223344556677

See all jobs matching your search""", headers={"List-Unsubscribe": "<https://www.indeed.com/unsubscribe?id=1>"})
msg("36-indeed-adatum-update", "rejection", 12, ("Adatum via Indeed", "no-reply@indeed.com"),
    "An update on your application to Adatum", "2026-11-03 14:14",
    """Hi Sam,

Thank you for applying to the QA Engineer position at Adatum. Unfortunately, Adatum has decided not to move forward with your application.

Don't give up! Find more jobs on Indeed.""", html_body="auto")

# -- French: Maison Dupont ----------------------------------------------------------------------------------------------
msg("37-fr-accuse-reception", "received", 13, ("Maison Dupont - Recrutement", "recrutement@maisondupont.fr"),
    "=?utf-8?q?Accus=C3=A9_de_r=C3=A9ception_de_votre_candidature?=", "2026-10-06 09:30",
    """Bonjour Sam,

Nous avons bien reçu votre candidature au poste de Développeur Python et nous vous en remercions.

Notre équipe va l'étudier avec attention et reviendra vers vous dans les meilleurs délais.

Cordialement,
L'équipe Recrutement
Maison Dupont""", encoding="qp")
msg("38-fr-entretien", "interview", 13, ("Julie Bernard", "julie.bernard@maisondupont.fr"),
    "Votre candidature - Développeur Python", "2026-10-13 14:50",
    """Bonjour Sam,

Votre profil a retenu toute notre attention et nous souhaiterions vous rencontrer pour un entretien.

Pourriez-vous nous indiquer vos disponibilités pour la semaine prochaine ?

Bien cordialement,
Julie Bernard
Chargée de recrutement, Maison Dupont""", alt=False, encoding="qp")
msg("39-fr-refus", "rejection", 13, ("Maison Dupont - Recrutement", "recrutement@maisondupont.fr"),
    "Votre candidature chez Maison Dupont", "2026-10-28 17:00",
    """Bonjour Sam,

Nous vous remercions de l'intérêt que vous portez à Maison Dupont.

Après étude attentive de votre dossier, nous avons le regret de vous informer que votre candidature n'a pas été retenue pour le poste de Développeur Python.

Nous conservons votre CV et vous souhaitons une bonne continuation dans vos recherches.

L'équipe Recrutement""", encoding="qp")
msg("40-fr-promesse-embauche", "offer", 13, ("Julie Bernard", "julie.bernard@maisondupont.fr"),
    "=?iso-8859-1?q?Proposition_d'embauche_-_D=E9veloppeur_Python?=", "2026-11-16 10:00",
    """Bonjour Sam,

Suite à nos échanges, nous avons le plaisir de vous proposer le poste de Développeur Python en CDI.

Vous trouverez ci-joint notre proposition d'embauche. Merci de nous faire part de votre réponse avant le 23 novembre.

Bien cordialement,
Julie Bernard""", alt=False, encoding="qp", charset="iso-8859-1")
msg("41-fr-alerte-emploi", "other", None, ("HelloWork", "alertes@hellowork.com"),
    "Alerte emploi : 12 nouvelles offres Développeur Python", "2026-10-16 06:00",
    """Votre alerte emploi : Développeur Python - Lyon

12 nouvelles offres correspondent à votre recherche :

Développeur Python H/F - Maison Dupont - Lyon
Développeur Backend Python - Contoso - Lyon

Voir toutes les offres""", headers={"List-Unsubscribe": "<mailto:unsubscribe@hellowork.com>"}, encoding="qp")
msg("42-fr-test-technique", "assessment", 13, ("Julie Bernard", "julie.bernard@maisondupont.fr"),
    "Test technique - Développeur Python", "2026-10-20 11:30",
    """Bonjour Sam,

Comme convenu, voici le test technique à réaliser chez vous. Vous disposez d'une semaine pour nous le renvoyer.

Bon courage,
Julie Bernard""", alt=False)
msg("43-fr-relance-reponse", "recruiter", 13, ("Julie Bernard", "julie.bernard@maisondupont.fr"),
    "RE: Relance - candidature Développeur Python", "2026-10-25 09:15",
    """Bonjour Sam,

Merci pour votre relance. Nous sommes encore en train d'échanger avec l'équipe et revenons vers vous d'ici la fin de la semaine.

Bien cordialement,
Julie

Le jeu. 23 oct. 2026 à 18:02, Sam Rivera <sam.rivera@example.com> a écrit :
> Bonjour Julie,
> Je me permets de revenir vers vous concernant ma candidature.
> Merci d'avoir pris le temps, j'ai bien reçu votre candidature...""", alt=False, encoding="qp")

# -- Spanish: Aurora Datos -----------------------------------------------------------------------------------------------
msg("44-es-candidatura-recibida", "received", 14, ("Aurora Datos", "rrhh@auroradatos.es"),
    "Hemos recibido tu candidatura", "2026-10-07 11:45",
    """Hola Sam,

Gracias por tu interés en Aurora Datos. Hemos recibido tu candidatura para el puesto de Ingeniero de Datos.

Nuestro equipo la revisará y te contactaremos en caso de que tu perfil encaje.

Un saludo,
Equipo de Recursos Humanos""", encoding="base64", charset="iso-8859-1")
msg("45-es-entrevista", "interview", 14, ("Lucía Fernández", "lucia.fernandez@auroradatos.es"),
    "=?utf-8?q?Entrevista_-_Ingeniero_de_Datos?=", "2026-10-16 12:30",
    """Hola Sam,

Nos gustaría invitarte a una entrevista con el equipo de datos. ¿Podrías indicarnos tu disponibilidad para el próximo martes o miércoles?

Un saludo,
Lucía Fernández
Responsable de Selección, Aurora Datos""", alt=False, encoding="base64")
msg("46-es-prueba-tecnica", "assessment", 14, ("Lucía Fernández", "lucia.fernandez@auroradatos.es"),
    "Prueba técnica - Ingeniero de Datos", "2026-10-22 10:00",
    """Hola Sam,

Como siguiente paso del proceso, te enviamos una prueba técnica. Tienes cinco días para completarla.

Un saludo,
Lucía""", alt=False)
msg("47-es-rechazo", "rejection", 14, ("Aurora Datos", "rrhh@auroradatos.es"),
    "Tu candidatura en Aurora Datos", "2026-11-05 13:13",
    """Hola Sam,

Te agradecemos el tiempo dedicado al proceso de selección para el puesto de Ingeniero de Datos.

Lamentamos comunicarte que hemos decidido continuar con otros candidatos cuyo perfil se ajusta más a las necesidades actuales del puesto.

Conservaremos tu CV para futuras oportunidades. Te deseamos mucha suerte en tu búsqueda.

Equipo de Recursos Humanos""", encoding="base64", charset="iso-8859-1")
msg("48-es-oferta", "offer", 14, ("Lucía Fernández", "lucia.fernandez@auroradatos.es"),
    "Carta oferta - Ingeniero de Datos", "2026-11-20 16:00",
    """Hola Sam,

¡Enhorabuena! Nos complace ofrecerte el puesto de Ingeniero de Datos en Aurora Datos. Te adjuntamos la carta oferta con las condiciones.

Un saludo,
Lucía""", alt=False, encoding="base64")
msg("49-es-alertas-infojobs", "other", None, ("InfoJobs", "alertas@infojobs.net"),
    "Nuevas ofertas que te pueden interesar", "2026-10-19 07:00",
    """Hola Sam,

Tenemos nuevas ofertas de empleo que te pueden interesar:

Ingeniero de Datos - Aurora Datos - Madrid
Data Engineer - Contoso - Barcelona

Ver todas las ofertas""", headers={"List-Unsubscribe": "<https://www.infojobs.net/unsubscribe>"})

# -- Dutch: Van Dijk Software ---------------------------------------------------------------------------------------------
msg("50-nl-ontvangen", "received", 15, ("Van Dijk Software", "werkenbij@vandijksoftware.nl"),
    "Bedankt voor je sollicitatie", "2026-10-08 13:37",
    """Hoi Sam,

Bedankt voor je sollicitatie als Backend Ontwikkelaar bij Van Dijk Software. We hebben je sollicitatie in goede orde ontvangen.

Binnen twee weken laten we je weten of we je uitnodigen voor een gesprek.

Met vriendelijke groet,
Team Werving & Selectie""")
msg("51-nl-uitnodiging", "interview", 15, ("Eva de Boer", "eva.deboer@vandijksoftware.nl"),
    "Uitnodiging sollicitatiegesprek Backend Ontwikkelaar", "2026-10-17 15:00",
    """Hoi Sam,

Graag nodigen we je uit voor een sollicitatiegesprek op ons kantoor in Utrecht. Wil je laten weten wat je beschikbaarheid is volgende week?

Groet,
Eva de Boer
Recruiter, Van Dijk Software""", alt=False)
msg("52-nl-thuisopdracht", "assessment", 15, ("Eva de Boer", "eva.deboer@vandijksoftware.nl"),
    "Thuisopdracht Backend Ontwikkelaar", "2026-10-24 09:30",
    """Hoi Sam,

Zoals besproken sturen we je hierbij de thuisopdracht. Je hebt een week de tijd om deze af te ronden.

Succes!
Eva""", alt=False)
msg("53-nl-afwijzing", "rejection", 15, ("Van Dijk Software", "werkenbij@vandijksoftware.nl"),
    "Je sollicitatie bij Van Dijk Software", "2026-11-07 10:45",
    """Hoi Sam,

Bedankt voor je tijd en de energie die je in de thuisopdracht hebt gestoken.

Helaas hebben we besloten om niet verder te gaan met je sollicitatie. We hebben gekozen voor een andere kandidaat met meer ervaring in onze stack.

Veel succes met je zoektocht!

Team Werving & Selectie""", encoding="qp")
msg("54-nl-contractvoorstel", "offer", 15, ("Eva de Boer", "eva.deboer@vandijksoftware.nl"),
    "Contractvoorstel", "2026-11-21 14:00",
    """Hoi Sam,

We zijn erg blij je de functie van Backend Ontwikkelaar aan te bieden! In de bijlage vind je ons contractvoorstel.

Groet,
Eva""", alt=False)
msg("55-nl-vacaturealert", "other", None, ("Nationale Vacaturebank", "noreply@nationalevacaturebank.nl"),
    "Nieuwe vacatures die bij je passen", "2026-10-20 06:45",
    """Hoi Sam,

Er zijn 8 nieuwe vacatures die bij je passen:

Backend Ontwikkelaar - Van Dijk Software - Utrecht
Java Developer - Contoso - Amsterdam

Bekijk alle vacatures""", headers={"List-Unsubscribe": "<https://www.nationalevacaturebank.nl/afmelden>"})

# -- People writing: Blue Yonder Labs, and a thread --------------------------------------------------------------------
msg("56-person-reply-to-followup", "recruiter", 16, ("Priya Shah", "priya@blueyonderlabs.com"),
    "Re: Following up on my Data Scientist application", "2026-10-21 16:40",
    """Hi Sam,

Thanks for checking in, and sorry for the slow reply! The team is still reviewing applications and I expect to have news by the end of next week.

Priya

On Mon, Oct 19, 2026 at 9:12 AM Sam Rivera <sam.rivera@example.com> wrote:
> Hi Priya,
> I applied for the Data Scientist role on October 1 and wanted to follow up.
> Thank you for your application, I am still very interested.
> Best, Sam""", alt=False, message_id="<priya-001@blueyonderlabs.com>")
msg("57-person-call-calendly", "interview", 16, ("Priya Shah", "priya@blueyonderlabs.com"),
    "Data Scientist - next steps", "2026-10-28 10:05",
    """Hi Sam,

Good news: the hiring manager would love to chat with you. Would you be available for a call on Thursday or Friday? Feel free to grab a slot on my calendar: https://calendly.com/priya-shah-byl/30min

Priya""", alt=False, message_id="<priya-002@blueyonderlabs.com>")
msg("58-person-thread-reschedule", "interview", 16, ("Priya Shah", "priya@blueyonderlabs.com"),
    "Re: Data Scientist - next steps", "2026-10-29 08:20",
    """Hi Sam,

Something came up on our side: could we move our call to Monday at 11:00? Sorry for the change!

Priya

On Wed, Oct 28, 2026 at 6:01 PM Sam Rivera <sam.rivera@example.com> wrote:
> Thursday at 10 works for me, I booked it.""", alt=False, in_reply_to="<priya-002@blueyonderlabs.com>")
msg("59-person-warm-no", "rejection", 16, ("Priya Shah", "priya@blueyonderlabs.com"),
    "Re: Data Scientist - next steps", "2026-11-09 17:55",
    """Hi Sam,

Thank you again for your time with the team on Monday, everyone enjoyed the conversation.

I wanted to let you know that the hiring manager has decided to go with someone whose background is closer to our current roadmap. I'm sorry this isn't better news, and I'd be glad to stay in touch.

Priya""", alt=False, in_reply_to="<priya-002@blueyonderlabs.com>")

# -- Globex (logged by hand, no posting address) ----------------------------------------------------------------------------
msg("60-greenhouse-globex-rejection", "rejection", 17, ("Globex Hiring Team", GH[0]),
    "Your application to Globex", "2026-10-31 12:00",
    """Hi Sam,

Thank you for applying for the Site Reliability Engineer role. We regret to let you know that we have decided to move forward with other candidates.

Globex Recruiting
https://boards.greenhouse.io/globex""")

# -- Employers Sam never applied to ---------------------------------------------------------------------------------------------
msg("61-hooli-interview-never-applied", "interview", None, ("Maya Chen", "maya.chen@hooli.com"),
    "Interview for Machine Learning Engineer at Hooli", "2026-10-26 13:00",
    """Hi Sam,

Thanks for your application! We would like to invite you to a first interview for the Machine Learning Engineer position. Could you share your availability for next week?

Best,
Maya Chen
Hooli""", alt=False)
msg("62-initech-received-never-logged", "received", None, ("Initech Hiring Team", GH[0]),
    "Thank you for applying to Initech", "2026-10-27 09:30",
    """Hi Sam,

Thanks for applying to Initech! We have received your application for the Software Developer position and will review it soon.

https://boards.greenhouse.io/initech/jobs/7001

Initech Talent""")
msg("63-northwind-solutions-similar-name", "received", None, ("Northwind Solutions Careers", "careers@northwindsolutions.io"),
    "Thank you for applying to Northwind Solutions", "2026-10-22 10:10",
    """Hi Sam,

Thank you for applying to Northwind Solutions. We have received your application for Data Engineer and will be in touch.

Northwind Solutions""")

# -- Not about an application -------------------------------------------------------------------------------------------------
msg("64-greenhouse-password-reset", "other", None, ("Greenhouse", "no-reply@greenhouse.io"),
    "Reset your password", "2026-10-23 22:00",
    """Hi Sam,

We received a request to reset your password for your Greenhouse candidate account. Click the link below to choose a new password:

https://my.greenhouse.io/users/password/edit?reset_password_token=abc123

If you did not ask for this, you can ignore this email.""")
msg("65-greenhouse-candidate-survey", "other", None, ("Northwind Traders Hiring Team", GH[0]),
    "Tell us about your candidate experience at Northwind Traders", "2026-10-25 12:00",
    """Hi Sam,

We're always working to improve our hiring process. Would you take two minutes to tell us about your candidate experience?

Take the survey: https://surveys.greenhouse.io/northwindtraders/abc

Thank you!
Northwind Traders Talent Team""")
msg("66-contoso-newsletter", "other", None, ("Contoso Careers", "careers-news@contoso.com"),
    "Life at Contoso: our November newsletter", "2026-11-01 08:00",
    """Hello from Contoso Careers!

This month: meet our engineering teams in Paris, read about our new office, and join our webinar on careers in cloud engineering.

You are receiving this newsletter because you joined our talent community. Unsubscribe from this list at any time.""",
    headers={"List-Unsubscribe": "<https://contoso.com/unsubscribe>", "Precedence": "bulk"})
msg("67-friend-dinner", "other", None, ("Alex", "alex.r@gmail.com"),
    "Dinner on Saturday?", "2026-10-30 19:30",
    """Hey Sam,

Are you free for dinner on Saturday? We could try the new place near the station.

Alex""", alt=False)
msg("68-de-stepstone-jobalarm", "other", None, ("StepStone Jobagent", "jobagent@stepstone.de"),
    "Neue Jobs für Sie: Datenanalyst", "2026-10-21 06:10",
    """Hallo Sam,

Ihr Jobagent hat 9 neue Stellenangebote für Sie gefunden:

Datenanalyst (m/w/d) - Bergmann Logistik GmbH - Hamburg
Data Analyst - Contoso - Berlin

Alle Jobs ansehen""", headers={"List-Unsubscribe": "<https://www.stepstone.de/abmelden>"}, encoding="qp")
msg("69-workday-verify-email", "other", None, ("Contoso", "contoso@myworkday.com"),
    "Verify your email address", "2026-10-05 22:40",
    """Dear Sam Rivera,

Please verify your email address to finish creating your Contoso candidate account:

https://contoso.wd5.myworkdayjobs.com/en-US/External/verify?token=xyz

Contoso""")

# -- More of each kind --------------------------------------------------------------------------------------------------------------
msg("70-codility-woodgrove", "assessment", 7, ("Codility", "no-reply@codility.com"),
    "Woodgrove Bank invites you to take a Codility test", "2026-10-22 12:00",
    """Hello Sam,

Woodgrove Bank invites you to take a technical assessment as part of your application for Software Engineer.

The test has 3 tasks and takes 120 minutes. Start when you are ready: https://app.codility.com/test/ABCD-EFGH/

Good luck!
The Codility Team""", html_body="auto")
msg("71-testgorilla-tailspin", "assessment", 6, ("TestGorilla", "no-reply@testgorilla.com"),
    "Tailspin Toys has invited you to complete an assessment", "2026-10-20 10:00",
    """Hi Sam,

Tailspin Toys has invited you to complete an assessment for the Product Analyst role. It includes a cognitive ability test and a short questionnaire.

Start your assessment: https://app.testgorilla.com/s/xyz123

TestGorilla""", html_body="auto")
msg("72-ashby-offer", "offer", 5, ("Fabrikam Recruiting", "no-reply@ashbyhq.com"),
    "Your offer from Fabrikam", "2026-11-13 16:45",
    """Hi Sam,

We are thrilled to extend you an offer to join Fabrikam as a Platform Engineer!

Your offer letter is ready to review and sign: https://app.ashbyhq.com/offers/fabrikam/9f8e7d

Welcome aboard (almost)!
Fabrikam Recruiting""")
msg("73-stepstone-bewerbung-versendet", "received", 9, ("StepStone", "noreply@stepstone.de"),
    "Ihre Bewerbung wurde erfolgreich versendet", "2026-10-04 08:58",
    """Hallo Sam Rivera,

Ihre Bewerbung bei Bergmann Logistik GmbH für die Stelle Datenanalyst (m/w/d) ist eingegangen.

Viel Erfolg!
Ihr StepStone-Team""", html_body="auto")
msg("74-lever-interview-health", "interview", 3, ("Northwind Health", "no-reply@hire.lever.co"),
    "Northwind Health: let's schedule your interview", "2026-10-14 15:15",
    """Hi Sam,

Thanks for your interest in the Data Engineer role at Northwind Health. We would like to schedule an interview with our data team. Please use the link below to choose a time:

https://jobs.lever.co/northwind-health/6f1c2a9e-0b7d-4c55-9a61-2f0e8d3b1c77/schedule

Northwind Health People Team""")
msg("75-recruiter-agency-cold", "recruiter", None, ("Jane Porter", "jane@talentbridge-recruiting.com"),
    "Platform role at a fintech in Amsterdam", "2026-11-11 11:00",
    """Hi Sam,

I'm a recruiter at TalentBridge and I came across your profile. I'm reaching out about a Platform Engineer role at a fast-growing fintech in Amsterdam that might interest you.

Would you be open to a quick chat this week?

Jane Porter
TalentBridge Recruiting""", alt=False)


# -- writing ------------------------------------------------------------------------------------------------------------------

def _html_of(text):
    paragraphs = []
    for block in text.split("\n\n"):
        escaped = html.escape(block)
        escaped = re.sub(r"(https?://[^\s<]+)", lambda m: f'<a href="{m.group(1)}">{m.group(1)}</a>', escaped)
        paragraphs.append("<p>" + escaped.replace("\n", "<br>") + "</p>")
    return f"<html><body>{''.join(paragraphs)}</body></html>"


def _calendar(spec):
    return "\r\n".join([
        "BEGIN:VCALENDAR", "PRODID:-//Applied tests//EN", "VERSION:2.0", "METHOD:REQUEST", "BEGIN:VEVENT",
        f"UID:{spec['start']}-{zlib.crc32(spec['summary'].encode())}@tests.invalid", f"DTSTART:{spec['start']}",
        f"SUMMARY:{spec['summary']}", f"ORGANIZER:mailto:{spec['organizer']}", "END:VEVENT", "END:VCALENDAR", ""])


def build(spec):
    """The raw bytes of one message."""
    message = EmailMessage()
    message["From"] = f'"{spec["sender"][0]}" <{spec["sender"][1]}>'
    message["To"] = "Sam Rivera <sam.rivera@example.com>"
    message["Subject"] = spec["subject"]
    when = datetime.strptime(spec["when"], "%Y-%m-%d %H:%M").replace(tzinfo=CET)
    message["Date"] = format_datetime(when)
    message["Message-ID"] = spec["message_id"] or f"<{spec['name']}@tests.applied.invalid>"
    if spec["reply_to"]:
        message["Reply-To"] = spec["reply_to"]
    if spec["in_reply_to"]:
        message["In-Reply-To"] = spec["in_reply_to"]
        message["References"] = spec["in_reply_to"]
    for name, value in spec["headers"].items():
        message[name] = value
    cte = {"qp": "quoted-printable", "base64": "base64", "8bit": "8bit"}[spec["encoding"]]
    html_body = _html_of(spec["text"]) if spec["html_body"] == "auto" else spec["html_body"]
    if spec["text"] is not None:
        message.set_content(spec["text"], charset=spec["charset"], cte=cte)
        if html_body:
            message.add_alternative(html_body, subtype="html", charset="utf-8", cte="quoted-printable")
        elif spec["alt"]:
            message.add_alternative(_html_of(spec["text"]), subtype="html", charset="utf-8", cte="quoted-printable")
    else:
        message.set_content(html_body, subtype="html", charset="utf-8", cte="quoted-printable")
    if spec["calendar"]:
        message.add_attachment(_calendar(spec["calendar"]).encode(), maintype="text", subtype="calendar",
                               filename="invite.ics", params={"method": "REQUEST"})
    for number, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"=_{spec['name']}_{number}")  # the same bytes each time the file is written
    raw = message.as_bytes(policy=SMTP.clone(max_line_length=998))
    if spec["subject"].startswith("=?"):  # written as the mailer encoded it, not as the email package would again
        head, _, body = raw.partition(b"\r\n\r\n")
        head = re.sub(rb"(?m)^Subject: .*(?:\r\n[ \t].*)*", b"Subject: " + spec["subject"].encode("ascii"), head, count=1)
        raw = head + b"\r\n\r\n" + body
    return raw


def main():
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.eml"):
        old.unlink()
    expected = {}
    for spec in M:
        (OUT / f"{spec['name']}.eml").write_bytes(build(spec))
        expected[spec["name"]] = {"kind": spec["kind"], "application_id": spec["application"]}
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(M)} messages to {OUT}")


if __name__ == "__main__":
    main()
