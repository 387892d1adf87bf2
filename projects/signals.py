"""What projects tell the rest of the product, once the change has committed."""

from django.dispatch import Signal

# A student applied (`application_id`): an invitation to that project is now answered.
application_submitted = Signal()
