"""Receptive fields: the arithmetic against a measurement, and the effective field's support.

The measured field of a cell is the set of input pixels where the gradient of
that cell is non-zero. On the real network a ReLU that is off, or a max pool
that picked another cell, hides pixels the cell *could* depend on, so the
extent is measured on a linear twin of the network: every ReLU replaced by
the identity and every max pool by an average pool with the same window. The
twin has exactly the same connections, and nothing is masked. Two twins:

- every layer (all 31 end indices): one channel per layer, kernels of ones, so
  the gradient at a pixel counts the paths from it to the cell, and is
  positive exactly on the field (no cancellation is possible);
- conv5_3 and pool5, the two layers the project cuts at: VGG16's real layers
  with their seeded random weights (512 channels).
"""
import copy

import numpy as np
import pytest
import torch
from torch import nn

from roi_viz.study import receptive as rf
from roi_viz.model.layers import LAYERS, NETWORKS
from roi_viz.model.vgg import features_stack
from roi_viz.ops.roipool import roi_pool

S = 256  # the 212 px field of pool5's cells 3 and 4 both fit inside: [6, 218) and [38, 250)


def linear_twin(net: nn.Sequential, ones: bool) -> nn.Sequential:
    """The same connections without masking: ReLU -> identity, max pool -> average pool."""
    layers = []
    for m in net:
        if isinstance(m, nn.Conv2d):
            if ones:
                conv = nn.Conv2d(1, 1, m.kernel_size, m.stride, m.padding, m.dilation, bias=False, padding_mode=m.padding_mode)
                nn.init.ones_(conv.weight)
            else:
                conv = copy.deepcopy(m)
            layers.append(conv)
        elif isinstance(m, nn.MaxPool2d):
            layers.append(nn.AvgPool2d(m.kernel_size, m.stride, m.padding, ceil_mode=m.ceil_mode))
        elif isinstance(m, nn.ReLU):
            layers.append(nn.Identity())
        else:
            raise AssertionError(f"unexpected layer {m!r}")
    return nn.Sequential(*layers).requires_grad_(False)


def support(out: torch.Tensor, x: torch.Tensor, cell: tuple[int, int]) -> tuple[int, int, int, int]:
    """``(x0, y0, x1, y1)`` of the pixels whose gradient for ``cell`` (channels summed) is non-zero."""
    (grad,) = torch.autograd.grad(out[0, :, cell[0], cell[1]].sum(), x, retain_graph=True)
    ys, xs = np.nonzero(grad[0].abs().sum(0).numpy())
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def measure(net: nn.Sequential, channels: int, seed: int = 0) -> tuple[int, int, int]:
    """``(size, stride, offset)`` of ``net``'s cells, measured on a middle cell and its upper-left neighbour."""
    x = torch.randn(1, channels, S, S, generator=torch.Generator().manual_seed(seed)).requires_grad_(True)
    out = net(x)
    c = out.shape[-1] // 2
    x0, y0, x1, y1 = support(out, x, (c, c))
    px0 = support(out, x, (c - 1, c - 1))[0]
    # A support cut by the image border would under-measure: the input is chosen large enough.
    assert 0 < x0 and x1 < S and 0 < y0 and y1 < S, "field clipped: enlarge the input"
    assert (x1 - x0, x0) == (y1 - y0, y0), "a VGG16 field is square and on the diagonal here"
    stride = x0 - px0
    return x1 - x0, stride, x0 - stride * c


@pytest.fixture(scope="module")
def seeded():
    return features_stack(seed=0).eval().requires_grad_(False)


# ------------------------------------------------------------------ the arithmetic
def test_every_layer_matches_a_measurement():
    ones = linear_twin(features_stack(device="meta"), ones=True)
    for end in range(1, len(ones) + 1):
        field = rf.receptive_field(end)
        assert (field.size, field.stride, field.offset) == measure(ones[:end], channels=1), f"features[:{end}]"


def test_the_cut_layers_match_a_measurement_with_vgg16_weights(seeded):
    twin = linear_twin(seeded, ones=False)
    for name in ("conv5_3", "pool5"):
        field = rf.receptive_field(name)
        assert (field.size, field.stride, field.offset) == measure(twin[: LAYERS[name].end], channels=3), name


