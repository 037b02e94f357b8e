"""Neuron models written the way Brian 2 users write them, plus a plain Brian 2 runner.

This is a fixture module for tests of a Brian 2 -> NMODL converter: each :class:`UserModel`
holds the equation text, threshold, reset, refractoriness, integration method and
namespace a Brian 2 user would pass to ``NeuronGroup``, with parameters from the paper or
course named in ``notes``. :func:`run_brian2` runs one of them in plain Brian 2 (no
``bridge`` import) and returns the voltage trace and spike times that NEURON runs of the
converted mechanism are compared against.

Every step stimulus is off for the first 50 ms (rest), on from 50 ms to 950 ms, and sized so
each spiking model fires at least 5 spikes after a subthreshold approach of at least 10 ms
(``lif_conductance_synapse`` is driven by a presynaptic train over the same window instead;
``fitzhugh_nagumo`` has no threshold and oscillates, v crossing 1 about every 40 ms).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import brian2 as b2
import numpy as np
from brian2.units import Mohm, amp, cm, mV, ms, msiemens, nA, nS, pA, pF, second, siemens, ufarad, umetre

__all__ = ["StepInput", "UserModel", "MODELS", "BY_NAME", "run_brian2"]


@dataclass(frozen=True)
class StepInput:
    """A current step: ``amplitude`` (dimension of the input variable) from ``start`` to ``stop``."""

    amplitude: object
    start: object
    stop: object


def _step(amplitude) -> StepInput:
    """The step every model uses: 50 ms of rest, then ``amplitude`` until 950 ms."""
    return StepInput(amplitude, 50 * ms, 950 * ms)


@dataclass(frozen=True)
class UserModel:
    """One single-neuron model as a Brian 2 user would hand it to ``NeuronGroup``.

    ``voltage`` names the state variable to record, ``input`` the parameter (declared in
    ``equations``) that ``stimulus`` drives, ``initial`` the state values at t = 0. Models
    driven by synaptic events give the presynaptic times in ``events`` and the update run on
    each in ``on_pre`` (names resolved in ``namespace``).
    """

    name: str
    equations: str
    threshold: str | None
    reset: str | None
    refractory: object  # Quantity, condition string or None
    namespace: dict
    method: str
    voltage: str
    input: str | None
    initial: dict
    stimulus: StepInput | None
    duration: object = field(default_factory=lambda: 1 * second)
    notes: str = ""
    on_pre: str | None = None  # synaptic update run on each event of ``events``
    events: tuple = ()  # presynaptic spike times (Quantities)


# --- integrate-and-fire family -------------------------------------------------------------

_LIF_NS = dict(EL=-70 * mV, V_reset=-65 * mV, V_th=-50 * mV, R=10 * Mohm, tau=8 * ms)

LIF = UserModel(
    name="lif",
    equations="""
dv/dt = (EL - v + R*I)/tau : volt (unless refractory)
I : amp
""",
    threshold="v > V_th", reset="v = V_reset", refractory=2 * ms, namespace=_LIF_NS,
    method="exact", voltage="v", input="I", initial={"v": -70 * mV},
    stimulus=_step(2.5 * nA),
    notes="Neuronal Dynamics exercises LIF defaults (Gerstner et al. 2014, neurodynex): "
          "EL -70 mV, reset -65 mV, threshold -50 mV, R 10 MOhm, tau 8 ms, 2 ms refractory.")

EIF = UserModel(
    name="eif",
    equations="""
