"""What oversight tells the rest of the product, once the change has committed."""

from django.dispatch import Signal

# A flag was opened (`flag_id`): by career staff, or by an integrity rule.
flag_raised = Signal()
