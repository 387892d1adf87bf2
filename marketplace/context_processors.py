from django.conf import settings


def site(request):
    """What every page may show about the site itself."""
    return {"support_email": settings.SUPPORT_EMAIL}