dv/dt = (-(v - v_rest) + delta_T*exp((v - v_rh)/delta_T) + R*I)/tau : volt (unless refractory)
I : amp
""",
    threshold="v > v_spike", reset="v = v_reset", refractory=2 * ms,
    namespace=dict(tau=12 * ms, R=20 * Mohm, v_rest=-65 * mV, v_reset=-60 * mV, v_rh=-55 * mV,
                   delta_T=2 * mV, v_spike=-30 * mV),
    method="euler", voltage="v", input="I", initial={"v": -65 * mV},
    stimulus=_step(0.5 * nA),
    notes="Fourcaud-Trocme et al. 2003 EIF with the Neuronal Dynamics exercise parameters "
          "(Gerstner et al. 2014 ch. 5.2: tau 12 ms, R 20 MOhm, VT -55 mV, DeltaT 2 mV, cut -30 mV).")

_ADEX_EQS = """
dvm/dt = (g_l*(e_l - vm) + g_l*d_t*exp((vm - v_t)/d_t) + I - w)/c_m : volt
dw/dt = (a*(vm - e_l) - w)/tau_w : amp
I : amp
"""


def _adex(name, stim, notes, **ns):
    return UserModel(
        name=name, equations=_ADEX_EQS, threshold="vm > 0*mV", reset="vm = v_r; w += b",
        refractory=None, namespace=dict(d_t=2 * mV, v_t=-50 * mV, **ns), method="euler",
        voltage="vm", input="I", initial={"vm": ns["e_l"], "w": 0 * amp},
        stimulus=_step(stim), notes=notes)


ADEX_TONIC = _adex(
    "adex_tonic", 500 * pA,
    "Naud et al. 2008 Table 1 'tonic spiking' (AdEx of Brette & Gerstner 2005, as in Brian 2's "
    "Naud_et_al_2008_adex_firing_patterns example, spike cut at 0 mV).",
    c_m=200 * pF, g_l=10 * nS, e_l=-70 * mV, a=2 * nS, tau_w=30 * ms, b=0 * pA, v_r=-58 * mV)

ADEX_BURSTING = _adex(
    "adex_bursting", 210 * pA,
    "Naud et al. 2008 Table 1 'regular bursting' (AdEx of Brette & Gerstner 2005, as in Brian 2's "
    "Naud_et_al_2008_adex_firing_patterns example, spike cut at 0 mV).",
    c_m=200 * pF, g_l=10 * nS, e_l=-58 * mV, a=2 * nS, tau_w=120 * ms, b=100 * pA, v_r=-46 * mV)

# --- Izhikevich 2003 -----------------------------------------------------------------------

_IZH_EQS = """
dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u + I)/ms : volt
du/dt = a*(b*v - u)/ms : volt
I : volt
"""


def _izhikevich(name, c, d, stim, notes):
    return UserModel(
        name=name, equations=_IZH_EQS, threshold="v >= 30*mV", reset="v = c; u += d",
        refractory=None, namespace=dict(a=0.02, b=0.2, c=c, d=d), method="euler", voltage="v",
        input="I", initial={"v": -65 * mV, "u": 0.2 * -65 * mV}, stimulus=_step(stim),  # as net.m
        notes=notes)


IZHIKEVICH_RS = _izhikevich("izhikevich_rs", -65 * mV, 8 * mV, 4 * mV,
                            "Izhikevich 2003 regular spiking (a 0.02, b 0.2, c -65 mV, d 8 mV; start v -65 mV, u b*v).")
IZHIKEVICH_CH = _izhikevich("izhikevich_ch", -50 * mV, 2 * mV, 4 * mV,
                            "Izhikevich 2003 chattering (a 0.02, b 0.2, c -50 mV, d 2 mV; start v -65 mV, u b*v).")

# --- Hodgkin-Huxley (Brian 2 tutorial, Traub & Miles rates) --------------------------------

_AREA = 20000 * umetre ** 2

HH = UserModel(
    name="hh",
    equations="""
dv/dt = (gl*(El-v) - g_na*(m*m*m)*h*(v-ENa) - g_kd*(n*n*n*n)*(v-EK) + I)/Cm : volt
dm/dt = 0.32*(mV**-1)*(13.*mV-v+VT)/(exp((13.*mV-v+VT)/(4.*mV))-1.)/ms*(1-m)-0.28*(mV**-1)*(v-VT-40.*mV)/(exp((v-VT-40.*mV)/(5.*mV))-1.)/ms*m : 1
dn/dt = 0.032*(mV**-1)*(15.*mV-v+VT)/(exp((15.*mV-v+VT)/(5.*mV))-1.)/ms*(1.-n)-.5*exp((10.*mV-v+VT)/(40.*mV))/ms*n : 1
dh/dt = 0.128*exp((17.*mV-v+VT)/(18.*mV))/ms*(1.-h)-4./(1+exp((40.*mV-v+VT)/(5.*mV)))/ms*h : 1
I : amp
""",
    threshold="v > -40*mV", reset=None, refractory="v > -40*mV",
    namespace=dict(area=_AREA, Cm=1 * ufarad * cm ** -2 * _AREA, gl=5e-5 * siemens * cm ** -2 * _AREA,
                   El=-65 * mV, EK=-90 * mV, ENa=50 * mV, g_na=100 * msiemens * cm ** -2 * _AREA,
                   g_kd=30 * msiemens * cm ** -2 * _AREA, VT=-63 * mV),
    method="exponential_euler", voltage="v", input="I",
    initial={"v": -65 * mV, "m": 0.0, "n": 0.0, "h": 0.0},
    stimulus=_step(0.1 * nA),
    notes="Brian 2 tutorial 'Changing things during a run' HH model (Traub & Miles 1991 rates, "
          "exp form; the IF_curve_Hodgkin_Huxley example writes the same rates with exprel).")

# --- FitzHugh-Nagumo ------------------------------------------------------------------------

FITZHUGH_NAGUMO = UserModel(
    name="fitzhugh_nagumo",
    equations="""
dv/dt = (v - v**3/3 - w + I)/tau : 1
dw/dt = (v + a - b*w)/tau_w : 1
I : 1
""",
    threshold=None, reset=None, refractory=None,
    namespace=dict(a=0.7, b=0.8, tau=1 * ms, tau_w=12.5 * ms), method="rk4", voltage="v",
    input="I", initial={"v": -1.19941, "w": -0.62426}, stimulus=_step(0.5),
    notes="FitzHugh 1961 (a 0.7, b 0.8, time-scale ratio 12.5), tau 1 ms; starts at the I = 0 rest point.")

# --- LIF with a conductance synapse and LIF with white noise -------------------------------

LIF_CONDUCTANCE_SYNAPSE = UserModel(
    name="lif_conductance_synapse",
    equations="""
