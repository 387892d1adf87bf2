"""The page for an error no view handled (urls.handler500).

When the database cannot be reached (a failover, a restart, a network cut), the request
did not fail because of a bug: the answer is 503 with Retry-After, a page that says to try
again, and nothing that needs the database to render. Load balancers and clients retry a
503; the node itself needs no restart, since Django opens a new connection on the next
request (CONN_HEALTH_CHECKS). Every other error stays a plain 500.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


@requires_csrf_token
def server_error(request):
    if database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
