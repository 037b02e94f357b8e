"""Reading a model named on the command line: a JSON model file, a Python file that
defines ``model``, or nothing (the built-in default model)."""

from __future__ import annotations

import runpy
from pathlib import Path

from .errors import BridgeError, SchemaError
from .model import ReducedModel, load
from .model import as_model


def read_model(path: str | None) -> ReducedModel:
    """The model in ``path`` (``.json`` or ``.py``), or the built-in model when ``path`` is None."""
    if path is None:
        from .default_model import default_model
        return default_model()
    file = Path(path)
    if not file.exists():
        raise SchemaError("no such file", obj=str(file), expected="a .json model file or a .py file defining 'model'")
    if file.suffix == ".py":
        try:
            namespace = runpy.run_path(str(file), run_name="__bridge_model__")
        except BridgeError:
            raise
        except Exception as exc:  # the user's script failed: report it in one line
            raise SchemaError(f"running it failed: {type(exc).__name__}: {exc}".replace("\n", " "),
                              obj=str(file)) from None
        if "model" not in namespace:
            raise SchemaError("defines no variable 'model'", obj=str(file),
                              expected="a Python file that assigns a NeuronModel/PointNeuronModel to 'model'")
        return as_model(namespace["model"])
    return load(file)
