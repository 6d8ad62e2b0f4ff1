"""Finding VGG16's ImageNet weights, or saying clearly why we could not.

Order of search:

1. a file named by the environment variable ``ROI_VIZ_WEIGHTS`` (a state dict
   of the whole VGG16, or of its ``features`` part only);
2. torchvision's own cache (``torch.hub.get_dir()/checkpoints``), where
   ``python -m roi_viz download-weights`` or any earlier torchvision use puts them;
3. a download from torchvision's address (or the mirror named by
   ``ROI_VIZ_WEIGHTS_URL``), tried only when the host answers within a few
   seconds (set ``ROI_VIZ_OFFLINE=1`` to skip it).

When all three fail the caller builds an untrained VGG16 and must say so.
Nothing here ever waits on the network for more than a few seconds without
data arriving.
"""
from __future__ import annotations

import hashlib
import http.client
import os
import re
import socket
import tempfile
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import torch
from torchvision.models import VGG16_Weights

from ..language import N_, _
from .vgg import feature_shapes

ENV_WEIGHTS = "ROI_VIZ_WEIGHTS"
ENV_OFFLINE = "ROI_VIZ_OFFLINE"
ENV_URL = "ROI_VIZ_WEIGHTS_URL"  # a classroom's mirror of torchvision's file
WEIGHTS = VGG16_Weights.IMAGENET1K_V1
PROBE_SECONDS = 3.0
READ_TIMEOUT_SECONDS = 5.0  # a network that accepts, then goes silent, costs this much
# torch.hub's rule: a file named "name-<hex>.ext" carries the start of its own SHA-256.
HASH_IN_NAME = re.compile(r"-([a-f0-9]*)\.")


class Said(str):
    """A sentence kept in English (its ``str``: the server's log, the tests) together with its template, marked
    for the catalog, and its values, so a page says it in its student's language (:func:`said`). The loaded
    weights are shared by every session, so their sentences cannot be translated when they are made."""

    template: str
    values: dict

    def __new__(cls, template: str, **values) -> "Said":
        self = super().__new__(cls, template.format(**values))
        self.template, self.values = template, values
        return self


def said(sentence: str) -> str:
    """``sentence`` in the language in force: a :class:`Said` translated whole, any other text as it is."""
    if isinstance(sentence, Said):
        return _(sentence.template).format(**sentence.values)
    return sentence


class WeightsError(RuntimeError):
    """Weights that exist but cannot be used (corrupt, or for another network)."""


@dataclass(frozen=True)
class WeightsFound:
    state_dict: dict | None  # what the loader kept (VGG16: features-only keys "0.weight", ...), or None
    source: str  # where they came from, for the page
    problems: tuple[str, ...] = ()  # what was tried and failed, in a student's words
    path: Path | None = None  # the file they came from (the head reads its classifier from it)


def weights_url() -> str:
    """Where the weights are downloaded from: ``$ROI_VIZ_WEIGHTS_URL`` if set, else torchvision's address."""
    return os.environ.get(ENV_URL, "").strip() or WEIGHTS.url


def file_name(url: str) -> str:
    """The file name at the end of ``url`` (``vgg16-397923af.pth`` for torchvision's)."""
    return os.path.basename(urlparse(url).path) or "vgg16.pth"


def cache_path() -> Path:
    """Where torchvision keeps the file: ``torch.hub.get_dir()/checkpoints/`` and the download's own name."""
    return Path(torch.hub.get_dir()) / "checkpoints" / file_name(weights_url())


def find_weights(*, allow_download: bool | None = None, probe_seconds: float = PROBE_SECONDS) -> WeightsFound:
    """Try the environment variable, the cache, then the network; never raises."""
    return search_weights(env_var=ENV_WEIGHTS, cache=cache_path(), url=weights_url(), load=load_weights_file,
                          allow_download=allow_download, probe_seconds=probe_seconds)


def search_weights(*, env_var: str, cache: Path, url: str, load, allow_download: bool | None = None,
                   probe_seconds: float = PROBE_SECONDS) -> WeightsFound:
    """The search of any network's weights: the file named by ``$env_var``, the file ``cache``, a download of ``url``.

    ``load(path)`` reads and checks one file, raising ``OSError`` or :class:`WeightsError`;
    what it returns becomes ``state_dict``. Never raises: what failed is in ``problems``.
    """
    problems: list[str] = []
    env = os.environ.get(env_var, "").strip()
    if env:
        try:
            return WeightsFound(load(env), Said(N_("the file {path} (from ${name})"), path=env, name=env_var),
                                path=Path(env))
        except (OSError, WeightsError) as exc:
            problems.append(Said(N_("${name} points to {path}, which could not be used: {error}"), name=env_var,
                                 path=env, error=exc))
    if cache.is_file():
        try:
            return WeightsFound(load(cache), Said(N_("torchvision's cache ({path})"), path=cache), tuple(problems),
                                cache)
        except (OSError, WeightsError) as exc:
            problems.append(Said(N_("The cached file {path} could not be used: {error}"), path=cache, error=exc))
    if allow_download is None:
        allow_download = os.environ.get(ENV_OFFLINE, "") in ("", "0")
    if allow_download:
        parsed = urlparse(url)
        host = parsed.hostname or ""
        if host_reachable(host, parsed.port or (443 if parsed.scheme == "https" else 80), probe_seconds):
            try:
                path = download_weights(cache, url=url)
                return WeightsFound(load(path), Said(N_("a download from {host}"), host=host), tuple(problems),
                                    path)
            except (OSError, WeightsError) as exc:
                problems.append(Said(N_("The download from {host} failed: {error}"), host=host, error=exc))
        else:
            problems.append(Said(N_("{host} could not be reached within {seconds} s (no internet?)."), host=host,
                                 seconds=f"{probe_seconds:g}"))
    else:
        problems.append(Said(N_("Downloading was switched off (${name})."), name=ENV_OFFLINE))
    return WeightsFound(None, "none", tuple(problems))


