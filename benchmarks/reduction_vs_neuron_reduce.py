"""bridge reduce and neuron_reduce on Hay's layer-5 pyramidal cell, scored in one run with
the same protocols against the detailed cell (NEURON, dt 0.025 ms, 34 degC):

- Hay's somatic steps (0.458, 0.562, 0.95 nA for 2 s after 700 ms): rate over the step
  (eFEL peaks), error against the detailed cell's;
- the back-propagating spike of a 1.9 nA, 5 ms somatic pulse: its amplitude at the points
  660 and 800 um from the soma on the main apical path (Hay's bAP sites), read in each
  reduction where that point maps (neuron_reduce's own segment map; bridge's
  synapses.json compartment);
- the synaptic bombardment of bridge's validation cases (bridge.assess.protocols.bombardment:
  800 excitatory and 200 inhibitory synapses drawn on the detailed cell's dendrites, each
  with its own Poisson events): on neuron_reduce's cell the synapses are moved by
  neuron_reduce itself (it merges alike synapses per segment and keeps every NetCon); on
  bridge's, by synapses.json. Rate, coincidence factor and the somatic voltage's error
  outside spikes, each against the detailed cell;
- EPSPs at sampled sites (bridge.assess.protocols.mapped_epsp: 12 sites per bridge
  compartment, one 1 nS event each, 80 ms apart in one run), on a fresh instance of the
  cell: moved by neuron_reduce (reducing the cell with those synapses only) or mapped by
  synapses.json. Per bridge compartment, each reduction's median EPSP (amplitude, rise
  time, half-width) is judged against the detailed sites' 10-90% band, as the protocol
  judges: how many compartment features are within its bound, and the median error;
- Hay's BAC firing (bridge.assess.protocols.hay_bac): the bAP pulse and, 5 ms later, a
  0.5 nA EPSP-shaped current at the main apical path's point 620 um from the soma (where
  neuron_reduce maps it; into its compartment with synapses.json's weight in bridge's);
  the burst's and the calcium spike's features, errors in Hay's SDs;
- run time of the 2.8 s step run, one cell, against the detailed cell's.

Needs ``pip install neuron_reduce==0.0.7`` (not a bridge dependency). neuron_reduce 0.0.7
stops on NEURON 9 (``AttributeError: rates_Im``: ``dir()`` of a mechanism now lists its
procedures), so its mechanism scan is patched here, at run time, to skip callables.

Run: python benchmarks/reduction_vs_neuron_reduce.py   (about 3.5 minutes on 2 cores)
"""

from __future__ import annotations

import itertools
import time

import numpy as np

STEPS_NA = (0.458, 0.562, 0.95)
DELAY_MS, STEP_MS, TOTAL_MS = 700.0, 2000.0, 2800.0
BAP_NA, BAP_MS = 1.9, 5.0
BAP_SITES_UM = (660.0, 800.0)
BAC_SITE_UM, BAC_EPSC_NA, BAC_DELAY_MS, BAC_TAU_MS = 620.0, 0.5, 5.0, (0.5, 5.0)
DT_MS = 0.025


def _patch_neuron_reduce():
    """Skip callables in neuron_reduce's scan of a segment's mechanisms (NEURON 9 lists
    procedures such as rates_Im in dir())."""
    import neuron_reduce.subtree_reductor_func as f

    def create_segments_to_mech_vals(sections_to_delete, remove_mechs=True, exclude=f.EXCLUDE_MECHANISMS):
        exclude = set(exclude)
        values, names = {}, set()
        for seg in itertools.chain.from_iterable(sections_to_delete):
            values[seg] = {}
            for mech in seg:
                name = mech.name()
                values[seg][name] = {}
                for n in dir(mech):
                    if n.startswith("__") or n in ("next", "name", "is_ion", "segment") or callable(getattr(mech, n)):
                        continue
                    full = n if n.endswith("_" + name) or name.endswith("_ion") else n + "_" + name
                    values[seg][name][full] = getattr(seg, full)
                    names.add(name)
        names -= exclude
        if remove_mechs:
            for sec in sections_to_delete:
                with f.push_section(sec):
                    for name in names:
                        f.h("uninsert " + name)
        return values

    f.create_segments_to_mech_vals = create_segments_to_mech_vals


