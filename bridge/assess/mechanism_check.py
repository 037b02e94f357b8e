"""Does a converted mechanism behave the same in Brian 2 as its NMODL file in NEURON?

:func:`check_mechanism` puts the mechanism (with what it needs, see :data:`SETUPS`) in one
compartment (a 20 x 20 um cylinder, cm 1 uF/cm2, a small leak) and runs two protocols in
NEURON (the original .mod file) and in Brian 2 (the converted equations), both with
dt = 0.025 ms:

- ``clamp``: a voltage-clamp family (hold -80 mV; steps to -60, -40, -20, 0, 20, 40 mV,
  50 ms each, each followed by 50 ms at -80 mV), comparing the total channel current
  sample by sample. NEURON clamps with an SEClamp (rs 1e-3 MOhm) under backward Euler:
  with Crank-Nicolson such a stiff clamp rings (the voltage alternates between the command
  and its mirror image at every step, by tens of mV, and does not decay), so the clamp runs
  are the one place NEURON does not use Crank-Nicolson. Brian 2 is driven by the voltage
  NEURON recorded, in NEURON's order (``exponential_strang``): the currents of a step from
  the voltage and states at its start, the states advanced at the voltage of its end.
  NEURON's channel current recorded at ``t_k+1`` (computed at the start of the step, from
  the voltage and states of ``t_k``) is compared with Brian 2's at ``t_k``.
- ``step <amp> nA``: current steps (50-450 ms of a 500 ms run) in NEURON (Crank-Nicolson)
  and Brian 2 (``exponential_strang``, NEURON's own step, as bridge runs every model),
  comparing the somatic voltage before the first spike (or over the whole run when neither
  spikes), the spike counts (upward crossings of -20 mV) and the spike times.

A point process (ExpSyn, Exp2Syn, epsp...) is placed in the same cylinder (leak only,
resting at -70 mV) and checked by one protocol, ``events``: with NET_RECEIVE, a train of
events (:attr:`Setup.events`, weight :attr:`Setup.weight` in NET_RECEIVE's unit) delivered
through bridge's input path (NEURON: a NetCon; Brian 2: Synapses running NET_RECEIVE);
without, the mechanism's own time course (epsp: its ``onset`` and ``imax``). The voltage
is compared sample by sample over the whole run against ``voltage_rms_mv``.

A correct conversion meets every protocol to rounding (hh: 8e-12 nA in the clamp, 5e-13 mV
in the steps); the tolerances are far wider, so what fails them is the conversion.

Tolerances are fixed in :data:`TOLERANCES`, with their source; nothing is tuned per
mechanism.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..mechanisms import Mechanism
from ..model import CompartmentSpec, ReducedModel, Spiking
from ..model.channels import Channel

#: Acceptance tolerances of the check; the same for every mechanism.
TOLERANCES = {
    "clamp_rms_fraction_of_peak": 0.01,   # clamp: RMS of the current difference <= 1% of peak |current|
    "voltage_rms_mv": 0.1,                # steps: voltage RMS before the first spike
    "spike_count_difference": 0,          # steps: equal spike counts
    "spike_time_ms": 0.2,                 # steps: every spike time within 0.2 ms over 500 ms
}
TOLERANCE_SOURCE = ("fixed before any run: both simulators compute the same rate functions with the same "
                    "scheme, so a correct conversion agrees to rounding. Voltage-clamp family: 'RMS <= 1% of its "
                    "peak |current|'. Current steps: 'voltage RMS <= 0.1 mV before the first spike; equal spike "
                    "counts; spike times <= 0.2 ms over 500 ms', the bounds bridge's NEURON emission is held to, "
                    "set when Brian 2 ran rk4 here (hh's 34 spikes 0.10 ms from NEURON's at dt 0.025 ms)")

#: A clamp family whose channel current never reaches this (nA, a femtoampere: zero but for
#: rounding) compared nothing: a channel at zero density, a concentration mechanism without a
#: current to follow. The clamp's bound is relative to the peak, so any current above it is
#: compared (camchan at its defaults carries 0.5 pA, and matches NEURON to 4e-20 nA).
CLAMP_FLOOR_NA = 1e-6

DT_MS = 0.025
HOLD_MV = -80.0
CLAMP_LEVELS_MV = (-60.0, -40.0, -20.0, 0.0, 20.0, 40.0)
CLAMP_FIRST_MS, CLAMP_STEP_MS, CLAMP_BACK_MS = 20.0, 50.0, 50.0
STEP_START_MS, STEP_STOP_MS, STEP_DURATION_MS = 50.0, 450.0, 500.0
SPIKE_THRESHOLD_MV = -20.0

#: The cell: a 20 x 20 um cylinder (1256.6 um2), cm 1 uF/cm2 (F/m2), leak 3.38e-5 S/cm2
#: (Hay's somatic g_pas, in S/m2) reversing at the cell's v_rest.
LENGTH = DIAMETER = 20e-6
CM = 0.01
GL = 0.338


@dataclass(frozen=True)
class Setup:
    """How one mechanism is checked.

    ``params``: parameter values in the files' declared units (``S/cm2``...), by mechanism
    name, for the mechanism and its companions (others keep their defaults). ``needs``:
    files inserted with it in both protocols (a mechanism that writes or reads a
    concentration gets what makes it meaningful); ``steps_with``: files added for the
    current steps only (what a spiking channel needs to spike). Files are named relative
    to the mechanism's own file. ``amplitudes`` (nA) of the steps; ``ions``: reversal
    potentials (mV); ``gl`` leak (S/m2); ``v_rest`` (mV) of the step protocol;
    ``step_params``: values for the current steps where they differ from ``params``.
    """

    celsius: float = 6.3
    params: dict = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    steps_with: tuple[str, ...] = ()
    amplitudes: tuple[float, ...] = (-0.02, 0.01, 0.03)
    ions: dict = field(default_factory=dict)
    gl: float = GL
    v_rest: float = -80.0
    why: str = ""
    step_params: dict | None = None
    events: tuple[float, ...] = ()
    weight: float = 0.0
    duration: float = STEP_DURATION_MS


_HAY_SOMA = {"NaTa_t": {"gNaTa_tbar": 2.04}, "NaTs2_t": {"gNaTs2_tbar": 0.983}, "Nap_Et2": {"gNap_Et2bar": 0.00172},
             "SKv3_1": {"gSKv3_1bar": 0.693}, "K_Tst": {"gK_Tstbar": 0.0812}, "K_Pst": {"gK_Pstbar": 0.00223},
             "SK_E2": {"gSK_E2bar": 0.0441}, "Ca_HVA": {"gCa_HVAbar": 0.000992},
             "Ca_LVAst": {"gCa_LVAstbar": 0.00343}, "Ih": {"gIhbar": 0.0002}, "Im": {"gImbar": 0.0001},
             "CaDynamics_E2": {"decay": 460.0, "gamma": 0.000501}}
_HAY_IONS = {"ek": -85.0, "ena": 50.0}


def _hay(**kw) -> Setup:
    return Setup(celsius=34.0, params=_HAY_SOMA, ions=_HAY_IONS, **kw)


#: Spiking sodium channels: Hay's somatic densities (NaTa_t 2.04, SKv3_1 0.693 S/cm2) make
#: the membrane equation too stiff for an explicit method at dt = 0.025 ms (g/C is 2.04e6/s
#: for the open sodium channel, a time constant of 0.49 us; rk4 is stable for dt up to about
#: 2.8 time constants), so Brian 2's rk4 diverges at the first spike while NEURON's implicit
#: method does not. The clamp uses Hay's densities; the current steps use hh-like ones.
_NA_STEPS = {"NaTa_t": {"gNaTa_tbar": 0.1}, "NaTs2_t": {"gNaTs2_tbar": 0.1}, "SKv3_1": {"gSKv3_1bar": 0.05}}
_NA_WHY = ("spikes with SKv3_1; clamp at Hay's somatic density, steps at 0.1 S/cm2 with SKv3_1 0.05 S/cm2 (Hay's "
           "densities are too stiff for rk4 at dt 0.025 ms: NaN after the first spike)")


#: Event times (ms) of the point-process protocol, and the weight a point process without a
#: setup gets (in its NET_RECEIVE's unit: ExpSyn's uS, 0.2 nS).
_EVENTS = (20.0, 60.0, 61.0, 62.0, 100.0)
_DEFAULT_WEIGHT = 0.0002


#: Per mechanism (by NMODL name). Hay's densities are his somatic ones (Hay et al. 2011,
#: L5PCbiophys1; Im, which his soma lacks, at 1e-4 S/cm2), celsius 34,
#: ek -85 mV, ena 50 mV; NEURON's and the demo mechanisms keep their defaults at 6.3 degC.
SETUPS: dict[str, Setup] = {
    "hh": Setup(amplitudes=(0.05, 0.15, 0.3), v_rest=-65.0, why="spikes on its own"),
    "pas": Setup(gl=0.0, amplitudes=(-0.1, 0.05, 0.1), v_rest=-70.0,
                 why="the cell's leak is 0: NEURON's leak is pas itself, so the channel's values replace it"),
    "HHna": Setup(steps_with=("khhchan.mod",), gl=3.0, v_rest=-65.0,
                  amplitudes=(0.05, 0.15, 0.3), why="spikes with the demo's HHk (khhchan.mod) and hh's leak"),
    "HHk": Setup(steps_with=("nachan.mod",), gl=3.0, v_rest=-65.0, amplitudes=(0.05, 0.15, 0.3),
                 why="spikes with the demo's HHna (nachan.mod) and hh's leak"),
    "cachan1": Setup(why="alone: reads cai/cao at NEURON's defaults (nothing writes them)"),
    "cachan": Setup(why="alone: reads cai/cao at NEURON's defaults (nothing writes them)"),
    "NaTa_t": _hay(steps_with=("SKv3_1.mod",), amplitudes=(0.05, 0.1, 0.2), step_params=_NA_STEPS, why=_NA_WHY),
    "NaTs2_t": _hay(steps_with=("SKv3_1.mod",), amplitudes=(0.05, 0.1, 0.2), step_params=_NA_STEPS, why=_NA_WHY),
    "Nap_Et2": _hay(),
    "SKv3_1": _hay(), "K_Tst": _hay(), "K_Pst": _hay(), "Im": _hay(), "Ih": _hay(), "Ca_LVAst": _hay(),
    "Ca_HVA": _hay(),
    "CaDynamics_E2": _hay(needs=("Ca_HVA.mod",), why="writes cai from ica: checked with Ca_HVA, whose eca "
                                                     "follows cai (Nernst)"),
    "SK_E2": _hay(needs=("Ca_HVA.mod", "CaDynamics_E2.mod"),
                  why="reads cai: checked with Ca_HVA and CaDynamics_E2, which make cai move"),
    # Point processes: a passive cell at -70 mV (Hay's somatic leak) and five events, the
    # middle three 1 ms apart so that they sum; weights in uS give a few mV each.
    "ExpSyn": Setup(params={"ExpSyn": {"tau": 2.0, "e": 0.0}}, v_rest=-70.0, duration=150.0,
                    events=_EVENTS, weight=0.0002, why="tau 2 ms, e 0 mV; 5 events of 0.2 nS"),
    "Exp2Syn": Setup(params={"Exp2Syn": {"tau1": 0.5, "tau2": 5.0, "e": 0.0}}, v_rest=-70.0, duration=150.0,
                     events=_EVENTS, weight=0.0002, why="tau1 0.5 ms, tau2 5 ms, e 0 mV; 5 events of 0.2 nS"),
    "epsp": Setup(params={"epsp": {"onset": 20.0, "imax": 0.02}}, v_rest=-70.0, duration=150.0,
                  why="its own time course: onset 20 ms, imax 0.02 nA (tau0 0.2 ms, tau1 3 ms)"),
}


@dataclass(frozen=True)
class ProtocolResult:
    """One protocol of one check: ``rms``, ``max`` (the difference, in ``unit``), ``peak``
    (clamp: peak |current| in NEURON, nA; steps: peak voltage in NEURON, mV), spike counts
    (NEURON, Brian 2), the largest spike-time difference (ms; NaN without spikes or with
    unequal counts) and whether it is within :data:`TOLERANCES`."""

    mechanism: str
    protocol: str
    unit: str
    rms: float
    max: float
    peak: float
    spikes: tuple[int, int]
    spike_shift: float
    passed: bool
    reason: str = ""


@dataclass
class MechanismCheck:
    """The result of :func:`check_mechanism`: ``group`` the mechanisms in the cell."""

    mechanism: str
    group: tuple[str, ...]
    rows: list[ProtocolResult]
    why: str = ""
    silent: str = ""   # why nothing was compared (a check of nothing is no pass)

    @property
    def passed(self) -> bool:
        return not self.silent and all(r.passed for r in self.rows)

    def table_rows(self) -> list[list[str]]:
        out = []
        for r in self.rows:
            shift = "" if math.isnan(r.spike_shift) else f"{r.spike_shift:.3f} ms"
            spikes = "" if r.protocol == "clamp" else f"{r.spikes[0]}/{r.spikes[1]}"
            out.append([r.mechanism, r.protocol, f"{r.rms:.3g} {r.unit}", f"{r.max:.3g} {r.unit}",
                        f"{r.peak:.4g} {r.unit}", spikes, shift, "pass" if r.passed else f"FAIL ({r.reason})"])
        return out


TABLE_HEADERS = ["mechanism", "protocol", "RMS", "max", "peak", "spikes N/B", "spike dt", "verdict"]


def format_checks(checks) -> str:
    from ..model.summary import format_table
    return format_table(TABLE_HEADERS, [row for c in checks for row in c.table_rows()])


# -- the cell ------------------------------------------------------------------------------

def _companion(mechanism: Mechanism, file: str) -> Mechanism:
    from ..convert import from_nmodl
    if mechanism.source is None or not mechanism.source.path:
        raise ModelError(f"needs {file}, found beside its .mod file, but it has no source path",
                         obj=f"mechanism {mechanism.name}", param="source", hint="convert it with from_nmodl(path)")
    path = Path(mechanism.source.path).parent / file
    if not path.exists():
        raise ModelError(f"needs {file}, which is not beside {mechanism.source.path}",
                         obj=f"mechanism {mechanism.name}", param="companions")
    return from_nmodl(path)


def _events(name: str, mechanism: Mechanism, setup: Setup, target: str) -> ProtocolResult:
    """The point-process protocol (see the module docstring)."""
    from brian2.units import ms

    from ..simulate import simulate
    from ..stimuli import SpikeTrain
    model = _cell([mechanism], setup, setup.v_rest, spiking=False)
    stimuli = []
    if mechanism.net_receive:
        stimuli = [SpikeTrain("soma", mechanism.name, list(setup.events) * ms, weight=setup.weight)]
    kw = dict(duration=setup.duration * ms, dt=DT_MS * ms)
    neuron = simulate(model, "neuron", stimuli, **kw)
    brian = simulate(model, "brian2", stimuli, target=target, **kw)   # exponential_strang: NEURON's own step
    vn, vb = neuron.traces["soma"].to_numpy(), brian.traces["soma"].to_numpy()
    diff = vb - vn
    rms, mx = float(np.sqrt(np.mean(diff ** 2))), float(np.max(np.abs(diff)))
    ok = bool(rms <= TOLERANCES["voltage_rms_mv"])
    protocol = f"{len(setup.events)} events" if stimuli else "own time course"
    return ProtocolResult(name, protocol, "mV", rms, mx, float(np.max(np.abs(vn - setup.v_rest))), (0, 0),
                          float("nan"), ok, "" if ok else f"V RMS > {TOLERANCES['voltage_rms_mv']} mV")


def _channel(mech: Mechanism, params: dict) -> Channel:
    values = params.get(mech.name, {})
    return Channel(mech, tuple((n, v * mech.variable(n).unit.scale) for n, v in values.items()))


def _cell(mechanisms, setup: Setup, v_rest_mv: float, spiking: bool) -> ReducedModel:
    params = dict(setup.params, **(setup.step_params or {})) if spiking else setup.params
    comp = CompartmentSpec("soma", kind="soma", v_rest=v_rest_mv * 1e-3, length=LENGTH, diameter=DIAMETER, cm=CM,
                       gl=setup.gl, r_axial=1.0, channels=tuple(_channel(m, params) for m in mechanisms),
                       ions=tuple((k, v * 1e-3) for k, v in setup.ions.items()
                                  if any(f"e{i.ion}" == k for m in mechanisms for i in m.ions)))
    return ReducedModel((comp,), name=f"check_{mechanisms[0].name}", celsius=setup.celsius,
                        spiking=Spiking(f"V_soma > {SPIKE_THRESHOLD_MV!r}*mV") if spiking else None)


# -- protocols -----------------------------------------------------------------------------

def clamp_command() -> np.ndarray:
    """The command voltage (mV) of every time step of the clamp family."""
    n = lambda ms: int(round(ms / DT_MS))  # noqa: E731
    parts = [np.full(n(CLAMP_FIRST_MS), HOLD_MV)]
    for level in CLAMP_LEVELS_MV:
        parts += [np.full(n(CLAMP_STEP_MS), level), np.full(n(CLAMP_BACK_MS), HOLD_MV)]
    return np.concatenate(parts)


def _brian2_clamp(model: ReducedModel, v_mv: np.ndarray, target: str) -> np.ndarray:
    """Brian 2's total channel current (nA, outward positive) with V played from ``v_mv``."""
    import brian2 as b

    from ..brian2.channels import compartment_channels
    from ..brian2.equations import method_options
    from ..brian2.functions import FUNCTIONS
    from ..brian2.methods import register
    from ..brian2.run import brian2_target
    register()
    block = compartment_channels(model, model.soma, "")
    dt = DT_MS * b.ms
    namespace = dict(block.namespace, **FUNCTIONS)
    namespace["bridge_v_clamp"] = b.TimedArray(np.asarray(v_mv) * b.mV, dt=dt)
    equations = "\n".join(block.lines + ["V = bridge_v_clamp(t) : volt"])
    # NEURON's order (exponential_strang's): the states advance at the voltage of the step's
    # end, the ion currents a concentration reads come from its start, the implicit solvers
    # take whole steps (NEURON's backward Euler: secondorder 0)
    with brian2_target(target):
        group = b.NeuronGroup(1, equations, namespace=namespace, method="exponential_strang",
                              method_options={**method_options(model, [block]), "secondorder": 0}, dt=dt)
        for name, value in block.initial.items():
            setattr(group, name, value)
        monitor = b.StateMonitor(group, block.current, record=0, dt=dt)
        b.Network(group, monitor).run(len(v_mv) * dt)
        return -np.asarray(getattr(monitor, block.current)[0] / b.nA)


