"""The Content-Security-Policy of every page (served by django-csp).

Only our own files run or style a page: no inline script, no inline event handler, no
style attribute (templates use classes from static/css/site.css, behaviour lives in
static/js). Bootstrap's own icons are data: images. Stripe's domains are allowed only when
Stripe keys are set: its script and iframes for the card form, its API for the card form's
calls, its Connect pages as the target of the payout-account form's redirect.
"""

from csp.constants import NONE, SELF

STRIPE_SCRIPTS = ["https://js.stripe.com", "https://*.js.stripe.com"]
STRIPE_FRAMES = [*STRIPE_SCRIPTS, "https://hooks.stripe.com"]
STRIPE_API = ["https://api.stripe.com"]
STRIPE_CONNECT = ["https://connect.stripe.com"]


def content_security_policy(*, stripe: bool) -> dict:
    directives = {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
    if stripe:
        directives["script-src"] += STRIPE_SCRIPTS
        directives["frame-src"] = STRIPE_FRAMES
        directives["connect-src"] += STRIPE_API
        directives["form-action"] += STRIPE_CONNECT
    return {"DIRECTIVES": directives}
