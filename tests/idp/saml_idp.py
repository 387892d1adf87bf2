"""A school's SAML 2.0 identity provider, run as its own process for the single sign-on tests.

Built on pysaml2's IdP (`saml2.server.Server`), which signs with the xmlsec1 program. It
publishes its metadata, takes the AuthnRequest of a service provider (HTTP-Redirect), asks
for a user name and password from its directory (a JSON file), and posts a signed response
with the person's attributes (mail, givenName, sn, eduPersonPrincipalName,
eduPersonAffiliation, as urn:oid names) back to the service provider's assertion consumer.

Like an identity provider that went wrong or was impersonated, the login form can also
answer unsigned, or signed with another key than the one in the metadata: the service
provider must refuse both.

    python tests/idp/saml_idp.py --port 8660 --key idp.key --cert idp.crt \
        --other-key other.key --other-cert other.crt --directory people.json \
        --sp-metadata http://127.0.0.1:8000/accounts/saml/northbridge-saml/metadata/

The directory: {"user name": {"password": ..., "mail": ..., "givenName": ..., "sn": ...,
"eduPersonAffiliation": ["student"]}}.
"""

import argparse
import html
import json
import shutil
import sys
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

AUTHN = {
    "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
    "authn_auth": "",
}
PERSON_ATTRIBUTES = ("mail", "givenName", "sn", "eduPersonPrincipalName", "eduPersonAffiliation")


def idp_config(*, base_url: str, key: str, cert: str) -> IdPConfig:
    config = IdPConfig()
    config.load(
        {
            "entityid": f"{base_url}/metadata",
            "service": {
                "idp": {
                    "name": "School directory (test)",
                    "endpoints": {
                        "single_sign_on_service": [(f"{base_url}/sso", BINDING_HTTP_REDIRECT)],
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": False,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
            "key_file": key,
            "cert_file": cert,
            "xmlsec_binary": shutil.which("xmlsec1"),
            "metadata": {},
        }
    )
    return config


class IdentityProvider:
    def __init__(self, args):
        self.base_url = args.base_url or f"http://127.0.0.1:{args.port}"
        self.sp_metadata = args.sp_metadata
        self.loaded_sp: set[str] = set()
        self.directory_file = args.directory
        self.server = Server(
            config=idp_config(base_url=self.base_url, key=args.key, cert=args.cert)
        )
        # The same identity provider, but holding a key the service provider never saw.
        self.impostor = Server(
            config=idp_config(base_url=self.base_url, key=args.other_key, cert=args.other_cert)
        )

    def directory(self) -> dict:
        with open(self.directory_file, encoding="utf-8") as file:
            return json.load(file)

    def load_service_providers(self):
        """Read the service providers' metadata once they publish it (on first sign-in)."""
        for url in self.sp_metadata:
            if url in self.loaded_sp:
                continue
            for server in (self.server, self.impostor):
                server.metadata.load("remote", url=url)
            self.loaded_sp.add(url)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ["REQUEST_METHOD"]
        try:
            if path == "/metadata":
                body = create_metadata_string(None, config=self.server.config, valid=24).decode()
                return self.respond(start_response, "200 OK", body, "application/samlmetadata+xml")
            if path == "/sso" and method == "GET":
                query = parse_qs(environ.get("QUERY_STRING", ""))
                return self.login_form(start_response, query, error="")
            if path == "/sso" and method == "POST":
                size = int(environ.get("CONTENT_LENGTH") or 0)
                form = parse_qs(environ["wsgi.input"].read(size).decode())
                return self.sign_in(start_response, form)
        except Exception as exc:  # a bad request: say so, as an identity provider would
            return self.respond(
                start_response, "400 Bad Request", f"<p>{html.escape(str(exc))}</p>"
            )
        return self.respond(start_response, "404 Not Found", "<p>Not found</p>")

    @staticmethod
    def respond(start_response, status, body, content_type="text/html; charset=utf-8"):
        data = body.encode()
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data)))])
        return [data]

    def login_form(self, start_response, query, error):
        request = html.escape(query.get("SAMLRequest", [""])[0])
        relay_state = html.escape(query.get("RelayState", [""])[0])
        message = f'<p role="alert">{html.escape(error)}</p>' if error else ""
        body = f"""<!doctype html><html lang="en"><head><title>School sign-in</title></head>
<body><h1>School sign-in</h1>{message}
<form method="post" action="/sso">
<input type="hidden" name="SAMLRequest" value="{request}">
<input type="hidden" name="RelayState" value="{relay_state}">
<label>User name <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password"></label>
<label>Answer <select name="signature">
<option value="signed">Signed</option>
<option value="unsigned">Unsigned</option>
<option value="other-key">Signed with another key</option>
</select></label>
<button type="submit">Sign in</button>
</form></body></html>"""
        return self.respond(start_response, "200 OK", body)

    def sign_in(self, start_response, form):
        def value(name):
            return form.get(name, [""])[0]

        person = self.directory().get(value("username"))
        if person is None or person.get("password") != value("password"):
            query = {"SAMLRequest": [value("SAMLRequest")], "RelayState": [value("RelayState")]}
            return self.login_form(start_response, query, error="Wrong user name or password.")
        self.load_service_providers()
        signature = value("signature") or "signed"
        server = self.impostor if signature == "other-key" else self.server
        request = server.parse_authn_request(value("SAMLRequest"), BINDING_HTTP_REDIRECT)
        message = request.message
        destination = message.assertion_consumer_service_url
        identity = {name: person[name] for name in PERSON_ATTRIBUTES if name in person}
        for name, values in identity.items():
            identity[name] = values if isinstance(values, list) else [values]
        signed = signature != "unsigned"
        response = server.create_authn_response(
            identity,
            in_response_to=message.id,
            destination=destination,
            sp_entity_id=message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=value("username")),
            authn=AUTHN,
            sign_response=signed,
            sign_assertion=signed,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        http_args = server.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            destination,
            relay_state=value("RelayState"),
            response=True,
        )
        return self.respond(start_response, "200 OK", http_args["data"])


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        sys.stderr.write("saml-idp: " + (format % args) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--base-url", default="")
    parser.add_argument("--key", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--other-key", required=True)
    parser.add_argument("--other-cert", required=True)
    parser.add_argument("--directory", required=True)
    parser.add_argument("--sp-metadata", action="append", default=[])
    args = parser.parse_args()
    app = IdentityProvider(args)
    with make_server("127.0.0.1", args.port, app, handler_class=QuietHandler) as httpd:
        print(f"SAML identity provider on {app.base_url}", flush=True)
        httpd.serve_forever()


if __name__ == "__main__":
    main()
