"""Reading a model named on the command line: a JSON model file, a Python file that
defines ``model``, or nothing (the built-in default model); and a Brian 2 user's Python
file that defines ``group`` or ``eqs`` (``bridge convert model.py --to neuron``)."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

from .errors import BridgeError, SchemaError
from .model import ReducedModel, load
from .model import as_model

#: What a Brian 2 model file may define besides ``group`` or ``eqs``: the arguments of
#: :func:`bridge.from_brian2` of the same names.
BRIAN2_FILE_NAMES = ("threshold", "reset", "refractory", "namespace", "method", "initial", "voltage", "input",
                     "on_pre")


def run_python_file(path, expected: str) -> dict:
    """Run the Python file ``path`` (as ``python path`` would, under ``runpy``) and return
    its global variables. An exception it raises becomes one SchemaError naming the file
    and the line of the file where it happened (``path:line``); ``expected`` says what the
    file should be."""
    file = Path(path)
    if not file.is_file():
        raise SchemaError("no such file", obj=str(file), expected=expected)
    try:
        return runpy.run_path(str(file), run_name="__bridge_model__")
    except BridgeError:
        raise
    except Exception as exc:  # the user's script failed: report it in one line, where it failed
        line = _failing_line(file, exc)
        raise SchemaError(f"running it failed: {type(exc).__name__}: {exc}".replace("\n", " "),
                          obj=f"{file}:{line}" if line else str(file)) from None


def _failing_line(file: Path, exc: BaseException) -> int | None:
    """The line of ``file`` where ``exc`` happened: its innermost frame in the file (a
    SyntaxError: the line it names)."""
    target = file.resolve()
    if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename).resolve() == target:
        return exc.lineno
    line, tb = None, exc.__traceback__
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename).resolve() == target:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def read_model(path: str | None) -> ReducedModel:
    """The model in ``path`` (``.json`` or ``.py``), or the built-in model when ``path`` is None."""
    if path is None:
        from .default_model import default_model
        return default_model()
    found = _read_file(path, "model", "a .json model file or a .py file defining 'model'", load)
    if found is None:
        raise SchemaError("defines no variable 'model'", obj=str(path),
                          expected="a Python file that assigns a NeuronModel/PointNeuronModel to 'model'")
    return as_model(found)


def read_network(path):
    """The network description in ``path``: a ``.json`` file (``Network.save``) or a ``.py``
    file defining ``network`` (a :class:`bridge.Network`)."""
    from .network import Network
    from .network.serialize import load as load_network
    found = _read_file(path, "network", "a .json network file or a .py file defining 'network'", load_network)
    if not isinstance(found, Network) and not hasattr(found, "populations"):
        raise SchemaError("defines no bridge.Network called 'network'", obj=str(path),
                          expected="a Python file that assigns a bridge.Network to 'network'")
    return found.description if isinstance(found, Network) else found


def _read_file(path, variable: str, expected: str, load_json):
    """What a ``.json`` file holds (read by ``load_json``), or the value a ``.py`` file
    assigns to ``variable`` (None when it assigns none)."""
    file = Path(path)
    if not file.exists():
        raise SchemaError("no such file", obj=str(file), expected=expected)
    if file.suffix == ".py":
        return run_python_file(file, expected).get(variable)
    return load_json(file)


def model_name_of(path) -> str:
    """A model name (letters, digits, single underscores) from a file name: ``lif-2.py`` -> ``lif_2``."""
    name = "_".join(part for part in re.split(r"[^A-Za-z0-9]+", Path(path).stem) if part)
    return name if name[:1].isalpha() else f"model_{name}" if name else "model"


def read_brian2_file(path):
    """The :class:`~bridge.model.EquationModel` of a Brian 2 user's Python file: it defines
    ``group`` (a ``NeuronGroup``) or ``eqs`` (an equation string or ``Equations``), and
    optionally the other arguments of :func:`bridge.from_brian2` (``threshold``, ``reset``,
    ``refractory``, ``namespace``, ``method``, ``initial``, ``voltage``, ``input``,
    ``on_pre``). The model is named after the file. Names the model uses and ``namespace``
    does not give are the file's own variables, as Brian 2 finds them when the file runs
    the group."""
    from brian2 import Equations

    from .from_brian2 import from_brian2
    file = Path(path)
    expected = "a Python file defining 'group' (a brian2 NeuronGroup) or 'eqs' (its equations)"
    defined = run_python_file(file, expected)
    options = {name: defined[name] for name in BRIAN2_FILE_NAMES if name in defined}
    if "group" in defined:
        # the group holds its equations, threshold, reset, refractoriness and method
        equations = defined["group"]
        options = {k: v for k, v in options.items() if k in ("namespace", "initial", "voltage", "input", "on_pre")}
    elif "eqs" in defined:
        equations = defined["eqs"]
        if not isinstance(equations, (str, Equations)):
            raise SchemaError(f"eqs is a {type(equations).__name__}", obj=str(file), param="eqs",
                              expected="an equation string or brian2.Equations")
    else:
        raise SchemaError("defines neither 'group' nor 'eqs'", obj=str(file), expected=expected)
    return from_brian2(equations, **options, model_name=model_name_of(file), scope=defined)
