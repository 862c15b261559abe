"""Security headers on every answer of the console (issue 14, Slice C): staff view hostile content, so the
page may run only its own scripts and styles, talk only to its own origin (the gateway), and never be framed.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# 'self' only: no inline script or style, no eval, no other origin; images from the same origin (media
# through the gateway) or data: URLs; nothing may frame the console.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    )
)


def security_headers(hsts_seconds: int = 0) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        # Pages and modules are small: always revalidated, so a new release is picked up at once.
        "Cache-Control": "no-cache",
    }
    if hsts_seconds:
        headers["Strict-Transport-Security"] = f"max-age={hsts_seconds}; includeSubDomains"
    return headers


class SecurityHeadersMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware): sets the headers on every HTTP answer, errors included."""

    def __init__(self, app: ASGIApp, *, hsts_seconds: int = 0) -> None:
        self.app = app
        self.headers = security_headers(hsts_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