def _clamp(name: str, mechanisms, setup: Setup, target: str) -> ProtocolResult:
    from ..neuron.clamp import clamp_currents
    model = _cell(mechanisms, setup, HOLD_MV, spiking=False)
    command = clamp_command()
    neuron = clamp_currents(model, command, DT_MS * 1e-3, method="backward_euler")
    brian = _brian2_clamp(model, neuron["v"], target)
    diff = brian[:-1] - neuron["i"][1:]
    rms, mx = float(np.sqrt(np.mean(diff ** 2))), float(np.max(np.abs(diff)))
    peak = float(np.max(np.abs(neuron["i"])))
    limit = TOLERANCES["clamp_rms_fraction_of_peak"] * peak
    ok = bool(np.isfinite(rms) and rms <= limit)
    return ProtocolResult(name, "clamp", "nA", rms, mx, peak, (0, 0), float("nan"), ok,
                          "" if ok else f"RMS > {limit:.3g} nA (1% of peak)")


def _steps(name: str, mechanisms, setup: Setup, amplitude: float, target: str) -> ProtocolResult:
    from brian2.units import ms, nA

    from ..simulate import simulate
    from ..stimuli import Step
    model = _cell(mechanisms, setup, setup.v_rest, spiking=True)
    stimuli = [Step("soma", amplitude * nA, STEP_START_MS * ms, STEP_STOP_MS * ms)]
    kw = dict(duration=STEP_DURATION_MS * ms, dt=DT_MS * ms)
    neuron = simulate(model, "neuron", stimuli, **kw)
    brian = simulate(model, "brian2", stimuli, target=target, **kw)   # exponential_strang: NEURON's own step
    vn, vb = neuron.traces["soma"].to_numpy(), brian.traces["soma"].to_numpy()
    t = neuron.traces.index.to_numpy()
    sn, sb = np.asarray(neuron.spikes), np.asarray(brian.spikes)
    first = min([s[0] for s in (sn, sb) if len(s)], default=np.inf)
    before = t < first
    diff = vb[before] - vn[before]
    rms = float(np.sqrt(np.mean(diff ** 2))) if diff.size else float("nan")
    mx = float(np.max(np.abs(diff))) if diff.size else float("nan")
    shift = float(np.max(np.abs(sn - sb))) if len(sn) == len(sb) and len(sn) else float("nan")
    reasons = []
    if not diff.size:
        reasons.append("fires from the start: no voltage before the first spike to compare (lower the density "
                       "with --set)")
    elif not (rms <= TOLERANCES["voltage_rms_mv"]):
        reasons.append(f"V RMS > {TOLERANCES['voltage_rms_mv']} mV" + (" (NaN in Brian 2)"
                                                                       if np.isnan(vb).any() else ""))
    if abs(len(sn) - len(sb)) > TOLERANCES["spike_count_difference"]:
        reasons.append("spike counts differ")
    elif len(sn) and not shift <= TOLERANCES["spike_time_ms"]:
        reasons.append(f"spike times > {TOLERANCES['spike_time_ms']} ms")
    return ProtocolResult(name, f"step {amplitude:g} nA", "mV", rms, mx, float(np.nanmax(vn)), (len(sn), len(sb)),
                          shift, not reasons, "; ".join(reasons))


