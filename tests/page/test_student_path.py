"""A student's way through the page (issue: what a student reads): fixed paths, each as a test.

- Previous / Next are repeated under the words, so a student steps on without scrolling back up;
- an upload is kept for the session when the sample was looked at meanwhile;
- a link made while an upload is shown opens the same photo with the same boxes; if the server could not keep
  the photo, the link carries its boxes as the same part of the sample photo;
- an unreadable quiz answer's sentence is said once.
"""


from helpers import encode, notices, open_page, page_state, page_text, photo, widget



def test_the_step_buttons_under_the_words_step_the_lesson():
    at = open_page()
    widget(at, "button", "On to step 2").click().run()
    assert "Step 2:" in page_text(at) and page_state(at).place.step == 1
    widget(at, "button", "◀ Back to step 1").click().run()
    assert page_state(at).place.step == 0 and "Step 1: Image and RoIs" in page_text(at)
    labels = [b.label for b in at.button]
    assert not any(label.startswith("◀ Back to step") for label in labels), f"step 1 offers a way back: {labels}"
    assert "On to step 2 ▶" in labels


def test_the_last_step_offers_only_the_way_back():
    at = open_page({"step": "6"})
    labels = [b.label for b in at.button]
    assert "◀ Back to step 5" in labels and not any(label.startswith("On to step") for label in labels), labels
    assert not any(b.disabled for b in at.button if "step" in b.label.lower()), "a step button that cannot be pressed"


def test_the_page_heading_and_caption_name_the_method_chosen():
    from roi_viz.methods import METHODS

    for key, record in METHODS.items():
        at = open_page({"method": key})
        heads = [m.value for m in at.markdown if m.value.startswith("## ")]
        assert heads[0] == f"## {record.name}, step by step", heads
        caption = " ".join(c.value for c in at.caption)
        says_snapped, says_maxed = "snapped to whole cells" in caption, "max-pooled" in caption
        assert says_snapped == record.snaps_to_cells, (key, caption)
        assert says_maxed == (record.snaps_to_cells and record.whole_cell_bins), (key, caption)


def test_an_upload_is_kept_when_the_sample_was_shown_meanwhile():
    at = open_page()
    widget(at, "radio", "Source").set_value("upload").run()
    at.file_uploader(key="upload").set_value(("mine.jpg", encode(photo(320, 240, seed=3), "JPEG"), "image/jpeg")).run()
    assert "The original is 320 × 240" in page_text(at)
    widget(at, "radio", "Source").set_value("sample").run()
    assert "The original is 320 × 240" not in page_text(at)
    widget(at, "radio", "Source").set_value("upload").run()
    assert "The original is 320 × 240" in page_text(at), "the uploaded photo was forgotten"
    assert any("“mine.jpg” is kept" in n for n in notices(at, "info"))


def test_a_link_made_on_an_upload_opens_the_same_photo_and_boxes():
    at = open_page()
    widget(at, "radio", "Source").set_value("upload").run()
    at.file_uploader(key="upload").set_value(("wide.png", encode(photo(640, 427, seed=5), "PNG"), "image/png")).run()
    widget(at, "button", "Add RoI").click().run()
    widget(at, "radio", "Step").set_value(3).run()
    assert len(page_state(at).store) == 2 and page_state(at).photo.upload_shown
    params = dict(at.query_params)  # what the page wrote into its address (roi: a list of boxes)
    assert params["img"] == page_state(at).photo.stored and len(params["img"]) == 64
    again = open_page(params)  # a student's fresh session
    assert not notices(again, "warning"), notices(again)
    mine, theirs = page_state(at), page_state(again)
    assert theirs.photo.upload_shown and theirs.photo.upload[1] == mine.photo.upload[1]  # the same PNG
    assert theirs.photo.dims == mine.photo.dims == (767, 512)
    assert theirs.store.boxes(theirs.photo.dims) == mine.store.boxes(mine.photo.dims)
    assert theirs.store.active == mine.store.active == 1 and theirs.place.step == 3
    assert "The original is 640 × 427" in page_text(again) and "Step 4:" in page_text(again)
    assert dict(again.query_params) == params
    assert any("The photo this link carries is shown" in n for n in notices(again, "info"))


