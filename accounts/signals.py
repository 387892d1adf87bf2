"""What accounts tell the rest of the product, once the change has committed."""

from django.dispatch import Signal

# A platform admin suspended an organization (`organization_id`): what it has open closes.
organization_suspended = Signal()

# Sent INSIDE the transaction that takes a member off an organization's team, before their
# profile goes: what they supervise for the organization passes to `successor_id`.
team_member_leaving = Signal()

# Sent INSIDE the transaction that merges organization `duplicate_id` into `keep_id`
# (accounts.merging), before every foreign key to the duplicate is repointed: apps settle
# rows that cannot simply move (unique per organization, keys naming it).
organizations_merging = Signal()