def check_mechanism(mechanism: Mechanism, *, setup: Setup | None = None, protocols=("clamp", "steps"),
                    target: str = "numpy", params: dict | None = None, companions=()) -> MechanismCheck:
    """Run ``mechanism`` (with what :data:`SETUPS` says it needs, or ``setup``) in NEURON and
    Brian 2 and compare (see the module docstring). ``target`` is Brian 2's code generation
    target (``numpy``; ``cython`` is faster for long runs once compiled). ``params``
    ({mechanism: {parameter: value in its file's unit}}) override the setup's values;
    ``companions`` (.mod paths) are inserted with it. A clamp whose channel current stays
    below :data:`CLAMP_FLOOR_NA` compared nothing, and the check does not pass."""
    if not isinstance(mechanism, Mechanism):
        raise ModelError(f"{mechanism!r} is not a mechanism", obj="check_mechanism", param="mechanism",
                         expected="a bridge Mechanism (bridge.from_nmodl)")
    setup = setup or SETUPS.get(mechanism.name, Setup(why="no setup known: alone, at its defaults"))
    setup = _overridden(setup, params or {}, tuple(str(Path(f).resolve()) for f in companions))
    if mechanism.kind == "point":
        if mechanism.net_receive and not setup.events:
            setup = dataclasses.replace(setup, events=_EVENTS, weight=_DEFAULT_WEIGHT, v_rest=-70.0, duration=150.0,
                                        why=f"no setup known: 5 events of weight {_DEFAULT_WEIGHT:g} (ExpSyn's uS) at "
                                            "its defaults")
        row = _events(mechanism.name, mechanism, setup, target)
        silent = ""
        if not row.peak > TOLERANCES["voltage_rms_mv"]:
            silent = (f"the voltage moved at most {row.peak:.2g} mV from rest, within the {TOLERANCES['voltage_rms_mv']:g}"
                      " mV the check allows: it could not fail")
        return MechanismCheck(mechanism.name, (mechanism.name,), [row], setup.why, silent)
    needs = [_companion(mechanism, f) for f in setup.needs]
    group = needs + [mechanism]
    held = {m.name: m for m in group}
    for name, values in (params or {}).items():
        if name not in held:
            raise ModelError(f"values for {name}, which the checked cell does not hold",
                             obj=f"check of {mechanism.name}", param="params", expected=", ".join(held))
        parameters = [v.name for v in held[name].parameters]
        unknown = sorted(set(values) - set(parameters))
        if unknown:
            raise ModelError(f"{unknown[0]!r} is not one of its parameters", obj=f"mechanism {name}",
                             param=unknown[0], expected=", ".join(parameters))
    rows, silent = [], ""
    if "clamp" in protocols:
        rows.append(_clamp(mechanism.name, group, setup, target))
        if not rows[0].peak >= CLAMP_FLOOR_NA:   # the steps would run the leak alone
            silent = (f"the channels carried at most {rows[0].peak:.2g} nA in the clamp family (below "
                      f"{CLAMP_FLOOR_NA:g} nA, a femtoampere): a density of 0, or nothing for the mechanism to act on")
    # (a point process is checked by the events protocol alone, above)
    if "steps" in protocols and not silent:
        stepped = group + [_companion(mechanism, f) for f in setup.steps_with]
        for amplitude in setup.amplitudes:
            rows.append(_steps(mechanism.name, stepped, setup, amplitude, target))
    names = tuple(m.name for m in group) + tuple(Path(f).stem for f in setup.steps_with)
    return MechanismCheck(mechanism.name, names, rows, setup.why, silent)


