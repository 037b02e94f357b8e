"""Running a validation case: the reference (NEURON) and the reduced model (each
simulator) under the same protocols, their features side by side, pass/fail per feature."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ModelError, UnknownNameError
from ..simulate import SIMULATORS
from ..traces import SimulationResult, compare
from .case import ValidationCase
from .passive import measure_input_resistance, measure_time_constant

#: Protocols measured on the somatic current step.
STEP_PROTOCOLS = ("input_resistance", "time_constant", "attenuation")
#: Brian 2 integrates the reduced model with rk4 here: against NEURON's Crank-Nicolson
#: that is the pairing whose difference measures the model, not first-order errors.
BRIAN2_METHOD = "rk4"
#: Reduced-model traces of the simulators against NEURON's: the bound bridge's NEURON
#: emission is tested to (two second-order integrators of the same equations).
PARITY_RMS_MV = (0.1, "subthreshold RMS between simulators, as in tests/test_neuron_parity.py")
PARITY_MAX_MV = (0.5, "subthreshold max |dV| between simulators, as in tests/test_neuron_parity.py")
STEP_AMPLITUDE = 10e-12  # A: a small step keeps any active membrane near rest
#: The EPSP protocol's synapse (the same in the reference and the reduced model): one
#: event on an exponential AMPA-like synapse at each mapped dendritic site.
EPSP_SYNAPSE = {"g": 1e-9, "tau": 2e-3, "onset": 10e-3, "duration": 150e-3}


@dataclass
class ValidationResult:
    """``features``: one row per feature, simulator and site; ``traces``: the step protocol's
    voltages (columns ``reference:<site>`` and ``<simulator>:<compartment>``, mV);
    ``passed`` is False when any feature fails."""

    case: ValidationCase
    features: pd.DataFrame
    traces: pd.DataFrame
    morphology: pd.DataFrame
    info: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return bool(self.features["passed"].all())


def _progress(step: int, total: int, text: str, enabled: bool) -> None:
    if enabled:
        done = int(24 * step / total)
        sys.stderr.write(f"\rvalidate [{'#' * done}{'.' * (24 - done)}] {step}/{total} {text:<40}")
        if step == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _features_of(result: SimulationResult, start_ms: float, stop_ms: float, sites: list[str]) -> dict:
    before = result.traces.index < stop_ms
    deflection = {c: result.traces[c][before].iloc[-1] - result.traces[c].iloc[0] for c in ["soma"] + sites}
    return {"input_resistance": measure_input_resistance(result, "soma", STEP_AMPLITUDE, start_ms, stop_ms) / 1e6,
            "time_constant": measure_time_constant(result, "soma", start_ms, stop_ms) * 1e3,
            "attenuation": {c: deflection[c] / deflection["soma"] for c in sites}}


def run_case(case: ValidationCase, simulators=SIMULATORS, protocols=None, progress: bool = False,
             dt: float = 0.025e-3) -> ValidationResult:
    """Run ``case`` in ``simulators`` with ``protocols`` (default: the case's)."""
    from brian2.units import amp, second

    from ..neuron.detailed import describe_reference, run_reference
    from ..stimuli import Step
    protocols = tuple(protocols or case.protocols)
    for name in list(simulators):
        if name not in SIMULATORS:
            raise UnknownNameError(f"unknown simulator {name!r}", obj="validate", param="simulators",
                                   expected=", ".join(SIMULATORS))
    for protocol in protocols:
        if protocol not in case.protocols:
            raise UnknownNameError(f"unknown protocol {protocol!r}", obj=f"case {case.name}", param="protocols",
                                   expected=", ".join(case.protocols))
    tau = case.reference.time_constant
    start, stop = 0.005, 0.005 + 12 * tau
    duration = stop + 8 * tau
    step = Step("soma", STEP_AMPLITUDE * amp, start * second, stop * second)
    sites = [c for c in case.mapping if c != case.model.soma.name]
    extra = [(name, rows_of) for name, rows_of in (("epsp", _epsp_rows), ("fi_curve", _fi_rows), ("bap", _bap_rows),
                                                   ("io_curve", _io_rows)) if name in protocols]
    total = len(simulators) + 2 + len(extra)
    _progress(0, total, "morphology and mapping", progress)
    morphology = describe_reference(case.reference, case.mapping).segments
    _progress(1, total, f"reference {case.reference.name} (NEURON)", progress)
    record = {"soma": "soma", **{c: case.mapping[c] for c in sites}}
    reference = run_reference(case.reference, [step], duration, dt, record=record)
    runs = {}
    for k, sim in enumerate(simulators, start=2):
        _progress(k, total, f"reduced model ({sim})", progress)
        runs[sim] = _simulate_reduced(case.model, sim, [step], duration, dt)
    ref_features = _features_of(reference, start * 1e3, stop * 1e3, sites)
    rows = []
    units = {"input_resistance": "MOhm", "time_constant": "ms", "attenuation": ""}
    for sim, result in runs.items():
        features = _features_of(result, start * 1e3, stop * 1e3, sites)
        for protocol in (p for p in protocols if p in STEP_PROTOCOLS):
            tol = case.tolerance(protocol)
            pairs = ([("soma", ref_features[protocol], features[protocol])] if protocol != "attenuation" else
                     [(c, ref_features[protocol][c], features[protocol][c]) for c in sites])
            rows += [_row(protocol, site, units[protocol], sim, expected, measured, tol)
                     for site, expected, measured in pairs]
    for k, (name, rows_of) in enumerate(extra, start=2 + len(simulators)):
        _progress(k, total, f"protocol {name}", progress)
        rows += rows_of(case, sites, list(runs), dt)
    _progress(total, total, "done", progress)
    if "neuron" in runs:
        for sim, result in runs.items():
            if sim == "neuron":
                continue
            comparison = compare(runs["neuron"], result)
            for name, value, (bound, why) in (("simulator_parity", comparison.worst_rms, PARITY_RMS_MV),
                                              ("simulator_parity_max", comparison.worst_max, PARITY_MAX_MV)):
                rows.append({"protocol": name, "site": "all", "unit": "mV", "simulator": sim, "reference": 0.0,
                             "reduced": value, "relative_error": np.nan, "tolerance": bound,
                             "passed": bool(value <= bound), "reason": f"vs NEURON; {why}"})
    traces = pd.DataFrame({f"reference:{c}": reference.traces[c] for c in reference.traces.columns})
    for sim, result in runs.items():
        for c in result.traces.columns:
            traces[f"{sim}:{c}"] = result.traces[c].to_numpy()
    return ValidationResult(case, pd.DataFrame(rows), traces, morphology,
                            {"step_pA": STEP_AMPLITUDE * 1e12, "step_ms": (start * 1e3, stop * 1e3),
                             "dt_ms": dt * 1e3, "simulators": list(simulators)})


def _epsp_rows(case: ValidationCase, sites: list[str], simulators, dt: float) -> list[dict]:
    """Somatic EPSP amplitude, rise time and half-width, and EPSP attenuation (somatic over
    local peak; local is the site's area-weighted mean on the reference) for one synaptic
    event at each mapped site, reference vs reduced model in each simulator."""
    from brian2.units import ms

    from ..model import Synapse
    from ..neuron.detailed import SynapticInput, run_reference
    from ..stimuli import SpikeTrain
    from .features import peak_deflection, psp_features
    syn = EPSP_SYNAPSE
    onset_ms, stop_ms = syn["onset"] * 1e3, syn["duration"] * 1e3
    tol = case.tolerance("epsp")
    rows = []
    for site in sites:
        reference = run_reference(case.reference, [], syn["duration"], dt,
                                  record={"soma": "soma", site: case.mapping[site]},
                                  synapses=[SynapticInput(case.mapping[site], syn["onset"], syn["g"], syn["tau"])])
        expected = psp_features(reference.traces.index, reference.traces["soma"], onset_ms, stop_ms)
        expected["attenuation"] = expected["amplitude"] / peak_deflection(reference.traces[site])
        model = _with_synapses(case.model, site, Synapse("AMPA", "epsp", g=syn["g"], t_decay=syn["tau"]))
        for sim in simulators:
            result = _simulate_reduced(model, sim, [SpikeTrain(site, "AMPA_epsp", [onset_ms] * ms)],
                                       syn["duration"], dt, record=["soma", site])
            measured = psp_features(result.traces.index, result.traces["soma"], onset_ms, stop_ms)
            measured["attenuation"] = measured["amplitude"] / peak_deflection(result.traces[site])
            rows += [_row(f"epsp_{feature}", site, unit, sim, expected[feature], measured[feature], tol)
                     for feature, unit in (("amplitude", "mV"), ("rise_time", "ms"), ("half_width", "ms"))]
            rows.append(_row("epsp_attenuation", site, "", sim, expected["attenuation"], measured["attenuation"],
                             case.tolerances.get("epsp_attenuation", tol)))
    return rows


def _simulate_reduced(model, sim: str, stimuli, duration: float, dt: float, record=None):
    """The reduced model in ``sim`` for ``duration`` (s) at ``dt`` (s); Brian 2 with rk4."""
    from brian2.units import second

    from ..simulate import simulate
    options = {"method": BRIAN2_METHOD} if sim == "brian2" else {}
    return simulate(model, sim, stimuli, duration=duration * second, dt=dt * second, record=record, **options)


def _with_synapses(model, compartment: str, *synapses):
    """``model`` with ``synapses`` added to ``compartment`` (the protocol's own inputs)."""
    import dataclasses
    comps = tuple(dataclasses.replace(c, synapses=c.synapses + synapses) if c.name == compartment else c
                  for c in model.compartments)
    return dataclasses.replace(model, compartments=comps)


def _row(protocol, site, unit, sim, expected, measured, tol, floor=0.0) -> dict:
    error = abs(measured - expected) / max(abs(expected), floor)
    return {"protocol": protocol, "site": site, "unit": unit, "simulator": sim, "reference": expected,
            "reduced": measured, "relative_error": error, "tolerance": tol.relative,
            "passed": bool(error <= tol.relative), "reason": tol.reason}


#: F-I rates are compared relative to the reference rate, but at least to 1 Hz, so that a
#: silent reference (0 Hz) is not divided by.
FI_RATE_FLOOR_HZ = 1.0
#: Precision window of the spike-coincidence factor (ms), as in Jolivet et al. (2008).
COINCIDENCE_WINDOW_MS = 4.0


def _fi_rows(case: ValidationCase, sites: list[str], simulators, dt: float) -> list[dict]:
    """Firing rate (eFEL's mean frequency) for somatic current steps of several amplitudes."""
    from brian2.units import ms, nA

    from ..neuron.detailed import run_reference
    from ..stimuli import Step
    from .features import coincidence_factor, spike_features, spike_times
    start_ms, stop_ms = case.settings["fi_step_ms"]
    duration = (stop_ms + 100) * 1e-3
    tol = case.tolerance("fi_curve")
    rows = []
    for amplitude in case.settings["fi_amplitudes_nA"]:
        step = Step("soma", amplitude * nA, start_ms * ms, stop_ms * ms)
        reference = run_reference(case.reference, [step], duration, dt, record=["soma"])
        expected = spike_features(reference.traces.index, reference.traces["soma"], start_ms, stop_ms)
        for sim in simulators:
            result = _simulate_reduced(case.model, sim, [step], duration, dt, record=["soma"])
            measured = spike_features(result.traces.index, result.traces["soma"], start_ms, stop_ms)
            rows.append(_row("fi_rate", f"{amplitude:g} nA", "Hz", sim, expected["rate"],
                             measured["rate"], tol, FI_RATE_FLOOR_HZ))
            reason = f"Kistler/Jolivet Gamma, +-{COINCIDENCE_WINDOW_MS:g} ms window; error = |1 - Gamma|"
            try:
                gamma = coincidence_factor(
                    spike_times(reference.traces.index, reference.traces["soma"], start_ms, stop_ms),
                    spike_times(result.traces.index, result.traces["soma"], start_ms, stop_ms),
                    stop_ms - start_ms, COINCIDENCE_WINDOW_MS)
            except ModelError as exc:  # undefined Gamma: reported as such, never a pass
                gamma, reason = float("nan"), f"Gamma undefined: {exc.message}"
            # |1 - Gamma| as the error: identical spike times give 0, chance gives 1
            error = abs(1.0 - gamma)
            rows.append({**_row("fi_coincidence", f"{amplitude:g} nA", "", sim, 1.0, gamma, tol),
                         "relative_error": error, "passed": bool(error <= tol.relative), "reason": reason})
    return rows


def _bap_rows(case: ValidationCase, sites: list[str], simulators, dt: float) -> list[dict]:
    """Peak depolarisation at the soma and each mapped site after one somatic spike evoked by
    a brief current pulse (the back-propagating action potential)."""
    from brian2.units import ms, nA

    from ..neuron.detailed import run_reference
    from ..stimuli import Step
    from .features import peak_deflection
    pulse = Step("soma", case.settings["bap_pulse_nA"] * nA, 10 * ms, (10 + case.settings["bap_pulse_ms"]) * ms)
    duration = 0.04
    tol = case.tolerance("bap")
    names = [case.model.soma.name] + sites
    record = {"soma": "soma", **{c: case.mapping[c] for c in sites}}
    reference = run_reference(case.reference, [pulse], duration, dt, record=record)
    expected = (reference.traces.max() - reference.traces.iloc[0]).to_dict()
    rows = []
    for sim in simulators:
        result = _simulate_reduced(case.model, sim, [pulse], duration, dt, record=names)
        measured = {c: peak_deflection(result.traces[c]) for c in result.traces.columns}
        rows += [_row("bap_amplitude", c, "mV", sim, expected["soma" if c == names[0] else c], measured[c], tol)
                 for c in names]
    return rows


#: Kinetics of the input-output protocol's synapses (the same in reference and reduced
#: model): AMPA decaying in 2 ms, NMDA in 50 ms with the Mg block.
IO_KINETICS = {"ampa_tau": 2e-3, "nmda_tau": 50e-3, "onset": 10e-3, "duration": 160e-3}


def _io_rows(case: ValidationCase, sites: list[str], simulators, dt: float) -> list[dict]:
    """Somatic peak depolarisation for n synchronous AMPA+NMDA synapses at one site
    (``io_site``, default the last compartment), n in ``io_counts``: the dendritic
    input-output curve, where the Mg block makes it supralinear."""
    from brian2.units import ms

    from ..model import Synapse
    from ..neuron.detailed import SynapticInput, run_reference
    from ..stimuli import SpikeTrain
    from .features import peak_deflection
    site = case.settings["io_site"] or sites[-1]
    k = IO_KINETICS
    g_ampa, g_nmda = case.settings["io_g_ampa_nS"] * 1e-9, case.settings["io_g_nmda_nS"] * 1e-9
    mg = case.model.globals["Mg_con"]
    model = _with_synapses(case.model, site, Synapse("AMPA", "io", g=g_ampa, t_decay=k["ampa_tau"]),
                           Synapse("NMDA", "io", g=g_nmda, t_decay=k["nmda_tau"]))
    tol = case.tolerance("io_curve")
    rows = []
    for n in case.settings["io_counts"]:
        inputs = [SynapticInput(case.mapping[site], k["onset"], g_ampa, k["ampa_tau"], weight=n),
                  SynapticInput(case.mapping[site], k["onset"], g_nmda, k["nmda_tau"], weight=n, nmda=True, mg=mg)]
        reference = run_reference(case.reference, [], k["duration"], dt, record=["soma"], synapses=inputs)
        expected = peak_deflection(reference.traces["soma"])
        trains = [SpikeTrain(site, name, [k["onset"] * 1e3] * ms, weight=n) for name in ("AMPA_io", "NMDA_io")]
        for sim in simulators:
            result = _simulate_reduced(model, sim, trains, k["duration"], dt, record=["soma"])
            measured = peak_deflection(result.traces["soma"])
            rows.append(_row("io_soma_peak", f"{n} syn", "mV", sim, expected, measured, tol))
    return rows
