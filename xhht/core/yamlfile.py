"""Line numbers in catalogue files: every app's catalogue names the file and line of a mistake."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml


def node_at(root: yaml.Node, path: Sequence[Any]) -> yaml.Node:
    """The YAML node at ``path`` (mapping keys and list indexes), or its nearest existing ancestor."""
    node = root
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = next((value for key, value in node.value if key.value == str(step)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            found = node.value[step]
        else:
            found = None
        if found is None:
            return node
        node = found
    return node


def line_of(root: yaml.Node, path: Sequence[Any]) -> int:
    """The 1-based line of the node at ``path`` (see :func:`node_at`)."""
    return node_at(root, path).start_mark.line + 1
