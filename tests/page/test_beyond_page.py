"""The two views beyond the article, in the page (AppTest): what a cell sees, and the head after pooling."""

from streamlit.testing.v1 import AppTest

from helpers import APP, page_state, page_text, widget
from roi_viz.study import head, receptive



def open_view(view: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    for name, value in {"view": view, **params}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_what_a_cell_sees_states_the_field_and_computes_the_gradient_on_demand():
    at = open_view("field")
    f = receptive.receptive_field("pool5")
    r, c = page_state(at).place.cell
    # The article's RoI (296, 192, 200, 145): its centre (396, 264.5) is in cell (8, 12) at stride 32.
    assert (r, c) == (8, 12)
    x0, y0, x1, y1 = f.span(r, c)
    text = page_text(at)
    assert "212 × 212 pixels" in text and f"columns [{x0}, {x1})" in text and f"rows [{y0}, {y1})" in text
    assert "of the gradient falls inside" not in text  # the backward pass waits for the click
    widget(at, "button", "Compute the effective field").click().run()
    assert not at.exception
    text = page_text(at)
    assert "of the gradient falls inside the cell's 32 × 32 square" in text
    assert "100.0 % inside the 212 × 212 field" in text
    widget(at, "number_input", "Cell row").set_value(0).run()
    assert page_state(at).place.cell == (0, 12) and "columns [294, 506) and rows [-90, 122)" in page_text(at)


def test_after_pooling_classifies_every_roi_and_says_why_3x3_does_not_fit():
    at = open_view("head")
    text = page_text(at)
    assert "25,088" in text and head.head_sentence((3, 3)) in text  # the article's 3 x 3 does not fit fc6
    # Without weights (as on a test machine) the scores are labelled; with them, the label must not lie.
    assert ("Untrained classifier" in text) == ("Untrained VGG16" in text)
    widget(at, "button", "Use the article's four RoIs").click().run()
    assert not at.exception
    assert len(page_state(at).store) == 4
    assert "RoI 4: (10, 230, 330, 60)" in page_text(at)
    assert at.query_params["view"] == "head" and len(at.query_params["roi"]) == 4
