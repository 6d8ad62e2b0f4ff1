"""The store of uploaded photos (roi_viz.state.uploads), as a library: what is kept, under which name, and what is refused.

- no metadata of the original survives (a JPEG carrying GPS EXIF, XMP, a comment and an ICC profile);
- a name that is not 64 lowercase hex characters is refused before any file is touched;
- a name the store lacks, or a damaged file, is "not found";
- 1,000 different uploads into a small store: the cap holds after every one and the oldest go first
  (a photo read is used, so it stays);
- two stores, and a second process, share one directory;
- a 50 MB upload is refused with a sentence and nothing is written.
"""
from __future__ import annotations

import builtins
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from helpers import encode, photo
from roi_viz import link
from roi_viz.state import uploads
from roi_viz.model import images
from ui.session import linked_photo  # the page's look-up of a link's img

ROOT = Path(__file__).resolve().parents[2]
GPS_IFD = 0x8825


def tiny(i: int) -> bytes:
    """A small PNG, different for every ``i`` (its noise is seeded by ``i``)."""
    rng = np.random.default_rng(i)
    return encode(Image.fromarray(rng.integers(0, 255, (12, 12, 3), dtype=np.uint8)), "PNG")


def jpeg_with_gps() -> bytes:
    """A phone's JPEG: GPS position, camera make, an XMP packet, a comment and an ICC profile."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # orientation: turn it
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (48.0, 51.0, 29.99), 3: "E", 4: (2.0, 17.0, 40.2)})
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,51.4999N"/>'
           b"</rdf:RDF></x:xmpmeta>")
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(photo(120, 80, seed=4), "JPEG", exif=exif.tobytes(), xmp=xmp, icc_profile=icc, comment=b"home")
    back = Image.open(io.BytesIO(data))
    assert back.getexif().get_ifd(GPS_IFD)[2] and "xmp" in back.info and "icc_profile" in back.info  # it does carry them
    return data


@pytest.fixture
def store(tmp_path) -> uploads.UploadStore:
    return uploads.UploadStore(tmp_path / "store")


def test_no_metadata_of_the_original_survives(store):
    data = jpeg_with_gps()
    kept = store.put(data)
    on_disk = store.path(kept.name).read_bytes()
    assert on_disk == kept.png and hashlib.sha256(on_disk).hexdigest() == kept.name and len(kept.name) == 64
    img = Image.open(io.BytesIO(on_disk))
    assert img.format == "PNG" and img.mode == "RGB"
    assert not img.getexif() and not img.getexif().get_ifd(GPS_IFD), "EXIF (with the GPS position) was kept"
    assert set(img.info) == {uploads.CHUNK}, img.info  # no exif, xmp, icc_profile, comment: only our own chunk
    for trace in (b"Exif", b"PhoneMaker", b"GPS", b"xmpmeta", b"48,51", b"home", b"iCCP", b"eXIf", b"sRGB"):
        assert trace not in on_disk, trace
    about = json.loads(img.info[uploads.CHUNK])
    assert about == {"size": [80, 120], "format": "JPEG",
                     "notes": ["The camera's EXIF orientation was applied, so the photo is upright."]}
    # The pixels are the photo the page decodes from the original: upright, the same 8-bit RGB values.
    assert np.array_equal(np.asarray(img), np.asarray(images.decode_image(data).image))


def test_a_stored_photo_reads_back_as_the_page_used_it(store):
    data = jpeg_with_gps()
    kept = store.put(data)
    back = uploads.UploadStore(store.directory).load(kept.name)  # a fresh object: another server's view
    original = images.decode_image(data)
    assert back.png == kept.png and back.decoded.original_size == original.original_size == (80, 120)
    assert back.decoded.notes == original.notes and back.decoded.format == "JPEG"
    assert np.array_equal(np.asarray(back.decoded.image), np.asarray(original.image))


def test_the_same_photo_twice_is_one_file(store):
    a, b = store.put(tiny(1)), store.put(tiny(1))
    assert a.name == b.name and store.names() == [a.name]


HOSTILE = ["../x", "/etc/passwd", "x" * 10_240, "g" * 64, "A" * 64, "0" * 63, "0" * 65, "0" * 64 + "\n",
           "../" + "0" * 61, "0" * 62 + "/.", "", "upload", "０" * 64]


@pytest.fixture
def no_disk(monkeypatch):
    """Every way to reach a file fails the test: open, os.open, stat, listing, exists."""
    def trip(*args, **kwargs):
        raise AssertionError(f"the disk was touched: {args[:1]}")

    for owner, name in [(builtins, "open"), (io, "open"), (os, "open"), (os, "stat"), (os, "lstat"),
                        (os, "scandir"), (os, "listdir"), (os, "utime"), (os, "replace"), (os, "unlink"),
                        (Path, "exists"), (Path, "read_bytes"), (Path, "open"), (Path, "stat")]:
        monkeypatch.setattr(owner, name, trip)


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_a_name_that_is_not_a_hash_is_refused_before_the_disk(store, name, no_disk):
    assert not uploads.is_name(name)
    with pytest.raises(ValueError):
        store.load(name)
    with pytest.raises(ValueError):
        store.path(name)
    assert linked_photo([name]) is None


@pytest.mark.parametrize("name", HOSTILE[:5], ids=range(5))
def test_a_link_naming_a_path_gets_a_sentence_and_the_sample(name):
    back, notices = link.from_params({"img": name, "roi": "10_10_100_100"}, {"0" * 64: (10, 10)})
    assert back.upload == "" and back.sample == link.DEFAULT.sample and back.rois == ((10.0, 10.0, 100.0, 100.0),)
    assert len(notices) == 1 and "img" in notices[0] and len(notices[0]) < 400, notices


def test_a_name_the_store_lacks_is_not_found(store):
    never = hashlib.sha256(b"a photo nobody uploaded").hexdigest()
    assert store.load(never) is None  # the directory does not even exist yet
    store.put(tiny(2))
    assert store.load(never) is None
    back, notices = link.from_params({"img": never, "roi": "10_10_100_100"}, {})
    assert back.upload == "" and back.rois == ((10.0, 10.0, 100.0, 100.0),)
    assert notices == [f"The photo this link names (img={never[:12]}…) is not on this server: it may have been "
                       "removed to make room for newer ones, or the link was made on another server. The sample "
                       "photo is shown instead, with the same boxes and settings."]


def test_a_damaged_file_is_not_the_photo_its_name_promises(store):
    kept = store.put(tiny(3))
    path = store.path(kept.name)
    path.write_bytes(path.read_bytes()[:-20])
    assert store.load(kept.name) is None


def test_a_link_names_a_stored_photo_and_reads_its_boxes_on_it(store):
    kept = store.put(encode(photo(640, 427, seed=5), "PNG"))
    state = link.Link(link.DEFAULT.settings.with_(shape="aspect"), upload=kept.name,
                      rois=((443.0, 192.0, 300.0, 145.0), (10.0, 20.0, 30.0, 40.0)), active=1, step=3)
    params = link.to_params(state)
    assert params["img"] == kept.name and params["roi"] == ["443_192_300_145", "10_20_30_40"]
    back, notices = link.from_params(params, {kept.name: kept.decoded.original_size})
    assert back == state and notices == []
    assert link.dims(state.settings, state.sample, (640, 427)) == (767, 512)  # wider than the sample's input


def test_a_50_mb_upload_is_refused_with_a_sentence_and_nothing_is_written(store):
    data = b"\x89PNG\r\n\x1a\n" + bytes(50 * 2**20)
    with pytest.raises(images.ImageError, match=r"The file is 50\.0 MB; the limit is 25 MB\."):
        store.put(data)
    assert not store.directory.exists() or not any(store.directory.iterdir())


def test_a_photo_too_large_to_keep_is_refused_with_a_sentence(tmp_path):
    small = uploads.UploadStore(tmp_path, max_total=2000)
    with pytest.raises(uploads.StoreError, match="more than the 0.0 MB a stored photo may take"):
        small.put(encode(photo(200, 200, seed=1), "PNG"))
    assert small.names() == [] and list(tmp_path.iterdir()) == []


def test_a_thousand_uploads_keep_the_store_under_its_cap_and_the_oldest_go(tmp_path):
    cap = 40 * len(uploads.prepare(tiny(0)).png)  # about forty photos
    store = uploads.UploadStore(tmp_path, max_total=cap)
    names = []
    favourite = None
    for i in range(1000):
        names.append(store.put(tiny(i)).name)
        assert store.total_bytes() <= cap, i
        if i == 500:
            favourite = names[480]  # stored 20 photos ago: read now, so it is used again
            assert store.load(favourite) is not None
    kept = store.names()
    assert len(set(names)) == 1000 and 30 <= len(kept) <= 40
    assert kept == names[-len(kept):], "not the newest photos that stayed"
    assert favourite not in kept  # used at 500, then 499 newer ones came: it went too
    assert store.total_bytes() <= cap and sorted(p.name for p in tmp_path.iterdir()) == sorted(n + ".png" for n in kept)


def test_a_photo_read_is_kept_over_older_ones(tmp_path):
    size = len(uploads.prepare(tiny(0)).png)
    store = uploads.UploadStore(tmp_path, max_total=int(3.5 * size))
    a, b, c = (store.put(tiny(i)).name for i in range(3))
    assert store.load(a) is not None  # a student opened the first photo's link: it is used
    d = store.put(tiny(3)).name
    assert store.names() == [c, a, d] and store.load(b) is None


def test_two_stores_on_one_directory_share_it(tmp_path):
    one, two = uploads.UploadStore(tmp_path), uploads.UploadStore(tmp_path)
    a, b = one.put(tiny(10)), two.put(tiny(11))
    assert two.load(a.name).png == a.png and one.load(b.name).png == b.png


SECOND_PROCESS = """
import io, sys
import numpy as np
from PIL import Image
from roi_viz.state import uploads

