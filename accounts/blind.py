"""What an employer reads about a student before shortlisting them (blind review).

Before shortlisting, employers see a student's skills, bio and application, never their name,
school, major, graduation year, résumé or links. The bio is the student's own words and may
name them anyway ("I'm Maya, a junior at Northbridge…"), so it is shown with everything we
know identifies the student masked: their names, their school's name, short name and email
domain, their major, and any email address, web address or phone number (a LinkedIn link is
a name). The profile form asks students to leave such details out; the mask catches what
slips through. After shortlisting, the employer reads the bio as written.
"""

import re

from accounts.models import StudentProfile

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WEB = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|io|dev|me|co|app|ai|us|info|page|site)\b(?:/\S*)?",
    re.IGNORECASE,
)
PHONE = re.compile(r"(?<!\w)\+?\d[\d ().-]{6,}\d(?!\w)")
PHONE_DIGITS = 9  # fewer is a year range or a figure, not a phone number


def _mask(text: str, words: list[str], label: str) -> str:
    # Longest first, so "Jane Doe" goes before "Jane"; whole words only, any case.
    for word in sorted({w.strip() for w in words if len(w.strip()) > 1}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", label, text, flags=re.IGNORECASE)
    return text


def blind_bio(profile: StudentProfile) -> str:
    """The bio as an employer reads it before shortlisting. Needs `user` and `school`."""
    text = EMAIL.sub("[email]", profile.bio)
    text = WEB.sub("[link]", text)
    text = PHONE.sub(
        lambda m: "[phone]" if sum(c.isdigit() for c in m[0]) >= PHONE_DIGITS else m[0], text
    )
    user, school = profile.user, profile.school
    text = _mask(
        text,
        [
            user.get_full_name(),
            *user.first_name.split(),
            *user.last_name.split(),
            user.email.split("@")[0],
        ],
        "[name]",
    )
    domain_name = school.email_domain.split(".")[0] if school.email_domain else ""
    text = _mask(text, [school.name, school.short_name, domain_name], "[school]")
    return _mask(text, [profile.major], "[major]")
