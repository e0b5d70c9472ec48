"""A CAS 3.0 server for the tests, answering as the CAS protocol specification says.

- ``GET /cas/login?service=…`` shows a credential form; ``POST /cas/login`` checks it, issues a
  single-use service ticket ``ST-…`` and redirects to ``service?ticket=ST-…`` (spec §2.1, §2.2, §3.1).
- ``GET /cas/serviceValidate`` (CAS 2.0) and ``/cas/p3/serviceValidate`` (CAS 3.0, with attributes)
  answer ``cas:serviceResponse`` XML: ``authenticationSuccess`` with ``cas:user`` (and
  ``cas:attributes`` on /p3/), or ``authenticationFailure`` with the codes INVALID_REQUEST,
  INVALID_TICKET_SPEC, INVALID_TICKET and INVALID_SERVICE (spec §2.5, §2.6, appendix A).
- A ticket is valid once, for the service it was issued to, for ``ticket_seconds`` (spec §3.1.1
  recommends at most five minutes; the tests shorten it to see an expired ticket refused).
"""

from __future__ import annotations

import html
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit
from xml.sax.saxutils import escape


@dataclass
class CasUser:
    password: str
    attributes: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _Ticket:
    service: str
    username: str
    issued: float


class CasServer:
    """Runs on a thread on 127.0.0.1; ``url`` is the CAS base (``http://127.0.0.1:P/cas``)."""

    def __init__(self, users: dict[str, CasUser], ticket_seconds: float = 300.0) -> None:
        self.users = users
        self.ticket_seconds = ticket_seconds
        self.tickets: dict[str, _Ticket] = {}
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/cas"

    def start(self) -> CasServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def issue(self, username: str, service: str) -> str:
        """A fresh service ticket, as a successful /login would issue it."""
        ticket = "ST-" + secrets.token_urlsafe(24)
        with self.lock:
            self.tickets[ticket] = _Ticket(service, username, time.monotonic())
        return ticket

    def age_tickets(self, seconds: float) -> None:
        """Make every outstanding ticket ``seconds`` older (to see expiry without waiting)."""
        with self.lock:
            for ticket in self.tickets.values():
                ticket.issued -= seconds

    # --- protocol ------------------------------------------------------------------------------

    def validate(self, service: str | None, ticket: str | None, *, attributes: bool) -> str:
        if not service or not ticket:
            return _failure("INVALID_REQUEST", "'service' and 'ticket' parameters are both required")
        if not ticket.startswith("ST-"):
            return _failure("INVALID_TICKET_SPEC", f"Ticket {ticket} is not a service ticket")
        with self.lock:
            issued = self.tickets.pop(ticket, None)  # single use, whatever the outcome
        if issued is None:
            return _failure("INVALID_TICKET", f"Ticket {ticket} not recognized")
        if time.monotonic() - issued.issued > self.ticket_seconds:
            return _failure("INVALID_TICKET", f"Ticket {ticket} has expired")
        if issued.service != service:
            return _failure("INVALID_SERVICE", f"Ticket {ticket} does not match supplied service")
        user = self.users[issued.username]
        parts = [f"<cas:user>{escape(issued.username)}</cas:user>"]
        if attributes:
            values = "".join(
                f"<cas:{name}>{escape(value)}</cas:{name}>"
                for name, items in user.attributes.items()
                for value in items
            )
            parts.append(
                "<cas:attributes>"
                "<cas:authenticationDate>2026-01-01T00:00:00Z</cas:authenticationDate>"
                "<cas:longTermAuthenticationRequestTokenUsed>false</cas:longTermAuthenticationRequestTokenUsed>"
                "<cas:isFromNewLogin>true</cas:isFromNewLogin>"
                f"{values}</cas:attributes>"
            )
        return _response("<cas:authenticationSuccess>" + "".join(parts) + "</cas:authenticationSuccess>")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # quiet
                return

            def _send(
                self, status: int, body: str, content_type: str, headers: dict[str, str] | None = None
            ) -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path == "/cas/login":
                    if not query.get("service"):
                        self._send(400, "service is required", "text/plain")
                        return
                    self._send(200, _form(query["service"], ""), "text/html; charset=utf-8")
                elif parts.path in ("/cas/serviceValidate", "/cas/p3/serviceValidate"):
                    body = server.validate(
                        query.get("service"),
                        query.get("ticket"),
                        attributes=parts.path.startswith("/cas/p3/"),
                    )
                    self._send(200, body, "application/xml; charset=utf-8")
                else:
                    self._send(404, "not found", "text/plain")

            def do_POST(self) -> None:
                if urlsplit(self.path).path != "/cas/login":
                    self._send(404, "not found", "text/plain")
                    return
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                service, username = form.get("service", ""), form.get("username", "")
                user = server.users.get(username)
                if user is None or not secrets.compare_digest(user.password, form.get("password", "")):
                    self._send(401, _form(service, "Invalid credentials."), "text/html; charset=utf-8")
                    return
                ticket = server.issue(username, service)
                target = urlsplit(service)
                query = (target.query + "&" if target.query else "") + urlencode({"ticket": ticket})
                self._send(303, "", "text/plain", {"Location": urlunsplit(target._replace(query=query))})

        return Handler


def _response(inner: str) -> str:
    return f"<cas:serviceResponse xmlns:cas='http://www.yale.edu/tp/cas'>{inner}</cas:serviceResponse>"


def _failure(code: str, message: str) -> str:
    return _response(
        f'<cas:authenticationFailure code="{code}">{escape(message)}</cas:authenticationFailure>'
    )


def _form(service: str, error: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><title>Central Authentication Service</title></head><body>"
        "<main><h1>Central Authentication Service</h1>"
        + (f"<p role='alert'>{html.escape(error)}</p>" if error else "")
        + "<form method='post' action='/cas/login'>"
        f"<input type='hidden' name='service' value='{html.escape(service, quote=True)}'>"
        "<label for='username'>NetID</label><input id='username' name='username'>"
        "<label for='cas-password'>Password</label><input id='cas-password' name='password' type='password'>"
        "<button type='submit'>Log in</button></form></main></body></html>"
    )
