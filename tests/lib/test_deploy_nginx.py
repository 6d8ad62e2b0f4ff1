"""deploy/nginx.conf sends Streamlit's own page files itself: the recipe in its header copies the right folder,
and every kind of file in it goes out with a type a browser accepts (a module script sent as text/plain is not
run: the page stayed blank behind nginx until the types were declared). Read from the file, so CI needs no nginx.
"""
from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

import streamlit

ROOT = Path(__file__).resolve().parents[2]
CONF = (ROOT / "deploy" / "nginx.conf").read_text()
STREAMLIT_STATIC = Path(streamlit.__file__).parent / "static"
# What a browser needs to be told for each kind of file (a script must be JavaScript, a style sheet CSS).
REQUIRED = {"js": "application/javascript", "css": "text/css"}


def static_location() -> str:
    m = re.search(r"location /static/ \{(.*?)\n        \}", CONF, re.S)
    assert m, "no location /static/ in deploy/nginx.conf"
    return m.group(1)


def declared_types() -> dict[str, str]:
    block = re.search(r"types \{(.*?)\}", static_location(), re.S)
    assert block, "the /static/ location declares no types"
    out = {}
    for line in block.group(1).splitlines():
        words = line.split("#")[0].replace(";", "").split()
        for ext in words[1:]:
            out[ext] = words[0]
    return out


def test_the_recipe_copies_the_folder_the_page_names():
    recipe = re.search(r"cp -r \"\$\(python -c '([^']+)'\)\"", CONF)
    assert recipe, "no copy recipe in the header"
    folder = Path(subprocess.run([sys.executable, "-c", recipe.group(1)], capture_output=True, text=True,
                                 check=True).stdout.strip())
    assert folder == STREAMLIT_STATIC / "static"
    alias = re.search(r"alias (\S+);", static_location()).group(1).rstrip("/")
    assert re.search(rf"\s{re.escape(alias)}\s", CONF.split("nginx -c")[0]), "the recipe copies elsewhere"
    named = re.findall(r'(?:src|href)="\./static/([^"]+)"', (STREAMLIT_STATIC / "index.html").read_text())
    assert len(named) > 5
    missing = [n for n in named if not (folder / n).is_file()]
    assert not missing, missing


def test_every_kind_of_file_goes_out_with_its_type():
    types = declared_types()
    kinds = {p.suffix.lstrip(".") for p in (STREAMLIT_STATIC / "static").rglob("*") if p.is_file()}
    assert kinds, "Streamlit's folder is empty"
    assert not kinds - set(types), f"no type for {sorted(kinds - set(types))}"
    for ext, mime in REQUIRED.items():
        assert types.get(ext) == mime, (ext, types.get(ext))


def test_scripts_and_styles_go_out_gzipped_from_files_made_once(tmp_path):
    """Streamlit sends its page files plain; on a class's shared Wi-Fi the bytes are what a student waits for. nginx
    sends the .gz files the recipe makes beside them (compressing at each request took the replicas' CPU)."""
    where = static_location()
    assert re.search(r"^\s*gzip_static on;", where, re.M)
    assert re.search(r"^\s*gzip_vary on;", where, re.M)  # a cache between must keep the plain and gzipped apart
    assert not re.search(r"^\s*gzip on;", where, re.M)
    # The recipe's line, run on a copy of a few of Streamlit's files: every script and style sheet over 1 kB
    # gets its .gz beside it, which decompresses to the file.
    recipe = re.search(r"#   (find /tmp/roi-viz-streamlit-static .*?)\n#   nginx -c", CONF, re.S)
    assert recipe, "no gzip recipe in the header"
    command = re.sub(r"\s*#[^\n]*", "", recipe.group(1).replace("\\\n#", "")).replace("/tmp/roi-viz-streamlit-static",
                                                                                      str(tmp_path))
    files = sorted((STREAMLIT_STATIC / "static" / "js").glob("*.js"))[:20]
    files += sorted((STREAMLIT_STATIC / "static" / "css").glob("*.css"))[:2]
    for f in files:
        (tmp_path / f.name).write_bytes(f.read_bytes())
    subprocess.run(command, shell=True, check=True)
    for f in files:
        gz = tmp_path / (f.name + ".gz")
        assert gz.is_file() == (f.stat().st_size > 1024), f.name
        if gz.is_file():
            assert gzip.decompress(gz.read_bytes()) == f.read_bytes()


def test_a_file_nginx_lacks_is_asked_of_the_replica():
    # A copy older than the Streamlit that serves the page lacks the new names: they must still arrive.
    assert re.search(r"try_files \$uri @replica;", static_location())
    fallback = re.search(r"location @replica \{(.*?)\}", CONF, re.S)
    assert fallback and "proxy_pass http://roi_viz;" in fallback.group(1)
