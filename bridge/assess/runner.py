"""Running a validation case: each of its protocols (bridge.assess.protocols) on the
reference (NEURON) and the reduced model in each simulator, then the simulators' traces
against each other. Returns a :class:`~bridge.assess.result.ValidationResult`."""

from __future__ import annotations

import pandas as pd

from ..errors import UnknownNameError
from ..progress import progress_bar
from ..simulate import SIMULATORS
from .agreement import parity_table
from .case import ValidationCase
from .judge import COLUMNS
from .protocols import PROTOCOLS, Context
from .result import ValidationResult


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


def _coreneuron_builds(model, simulators) -> None:
    """Refuse at once a model CoreNEURON cannot compile (a detailed cell's runs can take an
    hour, and CoreNEURON's came after them)."""
    from ..errors import CompileError
    from ..neuron.session import check_coreneuron_builds
    try:
        check_coreneuron_builds(model)
    except CompileError as exc:
        others = " ".join(s for s in simulators if s != "coreneuron")
        leave_out = "leave CoreNEURON out" + (f" (--simulators {others})" if others else "")
        raise exc.amend(hint="; or ".join(filter(None, (exc.hint, leave_out)))) from None


def run_case(case: ValidationCase, simulators=SIMULATORS, protocols=None, progress: bool = False,
             dt: float = 0.025e-3, jobs: int | None = 1) -> ValidationResult:
    """Run ``case`` in ``simulators`` with ``protocols`` (default: the case's, in its order);
    a protocol's runs of the detailed cell in up to ``jobs`` worker processes at once
    (None: one per available CPU; 1: each in this process)."""
    from ..neuron.detailed_pool import DetailedRuns
    protocols = tuple(protocols or case.protocols)
    simulators = tuple(simulators)
    _check_names(case, simulators, protocols)
    with DetailedRuns(jobs) as detailed:
        return _run_protocols(case, simulators, protocols, progress, Context(case, simulators, dt, detailed=detailed))


def _run_protocols(case: ValidationCase, simulators, protocols, progress: bool, ctx: Context) -> ValidationResult:
    from ..neuron.detailed import measure_reference
    total = len(protocols) + 1
    if "coreneuron" in simulators:
        _progress(0, total, "CoreNEURON's library", progress)
        _coreneuron_builds(case.model, simulators)
    _progress(0, total, "morphology and mapping", progress)
    morphology = measure_reference(case.reference, case.mapping).segments
    rows, tables, runs = [], {}, {}
    for k, name in enumerate(protocols, start=1):
        _progress(k, total, f"protocol {name}", progress)
        ctx.start_counting(lambda text, k=k, name=name: _progress(k, total, f"{name}: {text}", progress))
        outcome = PROTOCOLS[name]().run(ctx)
        rows += outcome.rows
        tables.update(outcome.tables)
        # the parity protocol's runs, made for the comparison, else the first protocol's
        runs = outcome.runs if name == "parity" else (runs or outcome.runs)
    _progress(total, total, "done", progress)
    features = pd.DataFrame(rows, columns=list(COLUMNS))
    return ValidationResult(case, features, tables, parity_table(runs, case.model.soma.name), morphology,
                            {"dt_ms": ctx.dt * 1e3, "simulators": list(simulators), "protocols": list(protocols)})
