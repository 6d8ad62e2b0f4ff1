"""``ui.page_files.PageFiles``: Streamlit's content-hashed page files kept in memory after their first request and
sent gzipped where the browser accepts it; everything else passed to Streamlit untouched, and nothing kept that
Streamlit does not mark immutable (an unknown path, answered with the index page, must not fill the memory)."""
from __future__ import annotations

import asyncio
import gzip
import posixpath
import random

import pytest

from ui import page_files
from ui.page_files import PageFiles

JS = b"".join(b"export const v%d = %d;\n" % (i, i * 7) for i in range(600))  # 13 kB of compressible script


class Streamlit:
    """An inner ASGI app answering as Streamlit's static route does; counts the requests it answers."""

    def __init__(self, files: dict[str, tuple[bytes, bytes, bytes]], *, cut: bool = False, cookie: bool = False,
                 pause: float = 0.0):
        self.files = files  # path -> (content type, cache-control, body)
        self.calls: list[str] = []
        self.cut = cut  # the browser went away mid-file: the response stops early, without an error (ASGI 2.3)
        self.cookie = cookie
        self.pause = pause

    async def __call__(self, scope, receive, send):
        self.calls.append(scope["path"])
        kind, cache, body = self.files.get(posixpath.normpath(scope["path"]),
                                           (b"text/html", b"no-cache", b"<html>index</html>"))
        headers = [(b"content-type", kind), (b"cache-control", cache), (b"etag", b'"abc123"'),
                   (b"content-length", str(len(body)).encode()), (b"x-content-type-options", b"nosniff")]
        if self.cookie:
            headers.append((b"set-cookie", b"session=one-visitors-own"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        # Two chunks, as a file response may stream: the middleware must keep them joined.
        half = len(body) // 2
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await asyncio.sleep(self.pause)
        if not self.cut:
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


def test_an_answer_cut_short_is_never_kept():
    """A browser that goes away mid-file ends Streamlit's answer early without an error: kept, the cut copy went
    to every later student (a 4.7 MB script came back 4.06 MB to all)."""
    inner = Streamlit(bundle_app()[0].files, cut=True)
    app = PageFiles(inner)
    get(app, "/static/js/index.abc.js", headers={"Accept-Encoding": "gzip"})
    assert app.kept == {}
    inner.cut = False
    status, headers, body = get(app, "/static/js/index.abc.js", headers={"Accept-Encoding": "gzip"})
    assert body == JS  # whole, from Streamlit
    status, headers, body = get(app, "/static/js/index.abc.js", headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(body) == JS and len(inner.calls) == 2


@pytest.mark.parametrize("path", ["/static/./js/index.abc.js", "/static/js//index.abc.js", "/static/js/x/../index.abc.js",
                                  "/static/js/" + "./" * 5000 + "index.abc.js"],
                         ids=["dot", "double-slash", "dot-dot", "5000-dots"])
def test_another_spelling_of_a_path_is_answered_but_never_kept(path):
    inner, app = bundle_app()
    for _ in range(2):
        assert get(app, path)[2] == JS
    assert app.kept == {} and len(inner.calls) == 2


def test_gzip_refused_with_q_zero_gets_the_plain_file():
    inner, app = bundle_app()
    get(app, "/static/js/index.abc.js")
    for refusal in ("gzip;q=0, identity", "deflate", "br", "GZIP; q=0.0"):
        body = get(app, "/static/js/index.abc.js", headers={"Accept-Encoding": refusal})[2]
        assert body == JS, refusal
    assert gzip.decompress(get(app, "/static/js/index.abc.js", headers={"Accept-Encoding": "br, GZIP;q=0.5"})[2]) == JS


def test_head_of_a_kept_file_says_what_get_would_send():
    inner, app = bundle_app()
    get(app, "/static/js/index.abc.js")
    status, headers, body = get(app, "/static/js/index.abc.js", method="HEAD", headers={"Accept-Encoding": "gzip"})
    got = get(app, "/static/js/index.abc.js", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and body == b"" and headers == got[1]
    assert len(inner.calls) == 1


def test_one_visitors_cookie_is_never_sent_to_another():
    inner = Streamlit(bundle_app()[0].files, cookie=True)
    app = PageFiles(inner)
    assert "set-cookie" in get(app, "/static/js/index.abc.js")[1]  # the first visitor's own answer, untouched
    assert "set-cookie" not in get(app, "/static/js/index.abc.js")[1]


def test_first_requests_at_once_keep_one_copy_counted_once():
    inner = Streamlit(bundle_app()[0].files, pause=0.05)
    app = PageFiles(inner)

    async def many():
        async def one():
            sent = []

            async def send(m):
                sent.append(m)

            async def receive():
                return {"type": "http.request", "body": b""}

            await app({"type": "http", "method": "GET", "path": "/static/js/index.abc.js", "headers": []}, receive, send)
            return b"".join(m.get("body", b"") for m in sent[1:])

        return await asyncio.gather(*(one() for _ in range(5)))

    assert asyncio.run(many()) == [JS] * 5
    assert list(app.kept) == ["/static/js/index.abc.js"]
    kept = app.kept["/static/js/index.abc.js"]
    assert app.kept_bytes == len(kept.body) + len(kept.gzipped) + len("/static/js/index.abc.js")


def test_no_more_files_are_kept_than_the_bound(monkeypatch):
    monkeypatch.setattr(page_files, "MAX_KEPT", 3)
    files = {f"/static/js/p{i}.js": (b"application/javascript", b"public, immutable", JS) for i in range(6)}
    app = PageFiles(Streamlit(files))
    for path in files:
        get(app, path)
    assert len(app.kept) == 3
