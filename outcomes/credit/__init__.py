"""Academic credit for an engagement.

A student asks their school to count a finished engagement towards a course. Career
services decide first; they may name a faculty member, who decides through an emailed link
that needs no account. The outcome is shown on the student's own record and in the
registrar's CSV.

Invariants (database constraints as well as service checks):

- a request is for an engagement the employer approved (approved or paid): the hours are
  final and the employer's evaluation is due, so approvers judge finished work;
- one request per engagement that is not withdrawn (a returned request is edited and sent
  again as the same row, so an approved engagement cannot earn credit twice);
- hours are the engagement's logged quarter hours, credits tenths of a credit rounded down
  at the school's rate (hours per credit), both positive integers, never floats;
- each step (sent, approved, returned, withdrawn) is a row naming who, what and when; a
  return always has a comment;
- a faculty link is stored as a SHA-256 hash of its token, opens one request only, expires,
  and is spent by the decision (or revoked when the request leaves the faculty member).

```mermaid
stateDiagram-v2
    [*] --> submitted: student sends
    submitted --> with_faculty: career services approve, naming faculty
    submitted --> approved: career services approve (no faculty)
    submitted --> returned: career services return
    with_faculty --> approved: faculty approve
    with_faculty --> returned: faculty or career services return
    returned --> submitted: student edits and sends again
    submitted --> withdrawn: student
    with_faculty --> withdrawn: student
    returned --> withdrawn: student
```
"""
