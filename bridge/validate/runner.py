"""Running a validation case: each of its protocols (bridge.validate.protocols) on the
reference (NEURON) and the reduced model in each simulator, then the simulators' traces
against each other. Returns a :class:`~bridge.validate.result.ValidationResult`."""

from __future__ import annotations

import pandas as pd

from ..errors import UnknownNameError
from ..progress import progress_bar
from ..simulate import SIMULATORS
from ..traces import compare
from .case import ValidationCase
from .judge import COLUMNS
from .protocols import PROTOCOLS, Context
from .result import ValidationResult

#: Reduced-model traces of the simulators against NEURON's: the bound bridge's NEURON
#: emission is tested to (two second-order integrators of the same equations).
PARITY_RMS_MV = (0.1, "subthreshold RMS between simulators, as in tests/test_neuron_parity.py")
PARITY_MAX_MV = (0.5, "subthreshold max |dV| between simulators, as in tests/test_neuron_parity.py")


def _progress(step: int, total: int, text: str, enabled: bool) -> None:
    progress_bar("validate", step, total, text, enabled)


def _check_names(case: ValidationCase, simulators, protocols) -> None:
    for name in simulators:
        if name not in SIMULATORS:
            raise UnknownNameError(f"unknown simulator {name!r}", obj="validate", param="simulators",
                                   expected=", ".join(SIMULATORS))
    for protocol in protocols:
        if protocol not in case.protocols:
            raise UnknownNameError(f"unknown protocol {protocol!r}", obj=f"case {case.name}", param="protocols",
                                   expected=", ".join(case.protocols))


#: The most state variables for which Brian 2's rk4 code generation finishes in minutes: it
#: substitutes every variable into every other stage (measured: 70 state variables, 6
#: compartments of Hay's channels, took 11 minutes of sympy; docs/reduction.md, "Limits").
BRIAN2_MAX_STATES = 60


def brian2_state_count(model) -> int:
    """The number of differential equations of ``model``'s Brian 2 equations."""
    import re

    from ..brian2.equations import model_equations
    return len(re.findall(r"/dt\s*=", model_equations(model)))


def _check_brian2_size(case: ValidationCase, simulators) -> None:
    from ..errors import UnsupportedFeatureError
    if "brian2" not in simulators:
        return
    states = brian2_state_count(case.model)
    if states > BRIAN2_MAX_STATES:
        raise UnsupportedFeatureError(
            f"the reduced model has {states} state variables; Brian 2's rk4 code generation would take hours at "
            f"that size (more than {BRIAN2_MAX_STATES}: 70 took 11 minutes)", obj=f"case {case.name}",
            param="simulators", hint="validate it with --simulators neuron coreneuron (docs/reduction.md, 'Limits')")


def _parity(runs: dict) -> pd.DataFrame:
    """Each simulator's reduced-model traces against NEURON's (when NEURON ran)."""
    rows = []
    if "neuron" in runs:
        for sim, result in runs.items():
            if sim in ("neuron", "reference"):
                continue
            comparison = compare(runs["neuron"], result)
            for name, value, (bound, why) in (("rms", comparison.worst_rms, PARITY_RMS_MV),
                                              ("max", comparison.worst_max, PARITY_MAX_MV)):
                rows.append({"simulator": sim, "against": "neuron", "measure": name, "value_mV": value,
                             "bound_mV": bound, "passed": bool(value <= bound), "source": why})
    return pd.DataFrame(rows, columns=["simulator", "against", "measure", "value_mV", "bound_mV", "passed",
                                       "source"])


def run_case(case: ValidationCase, simulators=SIMULATORS, protocols=None, progress: bool = False,
             dt: float = 0.025e-3) -> ValidationResult:
    """Run ``case`` in ``simulators`` with ``protocols`` (default: the case's, in its order)."""
    from ..neuron.detailed import describe_reference
    protocols = tuple(protocols or case.protocols)
    simulators = tuple(simulators)
    _check_names(case, simulators, protocols)
    _check_brian2_size(case, simulators)
    ctx = Context(case, simulators, dt)
    total = len(protocols) + 1
    _progress(0, total, "morphology and mapping", progress)
    morphology = describe_reference(case.reference, case.mapping).segments
    rows, tables, runs = [], {}, {}
    for k, name in enumerate(protocols, start=1):
        _progress(k, total, f"protocol {name}", progress)
        outcome = PROTOCOLS[name]().run(ctx)
        rows += outcome.rows
        tables.update(outcome.tables)
        runs = runs or outcome.runs
    _progress(total, total, "done", progress)
    features = pd.DataFrame(rows, columns=list(COLUMNS))
    return ValidationResult(case, features, tables, _parity(runs), morphology,
                            {"dt_ms": dt * 1e3, "simulators": list(simulators), "protocols": list(protocols)})
