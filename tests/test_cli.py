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
