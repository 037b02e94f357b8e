"""``bridge.from_brian2``: a neuron model as a Brian 2 user writes it -> a bridge model that
:func:`bridge.simulate` runs in Brian 2 (the user's own equations) and in NEURON and
CoreNEURON (the generated NMODL of :mod:`bridge.brian2.reader`)."""

from __future__ import annotations

import hashlib

from .errors import ModelError
from .model.equation_model import EquationModel
from .units import dimension_of


def _entries(values: dict, obj: str, param: str) -> tuple:
    out = []
    for name, value in sorted(values.items()):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ModelError(f"{name} = {value!r} is not a number with units", obj=obj, param=param) from None
        out.append((name, number, dimension_of(value)))
    return tuple(out)


def from_brian2(equations, threshold=None, reset=None, refractory=None, namespace=None, method=None,
                name: str = "soma", *, model_name: str = "brian2_model", initial=None, voltage=None,
                input=None, on_pre=None) -> EquationModel:
    """A one-compartment bridge model (compartment ``name``) whose dynamics are the user's
    Brian 2 equations.

    ``equations``, ``threshold``, ``reset``, ``refractory`` (a time or a condition),
    ``namespace`` and ``method`` are what ``NeuronGroup`` takes; ``initial`` gives initial
    values (``{"v": -70*mV}``), ``voltage`` names the membrane potential when more than
    one variable is in volt, ``input`` the parameter a :class:`bridge.Step` drives (in
    ampere), ``on_pre`` what an incoming spike does (a :class:`bridge.SpikeTrain` into
    the compartment, any synapse name). Brian 2 checks the model first; bad units,
    missing constants and constructs NMODL cannot express are bridge errors naming them.

    Example::

        model = bridge.from_brian2("dv/dt = (EL - v + R*I)/tau : volt (unless refractory)\\nI : amp",
                                   threshold="v > -50*mV", reset="v = -65*mV", refractory=2*ms,
                                   namespace={"EL": -70*mV, "R": 100*Mohm, "tau": 10*ms},
                                   initial={"v": -70*mV}, input="I")
        bridge.simulate(model, "neuron", [bridge.Step("soma", 0.3*nA, 50*ms, 450*ms)])
    """
    from .brian2.reader import read_brian2
    obj = f"model {model_name}"
    if hasattr(equations, "equations") and hasattr(equations, "namespace") and hasattr(equations, "events"):
        raise ModelError("a NeuronGroup is not read yet", obj=obj, param="equations",
                         hint="pass its equations, threshold, reset, refractory and namespace")
    text = equations if isinstance(equations, str) else str(equations)
    digest = hashlib.sha256(repr((text, threshold, reset, refractory, sorted((namespace or {}).items(), key=str),
                                  method, sorted((initial or {}).items(), key=str), voltage, input,
                                  on_pre)).encode()).hexdigest()[:8]
    read = read_brian2(text, threshold, reset, refractory, namespace, name=f"{model_name}_{digest}",
                       initial=initial, voltage=voltage, input=input, method=method, on_pre=on_pre)
    return EquationModel(
        model_name, name, text, read.mechanism, read.voltage, threshold=threshold, reset=reset,
        refractory=refractory if refractory is None or isinstance(refractory, str) else float(refractory),
        namespace=_entries(dict(namespace or {}), obj, "namespace"),
        initial=_entries(dict(initial or {}), obj, "initial"), method=method, input=input, on_pre=on_pre)
