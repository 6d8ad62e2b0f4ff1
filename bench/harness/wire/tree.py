"""The frontend's element tree, reduced to what decides which widget values a rerun carries."""
from __future__ import annotations

from streamlit.proto.WidgetStates_pb2 import WidgetState


# ------------------------------------------------------------------- the frontend's element tree
class Node:
    __slots__ = ("block", "children", "run_id", "fragment_id", "element", "kind", "block_type", "block_id")

    def __init__(self, block: bool, run_id: str, fragment_id: str = "", element=None, kind: str = "",
                 block_type: str = "", block_id: str = ""):
        self.block, self.run_id, self.fragment_id = block, run_id, fragment_id
        self.children: list[Node] = []
        self.element, self.kind, self.block_type, self.block_id = element, kind, block_type, block_id

    @property
    def widget_id(self) -> str:
        if self.block or self.element is None:
            return ""
        return getattr(getattr(self.element, self.kind), "id", "") or ""


class Tree:
    """The frontend's AppRoot, reduced to what decides widget state: which elements are on the page.

    ``set`` and ``clear_stale`` follow the frontend's ``setNodeAtPath`` and ``ClearStaleNodeVisitor``:
    every block on the way to a new node takes the run's id; when a run finishes, nodes another
    run wrote are dropped (a fragment run only drops them inside its own fragments).
    """

    def __init__(self):
        self.root = Node(True, "NO_SCRIPT_RUN_ID")
        self.root.children = [Node(True, "NO_SCRIPT_RUN_ID") for _ in range(4)]  # main, sidebar, event, bottom

    def get(self, path) -> Node | None:
        node = self.root
        for i in path:
            if not node.block or i >= len(node.children):
                return None
            node = node.children[i]
        return node

    def set(self, path, new: Node, run_id: str) -> None:
        node = self.root
        for i in path[:-1]:
            node = node.children[i]
            node.run_id = run_id
        i = path[-1]
        if i < len(node.children):
            node.children[i] = new
        else:
            node.children.append(new)

    def clear_stale(self, run_id: str, fragment_ids: list[str]) -> None:
        def block(node: Node, in_fragment: str) -> Node | None:
            if fragment_ids:
                if in_fragment and node.run_id != run_id:
                    return None
                if node.fragment_id in fragment_ids and node.run_id == run_id:
                    in_fragment = node.fragment_id
            elif node.run_id != run_id:
                return None
            kept = []
            for child in node.children:
                child = block(child, in_fragment) if child.block else element(child, in_fragment)
                if child is not None:
                    kept.append(child)
            node.children = kept
            return node

        def element(node: Node, in_fragment: str) -> Node | None:
            if node.kind == "toast" or node.run_id == run_id:
                return node
            if fragment_ids and (not node.fragment_id or not in_fragment):
                return node
            return None

        self.root.children = [block(c, "") or Node(True, run_id) for c in self.root.children]

    def walk(self, node: Node | None = None):
        for child in (node or self.root).children:
            yield child
            if child.block:
                yield from self.walk(child)

    def elements(self, kind: str | None = None):
        return [n for n in self.walk() if not n.block and (kind is None or n.kind == kind)]

    def active_ids(self) -> set[str]:
        ids = set()
        for n in self.walk():
            if n.block:
                if n.block_id:
                    ids.add(n.block_id)
            elif n.widget_id:
                ids.add(n.widget_id)
        return ids


def initial_widget_state(kind: str, w) -> WidgetState | None:
    """The value the frontend registers when it first renders a widget (None: it registers none)."""
    s = WidgetState(id=w.id)
    if kind in ("radio", "selectbox"):
        if w.HasField("raw_value") and w.set_value:
            s.string_value = w.raw_value
        elif w.HasField("default") and 0 <= w.default < len(w.options):
            s.string_value = w.options[w.default]
        else:
            return None
    elif kind == "slider":
        values = list(w.value) if w.set_value else list(w.default)
        if w.type == w.SELECT_SLIDER:
            s.string_array_value.data.extend(w.options[int(v)] for v in values)
        else:
            s.double_array_value.data.extend(values)
    elif kind == "number_input":
        v = w.value if w.set_value and w.HasField("value") else (w.default if w.HasField("default") else None)
        if v is None:
            return None
        if w.data_type == w.INT:
            s.int_value = int(v)
        else:
            s.double_value = v
    elif kind == "checkbox":
        s.bool_value = w.value if w.set_value else w.default
    else:
        return None  # buttons (a trigger per click), components (their own state), other types: none here
    return s