def _rate(t, v) -> float:
    from bridge.assess.features import spike_features
    return spike_features(np.asarray(t), np.asarray(v), DELAY_MS, DELAY_MS + STEP_MS)["rate"]


def _main_path_segments(h, cell, distances):
    """The apical segments nearest ``distances`` (um) on the path to the farthest apical point."""
    h.distance(0, cell.soma[0](0.5))
    apical = list(cell.apical)
    farthest = max(apical, key=lambda sec: h.distance(sec(1)))
    path, sec = [], farthest
    while sec is not None and sec in apical:
        path.append(sec)
        parent = sec.parentseg()
        sec = parent.sec if parent is not None else None
    segs = [seg for sec in path for seg in sec]
    return [min(segs, key=lambda seg: abs(h.distance(seg) - d)) for d in distances]


def _bac_epsc(amplitude_na: float, compartment: str = "site"):
    from brian2.units import ms, nA

    from bridge.stimuli import EPSCurrent
    return EPSCurrent(compartment, amplitude_na * nA, (DELAY_MS + BAC_DELAY_MS) * ms, BAC_TAU_MS[0] * ms,
                      BAC_TAU_MS[1] * ms)


def _bac_features(t, soma, site) -> dict:
    from bridge.assess.protocols.hay_bac import WINDOW_MS, burst_features
    t, soma, site = (np.asarray(x) for x in (t, soma, site))
    after = (t >= DELAY_MS) & (t < DELAY_MS + WINDOW_MS)
    return burst_features(t[after], soma[after], site[after])


def _bac_run(h, soma, site) -> dict:
    """Hay's BAC features: the bAP pulse at ``soma`` and the EPSP-shaped current at ``site``."""
    from bridge.neuron.run import play_current
    from bridge.assess.protocols.hay_bac import WINDOW_MS
    pulse, dendrite = h.IClamp(soma), h.IClamp(site)
    pulse.delay, pulse.dur, pulse.amp = DELAY_MS, BAP_MS, BAP_NA
    played = play_current(h, dendrite, _bac_epsc(BAC_EPSC_NA), DT_MS)
    t, v, w = h.Vector().record(h._ref_t), h.Vector().record(soma._ref_v), h.Vector().record(site._ref_v)
    h.dt, h.secondorder = DT_MS, 2
    h.finitialize(-65)
    h.continuerun(DELAY_MS + WINDOW_MS)
    del played, pulse, dendrite
    return _bac_features(t, v, w)


def _neuron_runs(h, soma, bap_segments):
    """Rates at the steps, bAP amplitudes at ``bap_segments`` and the time of one step run."""
    rates, seconds = [], None
    clamp = h.IClamp(soma)
    t = h.Vector().record(h._ref_t)
    v = h.Vector().record(soma._ref_v)
    h.dt, h.secondorder = DT_MS, 2
    for amplitude in STEPS_NA:
        clamp.delay, clamp.dur, clamp.amp = DELAY_MS, STEP_MS, amplitude
        start = time.perf_counter()
        h.finitialize(-65)
        h.continuerun(TOTAL_MS)
        seconds = seconds or time.perf_counter() - start
        rates.append(_rate(t, v))
    clamp.delay, clamp.dur, clamp.amp = DELAY_MS, BAP_MS, BAP_NA
    sites = [h.Vector().record(seg._ref_v) for seg in bap_segments]
    h.finitialize(-65)
    h.continuerun(DELAY_MS + 40)
    before = int(round((DELAY_MS - 0.5) / DT_MS))
    baps = [float(np.max(np.asarray(s)[before:]) - np.asarray(s)[before]) for s in sites]
    return rates, baps, seconds


def _attach_bombardment(h, sections, synapses, g_ns: float, reversal_mv: dict):
    """bridge's bombardment synapses on a built cell: a BrExpSyn per row (decay TAU_S and
    ``reversal_mv`` of its channel) at its section and x, and a NetCon without source whose
    events :func:`_bombard` sends. Returns (synapses, netcons, event times in ms)."""
    from bridge.assess.protocols.bombardment import TAU_S
    by_name = {sec.name().split(".")[-1]: sec for sec in sections}
    targets, netcons, times = [], [], []
    for row in synapses.itertuples():
        target = h.BrExpSyn(by_name[row.section](row.x))
        target.g, target.tau_decay, target.e = g_ns * 1e-3, TAU_S[row.channel] * 1e3, reversal_mv[row.channel]
        targets.append(target)
        netcons.append(h.NetCon(None, target, 0, 0, 1.0))
        times.append(row.times_ms)
    return targets, netcons, times


