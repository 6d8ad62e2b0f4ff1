"""HTTP as a browser context does it: keep-alive GETs, six connections, and the files a fresh page fetches."""
from __future__ import annotations

import asyncio
import gzip
import posixpath
import re
import zlib
from dataclasses import dataclass

from bench.harness.wire.config import HTTP_CONNECTIONS, STATIC_DIR


# ----------------------------------------------------------------------------- HTTP, as a browser
class HttpPool:
    """Keep-alive HTTP/1.1 GETs, at most HTTP_CONNECTIONS at once: one browser context's connections."""

    def __init__(self, host: str, port: int, user_agent: str, source: str | None = None):
        self.host, self.port = host, port
        self.local_addr = (source, 0) if source else None  # the student's own address (behind a balancer)
        self.headers = {"Host": f"{host}:{port}", "User-Agent": user_agent, "Accept": "*/*",
                        "Accept-Encoding": "gzip, deflate", "Accept-Language": "en-US"}
        self.cookies: dict[str, str] = {}
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._slots = asyncio.Semaphore(HTTP_CONNECTIONS)
        self.requests = 0
        self.bytes = 0

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def get(self, path: str, decode: bool = False) -> tuple[int, bytes]:
        async with self._slots:
            for attempt in range(2):  # a kept-alive connection the server closed meanwhile: once more, fresh
                reuse = attempt == 0 and self._idle  # the retry is on a new connection, as a browser's
                conn = self._idle.pop() if reuse else await asyncio.open_connection(
                    self.host, self.port, local_addr=self.local_addr)
                try:
                    status, headers, body, keep = await self._exchange(conn, path)
                    break
                except (ConnectionError, asyncio.IncompleteReadError):
                    conn[1].close()
                    if attempt:
                        raise
            if keep:
                self._idle.append(conn)
            else:
                conn[1].close()
        self.requests += 1
        self.bytes += len(body)
        for value in headers.get("set-cookie", []):
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if decode:
            enc = (headers.get("content-encoding") or [""])[0]
            if enc == "gzip":
                body = gzip.decompress(body)
            elif enc == "deflate":
                body = zlib.decompress(body)
        return status, body

    async def _exchange(self, conn, path: str):
        reader, writer = conn
        head = [f"GET {path} HTTP/1.1"] + [f"{k}: {v}" for k, v in self.headers.items()]
        if self.cookies:
            head.append(f"Cookie: {self.cookie_header()}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        await writer.drain()
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionError("connection closed")
        status = int(status_line.split()[1])
        headers: dict[str, list[str]] = {}
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            k, _, v = line.decode("latin-1").partition(":")
            headers.setdefault(k.strip().lower(), []).append(v.strip())
        if "chunked" in (headers.get("transfer-encoding") or [""])[0].lower():
            parts = []
            while (size := int((await reader.readline()).split(b";")[0], 16)):
                parts.append(await reader.readexactly(size))
                await reader.readline()
            while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                pass
            body = b"".join(parts)
        elif "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"][0]))
        else:
            body = await reader.read()
        keep = (headers.get("connection") or [""])[0].lower() != "close"
        return status, headers, body, keep

    def close(self) -> None:
        for _, writer in self._idle:
            writer.close()
        self._idle.clear()


@dataclass
class StaticAssets:
    """What a fresh browser GETs on opening the page, read once from the installed Streamlit build."""

    first: list[str]  # named by index.html (scripts, module preloads, stylesheet, preloaded font), two fonts
    lazy: dict[str, list[str]]  # element chunk name -> the files it imports (itself first)

    @classmethod
    def load(cls) -> StaticAssets:
        html = (STATIC_DIR / "index.html").read_text()
        first = []
        for tag in re.findall(r"<(?:script|link)\b[^>]*>", html):
            rel = re.search(r'\brel="([^"]+)"', tag)
            ref = re.search(r'\b(?:src|href)="\./([^"]+)"', tag)
            if ref and (tag.startswith("<script") or (rel and rel.group(1) in ("modulepreload", "stylesheet", "preload"))):
                first.append("/" + ref.group(1))
        main_js = next(p for p in first if p.endswith(".js") and "/index." in p)
        js = (STATIC_DIR / main_js.lstrip("/")).read_text()
        files = re.search(r"m\.f\|\|\(m\.f=\[(.*?)\]\)", js)
        names = [posixpath.normpath("/static/js/" + n) for n in re.findall(r'"([^"]+)"', files.group(1))] if files else []
        lazy = {}
        for chunk, deps in re.findall(r"import\(`\./([\w.\-]+\.js)`\),__vite__mapDeps\(\[([\d,]*)\]\)", js):
            lazy.setdefault(chunk.split(".")[0], [names[int(i)] for i in deps.split(",") if i and int(i) < len(names)])
        media = {p.name.split(".")[0]: "/static/media/" + p.name for p in (STATIC_DIR / "static" / "media").glob("*.woff2")}
        # Two more fonts Chromium loaded on every opening of this page (icons, code).
        first += [media[f] for f in ("MaterialSymbols-Rounded", "SourceCodeVF-Upright") if f in media]
        return cls(first, lazy)
