"""What accounts tell the rest of the product, once the change has committed."""

from django.dispatch import Signal

# A platform admin suspended an organization (`organization_id`): what it has open closes.
organization_suspended = Signal()