def _bombard(h, soma, netcons, times, stop: float | None = None):
    """One run with ``netcons``' events, to ``stop`` (ms; default the bombardment's end): the
    somatic voltage as a SimulationResult (time in ms)."""
    import pandas as pd

    from bridge.traces import SimulationResult
    from bridge.assess.protocols.bombardment import SynapticBombardment
    stop = stop or SynapticBombardment.settings["bombardment_window_ms"][1]
    t, v = h.Vector().record(h._ref_t), h.Vector().record(soma._ref_v)
    h.dt, h.secondorder = DT_MS, 2
    h.finitialize(-65)
    for netcon, events in zip(netcons, times):
        for event in events:
            netcon.event(float(event))
    h.continuerun(stop)
    return SimulationResult(pd.DataFrame({"soma": np.asarray(v)}, index=np.asarray(t)), np.array([]))


def bombardment_scores(detailed, reduced) -> tuple:
    """(rate error, |1 - Gamma|, voltage error outside spikes over the detailed SD, spikes
    of the detailed cell, spikes of the reduced) of ``reduced`` against ``detailed`` over
    the bombardment's window, measured as the protocol measures them."""
    from bridge.assess.features import coincidence_factor
    from bridge.assess.protocols.bombardment import SynapticBombardment, subthreshold_nrmse, window_spikes
    from bridge.assess.protocols.spiking import COINCIDENCE_WINDOW_MS
    start, stop = SynapticBombardment.settings["bombardment_window_ms"]
    spikes = [window_spikes(result, (start, stop)) for result in (detailed, reduced)]
    rate_error = abs(len(spikes[1]) - len(spikes[0])) / max(len(spikes[0]), (stop - start) * 1e-3)
    gamma = coincidence_factor(spikes[0], spikes[1], stop - start, COINCIDENCE_WINDOW_MS)
    return rate_error, abs(1 - gamma), subthreshold_nrmse(detailed, reduced, (start, stop))[1], len(spikes[0]), \
        len(spikes[1])


def detailed_and_neuron_reduce(synapses, g_ns: float, reversal_mv: dict):
    from bridge.neuron.hoc_cell import instantiated
    from bridge.references import hay_l5pc
    _patch_neuron_reduce()
    import neuron_reduce
    with instantiated(hay_l5pc()) as (h, built):
        cell = built.cell
        sites = _main_path_segments(h, cell, BAP_SITES_UM + (BAC_SITE_UM,))
        detailed = _neuron_runs(h, cell.soma[0](0.5), sites[:-1])
        detailed_bac = _bac_run(h, cell.soma[0](0.5), sites[-1])
        all_sections = [sec for secs in built.sections.values() for sec in secs]
        synapse_objects, netcons, times = _attach_bombardment(h, all_sections, synapses, g_ns, reversal_mv)
        detailed_bombardment = _bombard(h, cell.soma[0](0.5), netcons, times)
        keys = [str(s) for s in sites]                 # neuron_reduce maps segments by their text
        n_detailed = sum(sec.nseg for secs in built.sections.values() for sec in secs)
        start = time.perf_counter()
        reduced, merged, netcons, seg_to_seg = neuron_reduce.subtree_reductor(
            cell, synapse_objects, netcons, reduction_frequency=0, return_seg_to_seg=True)
        reduce_s = time.perf_counter() - start
        sections = {sec.name(): sec for sec in h.allsec()}
        targets = []
        for key in keys:
            name, x = seg_to_seg[key].rsplit("(", 1)
            targets.append(sections[name](float(x.rstrip(")"))))
        parts = [[p] if hasattr(p, "nseg") else list(p) for p in (reduced.soma, reduced.dend, reduced.apic, reduced.axon)]
        n_reduced = sum(sec.nseg for part in parts for sec in part)
        ours = _neuron_runs(h, reduced.soma[0](0.5), targets[:-1])
        their_bac = _bac_run(h, reduced.soma[0](0.5), targets[-1])
        theirs_bombardment = _bombard(h, reduced.soma[0](0.5), netcons, times)
        n_merged = len({id(s) for s in merged})
        del reduced, targets, sites, sections, merged, netcons, synapse_objects   # free the cell before the next runs
    for sec in list(h.allsec()):                         # neuron_reduce's cell lives in HOC: delete it
        h.delete_section(sec=sec)
    return detailed, ours, reduce_s, (n_detailed, n_reduced), (detailed_bombardment, theirs_bombardment, n_merged), \
        (detailed_bac, their_bac)


