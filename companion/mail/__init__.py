"""Replies in the person's own mailbox, read on their machine and proposed for one click, never applied by themselves.

``message`` reads one raw message safely (size, parts and nesting capped, charsets that fall back,
HTML read as text in linear time); ``sources`` lists the messages of an mbox file or a Maildir
folder, ``imap`` those of an IMAP account, read-only (``EXAMINE`` and ``BODY.PEEK``); ``classify``
says what a message is (received, rejection, interview, assessment, offer, recruiter or other)
and why; ``hosts`` knows the job boards, applicant tracking systems and mail providers that are
not an employer; ``match`` finds the application a message is about, by evidence only;
``replies`` keeps the proposals in the store and turns a click into history; ``accounts`` keeps
the IMAP accounts (their passwords in the system keyring, through ``passwords``) and checks them;
``checker`` is the running companion's periodic check.
"""
