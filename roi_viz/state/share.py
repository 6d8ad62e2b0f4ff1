"""The link a class opens, and its QR code for the projector.

A teacher's browser often knows the page by a name the students cannot reach
(``localhost`` on a laptop, a host behind a proxy). The address students use is
therefore a *base* the teacher gives once, by the ``ROI_VIZ_PUBLIC_URL``
environment variable or in the page's QR panel, else the browser's own address;
the students' link is that base plus the page's query string, without
``present=1`` (whoever presents turns presenter mode on for their own screen).

A base is a plain ``http`` or ``https`` address with a host, an optional port
and an optional path prefix (``https://class.example.org/roi``); anything else
(another scheme, a login in it, a query, a fragment, spaces, control characters)
is refused with a sentence, never interpreted. The QR code is made by ``segno``
and rendered dark on white with the standard quiet zone of four modules.

Nothing here imports Streamlit: the page (``ui.teacher``) shows what this builds.
"""
from __future__ import annotations

import io
import ipaddress
import re
from collections.abc import Mapping, Sequence
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from ..language import _

ENV = "ROI_VIZ_PUBLIC_URL"  # the address students use, set once where the app is started
BASE_MAX_CHARS = 500  # a base is an address, not a document
QUIET_ZONE = 4  # modules of white around the code (ISO/IEC 18004's quiet zone)
DROPPED = ("present",)  # parameters that belong to the presenter's screen, not to the students' page

_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?")


class BadBase(ValueError):
    """A base address that students could not use; its message is one sentence for the page."""


class TooLong(ValueError):
    """A link too long for a QR code; its message is one sentence for the page."""


def check_base(text: str) -> str:
    """The address students use, checked and written canonically, or :class:`BadBase` with a sentence.

    ``text``: what the teacher typed or set, e.g. ``http://10.0.0.5:8501`` or
    ``https://class.example.org/roi/``. Returns ``scheme://host[:port]/path/``:
    the scheme and host in lower case, an international host name in its ASCII
    (IDNA) form, the path ending in exactly one ``/`` (so ``/roi`` and ``/roi/``
    give the same link), characters outside ASCII in the path percent-encoded.
    """
    if not isinstance(text, str):
        raise BadBase(_("The address students use must be text, such as http://10.0.0.5:8501."))
    text = text.strip()
    if not text:
        raise BadBase(_("The address students use is empty: type one such as http://10.0.0.5:8501."))
    if len(text) > BASE_MAX_CHARS:
        raise BadBase(_("The address students use is {n} characters long; an address of the page has at most "
                        "{most}.").format(n=f"{len(text):,}", most=BASE_MAX_CHARS))
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        raise BadBase(_("The address students use cannot contain spaces or control characters."))
    if "\\" in text:
        raise BadBase(_("The address students use cannot contain a backslash; paths in addresses use “/”."))
    try:
        parts = urlsplit(text)
        port = parts.port  # raises on a port that is not a number from 0 to 65535
    except ValueError:
        raise BadBase(_("The address students use has a port that is not a number from 1 to 65535.")) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BadBase(_("The address students use must start with http:// or https://, for example "
                      "http://10.0.0.5:8501."))
    odd = sorted(set(text) & set('<>"{}|^`'))
    if odd:
        raise BadBase(_("The address students use has {chars}, not allowed in an address.").format(
            chars=" ".join(odd)))
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise BadBase(_("The address students use cannot hold a user name or password: everyone in the room "
                      "would read it from the projector."))
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise BadBase(_("The address students use ends at its path: the page adds its own settings after “?”, "
                      "so leave out “?” and “#”."))
    if port == 0:
        raise BadBase(_("The address students use has a port that is not a number from 1 to 65535."))
    host = _host(parts.hostname or "")
    netloc = host + (f":{port}" if port is not None else "")
    path = parts.path.rstrip("/")
    path = quote(path, safe="/%:@!$&'()*+,;=-._~") + "/"
    return urlunsplit((scheme, netloc, path, "", ""))


def _host(host: str) -> str:
    """The host written as an address carries it: lower case, ASCII (IDNA), an IPv6 address in brackets."""
    if not host:
        raise BadBase(_("The address students use has no host name: write it as http://HOST:PORT, for example "
                      "http://10.0.0.5:8501."))
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return f"[{ip.compressed}]" if ip.version == 6 else ip.compressed
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise BadBase(_("The address students use has a host name that is not a valid name.")) from None
    if not _HOST.fullmatch(ascii_host) or len(ascii_host) > 253:
        raise BadBase(_("The address students use has a host name that is not a valid name (letters, digits, “-” "
                      "and dots)."))
    return ascii_host


def student_link(base: str, params: Mapping[str, str | Sequence[str]]) -> str:
    """The link students open: the checked ``base`` plus the page's ``params`` as a query string.

    ``params``: the page's query parameters (``roi_viz.link.to_params``), a value
    a string or a list of strings for a repeated parameter (``roi``). ``present``
    is left out. Raises :class:`BadBase` for a base :func:`check_base` refuses.
    """
    root = check_base(base)
    kept = {name: value for name, value in params.items() if name not in DROPPED}
    query = urlencode(kept, doseq=True)
    return root + ("?" + query if query else "")


def qr_code(url: str):
    """The ``segno`` QR code of ``url``: the smallest symbol, its error correction raised where that costs no size.

    Raises :class:`TooLong` with a sentence if ``url`` does not fit the largest
    QR code (version 40, about 2,900 characters).
    """
    import segno
    from segno import DataOverflowError

    try:
        # Level M at least: a projected code is seen through glare and from an angle.
        return segno.make_qr(url, error="m", boost_error=True)
    except DataOverflowError:
        raise TooLong(_("This link is {n} characters long, more than a QR code holds: share it by the Link above, "
                        "or with fewer boxes.").format(n=f"{len(url):,}")) from None


def modules(url: str) -> int:
    """The QR code's width in modules, quiet zone included (e.g. 37 for version 3: 29 + 2 × 4)."""
    return qr_code(url).symbol_size(scale=1, border=QUIET_ZONE)[0]


def qr_png(url: str, px: int = 600) -> bytes:
    """The QR code of ``url`` as a PNG, black modules on white with a quiet zone of four modules.

    ``px``: the largest side wanted, in pixels; each module is a whole number of
    pixels (``px // modules``, at least 1), so the image is square and at most
    ``px`` wide unless a module would be smaller than a pixel. Shown at its own
    size (or scaled by whole factors) the edges stay sharp.
    """
    code = qr_code(url)
    scale = max(1, px // code.symbol_size(scale=1, border=QUIET_ZONE)[0])
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=QUIET_ZONE, dark="#000000", light="#ffffff")
    return out.getvalue()


def names_this_computer(base: str) -> bool:
    """Whether a checked ``base`` names the computer it is opened on (``localhost``, ``127.0.0.1``, ``[::1]``):
    a student's phone opening it reaches the phone itself, not the teacher's server."""
    host = (urlsplit(base).hostname or "").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