def parameter_settings(settings, own: str) -> dict:
    """{mechanism: {parameter: value}} from texts "NAME=VALUE" (a parameter of ``own``) or
    "MECH.NAME=VALUE" (bridge convert's --set)."""
    values: dict = {}
    for text in settings:
        name, sep, value = text.partition("=")
        mech, _, param = name.strip().rpartition(".")
        try:
            number = float(value)
        except ValueError:
            number = None
        if not sep or not param or number is None:
            raise ModelError(f"{text!r} is not NAME=VALUE", obj="check settings", param="--set",
                             expected="gkabar=0.01, or ca.gbar=100 for a --with mechanism (its file's unit)")
        values.setdefault(mech or own, {})[param] = number
    return values


def _overridden(setup: Setup, params: dict, companions: tuple[str, ...]) -> Setup:
    """``setup`` with ``params`` over its values (for the clamp and the steps) and
    ``companions`` added to what it inserts."""
    if not params and not companions:
        return setup
    merged = {m: {**setup.params.get(m, {}), **values} for m, values in params.items()}
    steps = setup.step_params
    if steps is not None:
        steps = {**steps, **{m: {**steps.get(m, {}), **values} for m, values in params.items()}}
    return dataclasses.replace(setup, params={**setup.params, **merged}, step_params=steps,
                               needs=setup.needs + companions,
                               why="; ".join(filter(None, (setup.why, "values and companions from the caller"))))