def test_the_issue_numbers():
    assert (lambda f: (f.size, f.stride, f.offset))(rf.receptive_field("pool5")) == (212, 32, -90)
    assert (lambda f: (f.size, f.stride, f.offset))(rf.receptive_field("conv5_3")) == (196, 16, -90)


def test_names_and_end_indices_agree():
    names = rf.layer_names()
    assert len(names) == 18 and names[0] == "conv1_1" and names[-1] == "pool5"
    assert [n for n in names if n.startswith("pool")] == [f"pool{i}" for i in range(1, 6)]
    for name in names:
        assert rf.receptive_field(name) == rf.receptive_field(rf.layer_end(name))
    for name in NETWORKS["vgg16"].layers:  # the receptive field is VGG16's; the pyramid's levels are not its layers
        layer = LAYERS[name]
        assert rf.layer_end(name) == layer.end
        assert rf.receptive_field(name).stride == layer.stride
    # A ReLU sees what its conv sees.
    assert rf.receptive_field(29).size == rf.receptive_field(30).size
    with pytest.raises(ValueError):
        rf.receptive_field("conv6_1")
    with pytest.raises(ValueError):
        rf.receptive_field(32)


def test_span_arithmetic():
    pool5, conv5_3 = rf.receptive_field("pool5"), rf.receptive_field("conv5_3")
    assert pool5.span(0, 0) == (-90, -90, 122, 122)
    # REFERENCE.md: cell c of pool5 covers columns [32c - 90, 32c + 122).
    assert pool5.span(6, 9) == (32 * 9 - 90, 32 * 6 - 90, 32 * 9 + 122, 32 * 6 + 122)
    assert conv5_3.span(2, 5) == (-10, -58, 186, 138)
    assert pool5.patch(6, 9) == (288, 192, 320, 224)
    assert rf.clip(pool5.span(0, 0), 512, 512) == (0, 0, 122, 122)
    assert rf.outside(pool5.span(15, 15), 512, 512) == (0, 0, 32 * 15 + 122 - 512, 32 * 15 + 122 - 512)


def test_block_span_is_the_union_of_the_cells_fields():
    f = rf.receptive_field("conv5_3")
    block = (3, 7, 10, 12)
    spans = [f.span(r, c) for r in range(3, 7) for c in range(10, 12)]
    union = (min(s[0] for s in spans), min(s[1] for s in spans), max(s[2] for s in spans), max(s[3] for s in spans))
    assert f.block_span(block) == union
    with pytest.raises(ValueError):
        f.block_span((3, 3, 10, 12))


def test_what_the_articles_pooled_output_reads():
    # The worked example: bins read rows [6, 9) and columns [9, 15) of the 16 x 16 pool5 map.
    trace = roi_pool(np.zeros((1, 16, 16), np.float32), (296, 192, 200, 145), stride=32, output_size=3)
    cells = rf.cells_read(trace.bin_use)
    assert cells == (6, 9, 9, 15)
    span = rf.receptive_field("pool5").block_span(cells)
    assert span == (32 * 9 - 90, 32 * 6 - 90, 32 * 14 + 122, 32 * 8 + 122)
    assert rf.cells_read(np.zeros((4, 4), int)) is None


# ------------------------------------------------------------ the effective field
def field_mask(layer: str, cell, size: int) -> np.ndarray:
    x0, y0, x1, y1 = rf.clip(rf.receptive_field(layer).span(*cell), size, size)
    mask = np.zeros((size, size), bool)
    mask[y0:y1, x0:x1] = True
    return mask


@pytest.mark.parametrize("layer, cell, channel", [("pool5", (3, 3), None), ("pool5", (0, 0), None), ("conv5_3", (6, 8), 7)])
def test_effective_field_lies_inside_the_theoretical_field(seeded, layer, cell, channel):
    size = 240
    x = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(1))
    erf = rf.effective_receptive_field(seeded, x, layer, cell, channel)
    assert erf.shape == (size, size) and erf.dtype == np.float32
    assert (erf >= 0).all()
    mask = field_mask(layer, cell, size)
    assert not erf[~mask].any(), "a pixel outside the theoretical field moved the cell"
    assert erf[mask].sum() > 0
    shares = rf.field_shares(erf, rf.receptive_field(layer), cell)
    assert shares.in_field == pytest.approx(1.0)
    assert 0 < shares.in_patch < 1


