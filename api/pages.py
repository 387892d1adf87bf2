"""The API page (Settings → API): make, see and revoke API tokens and OAuth2 clients."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required
from accounts.models import Role
from api import oauth, tokens
from api.forms import TokenForm
from api.scopes import SCOPES
from marketplace.forms import add_service_errors

SHOWN_ONCE_KEY = "api.new_token"
CLIENT_SHOWN_ONCE_KEY = "api.new_client"
ROLES = (Role.STUDENT, Role.EMPLOYER, Role.CAREER_STAFF)


def _render(request, *, form=None, client_form=None, status=200):
    holder = tokens.holder_of(request.user)
    context = {"holder": holder, "scopes": SCOPES}
    if holder is not None:
        context |= {
            "tokens": list(tokens.tokens_of(holder)),
            "may_manage": tokens.may_manage(request.user),
            "form": form or TokenForm(kind=holder.kind),
            "new_token": request.session.pop(SHOWN_ONCE_KEY, None),
            "clients_enabled": holder.kind in oauth.CLIENT_KINDS,
            "clients": list(oauth.clients_of(holder)),
            "client_form": client_form or TokenForm(kind=holder.kind, prefix="client"),
            "new_client": request.session.pop(CLIENT_SHOWN_ONCE_KEY, None),
            "token_url": request.build_absolute_uri(reverse("api:oauth_token")),
            "api_root": request.build_absolute_uri(reverse("api:me")).removesuffix("me/"),
        }
    return render(request, "api/tokens.html", context, status=status)


@role_required(*ROLES)
@require_GET
def token_list(request):
    return _render(request)


@role_required(*ROLES)
@require_http_methods(["POST"])
def token_create(request):
    holder = tokens.holder_of(request.user)
    if holder is None:
        return _render(request, status=404)
    form = TokenForm(request.POST, kind=holder.kind)
    if form.is_valid():
        try:
            token, secret = tokens.token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[SHOWN_ONCE_KEY] = {"id": token.pk, "secret": secret}
            messages.success(request, "Token made. Copy it now: it is shown only once.")
            return redirect("api_settings:tokens")
    return _render(request, form=form, status=400)


@role_required(*ROLES)
@require_POST
def token_revoke(request, pk: int):
    token = tokens.token_for_owner_or_404(request.user, pk)
    tokens.token_revoke(actor=request.user, token=token)
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("api_settings:tokens")


@role_required(Role.EMPLOYER, Role.CAREER_STAFF)
@require_http_methods(["POST"])
def client_create(request):
    holder = tokens.holder_of(request.user)
    if holder is None:
        return _render(request, status=404)
    form = TokenForm(request.POST, kind=holder.kind, prefix="client")
    if form.is_valid():
        try:
            client, secret = oauth.client_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[CLIENT_SHOWN_ONCE_KEY] = {
                "client_id": client.client_id,
                "secret": secret,
            }
            messages.success(request, "Client made. Copy its secret now: it is shown only once.")
            return redirect("api_settings:tokens")
    return _render(request, client_form=form, status=400)


@role_required(Role.EMPLOYER, Role.CAREER_STAFF)
@require_POST
def client_revoke(request, pk: int):
    client = oauth.client_for_owner_or_404(request.user, pk)
    oauth.client_revoke(actor=request.user, client=client)
    messages.success(request, f"The client “{client.name}” is revoked: it no longer works.")
    return redirect("api_settings:tokens")