def epsps_detailed_and_neuron_reduce(sites, reversal_mv: dict, stop_ms: float) -> tuple:
    """The EPSP sites' events on a fresh detailed cell, then on neuron_reduce's reduction of
    it with those synapses (it moves them itself): (detailed run, neuron_reduce's run)."""
    from bridge.neuron.hoc_cell import instantiated
    from bridge.references import hay_l5pc
    from bridge.assess.protocols.epsp import SYNAPSE
    import neuron_reduce
    with instantiated(hay_l5pc()) as (h, built):
        cell = built.cell
        all_sections = [sec for secs in built.sections.values() for sec in secs]
        synapse_objects, netcons, times = _attach_bombardment(h, all_sections, sites, SYNAPSE["g"] * 1e9, reversal_mv)
        detailed = _bombard(h, cell.soma[0](0.5), netcons, times, stop_ms)
        reduced, merged, netcons, _ = neuron_reduce.subtree_reductor(cell, synapse_objects, netcons,
                                                                     reduction_frequency=0, return_seg_to_seg=True)
        theirs = _bombard(h, reduced.soma[0](0.5), netcons, times, stop_ms)
        del reduced, merged, netcons, synapse_objects
    for sec in list(h.allsec()):
        h.delete_section(sec=sec)
    return detailed, theirs


def epsp_scores(sites, runs: dict) -> dict:
    """``{who: {psp feature: [error per bridge compartment]}}`` of each reduction's EPSPs
    (``runs``: "reference", "neuron_reduce", "bridge"), judged as epsp_map judges: the
    median of a compartment's reduced EPSPs against the band of its detailed sites'."""
    import pandas as pd

    from bridge.assess.judge import Spread
    from bridge.assess.protocols.mapped_epsp import FEATURES, MappedEPSP, event_features
    gap = MappedEPSP.settings["epsp_map_gap_ms"]
    table = pd.DataFrame([{"who": who, "compartment": row.compartment, **event_features(result, row.time_ms, gap)}
                          for who, result in runs.items() for row in sites.itertuples()])
    scores = {who: {key: [] for _, _, key in FEATURES} for who in ("neuron_reduce", "bridge")}
    for _, part in table.groupby("compartment", sort=False):
        reference = part[part["who"] == "reference"]
        for _, _, key in FEATURES:
            values = reference[key].dropna()
            for who in scores:
                median = float(part[part["who"] == who][key].median())
                scores[who][key].append(Spread(tuple(values)).error_of(median) if len(values) else float("nan"))
    return scores


def bridge_reduction(bap_sections):
    from brian2.units import ms, nA

    from bridge.reduce import reduce
    from bridge.references import hay_l5pc
    from bridge.simulate import simulate
    from bridge.stimuli import Step
    from bridge.assess.protocols.base import mapped_segment
    start = time.perf_counter()
    reduction = reduce(hay_l5pc())
    reduce_s = time.perf_counter() - start
    model = reduction.model
    rates, seconds = [], None
    simulate(model, "neuron", [], duration=10 * ms, dt=DT_MS * ms, record=["soma"])   # build and load before timing
    for amplitude in STEPS_NA:
        step = Step("soma", amplitude * nA, DELAY_MS * ms, (DELAY_MS + STEP_MS) * ms)
        start = time.perf_counter()
        run = simulate(model, "neuron", [step], duration=TOTAL_MS * ms, dt=DT_MS * ms, record=["soma"])
        seconds = seconds or time.perf_counter() - start
        rates.append(_rate(run.traces.index, run.traces["soma"]))
    table = reduction.synapses
    compartments = [mapped_segment(table, sec, x, "bridge's reduction")[0] for sec, x in bap_sections]
    pulse = Step("soma", BAP_NA * nA, DELAY_MS * ms, (DELAY_MS + BAP_MS) * ms)
    run = simulate(model, "neuron", [pulse], duration=(DELAY_MS + 40) * ms, dt=DT_MS * ms, record=compartments[:-1])
    baps = [float(run.traces[c].loc[DELAY_MS - 0.5:].max() - run.traces[c].loc[DELAY_MS - 0.5])
            for c in compartments[:-1]]
    bac = _bridge_bac(model, table, bap_sections[-1], compartments[-1], pulse)
    return (rates, baps, seconds), reduce_s, len(model.compartments), compartments, reduction, bac