def test_effective_field_under_inference_mode_leaves_the_net_alone():
    net = features_stack(seed=0).eval()  # parameters require grad, as a fresh module's do
    x = torch.randn(1, 3, 64, 64, generator=torch.Generator().manual_seed(2))
    with torch.inference_mode():
        x_inf = x.clone()
        erf = rf.effective_receptive_field(net, x_inf, "pool3", (4, 4))
    assert erf.any() and not erf[~field_mask("pool3", (4, 4), 64)].any()
    assert all(p.requires_grad and p.grad is None for p in net.parameters())
    net.requires_grad_(False)
    with torch.no_grad():
        again = rf.effective_receptive_field(net, x, "pool3", (4, 4))
    assert not any(p.requires_grad for p in net.parameters())
    np.testing.assert_array_equal(erf, again)
    with pytest.raises(ValueError):
        rf.effective_receptive_field(net, x, "pool3", (8, 0))  # pool3 of 64 px is 8 x 8


def test_field_shares_by_hand():
    f = rf.Field("toy", 0, size=10, stride=4, offset=-3)  # cell (2, 2): patch [8, 12), field [5, 15)
    erf = np.zeros((32, 32))
    erf[9, 10] = 1.0  # in the patch
    erf[5, 14] = 3.0  # in the field, not the patch
    erf[20, 20] = 4.0  # outside both
    shares = rf.field_shares(erf, f, (2, 2))
    assert (shares.in_patch, shares.in_field, shares.total) == (1 / 8, 4 / 8, 8.0)
    assert rf.field_shares(np.zeros((32, 32)), f, (2, 2)).in_patch == 0.0


# --------------------------------------------------------------------- figures
def jpeg(image) -> bytes:
    import io

    buf = io.BytesIO()
    image.save(buf, format="JPEG")
    return buf.getvalue()


def test_figures_draw_and_say_what_lies_outside_the_image():
    from PIL import Image

    from roi_viz.figures import receptive as fr
    from roi_viz.picture import mpl
    from roi_viz.picture.files import to_png
    from roi_viz.picture.spec import Text
    from ui.figure import PAGE_DPI

    image = Image.new("RGB", (512, 512), (120, 130, 140))
    pool5 = rf.receptive_field("pool5")
    erf = np.zeros((512, 512), np.float32)
    erf[0:122, 0:122] = 1.0
    erf[0:32, 0:32] = 5.0
    in_patch = rf.field_shares(erf, pool5, (0, 0)).in_patch
    drawings = [
        fr.describe_cell_field(jpeg(image), image.size, pool5, (0, 0)),
        fr.describe_roi_field(jpeg(image), image.size, pool5, (296, 192, 200, 145), (6, 9, 9, 15), number=1),
        fr.describe_roi_field(jpeg(image), image.size, pool5, (296, 192, 20, 14), None),
        fr.describe_effective(fr.heat_photo(image, erf, pool5, (0, 0)), image.size, pool5, (0, 0), in_patch),
    ]
    for d in drawings:  # a file paints them; the words are the description's
        assert to_png(mpl.paint(d), PAGE_DPI)[:4] == b"\x89PNG"
    said = [" ".join(m.text for _, m in d.marks(Text)) for d in drawings]  # a legend's lines, read on
    assert "90 px left, 90 px top" in said[0]
    assert "98 px left, 90 px up, 74 px right, 41 px down" in said[1]
    assert "reads no cell" in said[2]
    # 32 x 32 x 5 of 122 x 122 x 1 + 32 x 32 x 4 in the patch: the share the legend prints.
    share = 32 * 32 * 5 / (122 * 122 + 32 * 32 * 4)
    assert f"{100 * share:.1f} % of the gradient" in said[3]
