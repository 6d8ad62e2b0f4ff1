"""After pooling: VGG16's own classifier on pooled RoIs, and loading it.

The anchor: on a 224 x 224 input conv5_3 is 14 x 14, and the whole image as
the RoI under the article's rule gives 7 x 7 bins of 2 x 2 cells, which is
exactly VGG16's own pool5. So the pooled RoI through the head must give what
torchvision's ``vgg16()`` gives for the image.

One ``vgg16()`` for the module (it is about 550 MB).
"""
import numpy as np
import pytest
import torch
from torchvision.models import vgg16

from roi_viz.study import head
from roi_viz.model import weights


@pytest.fixture(scope="module")
def model():
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        net = vgg16(weights=None)
    return net.eval().requires_grad_(False)


@pytest.fixture(scope="module")
def image_and_map(model):
    x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(0))
    with torch.inference_mode():
        logits = model(x)[0].numpy()
        conv5_3 = model.features[:30](x)[0].numpy()
    return logits, conv5_3


def test_whole_image_roi_is_vgg16_itself(model, image_and_map):
    logits, conv5_3 = image_and_map
    assert conv5_3.shape == (512, 14, 14)
    out = head.classify_roi(model, conv5_3, (0, 0, 224, 224), stride=16, scheme="article")
    assert out.trace.bin_size == (2, 2)
    assert out.pooled.shape == (512, 7, 7)
    np.testing.assert_allclose(out.logits, logits, rtol=1e-4, atol=1e-6 * np.abs(logits).max())
    # The pooled RoI is VGG16's pool5 of the image.
    with torch.inference_mode():
        pool5 = model.features[30](torch.from_numpy(conv5_3)[None])[0].numpy()
    np.testing.assert_array_equal(out.pooled, pool5)


def test_probabilities_and_top_classes(model, image_and_map):
    _, conv5_3 = image_and_map
    out = head.classify_roi(model, conv5_3, (16, 40, 150, 90), stride=16, top=5)
    assert out.logits.shape == out.probs.shape == (1000,)
    assert out.probs.sum() == pytest.approx(1.0)
    assert (out.probs > 0).all()
    assert np.argmax(out.probs) == np.argmax(out.logits)
    probs = [p for _, p in out.top]
    assert len(out.top) == 5 and probs == sorted(probs, reverse=True)
    assert probs[0] == pytest.approx(out.probs.max())
    names = [n for n, _ in out.top]
    assert all(n in head.CLASSES for n in names)
    assert len(head.CLASSES) == 1000 and head.CLASSES[0] == "tench" and head.CLASSES[999] == "toilet tissue"
    assert names[0] == head.CLASSES[int(np.argmax(out.logits))]


def test_a_batch_equals_single_calls(model, image_and_map):
    _, conv5_3 = image_and_map
    rois = [(0, 0, 224, 224), (16, 40, 150, 90), (100, 100, 20, 20), (200.5, 3.25, 23.5, 60)]  # the third: empty bins
    batch = head.classify_rois(model, conv5_3, rois, stride=16, scheme="fastrcnn")
    assert len(batch) == len(rois)
    for roi, got in zip(rois, batch):
        one = head.classify_roi(model, conv5_3, roi, stride=16, scheme="fastrcnn")
        assert got.roi == one.roi == tuple(float(v) for v in roi)
        np.testing.assert_array_equal(got.pooled, one.pooled)
        np.testing.assert_allclose(got.logits, one.logits, rtol=1e-5, atol=1e-6)
    empty = head.classify_roi(model, conv5_3, (100, 100, 20, 20), stride=16, scheme="article")
    assert empty.trace.empty_bins.all() and not empty.pooled.any()
    assert head.classify_rois(model, conv5_3, [], stride=16) == []


def test_only_seven_by_seven_fits_fc6():
    assert head.FC6_INPUTS == 25088 == 7 * 7 * 512
    assert head.head_fits(7) and head.head_fits((7, 7))
    assert not head.head_fits(3) and not head.head_fits((7, 6))
    assert head.head_inputs(3) == 4608
    assert "4,608" in head.head_sentence(3) and "25,088" in head.head_sentence(3)
    assert "cannot" not in head.head_sentence(7)


def test_four_rois_lie_on_the_sample():
    assert len(head.FOUR_ROIS) == 4
    assert head.FOUR_ROIS[0] == (296.0, 192.0, 200.0, 145.0)  # the article's worked example
    for x, y, w, h in head.FOUR_ROIS:
        assert 0 <= x and 0 <= y and x + w <= 512 and y + h <= 512


def test_load_head_from_a_weights_file(model, tmp_path, monkeypatch):
    path = tmp_path / "vgg16.pth"
    torch.save(model.state_dict(), path)
    monkeypatch.setenv(weights.ENV_WEIGHTS, str(path))
    loaded = head.load_head()
    assert loaded.pretrained and loaded.features_pretrained and not loaded.problems
    got = loaded.model.state_dict()
    for name, tensor in model.state_dict().items():
        assert torch.equal(got[name], tensor), name
    assert not loaded.model.training
    assert not any(p.requires_grad for p in loaded.model.parameters())
    del got, loaded


def test_a_features_only_file_gives_an_untrained_head(model, tmp_path):
    path = tmp_path / "features.pth"
    torch.save(model.features.state_dict(), path)
    loaded = head.load_head(weights.WeightsFound(weights.load_weights_file(path), "test", path=path))
    assert loaded.features_pretrained and not loaded.pretrained
    assert any("classifier" in p for p in loaded.problems)


def test_no_weights_gives_a_seeded_untrained_head(monkeypatch, tmp_path):
    monkeypatch.delenv(weights.ENV_WEIGHTS, raising=False)
    monkeypatch.setenv(weights.ENV_OFFLINE, "1")
    monkeypatch.setattr(weights, "cache_path", lambda: tmp_path / "absent.pth")
    loaded = head.load_head()
    assert not loaded.pretrained and not loaded.features_pretrained
    assert loaded.problems  # why there are no weights, for the page
    fc6 = loaded.model.classifier[0].weight
    assert fc6.shape == (4096, 25088)
    assert abs(float(fc6.std()) - 0.01) < 1e-4 and not loaded.model.classifier[0].bias.any()
    fc8 = loaded.model.classifier[6].weight.clone()
    del loaded, fc6  # one head at a time: each is about 550 MB
    again = head.load_head(weights.WeightsFound(None, "none"))
    assert torch.equal(again.model.classifier[6].weight, fc8), "the untrained head is the same in every run"


def test_head_figure_flags_an_untrained_head(model, image_and_map):
    from roi_viz.figures.head import describe_head
    from roi_viz.picture import mpl
    from roi_viz.picture.files import to_png
    from roi_viz.picture.spec import Text
    from ui.figure import PAGE_DPI

    _, conv5_3 = image_and_map
    results = head.classify_rois(model, conv5_3, [(0, 0, 224, 224), (100, 100, 20, 20)], stride=16)
    for pretrained in (True, False):
        d = describe_head(results, pretrained)
        assert to_png(mpl.paint(d), PAGE_DPI)[:4] == b"\x89PNG"
        words = " ".join(m.text for _, m in d.marks(Text))
        assert ("UNTRAINED" in words) is not pretrained
        assert "RoI 1: (0, 0), 224×224 px" in words and "RoI 2: (100, 100), 20×20 px" in words
        assert "all 49 bins empty" in words  # the small RoI under the article's rule
        assert results[0].top[0][0][:20] in words