def _bridge_bac(model, table, section_x, compartment, pulse) -> dict:
    """Hay's BAC features of bridge's model: the EPSP-shaped current into the BAC site's
    compartment with synapses.json's weight there."""
    from brian2.units import ms

    from bridge.simulate import simulate
    from bridge.assess.protocols.base import mapped_segment
    from bridge.assess.protocols.hay_bac import WINDOW_MS
    weight = mapped_segment(table, *section_x, "bridge's reduction")[1]
    epsc = _bac_epsc(BAC_EPSC_NA * weight, compartment)
    run = simulate(model, "neuron", [pulse, epsc], duration=(DELAY_MS + WINDOW_MS) * ms, dt=DT_MS * ms,
                   record=["soma", compartment])
    return _bac_features(run.traces.index, run.traces["soma"], run.traces[compartment])


def _print_bac(detailed: dict, theirs: dict, ours: dict, compartment: str) -> None:
    """The BAC features of the three cells; each reduction's error in Hay's SDs ("-" where
    the feature is undefined in one of the two)."""
    from bridge.assess.protocols.hay_bac import EXPERIMENTAL
    print(f"BAC firing: 1.9 nA pulse + 0.5 nA EPSP-shaped current at {BAC_SITE_UM:g} um (bridge {compartment}); "
          "errors in Hay's SDs")

    def shown(value) -> str:
        return "none" if value is None else f"{value:.2f}"

    def error(value, reference, sd) -> str:
        return "-" if None in (value, reference) else f"{abs(value - reference) / sd:.1f}"

    for name, (_, sd, unit) in EXPERIMENTAL.items():
        reference = detailed[name]
        print(f"{'BAC ' + name + (f' ({unit})' if unit else ''):<28}{shown(reference):>10}{shown(theirs[name]):>15}"
              f"{error(theirs[name], reference, sd):>8}{shown(ours[name]):>10}{error(ours[name], reference, sd):>8}")


def _epsp_runs(reduction, reversal_mv: dict) -> tuple:
    """(the epsp_map sites of bridge's reduction, {who: somatic run}) for the detailed cell,
    neuron_reduce's and bridge's reductions."""
    from brian2.units import ms

    from bridge.simulate import simulate
    from bridge.assess.protocols.mapped_epsp import MappedEPSP, reduced_inputs, schedule
    settings = MappedEPSP.settings
    sites = schedule(reduction.synapses, settings["epsp_map_sites"], settings["epsp_map_start_ms"],
                     settings["epsp_map_gap_ms"], settings["epsp_map_seed"])
    stop = float(sites["time_ms"].iloc[-1] + settings["epsp_map_gap_ms"])
    rows = sites.assign(channel="AMPA", times_ms=[(t,) for t in sites["time_ms"]])
    detailed, theirs = epsps_detailed_and_neuron_reduce(rows, reversal_mv, stop)
    model, trains = reduced_inputs(reduction.model, sites)
    ours = simulate(model, "neuron", trains, duration=stop * ms, dt=DT_MS * ms, record=["soma"])
    return sites, {"reference": detailed, "neuron_reduce": theirs, "bridge": ours}


