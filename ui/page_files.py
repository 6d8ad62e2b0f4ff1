"""Streamlit's own page files (its scripts, styles and fonts under ``/static/``), kept in memory and sent gzipped.

A first visit fetches about 110 of them, 3.6 MB. Streamlit reads each from disk through Starlette for every
visitor (about 1 ms of the server's CPU each, on the thread every session's lesson runs on) and sends them
uncompressed, on purpose: compressing at every request costs more CPU than it saves on a fast network. A class
opening the link together on the school's Wi-Fi is the opposite case: 30 students fetch 107 MB at once. So this
middleware, in front of Streamlit (``serve.py``), keeps each file's answer the first time it is asked for, and its
gzipped bytes, made once: every later visitor gets them from memory, 1.6 MB a visit where the browser accepts gzip
(the fonts are compressed already). nginx does the same in front of replicas (``deploy/nginx.conf``).

Only a whole answer Streamlit marks ``immutable`` (its content-hashed bundles) is kept, under a path in its plain
form: the page itself, a conditional or partial request, an unknown path (which Streamlit answers with its index
page), another spelling of a path (``/static/./js/x.js``), an answer cut short by a browser that went away, and
anything else are passed through untouched and never kept; at most :data:`MAX_KEPT` files and
:data:`MAX_KEPT_BYTES` bytes are.
"""
from __future__ import annotations

import asyncio
import gzip
import posixpath
from dataclasses import dataclass

PREFIX = "/static/"
PASS_THROUGH = (b"range", b"if-none-match", b"if-modified-since", b"if-range")  # the file's own handler answers
COMPRESSIBLE = (b"text/", b"application/javascript", b"application/json", b"image/svg+xml", b"font/ttf",
                b"application/manifest+json")
MIN_GZIP_BYTES = 1024  # smaller files gain less than the header costs
MAX_KEPT_BYTES = 96 * 2**20  # Streamlit's whole static folder is about 30 MB; a safety net, not a limit met
MAX_KEPT = 1024  # files; a first visit fetches about 110
MAX_PATH = 256  # characters: Streamlit's longest page file's path is under 100
DROPPED = (b"content-length", b"set-cookie")  # recomputed per answer; a cookie is one visitor's, never replayed


@dataclass(frozen=True)
class Kept:
    """One file's 200 answer: the headers Streamlit sent (less :data:`DROPPED`), the body, and its gzipped bytes
    (or ``None`` where gzip does not pay)."""
    headers: list
    body: bytes
    gzipped: bytes | None


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    return next((v for k, v in headers if k.lower() == name), b"")


def accepts_gzip(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether the request's Accept-Encoding headers allow gzip (``gzip;q=0`` refuses it)."""
    for k, v in headers:
        if k.lower() != b"accept-encoding":
            continue
        for item in v.decode("latin-1").split(","):
            name, *params = [part.strip().lower() for part in item.split(";")]
            if name in ("gzip", "x-gzip"):
                q = next((p[2:] for p in params if p.startswith("q=")), "1")
                try:
                    return float(q) > 0
                except ValueError:
                    return False
    return False


def plain_path(path: str) -> bool:
    """A path in the one spelling Streamlit's page names its files by: no ``.``, ``..`` or empty segment."""
    return len(path) <= MAX_PATH and posixpath.normpath(path) == path and not path.endswith("/")


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
        self._making: set[str] = set()  # paths being compressed: one request compresses a file, not each

    async def __call__(self, scope, receive, send) -> None:
        if (scope["type"] != "http" or scope["method"] not in ("GET", "HEAD")
                or not scope["path"].startswith(PREFIX)):
            return await self.app(scope, receive, send)
        asked = scope["headers"]
        if any(k.lower() in PASS_THROUGH for k, _ in asked):
            return await self.app(scope, receive, send)
        kept = self.kept.get(scope["path"])
        if kept is not None:
            return await self._send(kept, accepts_gzip(asked), scope["method"] == "HEAD", send)
        if scope["method"] == "HEAD" or not plain_path(scope["path"]):
            return await self.app(scope, receive, send)
        await self._keep(scope, receive, send)

    async def _keep(self, scope, receive, send) -> None:
        """Pass the request to Streamlit, send its answer on as it comes, and keep it if it is a whole bundle."""
        messages: list[dict] = []

        async def forward(message: dict) -> None:
            messages.append(message)
            await send(message)

        await self.app(scope, receive, forward)  # an error raised here keeps nothing
        path = scope["path"]
        start = messages[0] if messages else {}
        headers = start.get("headers", [])
        if (start.get("type") != "http.response.start" or start.get("status") != 200
                or b"immutable" not in _header(headers, b"cache-control") or _header(headers, b"content-encoding")
                or path in self.kept or path in self._making or len(self.kept) >= MAX_KEPT):
            return
        # Whole: the last message ends the body, and the body is as long as Streamlit said. A browser that goes away
        # mid-file ends the file's response early, without an error: kept, that cut copy went to every later student.
        if len(messages) < 2 or messages[-1].get("more_body", False):
            return
        body = b"".join(m.get("body", b"") for m in messages[1:])
        length = _header(headers, b"content-length")
        if length and length != str(len(body)).encode():
            return
        if self.kept_bytes + len(body) > MAX_KEPT_BYTES:
            return
        self._making.add(path)
        try:
            # Compressed once, off the event loop: the largest bundle takes a second at level 9 on this machine.
            gzipped = await asyncio.get_running_loop().run_in_executor(
                None, _gzip, body, _header(headers, b"content-type"))
        finally:
            self._making.discard(path)
        size = len(body) + len(gzipped or b"") + len(path)
        if path not in self.kept and self.kept_bytes + size <= MAX_KEPT_BYTES:
            self.kept[path] = Kept([(k, v) for k, v in headers if k.lower() not in DROPPED], body, gzipped)
            self.kept_bytes += size

    @staticmethod
    async def _send(kept: Kept, gzip_ok: bool, head: bool, send) -> None:
        headers = list(kept.headers)
        body = kept.body
        if kept.gzipped is not None:
            headers.append((b"vary", b"Accept-Encoding"))
            if gzip_ok:
                body = kept.gzipped
                headers.append((b"content-encoding", b"gzip"))
                # Another representation: its entity tag is weak, as nginx makes it when it compresses.
                headers = [(k, b"W/" + v if k.lower() == b"etag" and not v.startswith(b"W/") else v)
                           for k, v in headers]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if head else body})
