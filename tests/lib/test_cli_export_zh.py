"""The command line and the exports in Chinese: the same numbers as in English, every word of ours in Chinese, the
PDF's Chinese embedded as searchable TrueType, the GIF's band drawn in the CJK font (no tofu boxes)."""
import io
import itertools
import re
import threading
import zlib

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image, ImageChops, ImageDraw, ImageFont

from roi_viz import export, walkthrough
from roi_viz.cli import environment_language, main
from roi_viz.export import animations
from roi_viz.language import current, using
from roi_viz.methods import METHODS
from roi_viz.picture import fonts
from roi_viz.state.settings import FAST_RCNN, Settings

from test_export import ARTICLE_ROI, scene_for

CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def numbers_in(text: str) -> list[str]:
    return NUMBER.findall(text)


# ------------------------------------------------------------------ the PDF's text, read through its ToUnicode maps
def _objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Each object of the PDF: its dictionary, and its stream (inflated) if it has one."""
    out = {}
    for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", data, re.S):
        body = m.group(2)
        stream = None
        s = re.search(rb"stream\r?\n(.*)endstream", body, re.S)
        if s:
            raw = s.group(1)
            stream = zlib.decompressobj().decompress(raw) if b"/FlateDecode" in body[: s.start()] else raw
            body = body[: s.start()]
        out[int(m.group(1))] = (body, stream)
    return out


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """A ToUnicode CMap's codes and characters (bfchar, bfrange with a start or an array)."""
    table: dict[int, str] = {}

    def text(hexes: bytes) -> str:
        return bytes.fromhex(hexes.decode()).decode("utf-16-be")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, u in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            table[int(code, 16)] = text(u)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, rest in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)", block):
            lo, hi = int(lo, 16), int(hi, 16)
            if rest.startswith(b"["):
                for k, u in enumerate(re.findall(rb"<([0-9a-fA-F]+)>", rest)):
                    table[lo + k] = text(u)
            else:
                start = int(rest[1:-1], 16)
                for k in range(hi - lo + 1):
                    table[lo + k] = chr(start + k)
    return table


def _unescape(s: bytes) -> bytes:
    return re.sub(rb"\\([0-7]{1,3}|.)", lambda m: bytes([int(m.group(1), 8)]) if m.group(1)[:1].isdigit()
                  else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1)), s, flags=re.S)


def pdf_texts(data: bytes) -> list[str]:
    """The text of each page as a reader's search finds it: every string decoded through its font's ToUnicode."""
    objects = _objects(data)
    maps: dict[bytes, dict[int, str]] = {}
    for body, _stream in objects.values():
        for name, num in re.findall(rb"/(F\d+)\s+(\d+) 0 R", body):
            font = objects.get(int(num), (b"", None))[0]
            cmap = re.search(rb"/ToUnicode (\d+) 0 R", font)
            if cmap:
                maps[name] = _to_unicode(objects[int(cmap.group(1))][1])
    pages = []
    for body, stream in objects.values():
        if stream is None or b"/Image" in body or b"BT" not in stream:
            continue
        lines = []
        for block in re.findall(rb"\nBT\n(.*?)\nET\n", stream, re.S):
            font, line = None, []
            for m in re.finditer(rb"/(F\d+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\()])*)\)", block, re.S):
                if m.group(1):
                    font = maps[m.group(1)]
                else:
                    raw = _unescape(m.group(2))
                    line += [font.get(int.from_bytes(raw[i:i + 2], "big"), "\ufffd") for i in range(0, len(raw), 2)]
            lines.append("".join(line))
        if any(lines):
            pages.append("\n".join(lines))
    return pages


# ------------------------------------------------------------------ the command line
def _explain(capsys, *argv: str) -> str:
    assert main(["explain", *argv]) == 0
    out = capsys.readouterr().out
    # The forward pass's time differs from run to run: the only number that may.
    return re.sub(r"(forward|前向传播) \d+ ms", r"\1 ms", out)


