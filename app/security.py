"""Security headers on every response (no inline script anywhere, so the CSP can forbid it), and a JSON 500
for any exception nothing else handled.

Starlette's own 500 comes from its outermost middleware, outside this one: plain text and without these
headers. Catching here (this middleware is added after the body limit, so it wraps every route and handler)
keeps every error JSON ``{"detail"}`` with the headers.
"""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self' data:; frame-ancestors 'self'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)
# ReDoc renders the schema in a web worker it starts from a blob: URL; nothing else differs from CSP.
DOCS_CSP = CSP + "; worker-src 'self' blob:"
HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeadersMiddleware:
    """Pure ASGI (not BaseHTTPMiddleware), so streamed responses pass through unbuffered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"] in ("/docs", "/redoc") else CSP

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.extend(HEADERS)
                headers.append((b"content-security-policy", csp.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            log.exception("unhandled error on %s %s", scope.get("method"), scope["path"])
            if started:  # a stream broke half-way: nothing valid can be sent any more; let the server close it
                raise
            detail = (
                f"internal error ({type(exc).__name__}); this is a bug on our side, not a problem with the "
                "request, and it has been logged"
            )
            body = json.dumps({"detail": detail, "fault": "server"}).encode()
            await send_with_headers(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
                }
            )
            await send_with_headers({"type": "http.response.body", "body": body})
