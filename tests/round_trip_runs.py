"""Round trip NMODL -> Brian 2 -> NMODL for tests/test_brian2_round_trip.py, run in its own
process (NEURON cannot unload a mechanism, so a test process must not load new ones).

``python tests/round_trip_runs.py CASE TEXT OUT.npz`` (TEXT: a key of TEXTS)

For one case (one or two of Hay et al.'s channels) it runs in NEURON, at dt 0.025 ms with
Crank-Nicolson, for ``DURATION_MS``:

- ``original``: the original .mod files inserted in one section (10 um x 10 um, as
  bridge.neuron.equation_run builds it), with ``pas``, 1 uF/cm2 and IClamp steps;
- ``leak``: the same section with every channel density set to 0 (the control: the
  channels must move the trace by far more than the tolerance);
- ``round_trip``: the channels' Brian 2 text as bridge prints it (:func:`printed`),
  joined by a membrane equation with the same area, capacitance and leak, read back by
  ``bridge.from_brian2`` (method rk4: NEURON integrates the generated point process with
  Crank-Nicolson) and run by ``bridge.simulate`` with the same steps.

The printed equations are used as printed; only namespace entries (densities, reversal
potentials, ``area``) are replaced, by key, each one checked to be in the printed
namespace first.

Whatever fails (an exception from bridge) is written to OUT.npz as ``error_type`` and
``error``, so the test can tell a known refusal from a crash.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")

HAY = Path(__file__).resolve().parents[1] / "validation" / "hay_l5pc" / "mod"
DT_MS = 0.025
DURATION_MS = 1000.0
V_INIT_MV = -65.0
CM_UF_CM2 = 1.0
#: degC, as bridge prints the channels (none of the cases' channels reads it)
CELSIUS = 6.3

#: channels: file stem -> (density parameter, S/cm2); ions: reversal potentials (mV) set
#: on the section and in the namespace; steps: (nA, start ms, stop ms).
CASES = {
    # subthreshold: M current, hyperpolarising then depolarising steps (it activates
    # above -60 mV and slows, then shortens, the response)
    "Im": dict(channels={"Im": ("gImbar", 0.002)}, ions={"ek": -85.0}, g_pas=1e-4, e_pas=-65.0,
               steps=[(-0.005, 100.0, 400.0), (0.01, 600.0, 900.0)]),
    # subthreshold: Ih (sag and rebound)
    "Ih": dict(channels={"Ih": ("gIhbar", 0.002)}, ions={}, g_pas=1e-4, e_pas=-65.0,
               steps=[(-0.01, 100.0, 400.0), (0.005, 600.0, 900.0)]),
    # spiking: Hay's somatic sodium and Kv3.1 densities, a depolarising step that fires
    "NaTa_t+SKv3_1": dict(channels={"NaTa_t": ("gNaTa_tbar", 2.04), "SKv3_1": ("gSKv3_1bar", 0.693)},
                          ions={"ena": 50.0, "ek": -85.0}, g_pas=1e-4, e_pas=-65.0,
                          steps=[(-0.005, 100.0, 300.0), (0.02, 500.0, 900.0)]),
}


def _section_area_um2() -> float:
    from bridge.neuron.equation_run import SECTION_UM
    return float(np.pi * SECTION_UM * SECTION_UM)


def neuron_original(case: dict, densities: dict[str, float]) -> np.ndarray:
    """The original mod files in one section; ``densities`` per channel (S/cm2)."""
    import bridge
    from bridge.neuron.equation_run import SECTION_UM
    from bridge.neuron.session import hoc, load_mechanisms
    h = hoc()
    load_mechanisms([bridge.from_nmodl(HAY / f"{name}.mod") for name in case["channels"]])
    sec = h.Section(name="original")
    sec.L = sec.diam = SECTION_UM
    sec.nseg = 1
    sec.cm = CM_UF_CM2
    sec.insert("pas")
    seg = sec(0.5)
    seg.pas.g, seg.pas.e = case["g_pas"], case["e_pas"]
    assert abs(seg.area() - _section_area_um2()) < 1e-9 * seg.area()
    for name, (param, _) in case["channels"].items():
        sec.insert(name)
        setattr(seg, f"{param}_{name}", densities[name])
    for ion, value in case["ions"].items():
        setattr(seg, ion, value)
    clamps = []
    for amp, start, stop in case["steps"]:
        clamp = h.IClamp(seg)
        clamp.amp, clamp.delay, clamp.dur = amp, start, stop - start
        clamps.append(clamp)
    v = h.Vector().record(seg._ref_v)
    h.celsius = CELSIUS
    cvode = h.CVode()
    cvode.active(0)
    h.dt, h.secondorder = DT_MS, 2    # Crank-Nicolson, as bridge's NEURON runs
    h.finitialize(V_INIT_MV)
    h.continuerun(DURATION_MS)
    steps = int(round(DURATION_MS / DT_MS))
    return np.array(v)[:steps]


#: How the channels' Brian 2 text is printed: ``convert``, the module ``bridge convert``
#: prints for one channel (:func:`bridge.brian2.mechanism_text.brian2_text`), executed as
#: it is; ``compartment``, the lines of the same printer (``compartment_channels``, which
#: ``brian2_text`` calls) for a compartment ``soma`` holding all the case's channels, the
#: way bridge's own Brian 2 models name them (``V_soma``, ``area_soma``...).
TEXTS = {"convert": "", "compartment": "_soma"}


def printed(case: dict, text: str) -> dict:
    """The channels' Brian 2 text as bridge prints it (see TEXTS), executed:
    ``equations``, ``namespace``, ``initial`` (at ``V_INIT_MV``), the membrane voltage's
    name ``voltage``, the channels' current ``current`` and the names' ``suffix``."""
    import bridge
    from bridge.brian2 import mechanism_text
    from bridge.brian2.channels import compartment_channels
    from bridge.brian2.functions import FUNCTIONS
    from bridge.model import CompartmentSpec, ReducedModel
    from bridge.model.channels import Channel
    suffix = TEXTS[text]
    mechanisms = [bridge.from_nmodl(HAY / f"{name}.mod") for name in case["channels"]]
    names = dict(voltage=f"V{suffix}", current=f"I_channels{suffix}", suffix=suffix)
    if text == "convert":
        assert len(mechanisms) == 1, "bridge convert prints one channel"
        module: dict = {}
        exec(mechanism_text.brian2_text(mechanisms[0], celsius=CELSIUS, v_rest=V_INIT_MV * 1e-3), module)
        return dict(equations=module["equations"], namespace=module["namespace"], initial=module["initial"], **names)
    comp = CompartmentSpec("soma", kind="soma", v_rest=V_INIT_MV * 1e-3, length=mechanism_text.LENGTH,
                       diameter=mechanism_text.DIAMETER, cm=0.01, gl=0.0,
                       channels=tuple(Channel(m) for m in mechanisms))
    model = ReducedModel((comp,), name="round_trip_channels", celsius=CELSIUS, point=True)
    block = compartment_channels(model, model.soma, suffix)
    assert block.current == names["current"]
    return dict(equations="\n".join(block.lines), namespace={**block.namespace, **FUNCTIONS},
                initial=dict(block.initial), **names)


def brian2_model(case: dict, text: str) -> dict:
    """``from_brian2``'s arguments: the printed channels (their densities, reversal
    potentials and area replaced by key in the printed namespace) and a membrane equation
    with the reference section's area, capacitance, leak and a step input ``I``."""
    from brian2.units import cm, mV, siemens, uF, um
    area = _section_area_um2() * um ** 2
    out = printed(case, text)
    v, sfx = out["voltage"], out["suffix"]
    namespace = dict(out["namespace"])
    replace = {f"{param}_{name}{sfx}": density for name, (param, density) in case["channels"].items()}
    replace.update({f"{ion}{sfx}": value for ion, value in case["ions"].items()}, **{f"area{sfx}": area})
    for key, value in replace.items():
        assert key in namespace, f"{key} is not in the printed namespace {sorted(namespace)}"
        namespace[key] = value
    if "ifelse(" not in out["equations"]:
        # bridge's own ifelse, printed into every namespace: from_brian2 takes numbers with
        # units only, so it goes where the equations do not call it (see the test's xfails)
        namespace.pop("ifelse")
    membrane = f"d{v}/dt = (gl*(El - {v}) + {out['current']} + I)/C : volt\nI : amp"
    namespace.update(gl=case["g_pas"] * siemens / cm ** 2 * area, El=case["e_pas"] * mV,
                     C=CM_UF_CM2 * uF / cm ** 2 * area)
    return dict(equations=f"{out['equations']}\n{membrane}", namespace=namespace,
                initial={**out["initial"], v: V_INIT_MV * mV}, input="I", method="rk4", model_name="round_trip")


def round_trip(case: dict, text: str) -> np.ndarray:
    import bridge
    from brian2.units import ms, nA
    model = bridge.from_brian2(**brian2_model(case, text))
    stimuli = [bridge.Step("soma", a * nA, start * ms, stop * ms) for a, start, stop in case["steps"]]
    run = bridge.simulate(model, "neuron", stimuli, duration=DURATION_MS * ms, dt=DT_MS * ms)
    return run.traces["soma"].to_numpy()


if __name__ == "__main__":
    name, text, out = sys.argv[1:4]
    case = CASES[name]
    results = {
        "original": neuron_original(case, {n: g for n, (_, g) in case["channels"].items()}),
        "leak": neuron_original(case, {n: 0.0 for n in case["channels"]}),
    }
    try:
        results["round_trip"] = round_trip(case, text)
    except Exception as exc:  # noqa: BLE001 (reported to the test, which decides)
        results["error_type"], results["error"] = type(exc).__name__, str(exc)
    np.savez(out, **results)
