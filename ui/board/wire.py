"""What our components' data looks like on the wire: scalars at the top, anything nested as one JSON string.

Streamlit looks at every top-level value of a component's ``data`` for a data frame, and the first look at a
list or a dict imports pandas and pyarrow (0.2-0.3 s of a cold server's first page, for tables the page never
sends). A string, a number or a flag is not looked at. So :func:`packed` keeps those at the top and puts the rest
under ``"nested"`` as JSON; each component's script starts with :data:`UNPACK_JS` and reads
``unpacked(component.data)``, the same object as before. :func:`unpacked` does the same in Python (tests).
"""
from __future__ import annotations

import json

SCALARS = (str, int, float, bool)

UNPACK_JS = """
// The data as Python built it: its nested values came as one JSON string (ui/board/wire.py).
function unpacked(data) {
  return data && typeof data.nested === "string" ? Object.assign({}, data, JSON.parse(data.nested)) : data;
}
"""


def packed(data: dict) -> dict:
    """``data`` with its lists and dicts moved into one JSON string under ``"nested"`` (see the module's docstring)."""
    top = {k: v for k, v in data.items() if v is None or isinstance(v, SCALARS)}
    rest = {k: v for k, v in data.items() if k not in top}
    if "nested" in data:
        raise ValueError('"nested" is the wire\'s own key; a component\'s data cannot use it')
    if rest:
        top["nested"] = json.dumps(rest)
    return top


def unpacked(data: dict) -> dict:
    """The data a component's script reads: :func:`packed`'s inverse."""
    if isinstance(data.get("nested"), str):
        return {**{k: v for k, v in data.items() if k != "nested"}, **json.loads(data["nested"])}
    return data