def main():
    from bridge.neuron.hoc_cell import instantiated
    from bridge.references import hay_l5pc
    with instantiated(hay_l5pc()) as (h, built):
        sites = [(s.sec.name().split(".")[-1], s.x)
                 for s in _main_path_segments(h, built.cell, BAP_SITES_UM + (BAC_SITE_UM,))]
    from bridge.simulate import simulate
    from bridge.reduce.outputs import MAPPED_EPSP_TOLERANCE
    from bridge.assess.protocols.bombardment import SynapticBombardment, bombardment_synapses, reduced_inputs
    from bridge.assess.protocols.mapped_epsp import MappedEPSP
    from brian2.units import ms
    ours, our_reduce_s, n_ours, compartments, reduction, our_bac = bridge_reduction(sites)
    settings = SynapticBombardment.settings
    synapses = bombardment_synapses(reduction.synapses, settings)
    g_ns = settings["bombardment_g_nS"]
    reversal_mv = {channel: reduction.model.globals[f"E_{channel}"] * 1e3 for channel in ("AMPA", "GABA")}
    detailed, nr, nr_reduce_s, (n_detailed, n_nr), (bombarded, nr_bombarded, n_merged), (detailed_bac, nr_bac) = \
        detailed_and_neuron_reduce(synapses, g_ns, reversal_mv)
    model, trains = reduced_inputs(reduction.model, synapses, g_ns * 1e-9)
    our_bombarded = simulate(model, "neuron", trains, duration=settings["bombardment_window_ms"][1] * ms,
                             dt=DT_MS * ms, record=["soma"])
    print(f"Hay L5PC, NEURON dt {DT_MS} ms: detailed {n_detailed} segments; neuron_reduce {n_nr} segments "
          f"(reduced in {nr_reduce_s:.1f} s); bridge reduce {n_ours} compartments (reduced in {our_reduce_s:.1f} s)")
    print(f"bAP sites: {', '.join(f'{d:g} um = {s}({x:.3g}) -> bridge {c}' for d, (s, x), c in zip(BAP_SITES_UM, sites, compartments))}")
    print(f"{'feature':<28}{'detailed':>10}{'neuron_reduce':>15}{'error':>8}{'bridge':>10}{'error':>8}")
    rows = [(f"rate {a:g} nA (Hz)", detailed[0][k], nr[0][k], ours[0][k]) for k, a in enumerate(STEPS_NA)]
    rows += [(f"bAP at {d:g} um (mV)", detailed[1][k], nr[1][k], ours[1][k]) for k, d in enumerate(BAP_SITES_UM)]
    for name, ref, theirs, mine in rows:
        print(f"{name:<28}{ref:>10.2f}{theirs:>15.2f}{abs(theirs - ref) / ref:>8.0%}{mine:>10.2f}"
              f"{abs(mine - ref) / ref:>8.0%}")
    scores = [bombardment_scores(bombarded, run) for run in (nr_bombarded, our_bombarded)]
    print(f"bombardment: {len(synapses)} synapses ({n_merged} synapse objects after neuron_reduce's merge); "
          f"spikes: detailed {scores[0][3]}, neuron_reduce {scores[0][4]}, bridge {scores[1][4]}")
    seconds = np.diff(settings["bombardment_window_ms"])[0] * 1e-3
    rates = [scores[0][3] / seconds, scores[0][4] / seconds, scores[1][4] / seconds]
    print(f"{'bombardment rate (Hz)':<28}{rates[0]:>10.2f}{rates[1]:>15.2f}{scores[0][0]:>8.0%}{rates[2]:>10.2f}"
          f"{scores[1][0]:>8.0%}")
    for k, name in ((1, "bombardment 1 - Gamma"), (2, "bombardment V error / SD")):
        print(f"{name:<28}{'':>10}{'':>15}{scores[0][k]:>8.2f}{'':>10}{scores[1][k]:>8.2f}")
    epsp_sites, epsp_runs = _epsp_runs(reduction, reversal_mv)
    scores = epsp_scores(epsp_sites, epsp_runs)
    bound = MAPPED_EPSP_TOLERANCE["relative"]
    print(f"EPSPs at {len(epsp_sites)} sites ({MappedEPSP.settings['epsp_map_sites']} per bridge compartment): "
          f"compartment features within the band + {bound:.0%}, and the median error")
    for key, values in scores["bridge"].items():
        cells = [(np.sum(np.asarray(scores[who][key]) <= bound), len(values), np.nanmedian(scores[who][key]))
                 for who in ("neuron_reduce", "bridge")]
        print(f"{'EPSP ' + key.replace('_', ' '):<28}{'':>10}{cells[0][0]:>9} of {cells[0][1]:<3}{cells[0][2]:>8.2f}"
              f"{cells[1][0]:>4} of {cells[1][1]:<3}{cells[1][2]:>8.2f}")
    _print_bac(detailed_bac, nr_bac, our_bac, compartments[-1])
    print(f"{'step run, 1 cell (s)':<28}{detailed[2]:>10.2f}{nr[2]:>15.2f}{detailed[2] / nr[2]:>7.1f}x"
          f"{ours[2]:>10.2f}{detailed[2] / ours[2]:>7.1f}x")


if __name__ == "__main__":
    main()
