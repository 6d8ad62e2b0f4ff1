"""torchvision's VGG16: weights from a file we write, the fallback, and the feature maps."""
import threading

import numpy as np
import pytest
import torch
from torchvision.models import vgg16

from roi_viz.model import features, weights


@pytest.fixture(scope="module")
def seeded_features_state():
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(1234)
        net = vgg16(weights=None).features
    return net.state_dict()


def test_weights_from_a_file_named_by_the_environment(tmp_path, monkeypatch, seeded_features_state):
    path = tmp_path / "vgg16_features.pth"
    # Saved with the whole model's key names, as torchvision's own file has them.
    torch.save({f"features.{k}": v for k, v in seeded_features_state.items()}, path)
    monkeypatch.setenv(weights.ENV_WEIGHTS, str(path))
    b = features.load_backbone("cpu")
    assert b.pretrained and str(path) in b.weights_source
    for k, v in b.net.state_dict().items():
        torch.testing.assert_close(v, seeded_features_state[k], rtol=0, atol=0)


def test_features_only_state_dict_is_accepted(tmp_path, seeded_features_state):
    path = tmp_path / "plain.pth"
    torch.save(seeded_features_state, path)
    assert set(weights.load_weights_file(path)) == set(seeded_features_state)


@pytest.mark.parametrize("kind", ["missing", "corrupt", "other-architecture"])
def test_unusable_weights_fall_back_with_a_message(tmp_path, monkeypatch, kind):
    path = tmp_path / "w.pth"
    if kind == "corrupt":
        path.write_bytes(b"this is not a checkpoint" * 100)
    elif kind == "other-architecture":
        torch.save(torch.nn.Conv2d(3, 8, 3).state_dict(), path)
    monkeypatch.setenv(weights.ENV_WEIGHTS, str(path))
    found = weights.find_weights(allow_download=False)
    assert found.state_dict is None
    assert any(str(path) in p for p in found.problems)
    b = features.load_backbone("cpu", found=found)
    assert not b.pretrained and len(b.net) == 31


def test_no_network_falls_back_instead_of_hanging(monkeypatch):
    monkeypatch.setattr(weights, "cache_path", lambda: weights.Path("/nonexistent/vgg16.pth"))
    monkeypatch.setattr(weights, "WEIGHTS", type("W", (), {"url": "https://unresolvable.invalid/vgg16-397923af.pth"}))
    result = []
    t = threading.Thread(target=lambda: result.append(weights.find_weights(allow_download=True, probe_seconds=2)), daemon=True)
    t.start()
    t.join(60)  # a guard against a hang, not a speed test
    assert result, "find_weights hung on an unreachable host"
    assert result[0].state_dict is None and "could not be reached" in result[0].problems[-1]


def test_fallback_is_torchvisions_vgg16_with_a_fixed_seed(backbone):
    assert not backbone.pretrained
    reference = vgg16(weights=None).features
    assert [type(m) for m in backbone.net] == [type(m) for m in reference]
    assert sum(isinstance(m, torch.nn.Conv2d) for m in backbone.net) == 13
    again = features.load_backbone("cpu", found=weights.WeightsFound(None, "none"))
    for a, b in zip(backbone.net.state_dict().values(), again.net.state_dict().values()):
        assert torch.equal(a, b)


def test_features_stack_matches_torchvision_and_its_initialisation():
    """The fallback is built without the classifier: same names and shapes, VGG's own init rule."""
    from roi_viz.model.vgg import features_stack

    net = features_stack(seed=3)
    reference = vgg16(weights=None).features.state_dict()
    ours = net.state_dict()
    assert list(ours) == list(reference)
    assert all(ours[k].shape == reference[k].shape for k in ours)
    for m in net:
        if isinstance(m, torch.nn.Conv2d):
            fan_out = m.out_channels * m.kernel_size[0] * m.kernel_size[1]
            assert torch.all(m.bias == 0)
            assert m.weight.std().item() == pytest.approx((2 / fan_out) ** 0.5, rel=0.1)
    assert torch.equal(features_stack(seed=3)[0].weight, net[0].weight)
    assert not torch.equal(features_stack(seed=4)[0].weight, net[0].weight)


def test_pool5_map_of_a_512_input(features_512, backbone, astronaut_input):
    assert features_512.values.shape == (512, 16, 16) and features_512.stride == 32
    with torch.inference_mode():  # the bare torchvision forward on the same input
        bare = backbone.net(features.image_tensor(astronaut_input))[0].numpy()
    np.testing.assert_array_equal(features_512.values, bare)


@pytest.mark.parametrize("size, layer, shape", [(224, "pool5", (512, 7, 7)), (256, "conv5_3", (512, 16, 16))])
def test_map_sizes_follow_the_stride(backbone, astronaut_input, size, layer, shape):
    fm = features.extract(backbone, astronaut_input.resize((size, size)), layer)
    assert fm.values.shape == shape and fm.stride == features.LAYERS[layer].stride
    assert (fm.values >= 0).all()  # both layers end in a ReLU or a max of ReLUs