def test_a_link_made_on_an_upload_the_server_could_not_keep_keeps_its_boxes_on_the_sample(monkeypatch, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_bytes(b"")  # the store's directory cannot be made under a file: as a full or read-only disk
    monkeypatch.setenv("ROI_VIZ_UPLOADS", str(blocked / "uploads"))
    at = open_page()
    widget(at, "radio", "Source").set_value("upload").run()
    at.file_uploader(key="upload").set_value(("wide.png", encode(photo(640, 427, seed=5), "PNG"), "image/png")).run()
    assert "The original is 640 × 427" in page_text(at)  # shown for this session all the same
    said = "\n".join(notices(at, "warning"))
    assert "the server could not keep it" in said and "a link cannot carry it" in said, said
    widget(at, "button", "Add RoI").click().run()
    assert len(page_state(at).store) == 2 and page_state(at).photo.upload_shown
    params = dict(at.query_params)
    assert params["img"] == "upload"
    again = open_page(params)
    said = "\n".join(notices(again, "warning"))
    assert "the link cannot carry it" in said and "outside" not in said and "could not all be used" not in said, said
    assert len(page_state(again).store) == 2
    for box in page_state(again).store.boxes(page_state(again).photo.dims):
        assert all(float(v).is_integer() for v in box), box  # whole pixels of the sample's input


def test_an_unreadable_quiz_answer_is_said_once():
    at = open_page({"view": "quiz", "seed": "3"})
    for f in [t for t in at.text_input if not t.disabled]:
        f.set_value("abc")
    widget(at, "button", "Check").click().run()
    text = page_text(at)
    sentence = "is not a number"
    assert text.count(sentence) == 1, text


def test_a_refused_edits_warning_goes_with_the_next_valid_edit():
    at = open_page()
    widget(at, "number_input", "w").set_value(0.0).run()
    assert any("positive width and height" in n for n in notices(at, "warning"))
    widget(at, "number_input", "x").set_value(100.0).run()
    assert not any("positive width and height" in n for n in notices(at))
    assert page_state(at).store.boxes(512)[0][0] == 100.0


def test_the_warm_up_loads_what_the_slow_first_opens_need(monkeypatch):
    """After the first screen: VGG16's head, this input's conv5_3 map, and the Fast R-CNN preset's (another input)."""
    import threading

    from roi_viz.state.settings import Settings
    from ui import cache

    calls, done = [], threading.Event()
    assert cache._warming.acquire(timeout=120), "an earlier page's warm-up (AppTest runs the page here) never ended"
    cache._warming.release()  # nothing else warms up from here on
    monkeypatch.setattr(cache, "WARM_DELAY_S", 0.0)
    monkeypatch.setattr(cache, "_warmed", set())
    monkeypatch.setattr(cache, "the_head", lambda: calls.append("head"))
    monkeypatch.setattr(cache, "model_input", lambda key, size, shape, img: (f"input of {key} {size} {shape}", None, b""))

    def feature_map(key, size, layer, inp):
        calls.append((key, size, layer, inp))
        if key.endswith("|aspect"):
            done.set()

    monkeypatch.setattr(cache, "feature_map", feature_map)
    settings = Settings()  # the article: square input, pool5
    cache.warm_up("sample:astronaut", "the input", settings, "sample:astronaut", "the photo")
    assert done.wait(10), calls
    assert calls == ["head", ("sample:astronaut", settings.input_size, "conv5_3", "the input"),
                     (cache.input_key("sample:astronaut", "aspect"), settings.input_size, "conv5_3",
                      f"input of sample:astronaut {settings.input_size} aspect")]
    cache._warming.acquire(timeout=10)  # the warm-up thread has let go
    cache._warming.release()
    calls.clear()
    cache.warm_up("sample:astronaut", "the input", settings, "sample:astronaut", "the photo")  # once per input
    monkeypatch.setenv("ROI_VIZ_WARM_UP", "0")
    cache.warm_up("sample:cat", "another input", settings, "sample:cat", "another photo")
    threading.Event().wait(0.3)
    assert calls == []
