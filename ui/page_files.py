"""Streamlit's own page files (its scripts, styles and fonts under ``/static/``), kept in memory and sent gzipped.

A first visit fetches about 110 of them, 3.5 MB. Streamlit reads each from disk through Starlette for every
visitor (about 1 ms of the server's CPU each, on the thread every session's lesson runs on) and sends them
uncompressed, on purpose: compressing at every request costs more CPU than it saves on a fast network. A class
opening the link together on the school's Wi-Fi is the opposite case: 30 students fetch 105 MB at once. So this
middleware, in front of Streamlit (``serve.py``), keeps each file's answer the first time it is asked for, and its
gzipped bytes, made once: every later visitor gets them from memory, a quarter of the size where the browser
accepts gzip. nginx does the same in front of replicas (``deploy/nginx.conf``).

Only Streamlit's content-hashed bundles are kept (its answer says ``immutable``): the page itself, a conditional
or partial request, and anything else are passed through untouched, so an unknown path (which Streamlit answers
with its index page) is never kept, and what is kept is bounded by Streamlit's own static folder.
"""
from __future__ import annotations

import asyncio
import gzip
from dataclasses import dataclass

PREFIX = "/static/"
PASS_THROUGH = (b"range", b"if-none-match", b"if-modified-since", b"if-range")  # the file's own handler answers
COMPRESSIBLE = (b"text/", b"application/javascript", b"application/json", b"image/svg+xml", b"font/ttf",
                b"application/manifest+json")
MIN_GZIP_BYTES = 1024  # smaller files gain less than the header costs
MAX_KEPT_BYTES = 96 * 2**20  # Streamlit's whole static folder is about 30 MB; a safety net, not a limit met


@dataclass(frozen=True)
class Kept:
    """One file's answer: status line and headers as Streamlit sent them, the body, and its gzipped bytes (or
    ``None`` where gzip does not pay)."""
    start: dict
    body: bytes
    gzipped: bytes | None


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    return next((v for k, v in headers if k.lower() == name), b"")


def _gzip(body: bytes, content_type: bytes) -> bytes | None:
    if len(body) < MIN_GZIP_BYTES or not content_type.startswith(COMPRESSIBLE):
        return None
    packed = gzip.compress(body, compresslevel=9, mtime=0)
    return packed if len(packed) < len(body) else None


class PageFiles:
    """ASGI middleware: Streamlit's content-hashed page files from memory, gzipped where the browser accepts it."""

    def __init__(self, app) -> None:
        self.app = app
        self.kept: dict[str, Kept] = {}
        self.kept_bytes = 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(PREFIX):
            return await self.app(scope, receive, send)
        asked = scope["headers"]
        if any(k.lower() in PASS_THROUGH for k, _ in asked):
            return await self.app(scope, receive, send)
        kept = self.kept.get(scope["path"])
        if kept is None:
            return await self._keep(scope, receive, send)
        accepts_gzip = b"gzip" in _header(asked, b"accept-encoding")
        await self._send(kept, accepts_gzip, send)

    async def _keep(self, scope, receive, send) -> None:
        """Pass the request to Streamlit, send its answer on as it comes, and keep it if it is a bundle."""
        messages: list[dict] = []

        async def forward(message: dict) -> None:
            messages.append(message)
            await send(message)

        await self.app(scope, receive, forward)
        start = messages[0] if messages else {}
        headers = start.get("headers", [])
        if (start.get("type") != "http.response.start" or start.get("status") != 200
                or b"immutable" not in _header(headers, b"cache-control") or _header(headers, b"content-encoding")):
            return
        body = b"".join(m.get("body", b"") for m in messages[1:])
        if self.kept_bytes + len(body) > MAX_KEPT_BYTES:
            return
        # Compressed once, off the event loop: the largest bundle takes a tenth of a second at level 9.
        gzipped = await asyncio.get_running_loop().run_in_executor(
            None, _gzip, body, _header(headers, b"content-type"))
        size = len(body) + len(gzipped or b"")
        if self.kept_bytes + size <= MAX_KEPT_BYTES:
            self.kept[scope["path"]] = Kept(start, body, gzipped)
            self.kept_bytes += size

    @staticmethod
    async def _send(kept: Kept, accepts_gzip: bool, send) -> None:
        headers = [(k, v) for k, v in kept.start["headers"] if k.lower() != b"content-length"]
        body = kept.body
        if kept.gzipped is not None:
            headers.append((b"vary", b"Accept-Encoding"))
            if accepts_gzip:
                body = kept.gzipped
                headers.append((b"content-encoding", b"gzip"))
                # Another representation: its entity tag is weak, as nginx makes it when it compresses.
                headers = [(k, b"W/" + v if k.lower() == b"etag" and not v.startswith(b"W/") else v)
                           for k, v in headers]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
