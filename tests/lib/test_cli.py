"""The command line prints every step, JSON that matches the reference, and slide figures."""
import json

import pytest
from PIL import Image

from roi_viz.cli import main


def test_explain_text(capsys):
    assert main(["explain", "--roi", "296,192,200,145"]) == 0
    out = capsys.readouterr().out
    for text in ("296 / 32 = 9.25", "145 / 32 = 4.53125", "⌊6.25⌋ = 6", "⌊4.53125⌋ = 4", "Lost: 5.32 cells",
                 "6 cells of the region are dropped", "60.9 %", "untrained"):
        assert text in out
    assert out.count("== Step") == 6


def test_a_fractional_roi_is_whole_pixels_as_on_the_page(capsys):
    """One box, one set of numbers: the command line rounds a typed 296.6 as the page does, and says so."""
    from roi_viz.state import rois

    assert main(["explain", "--roi", "296.6,192,200,145.5"]) == 0
    out = capsys.readouterr().out
    box, said = rois.entering((296.6, 192, 200, 145.5), (512, 512))
    assert box == (297.0, 192.0, 200.0, 146.0) and said
    assert "x 296.6 was rounded to 297 and h 145.5 to 146" in out and rois.WHOLE_PIXELS in out
    assert "297 / 32 = 9.28125" in out and "296.6" not in out.split("== Step 1")[1]
    assert main(["explain", "--roi", "296.6,192,200,145", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["roi"] == [297, 192, 200, 145] and data["projected"][0] == 9.28125


def test_explain_json_and_figures(capsys, tmp_path):
    assert main(["explain", "--roi", "296,192,200,145", "--json", "--figures", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["projected"] == [9.25, 6.0, 6.25, 4.53125]
    assert data["quantized"] == [9, 6, 6, 4]
    assert data["areas"]["lost"] == 5.3203125 and data["areas"]["gained"] == 1.0
    assert data["dropped_cells"] == 6 and data["output_shape"] == [3, 3, 512]
    assert len(data["figures"]) == 6
    for path in data["figures"]:
        with Image.open(path) as im:
            assert im.size[0] >= 700 and im.size[1] >= 600


def test_explain_fastrcnn_other_image(capsys, tmp_path):
    img = tmp_path / "p.png"
    Image.new("RGB", (300, 200), (10, 200, 30)).save(img)
    assert main(["explain", "--roi", "10,20,150,100", "--image", str(img), "--size", "256",
                 "--output", "2x4", "--scheme", "fastrcnn", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scheme"] == "fastrcnn" and data["output_shape"] == [2, 4, 512]
    assert data["feature_map"] == [512, 8, 8]


@pytest.mark.parametrize("argv, words", [
    (["explain", "--image", "/no/such/file.png"], "Could not read"),
    (["explain", "--roi", "600,600,50,50"], "outside"),
    (["explain", "--size", "500"], "multiple of 32"),
])
def test_explain_errors_are_one_clear_line(capsys, argv, words):
    try:
        code = main(argv)
    except SystemExit as e:  # a bad flag value is argparse's: its usage, then one error line
        code = e.code
    assert code == 2
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert "error:" in last and words in last and "Traceback" not in err


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "explain" in out and "download-weights" in out


@pytest.mark.parametrize("method, steps", [("align", 6), ("warp", 7), ("prroi", 4)])
@pytest.mark.slow
def test_explain_other_methods(capsys, method, steps):
    assert main(["explain", "--method", method, "--focus", "1,1,2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == method and len(data["method_output_channel"]) == 3
    if method == "prroi":
        assert data["prroi"]["aligned"] is True and data["prroi"]["box"][:2] == [9.25, 6.0]
        assert data["method_coverage"] == 1.0
    else:
        assert data["sampling"]["grid"] == [2, 2] and len(data["sampling"]["points_bin_0_0"]) == 4
    assert main(["explain", "--method", method, "--legacy", "--sampling-ratio", "0"]) == 0
    out = capsys.readouterr().out
    assert out.count("== Step") == steps
    assert ("Legacy rule" in out or "authors' rule" in out) if method != "warp" else "snapped" in out


def test_explain_focus_must_be_numbers(capsys):
    with pytest.raises(SystemExit):
        main(["explain", "--focus", "a,b"])
    assert "--focus" in capsys.readouterr().err


# ------------------------------------------------------------------ what a terminal shows: sentences, never warnings
import io  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from helpers import photo, png_header_only  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, code: str | None = None) -> subprocess.CompletedProcess:
    """``python -m roi_viz ARGS`` as a teacher types it (or ``code`` run by ``python -c`` with ARGS)."""
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "roi_viz", *args]
    env = {**os.environ, "ROI_VIZ_OFFLINE": "1"}
    env.pop("ROI_VIZ_WEIGHTS", None)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def no_warning_lines(proc: subprocess.CompletedProcess) -> None:
    text = proc.stdout + proc.stderr
    leaked = [line for line in text.splitlines() if "Warning" in line or ".py:" in line or "warnings.warn" in line]
    assert not leaked and "Traceback" not in text, leaked or text[-2000:]


def cut_tiff(tmp_path: Path, keep: float) -> Path:
    buf = io.BytesIO()
    frames = [photo(64, 48, seed=i) for i in range(3)]
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    data = buf.getvalue()
    path = tmp_path / f"cut{keep}.tif"
    path.write_bytes(data[: int(len(data) * keep)])
    return path


@pytest.mark.parametrize("keep", [0.4, 0.5])
@pytest.mark.slow
def test_a_cut_multi_frame_tiff_gives_the_lesson_and_a_sentence(tmp_path, keep):
    """The first frame is whole, a later one is cut: Pillow warns "Corrupt EXIF data" while counting frames."""
    proc = run_cli("explain", "--image", str(cut_tiff(tmp_path, keep)), "--roi", "0,0,100,100", "--size", "224")
    assert proc.returncode == 0, proc.stderr
    no_warning_lines(proc)
    assert "NOTE: The file holds more than one frame, and a later one is damaged; the first one is used." \
        in proc.stdout.splitlines()
    assert proc.stdout.count("== Step") == 6 and "64x48 -> 224x224" in proc.stdout


@pytest.mark.slow
def test_a_tiff_cut_inside_its_first_frame_is_one_error_line(tmp_path):
    proc = run_cli("explain", "--image", str(cut_tiff(tmp_path, 0.2)), "--size", "224")
    assert proc.returncode == 2
    no_warning_lines(proc)
    assert proc.stdout == "" and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("error: The image file is damaged or cut short")


@pytest.mark.slow
def test_the_json_of_a_cut_tiff_is_clean_and_its_note_on_stderr(tmp_path):
    proc = run_cli("explain", "--image", str(cut_tiff(tmp_path, 0.5)), "--roi", "0,0,100,100", "--size", "224",
                   "--json")
    assert proc.returncode == 0, proc.stderr
    no_warning_lines(proc)
    assert json.loads(proc.stdout)["feature_map"] == [512, 7, 7]
    assert "note: The file holds more than one frame, and a later one is damaged" in proc.stderr


@pytest.mark.parametrize("side", [10_000, 20_000])
@pytest.mark.slow
def test_a_decompression_bomb_is_one_error_line(tmp_path, side):
    """Past Pillow's own limit it warns (DecompressionBombWarning), past twice that it refuses: one sentence each."""
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header_only(side, side))
    proc = run_cli("explain", "--image", str(path), "--size", "224")
    assert proc.returncode == 2
    no_warning_lines(proc)
    assert proc.stderr.startswith("error: The image") and "megapixels" in proc.stderr
    assert proc.stderr.count("\n") == 1


@pytest.mark.slow
def test_an_exif_orientation_note_is_printed(tmp_path):
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 65535
    path = tmp_path / "odd.jpg"
    photo(80, 40).save(path, exif=exif.tobytes())
    proc = run_cli("explain", "--image", str(path), "--roi", "0,0,100,100", "--size", "224")
    assert proc.returncode == 0, proc.stderr
    notes = [line for line in proc.stdout.splitlines() if line.startswith("NOTE:") and "orientation" in line]
    assert notes == ["NOTE: The file's EXIF orientation (65535) is not a valid value (1 to 8), so it was ignored "
                     "and the photo is shown as stored."]
    assert "80x40 -> 224x224" in proc.stdout


WARN_IN_THE_FORWARD = """
import sys, warnings
import torch
from roi_viz.model import features
from roi_viz.cli import main

real = features.extract

def extract(*args, **kwargs):
    # a library's warning in the middle of the run, as torch gives them (e.g. a deprecated call)
    warnings.warn("torch.something is deprecated and will be removed in a future release", UserWarning)
    warnings.warn("a second library warning", FutureWarning)
    return real(*args, **kwargs)

features.extract = extract
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("json_out", [False, True])
@pytest.mark.slow
def test_a_library_warning_during_the_run_is_a_note_not_a_source_line(json_out):
    proc = run_cli("explain", "--size", "224", "--roi", "0,0,100,100", *(["--json"] if json_out else []),
                   code=WARN_IN_THE_FORWARD)
    assert proc.returncode == 0, proc.stderr
    no_warning_lines(proc)
    lines = proc.stderr.splitlines()
    assert "note: torch.something is deprecated and will be removed in a future release." in lines
    assert "note: a second library warning." in lines
    if json_out:
        assert json.loads(proc.stdout)["feature_map"] == [512, 7, 7]
    else:
        assert proc.stdout.count("== Step") == 6