def tiny(i):  # as this module's tiny()
    buf = io.BytesIO()
    Image.fromarray(np.random.default_rng(i).integers(0, 255, (12, 12, 3), dtype=np.uint8)).save(buf, format="PNG")
    return buf.getvalue()

store = uploads.UploadStore(sys.argv[1], max_total=int(sys.argv[2]))
for i in range(int(sys.argv[3]), int(sys.argv[4])):
    print(store.put(tiny(i)).name, flush=True)
"""


def in_two_processes(directory: Path, cap: int) -> list[list[str]]:
    """Two processes storing 150 photos each into ``directory`` at the same time; the names each stored."""
    run = [sys.executable, "-c", SECOND_PROCESS, str(directory), str(cap)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen(run + [str(lo), str(lo + 150)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
             for lo in (0, 1000)]
    outs = [p.communicate(timeout=120)[0].split() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    return outs


def whole_files_only(directory: Path) -> None:
    left = list(directory.iterdir())
    assert all(uploads.is_name(p.stem) and hashlib.sha256(p.read_bytes()).hexdigest() == p.stem for p in left), \
        "a half-written file or a leftover temporary file"


def test_two_processes_write_and_read_one_directory(tmp_path):
    """Two servers behind one proxy: each stores photos while the other does; a third reads them all."""
    size = len(uploads.prepare(tiny(0)).png)
    roomy = tmp_path / "roomy"
    stored = in_two_processes(roomy, 1000 * size)
    here = uploads.UploadStore(roomy)
    assert all(here.load(name) is not None for names in stored for name in names)
    assert len(here.names()) == 300
    whole_files_only(roomy)
    # A small store, both writing past its cap at once: it ends under the cap, with whole files only.
    small = tmp_path / "small"
    cap = 30 * size
    stored = in_two_processes(small, cap)
    here = uploads.UploadStore(small, max_total=cap)
    assert here.total_bytes() <= cap and 20 <= len(here.names()) <= 30
    assert set(here.names()) <= set(stored[0]) | set(stored[1])
    whole_files_only(small)


def test_the_store_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(uploads.ENV_DIR, str(tmp_path / "class"))
    monkeypatch.setenv(uploads.ENV_MAX_MB, "2.5")
    store = uploads.UploadStore.from_env()
    assert store.directory == tmp_path / "class" and store.max_total == int(2.5 * 2**20)
    monkeypatch.delenv(uploads.ENV_DIR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv(uploads.ENV_MAX_MB, "lots")
    store = uploads.UploadStore.from_env()
    assert store.directory == tmp_path / "cache" / "roi-viz" / "uploads"
    assert store.max_total == uploads.DEFAULT_MAX_MB * 2**20
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert uploads.default_directory() == Path.home() / ".cache" / "roi-viz" / "uploads"


def test_an_unwritable_store_says_why_in_a_sentence(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_bytes(b"not a directory")
    with pytest.raises(uploads.StoreError, match="the server could not write it"):
        uploads.UploadStore(blocked / "uploads").put(tiny(5))


def test_a_photo_still_shown_is_written_back_after_it_was_removed_to_make_room(tmp_path):
    """A teacher's page keeps telling the store its photo is in use (ui.sidebar.refresh_stored): if newer photos
    pushed it out meanwhile, it is written back, so the link the teacher hands out still opens it."""
    size = len(uploads.prepare(tiny(0)).png)
    store = uploads.UploadStore(tmp_path, max_total=int(2.5 * size))
    mine = store.put(tiny(20))
    others = [store.put(tiny(i)).name for i in (21, 22, 23)]
    assert store.load(mine.name) is None  # pushed out by the others
    store.refresh(mine.name, mine.png)
    assert store.load(mine.name).png == mine.png and store.names()[-1] == mine.name
    assert store.total_bytes() <= store.max_total and others[-1] in store.names()
    store.put(tiny(24))
    store.refresh(mine.name, mine.png)  # there: only marked as used, so it outlives the photo stored before it
    assert store.names()[-1] == mine.name
    with pytest.raises(ValueError):
        store.refresh("../x", mine.png)