dv/dt = (gL*(EL - v) + ge*(Ee - v))/C : volt (unless refractory)
dge/dt = -ge/tau_e : siemens
""",
    threshold="v > V_th", reset="v = V_reset", refractory=5 * ms,
    namespace=dict(C=200 * pF, gL=10 * nS, EL=-60 * mV, V_th=-50 * mV, V_reset=-60 * mV,
                   Ee=0 * mV, tau_e=5 * ms, w_e=6 * nS),
    method="euler", voltage="v", input=None, initial={"v": -60 * mV, "ge": 0 * nS}, stimulus=None,
    on_pre="ge += w_e", events=tuple(t * ms for t in np.arange(50.0, 950.0, 5.0)),
    notes="COBA benchmark membrane and synapse of Brette et al. 2007 (Vogels & Abbott 2005; "
          "w_e 6 nS as in Brian 2's COBAHH example), driven by a 200 Hz train from 50 to 950 ms.")

LIF_NOISE = UserModel(
    name="lif_noise",
    equations="""
dv/dt = (EL - v + R*I)/tau + sigma*sqrt(2/tau)*xi : volt (unless refractory)
I : amp
""",
    threshold="v > V_th", reset="v = V_reset", refractory=2 * ms,
    namespace=dict(_LIF_NS, sigma=1 * mV), method="euler", voltage="v", input="I",
    initial={"v": -70 * mV}, stimulus=_step(2.5 * nA),
    notes="The lif parameters (neurodynex defaults) plus Ornstein-Uhlenbeck voltage noise, sigma 1 mV.")

MODELS = (LIF, EIF, ADEX_TONIC, ADEX_BURSTING, IZHIKEVICH_RS, IZHIKEVICH_CH, HH, FITZHUGH_NAGUMO,
          LIF_CONDUCTANCE_SYNAPSE, LIF_NOISE)
BY_NAME = {m.name: m for m in MODELS}


def run_brian2(model: UserModel, dt=0.025 * ms, method: str | None = None, seed: int | None = None,
               target: str = "numpy") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run ``model`` as one neuron in plain Brian 2 and return ``(t_ms, v, spike_times_ms)``.

    ``v`` is in mV when the voltage variable has the dimension of volt, plain numbers when it
    is dimensionless. ``method`` overrides the model's integration method, ``seed`` seeds
    Brian's random numbers (for ``xi``), ``target`` is ``prefs.codegen.target`` (numpy: one
    point neuron's second runs in a few seconds, where Cython's first compilation of a model
    takes 10-20 s). The step is
    on for the time steps ``round(start/dt) <= t/dt < round(stop/dt)``, set at the start of
    each step; ``spike_times_ms`` is empty for models without a threshold.
    """
    b2.start_scope()
    b2.prefs.codegen.target = target
    if seed is not None:
        b2.seed(seed)
    namespace = dict(model.namespace)
    group = b2.NeuronGroup(1, model.equations, threshold=model.threshold, reset=model.reset,
                           refractory=model.refractory if model.refractory is not None else False,
                           method=method or model.method, namespace=namespace, dt=dt)
    for var, value in model.initial.items():
        setattr(group, var, value)
    objects = [group]
    if model.input is not None and model.stimulus is not None:
        step = model.stimulus
        namespace.update(stim_amp=step.amplitude, stim_on=int(round(float(step.start / dt))),
                         stim_off=int(round(float(step.stop / dt))))
        objects.append(group.run_regularly(
            f"{model.input} = stim_amp * int(t_in_timesteps >= stim_on and t_in_timesteps < stim_off)",
            when="start", order=-1))
    if model.events:
        times = np.array([float(t / ms) for t in model.events]) * ms
        source = b2.SpikeGeneratorGroup(1, np.zeros(len(times), dtype=int), times, dt=dt)
        synapses = b2.Synapses(source, group, on_pre=model.on_pre, namespace=namespace, dt=dt)
        synapses.connect(i=0, j=0)
        objects += [source, synapses]
    trace = b2.StateMonitor(group, model.voltage, record=0, dt=dt)
    objects.append(trace)
    spikes = b2.SpikeMonitor(group) if model.threshold is not None else None
    if spikes is not None:
        objects.append(spikes)
    b2.Network(*objects).run(model.duration, namespace=namespace)
    values = getattr(trace, model.voltage)[0]
    if b2.get_dimensions(values) == b2.volt.dim:
        values = values / mV
    spike_ms = np.asarray(spikes.t / ms) if spikes is not None else np.array([])
    return np.asarray(trace.t / ms), np.asarray(values, dtype=float), spike_ms
