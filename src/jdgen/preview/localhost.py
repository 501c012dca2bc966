"""The preview's guard at its door: it answers only requests addressed to this machine, and every
answer carries headers that let a page load and run nothing but the preview's own files."""

from __future__ import annotations

from aiohttp import web

# What a page may load and run: its own script, style and pictures from this server, nothing else.
_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": _POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@web.middleware
async def local_only(request: web.Request, handler) -> web.StreamResponse:
    """Only requests addressed to this machine's preview: a page of another site that points its
    own name at 127.0.0.1 (DNS rebinding) gets no answer but 421, so it cannot read the project."""
    port = request.transport.get_extra_info("sockname")[1] if request.transport else None
    hosts = request.headers.getall("Host", [])
    allowed = {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}
    if len(hosts) != 1 or hosts[0].lower() not in allowed:
        raise web.HTTPMisdirectedRequest(
            text="jdgen serve answers only to 127.0.0.1, localhost and [::1]\n", headers=HEADERS
        )
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        exc.headers.update(HEADERS)
        raise
    if not response.prepared:  # the events' stream set its own headers when it started
        response.headers.update(HEADERS)
    return response
