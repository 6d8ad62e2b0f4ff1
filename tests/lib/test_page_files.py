"""``ui.page_files.PageFiles``: Streamlit's content-hashed page files kept in memory after their first request and
sent gzipped where the browser accepts it; everything else passed to Streamlit untouched, and nothing kept that
Streamlit does not mark immutable (an unknown path, answered with the index page, must not fill the memory)."""
from __future__ import annotations

import asyncio
import gzip
import random

import pytest

from ui import page_files
from ui.page_files import PageFiles

JS = b"".join(b"export const v%d = %d;\n" % (i, i * 7) for i in range(600))  # 13 kB of compressible script


class Streamlit:
    """An inner ASGI app answering as Streamlit's static route does; counts the requests it answers."""

    def __init__(self, files: dict[str, tuple[bytes, bytes, bytes]]):
        self.files = files  # path -> (content type, cache-control, body)
        self.calls: list[str] = []

    async def __call__(self, scope, receive, send):
        self.calls.append(scope["path"])
        kind, cache, body = self.files.get(scope["path"], (b"text/html", b"no-cache", b"<html>index</html>"))
        headers = [(b"content-type", kind), (b"cache-control", cache), (b"etag", b'"abc123"'),
                   (b"content-length", str(len(body)).encode()), (b"x-content-type-options", b"nosniff")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        # Two chunks, as a file response may stream: the middleware must keep them joined.
        half = len(body) // 2
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body[half:]})


def get(app, path: str, *, method: str = "GET", headers: dict[str, str] | None = None):
    """One request through ``app``: (status, headers as a dict of lists, body)."""
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path,
             "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]}
    asyncio.run(app(scope, receive, send))
    out: dict[str, list[str]] = {}
    for k, v in sent[0]["headers"]:
        out.setdefault(k.decode().lower(), []).append(v.decode())
    return sent[0]["status"], out, b"".join(m.get("body", b"") for m in sent[1:])


def bundle_app():
    inner = Streamlit({"/static/js/index.abc.js": (b"application/javascript", b"public, immutable, max-age=31536000", JS),
                       "/static/css/tiny.abc.css": (b"text/css", b"public, immutable, max-age=31536000", b"a{b:c}"),
                       "/static/media/font.abc.woff2": (b"font/woff2", b"public, immutable, max-age=31536000",
                                                        random.Random(0).randbytes(5000))})
    return inner, PageFiles(inner)


def test_a_bundle_is_fetched_from_streamlit_once_then_sent_from_memory_gzipped():
    inner, app = bundle_app()
    status, headers, body = get(app, "/static/js/index.abc.js", headers={"Accept-Encoding": "gzip, deflate"})
    assert status == 200 and body == JS and "content-encoding" not in headers  # the first, as Streamlit sent it
    for _ in range(3):
        status, headers, body = get(app, "/static/js/index.abc.js", headers={"Accept-Encoding": "gzip, deflate"})
        assert status == 200
        assert headers["content-encoding"] == ["gzip"] and gzip.decompress(body) == JS
        assert len(body) < len(JS) / 3
        assert headers["content-length"] == [str(len(body))]
        assert headers["etag"] == ['W/"abc123"']  # another representation of the same file
        assert headers["vary"] == ["Accept-Encoding"]
        assert headers["content-type"] == ["application/javascript"]
        assert headers["x-content-type-options"] == ["nosniff"]  # Streamlit's own headers kept
        assert headers["cache-control"] == ["public, immutable, max-age=31536000"]
    assert inner.calls == ["/static/js/index.abc.js"]


def test_a_browser_that_does_not_accept_gzip_gets_the_plain_file():
    inner, app = bundle_app()
    get(app, "/static/js/index.abc.js")
    status, headers, body = get(app, "/static/js/index.abc.js")
    assert body == JS and "content-encoding" not in headers and headers["content-length"] == [str(len(JS))]
    assert headers["etag"] == ['"abc123"'] and headers["vary"] == ["Accept-Encoding"]
    assert len(inner.calls) == 1


@pytest.mark.parametrize("path", ["/static/css/tiny.abc.css", "/static/media/font.abc.woff2"])
def test_what_gzip_cannot_shrink_is_kept_but_sent_as_it_is(path):
    inner, app = bundle_app()
    first = get(app, path, headers={"Accept-Encoding": "gzip"})
    again = get(app, path, headers={"Accept-Encoding": "gzip"})
    assert again[2] == first[2] == inner.files[path][2]
    assert "content-encoding" not in again[1] and "vary" not in again[1]
    assert len(inner.calls) == 1


def test_an_unknown_path_is_passed_to_streamlit_every_time_and_never_kept():
    inner, app = bundle_app()
    paths = [f"/static/js/no-such-{i}.js" for i in range(50)] + ["/static/../../etc/passwd"]
    for path in paths * 2:
        status, headers, body = get(app, path, headers={"Accept-Encoding": "gzip"})
        assert body == b"<html>index</html>" and headers["cache-control"] == ["no-cache"]
    assert inner.calls == paths * 2
    assert app.kept == {} and app.kept_bytes == 0


@pytest.mark.parametrize("headers", [{"Range": "bytes=0-99"}, {"If-None-Match": '"abc123"'},
                                     {"If-Modified-Since": "Tue, 08 Dec 2026 00:00:00 GMT"}])
def test_a_partial_or_conditional_request_is_answered_by_streamlit(headers):
    inner, app = bundle_app()
    get(app, "/static/js/index.abc.js")
    get(app, "/static/js/index.abc.js", headers=headers)
    assert len(inner.calls) == 2


@pytest.mark.parametrize("method, path", [("HEAD", "/static/js/index.abc.js"), ("POST", "/static/js/index.abc.js"),
                                          ("GET", "/"), ("GET", "/_stcore/health"), ("GET", "/app/static/x.ttf")])
def test_anything_but_a_get_of_a_page_file_is_streamlits(method, path):
    inner, app = bundle_app()
    for _ in range(2):
        get(app, path, method=method)
    assert inner.calls == [path, path] and app.kept == {}


def test_what_is_kept_stays_under_its_bound(monkeypatch):
    bound = 2 * len(JS)  # one script and its gzipped bytes, not two
    monkeypatch.setattr(page_files, "MAX_KEPT_BYTES", bound)
    files = {f"/static/js/part{i}.js": (b"application/javascript", b"public, immutable", JS) for i in range(4)}
    inner = Streamlit(files)
    app = PageFiles(inner)
    for path in files:
        get(app, path)
    assert app.kept_bytes <= bound and len(app.kept) == 1
    for path in list(files)[1:]:  # not kept: still answered, by Streamlit
        assert get(app, path)[2] == JS
    assert len(inner.calls) == 7
