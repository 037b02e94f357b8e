"""The Jinja2 environment every emitter renders whole files with."""

from __future__ import annotations

import jinja2


def environment(package: str) -> jinja2.Environment:
    """Templates from ``<package>/templates``: undefined names are errors, block tags
    leave no blank lines, and files keep their final newline."""
    env = jinja2.Environment(loader=jinja2.PackageLoader(package, "templates"), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["py"] = repr  # Python literals: strings, None, floats that read back exactly
    return env