def test_explain_in_chinese_has_the_english_numbers(capsys):
    """The article's worked example, printed in Chinese: our sentences Chinese, the same numbers (a Chinese sentence
    may put them in its own order)."""
    en = _explain(capsys, "--lang", "en")
    zh = _explain(capsys, "--lang", "zh")
    assert sorted(numbers_in(zh)) == sorted(numbers_in(en))
    for text in ("296 / 32 = 9.25", "145 / 32 = 4.53125", "⌊4.53125⌋ = 4", "5.32", "60.9 %"):
        assert text in zh and text in en, text
    assert en.count("== Step ") == 6 and "Method: " in en and "NOTE: untrained VGG16" in en
    assert zh.count("== 步骤 ") == 6 and "方法：" in zh and "注意：VGG16 未经训练" in zh
    for english in ("== Step", "Method:", "Image:", "NOTE:", "untrained VGG16", "forward"):
        assert english not in zh, english
    assert len(CJK.findall(zh)) > 500


def test_the_environment_chooses_the_language_unless_lang_says(capsys, monkeypatch):
    assert environment_language({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert environment_language({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"  # LC_ALL decides
    assert environment_language({"LC_MESSAGES": "zh_TW", "LANG": "fr_FR"}) == "zh"
    assert environment_language({"LANG": "de_DE.UTF-8"}) == "en" and environment_language({}) == "en"
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    with pytest.raises(SystemExit):
        main(["explain", "--help"])
    zh = capsys.readouterr().out
    assert "用法：" in zh and "显示此帮助信息并退出" in zh and "--lang {en,zh}" in zh and "此处：zh" in zh
    assert "the RoI in pixels" not in zh and "RoI，以模型输入的像素为单位" in zh
    with pytest.raises(SystemExit):
        main(["explain", "--help", "--lang", "en"])  # the flag wins over the environment
    en = capsys.readouterr().out
    assert "usage:" in en and "show this help message and exit" in en and "the RoI in pixels" in en
    assert not CJK.search(en.replace("中文", ""))
    with pytest.raises(SystemExit):
        main(["--lang", "zh", "--help"])  # before the command too
    top = capsys.readouterr().out
    assert "用法：python -m roi_viz" in top and "为一个 RoI 打印 RoI 池化的每个步骤" in top
    assert sorted(numbers_in(en)) == sorted(numbers_in(zh))


@pytest.mark.parametrize("argv, english, chinese", [
    (["--roi", "1,2"], "--roi takes four numbers X,Y,W,H; got 2", "--roi 需要四个数 X,Y,W,H；收到的是 2 个"),
    (["--slide-cells", "0"], "--slide-cells must be more than 0 and at most", "--slide-cells 必须大于 0 且不超过"),
    (["--proposals-csv", "t.csv"], "--proposals-csv writes the table of --proposals", "--proposals-csv 写出的是"),
])
def test_errors_are_one_line_in_the_language(capsys, argv, english, chinese):
    said = {}
    for lang in ("en", "zh"):
        try:
            code = main(["explain", "--lang", lang, *argv])
        except SystemExit as e:  # a bad flag value is argparse's: its usage, then one error line
            code = e.code
        assert code == 2
        err = capsys.readouterr().err
        said[lang] = err.strip().splitlines()[-1]
        assert "Traceback" not in err
    assert "error:" in said["en"] and english in said["en"]
    assert "错误：" in said["zh"] and chinese in said["zh"] and "error" not in said["zh"]
    assert sorted(numbers_in(said["zh"])) == sorted(numbers_in(said["en"]))


def test_download_weights_says_why_in_the_language(capsys, monkeypatch):
    """Nothing listens on port 9 of the loopback: the refusal is one sentence, in Chinese with the same numbers."""
    monkeypatch.setenv("ROI_VIZ_WEIGHTS_URL", "http://127.0.0.1:9/vgg16-397923af.pth")
    said = {}
    for lang in ("en", "zh"):
        assert main(["download-weights", "--lang", lang, "--dest", "/nonexistent/never"]) == 1
        said[lang] = capsys.readouterr().err
    assert "error: the weights could not be downloaded from 127.0.0.1" in said["en"]
    assert "错误：无法从 127.0.0.1 下载权重：端口 9 在" in said["zh"] and "没有保存任何文件" in said["zh"]
    assert "Downloading" not in said["zh"] and "正在下载" in said["zh"]
    assert sorted(numbers_in(said["zh"])) == sorted(numbers_in(said["en"]))
    monkeypatch.setenv("ROI_VIZ_WEIGHTS_URL", "ftp://example.org/w.pth")
    assert main(["download-weights", "--lang", "zh"]) == 2
    assert "错误：$ROI_VIZ_WEIGHTS_URL 必须是以 http:// 或 https:// 开头的地址" in capsys.readouterr().err


# ------------------------------------------------------------------ the handout
def _handouts(settings: Settings, rois=(ARTICLE_ROI,)) -> dict[str, bytes]:
    scene = scene_for(settings, rois=rois)
    out = {}
    for lang in ("en", "zh"):
        with using(lang):
            out[lang] = export.handout_pdf(scene, title="Astronaut")
    return out


def test_the_chinese_handout_is_searchable_text_with_the_english_numbers():
    pdfs = _handouts(Settings())
    for data in pdfs.values():  # TrueType embedded as such: no Type 3 outlines, every font a file in the PDF
        assert b"/Type3" not in data and b"/FontFile2" in data
    assert b"WQYMicroHeiSubset" in pdfs["zh"]
    en, zh = pdf_texts(pdfs["en"]), pdf_texts(pdfs["zh"])
    steps = walkthrough.steps("pool")
    assert len(en) == len(zh) == 1 + len(steps)
    for e, z in zip(en, zh):
        assert sorted(numbers_in(z)) == sorted(numbers_in(e)), (e, z)
    cover = zh[0].replace("\n", "")  # Chinese wraps between any two characters
    for text in ("设置", "关键数字", "投影后的框", "x 9.25，y 6，w 6.25，h 4.53125 个单元格", "x 9，y 6，w 6，h 4 个单元格",
                 "第 6 至 9 行、第 9 至 14 列（24 个单元格）", "RoI 有 5.32 个单元格落在区域之外", "60.9 %（RoI 池化）",
                 "6 个单元格被划分丢弃", "第 1 页，共 7 页"):
        assert text in cover, text
    for english in ("Settings", "Key numbers", "Projected box", "Quantized box", "Lost", "Gained", "Coverage",
                    "step by step", "page 1 of", "pixels per cell", "UNTRAINED"):
        assert english not in cover, english
    assert "Key numbers" in en[0] and "x 9.25, y 6, w 6.25, h 4.53125 cells" in en[0]  # English unchanged
    for k, (step, page) in enumerate(zip(steps, zh[1:]), 1):
        assert f"步骤 {k}/{len(steps)}：" in page and f"第 {k + 1} 页，共 {len(steps) + 1} 页" in page
        assert len(CJK.findall(page)) > 30


@pytest.mark.slow
@pytest.mark.parametrize("method", list(METHODS))
def test_the_chinese_handout_stays_on_the_page_and_never_overlaps(method):
    """Chinese is measured in its own font: nothing runs off the page or over other text, tables included."""
    scenes = [
        scene_for(Settings(**{**FAST_RCNN, "method": method}, sampling_ratio=0), focus=(1, 2, 1)),
        scene_for(Settings(method=method, layer="conv5_3", output_size=(4, 4), sampling_ratio=4),
                  rois=(ARTICLE_ROI, (0, 0, 60, 40), (200, 300, 10, 10)), pretrained=False),
    ]
    width, height = export.PAGE
    with using("zh"):
        for scene in scenes:
            for page in export.handout._handout_pages(scene, "a rather long image title.jpeg"):
                page.set_dpi(288)
                renderer = FigureCanvasAgg(page).get_renderer()
                boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in page.texts if t.get_text().strip()]
                for text, box in boxes:
                    bottom = 0.2 if re.search(r"共 \d+ 页$", text) else 0.5  # only the footer goes below 0.5 in
                    assert box.x0 >= 0.3 * 288 and box.x1 <= (width - 0.4) * 288, text
                    assert box.y0 >= bottom * 288 and box.y1 <= (height - 0.3) * 288, text
                for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
                    assert not box_a.overlaps(box_b), (a, b)


def test_a_file_made_outside_the_run_names_its_language():
    """A download made later, in a thread where no language is in force (Streamlit's server), says lang=."""
    scene = scene_for(Settings())
    made = {}

    def later():
        made["lang"] = current()
        made["zh"] = export.handout_pdf(scene, lang="zh")
        made["png_zh"] = export.figure_png(scene, 0, dpi=40, lang="zh")
        made["png_en"] = export.figure_png(scene, 0, dpi=40)

    with using("zh"):
        worker = threading.Thread(target=later)  # a new thread starts with no language of its own: English
        worker.start()
        worker.join()
    assert made["lang"] == "en"
    assert "关键数字" in pdf_texts(made["zh"])[0]
    assert made["png_zh"] != made["png_en"]  # the figure's own text is in Chinese
    assert current() == "en"


# ------------------------------------------------------------------ the GIF's band
def _ink(im: Image.Image) -> Image.Image:
    return im.convert("L").point(lambda v: 255 if v < 128 else 0)


def test_the_gif_band_draws_chinese_in_the_cjk_font_not_tofu():
    scene = scene_for(Settings())
    with using("zh"):
        data = export.walkthrough_gif(scene)
        steps = walkthrough.steps("pool")
        title = f"步骤 1/{len(steps)}：{steps[0].title}"
    assert CJK.search(title)
    with Image.open(io.BytesIO(data)) as gif:
        gif.seek(0)
        frame = gif.convert("RGB")
    px = max(int(round(20 * 60 / 72)), 10)  # the band's size at the default 60 dpi
    band = frame.crop((0, 0, frame.width, 2 * px))
    expected = Image.new("RGB", band.size, "white")
    animations.band_text(ImageDraw.Draw(expected), (2 * px // 3, px), title, px)
    drawn, wanted = _ink(band), _ink(expected)
    overlap = ImageChops.logical_and(drawn.convert("1"), wanted.convert("1")).histogram()[-1]
    union = ImageChops.logical_or(drawn.convert("1"), wanted.convert("1")).histogram()[-1]
    assert union and overlap / union > 0.9, overlap / union
    # Each Chinese character of the title is a glyph of the font that draws it, not the box of a missing one.
    cjk = ImageFont.truetype(str(fonts.CJK_FILE), 40)
    dejavu = ImageFont.truetype(str(fonts.FILES["bold"]), 40)
    missing = "\ue000"  # a private-use code point: no font has it, so each draws its .notdef box
    for font in (cjk, dejavu):
        assert font.getmask(missing).getbbox() == font.getmask("\ue001").getbbox()
    for ch in set(CJK.findall(title)):
        assert ord(ch) in fonts.covered(fonts.CJK_FAMILY), ch
        assert [latin for latin, _run in fonts.runs(ch)] == [False]  # drawn by band_text in the CJK font
        glyph, tofu = cjk.getmask(ch), cjk.getmask(missing)
        assert glyph.getbbox() != tofu.getbbox() or bytes(glyph) != bytes(tofu), ch
        assert dejavu.getmask(ch).getbbox() == dejavu.getmask(missing).getbbox()  # DejaVu alone: tofu
