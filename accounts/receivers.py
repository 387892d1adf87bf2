"""Reactions to allauth's email signals: a confirmed or removed address may change
whether a student's school affiliation is verified (accounts.affiliation); a confirmed
address clears its bounces (accounts.bounces)."""

from allauth.account.signals import email_confirmed, email_removed
from django.dispatch import receiver

from accounts.affiliation import affiliation_check
from accounts.bounces import email_bounces_clear
from accounts.models import Role


@receiver(email_confirmed, dispatch_uid="affiliation_on_email_confirmed")
def _address_confirmed(sender, request, email_address, **kwargs):
    # Confirmed again: mail reaches the address, so an earlier bounce no longer counts.
    email_bounces_clear(user=email_address.user, email=email_address.email)
    if email_address.user.role == Role.STUDENT:
        affiliation_check(user=email_address.user)


@receiver(email_removed, dispatch_uid="affiliation_on_email_removed")
def _address_removed(sender, request, user, email_address, **kwargs):
    if user.role == Role.STUDENT:
        affiliation_check(user=user)