def host_reachable(host: str, port: int, seconds: float) -> bool:
    """True if a TCP connection to ``host:port`` opens within ``seconds``.

    Name lookup has no timeout of its own, so the whole probe runs in a
    daemon thread that we stop waiting for: a silent network costs
    ``seconds`` and no more.
    """
    result: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection((host, port), timeout=seconds):
                result.append(True)
        except OSError:
            result.append(False)

    t = threading.Thread(target=probe, daemon=True, name="roi-viz-probe")
    t.start()
    t.join(seconds)
    return bool(result and result[0])


def load_weights_file(path: str | os.PathLike) -> dict:
    """Load a VGG16 state dict and keep the ``features`` part, keys ``"0.weight"`` etc.

    Raises ``OSError`` if the file cannot be read and ``WeightsError`` if it is
    not VGG16 weights.
    """
    sd = read_state_dict(path)
    features = {k[len("features."):]: v for k, v in sd.items() if k.startswith("features.")}
    if not features:
        features = dict(sd)
    return check_vgg16_features(features)


def read_state_dict(path: str | os.PathLike) -> dict:
    """The state dict stored in a file (unwrapped from ``{"state_dict": ...}`` if need be).

    Raises ``OSError`` if the file cannot be read and ``WeightsError`` if it
    holds no state dict.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    try:
        sd = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # pickle, zip and torch errors all mean "not a weights file"
        raise WeightsError(f"it is not a readable PyTorch weights file ({type(exc).__name__})") from None
    if isinstance(sd, dict) and "state_dict" in sd and isinstance(sd["state_dict"], dict):
        sd = sd["state_dict"]
    if not isinstance(sd, dict):
        raise WeightsError("it does not contain a state dict")
    return sd


def check_vgg16_features(sd: dict) -> dict:
    """Check names and shapes against torchvision's VGG16 ``features``; return ``sd``."""
    expected = feature_shapes()
    missing = sorted(set(expected) - set(sd))
    if missing:
        raise WeightsError(f"it is not VGG16 weights (missing {', '.join(missing[:3])}, ...)")
    for name, shape in expected.items():
        got = tuple(getattr(sd[name], "shape", ()))
        if got != shape:
            raise WeightsError(f"it is not VGG16 weights ({name} has shape {got}, expected {shape})")
    return {k: sd[k] for k in expected}


def download_weights(dest: Path | None = None, *, progress=None, url: str | None = None) -> Path:
    """Download VGG16's weights (torchvision's address, or ``url``) and return the path saved to.

    ``dest``: a file, or a folder to keep the download's own name in (default:
    :func:`cache_path`). Like ``torch.hub.download_url_to_file`` with its hash
    check: the SHA-256 must start with the hex digits in the URL's file name
    (``vgg16-397923af.pth``), and the byte count must match the server's
    ``Content-Length``. Unlike it, every read has a timeout, so a network that
    goes silent mid-way raises instead of hanging. Nothing is left behind when
    it fails.

    Raises ``OSError`` (network, disk) or :class:`WeightsError` (a cut or
    altered file). ``progress(done, total)`` is called after every chunk (bytes;
    ``total`` is 0 when the server does not say).
    """
    url = url or weights_url()
    name = file_name(url)
    dest = Path(dest) if dest else cache_path()
    if dest.is_dir():
        dest = dest / name
    dest.parent.mkdir(parents=True, exist_ok=True)
    want = HASH_IN_NAME.search(name)
    sha = hashlib.sha256()
    tmp = tempfile.NamedTemporaryFile(dir=dest.parent, prefix=f".{name}.", suffix=".part", delete=False)
    try:
        with tmp, urllib.request.urlopen(url, timeout=READ_TIMEOUT_SECONDS) as resp:
            total = int(resp.headers.get("Content-Length") or 0)
            done = 0
            while chunk := resp.read(1 << 20):
                tmp.write(chunk)
                sha.update(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
        # http.client ends a body cut short without an error: the count is the only sign.
        if total and done != total:
            raise WeightsError(f"the download stopped after {done:,} of {total:,} bytes")
        if want and not sha.hexdigest().startswith(want.group(1)):
            raise WeightsError(f"the downloaded file does not match its checksum (SHA-256 starts "
                               f"{sha.hexdigest()[:len(want.group(1))]}, its name says {want.group(1)})")
        os.replace(tmp.name, dest)
    except http.client.HTTPException as exc:  # a broken answer (IncompleteRead, BadStatusLine): not an OSError
        Path(tmp.name).unlink(missing_ok=True)
        raise WeightsError(f"the server's answer was broken ({type(exc).__name__})") from None
    except BaseException:
        Path(tmp.name).unlink(missing_ok=True)
        raise
    return dest
