"""Line numbers in catalogue files: every app's catalogue names the file and line of a mistake."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
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


class YamlSyntaxError(ValueError):
    """A catalogue file that is not YAML; ``line`` is 1-based (None when the parser gives none)."""

    def __init__(self, line: int | None, problem: str):
        self.line, self.problem = line, problem
        super().__init__(f"dòng {line}: {problem}" if line else problem)


def read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """The data of a YAML file and its node tree (for :func:`line_of`); raises :class:`YamlSyntaxError`."""
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.safe_load(text), yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlSyntaxError(mark.line + 1 if mark is not None else None, str(getattr(exc, "problem", None) or exc)) from None
