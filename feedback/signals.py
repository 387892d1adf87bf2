"""What feedback tells the rest of the product, once the change has committed."""

from django.dispatch import Signal

# The employer submitted the final evaluation of the student (`engagement_id`).
student_evaluation_submitted = Signal()
