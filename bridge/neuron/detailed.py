"""Morphologically detailed references (``bridge.references``) built and run in NEURON:
the ball-and-stick, any SWC file (through Import3d) and NEURON geometry files such as
c91662's ``pyramid.nrn``, with passive membranes and d_lambda segments. ``run_reference``
returns the same :class:`~bridge.traces.SimulationResult` as ``bridge.simulate``, one
column per recording site; ``measure_reference`` measures the regions a reduced model's
compartments stand for."""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ModelError, UnknownNameError
from ..references import BallAndStick, NRNReference, PublishedCell, d_lambda_segments
from ..references.regions import SITES, kind_of_section, owner
from ..references.swc import read_swc
from ..stimuli import EPSCurrent, Step
from ..traces import SimulationResult
from .fixed_step import advance_to
from .run import play_current
from .session import hoc



def _set_membrane(sec, ref) -> None:
    """The passive membrane of ``sec``: the only place a reference's leak is decided. With a
    ``leak_profile`` each segment's leak follows its kind and its path distance from the
    soma's centre, so the distance origin (soma(0.5)) must be set first, as ``built`` does."""
    sec.insert("pas")
    sec.cm = ref.cm * 100            # F/m2 -> uF/cm2
    sec.Ra = ref.r_axial * 100       # ohm*m -> ohm*cm
    profile = getattr(ref, "leak_profile", None)
    kind = kind_of_section(sec.name())
    for seg in sec:
        gl = ref.gl if profile is None else profile.gl(kind, hoc().distance(seg) * 1e-6)
        seg.pas.g = gl * 1e-4        # S/m2 -> S/cm2
        seg.pas.e = ref.v_rest * 1e3
    if getattr(ref, "active_soma", False) and kind_of_section(sec.name()) == "soma":
        sec.insert("hh")


def _ball_and_stick(h, ref: BallAndStick) -> list:
    soma = h.Section(name="soma")
    soma.L = soma.diam = ref.soma_diameter * 1e6
    dend = h.Section(name="dend")
    dend.L, dend.diam = ref.length * 1e6, ref.diameter * 1e6
    dend.nseg = ref.segments()
    dend.connect(soma(0.5), 0)
    return [soma, dend]


def _from_file(h, ref) -> list:
    before = set(h.allsec())   # by identity: a section another cell left, named like these, is not one of them
    if isinstance(ref, NRNReference):
        h.xopen(str(ref.path))  # (not load_file: that would skip a second reading)
    else:
        read_swc(ref.path)  # Import3d passes over malformed lines; refuse them with their line number
        h.load_file("import3d.hoc")
        reader = h.Import3d_SWC_read()
        reader.quiet = 1
        reader.input(str(ref.path))
        h.Import3d_GUI(reader, False).instantiate(None)
    sections = [s for s in h.allsec() if s not in before]
    if not any(kind_of_section(s.name()) == "soma" for s in sections):
        raise ModelError("the morphology has no soma", obj=str(ref.path), param="morphology")
    for sec in sections:
        sec.nseg = d_lambda_segments(sec.L * 1e-6, sec.diam * 1e-6, ref.r_axial, ref.cm, ref.d_lambda)
    return sections


@contextlib.contextmanager
def built(ref):
    """``(h, sections, soma)`` of ``ref`` built in NEURON, ``sections`` ({section: kind},
    in order); the sections are deleted after. A published cell
    (:class:`~bridge.references.HocCell`, :class:`~bridge.references.PythonCell`) is its own
    instance, with its own membrane, and its section lists say each section's kind (as its
    reduction read them), whatever the sections' names."""
    if isinstance(ref, PublishedCell):
        from .hoc_cell import instantiated
        with instantiated(ref) as (h, cell):
            sections = {sec: kind for kind, listed in cell.sections.items() for sec in listed}
            h.distance(0, cell.sections["soma"][0](0.5))
            yield h, sections, cell.sections["soma"][0]
        return
    h = hoc()
    made = _ball_and_stick(h, ref) if isinstance(ref, BallAndStick) else _from_file(h, ref)
    sections = {sec: kind_of_section(sec.name()) for sec in made}
    try:
        soma = next(sec for sec, kind in sections.items() if kind == "soma")
        h.distance(0, soma(0.5))  # before the membrane: a leak profile depends on distance
        for sec in sections:
            _set_membrane(sec, ref)
        yield h, sections, soma
    finally:
        for sec in sections:
            h.delete_section(sec=sec)


def _segments(h, sections: dict) -> list:
    """``(segment, kind, distance um, area um2, apical part or None, trunk origin um or
    None)`` of every segment of ``sections`` ({section: kind}; the origin: where an oblique
    branch leaves the trunk)."""
    from .cell_anatomy import apical_regions, oblique_origins
    apical = [sec for sec, kind in sections.items() if kind == "apical"]
    parts = apical_regions(h, apical)
    origins = oblique_origins(h, apical, parts)
    return [(seg, kind, h.distance(seg), seg.area(), parts.get(sec.name()), origins.get(sec.name()))
            for sec, kind in sections.items() for seg in sec]


@dataclass(frozen=True)
class SegmentSite:
    """One segment of a reference, by its section's name and its centre ``x``; ``kind``
    and ``distance_um`` (path distance from the soma's centre) say where it lies."""

    section: str
    x: float
    kind: str = ""
    distance_um: float = float("nan")


def region_segments(ref, regions) -> list[SegmentSite]:
    """Every segment of ``ref`` inside ``regions`` (a tuple of Regions), soma outwards."""
    with built(ref) as (h, sections, soma):
        sites = [SegmentSite(seg.sec.name(), seg.x, kind, dist) for seg, kind, dist, _, part, origin
                 in _segments(h, sections) if any(region.contains(kind, dist, part, origin) for region in regions)]
    return sorted(sites, key=lambda site: site.distance_um)


def synapse_site(ref, regions) -> SegmentSite:
    """The segment of ``regions`` nearest their area-weighted mean path distance: where
    :class:`SynapticInput` puts a synapse given regions."""
    with built(ref) as (h, sections, soma):
        seg = _synapse_segment(h, sections, soma, regions)
        return SegmentSite(seg.sec.name(), seg.x, sections[seg.sec], h.distance(seg))


def apical_path_sites(ref, distances_um) -> list[SegmentSite]:
    """The segments of ``ref``'s main apical path (from the soma to the apical point farthest
    from it) nearest each path distance in ``distances_um``, where Hay et al. recorded their
    back-propagating spike; an error for a cell whose apical tree does not reach them."""
    path, reach = _main_apical_path(ref)
    if not path or reach < max(distances_um):
        raise ModelError(f"the apical tree reaches {reach:.0f} um from the soma", obj=f"reference {ref.name}",
                         param="sites", expected=f"an apical path of at least {max(distances_um):g} um")
    return [min(path, key=lambda site: abs(site.distance_um - d)) for d in distances_um]


@functools.lru_cache(maxsize=4)
def _main_apical_path(ref) -> tuple[tuple[SegmentSite, ...], float]:
    """The main apical path's segments and the apical tree's reach (um), from one build of
    ``ref`` (kept: the Hay protocols of a validation each ask for it)."""
    from .cell_anatomy import main_apical_path
    with built(ref) as (h, sections, soma):
        apical = [sec for sec, kind in sections.items() if kind == "apical"]
        reach = max((h.distance(sec(1)) for sec in apical), default=0.0)
        path = tuple(SegmentSite(seg.sec.name(), seg.x, "apical", h.distance(seg))
                     for sec in main_apical_path(h, apical) for seg in sec)
        return path, reach


def _segment_of(sections, site: SegmentSite):
    """The segment of ``site``; a section is matched by its name within its cell (a template
    instance's full name, ``Template[k].apic[3]``, counts instances)."""
    tail = site.section.split(".")[-1]
    for sec in sections:
        if sec.name().split(".")[-1] == tail:
            return sec(site.x)
    raise ModelError(f"no section {site.section!r}", obj="reference", param="site")


def _site_segments(h, sections, soma, name, spec) -> list:
    """[(segment, weight)] of a site: a point site, one segment, or the area-weighted
    segments of regions."""
    if isinstance(spec, SegmentSite):
        return [(_segment_of(sections, spec), 1.0)]
    if spec == "soma":
        return [(soma(0.5), 1.0)]
    if spec == "tip":
        return [(max((seg for sec in sections for seg in sec), key=lambda seg: h.distance(seg)), 1.0)]
    chosen = [(seg, area) for seg, kind, dist, area, part, origin in _segments(h, sections)
              if any(region.contains(kind, dist, part, origin) for region in spec)]
    if not chosen:
        raise ModelError(f"site {name!r} covers no segment of the morphology", obj="mapping", param=name,
                         hint="check the regions' kinds and distance ranges")
    total = sum(area for _, area in chosen)
    return [(seg, area / total) for seg, area in chosen]


def _sites(h, sections, soma, sites: dict) -> dict:
    return {name: _site_segments(h, sections, soma, name, spec) for name, spec in sites.items()}


@dataclass(frozen=True)
class SynapticInput:
    """Synaptic events for a reference: an exponential synapse of conductance ``g`` (S),
    decay ``tau`` (s) and reversal ``e`` (V), activated at ``time`` (s; or a tuple of times)
    with ``weight``, on
    one segment (``regions`` a SegmentSite) or on the segment of ``regions`` (a tuple of
    Regions) nearest their area-weighted mean distance. ``nmda`` adds
    bridge's Mg block (BrExpSynMg with ``mg`` mM), so that the reference's synapse is
    the reduced model's."""

    regions: tuple
    time: float | tuple
    g: float
    tau: float
    e: float = 0.0
    weight: float = 1.0
    nmda: bool = False
    mg: float = 1.0


def _synapse_segment(h, sections, soma, regions):
    if isinstance(regions, SegmentSite):
        return _segment_of(sections, regions)
    chosen = _site_segments(h, sections, soma, "synapse", regions)
    mean = sum(w * h.distance(seg) for seg, w in chosen)
    return min((seg for seg, _ in chosen), key=lambda seg: abs(h.distance(seg) - mean))


def run_reference(ref, stimuli, duration: float, dt: float, record=SITES, synapses=()) -> SimulationResult:
    """Simulate ``ref`` for ``duration`` (s) at ``dt`` (s, Crank-Nicolson) with currents
    (Step, EPSCurrent) into point sites and ``synapses`` (SynapticInput). ``record``: site
    names (``soma``, ``tip``) or ``{name: site}`` where a site is ``"soma"``, ``"tip"``, a
    SegmentSite or a tuple of Regions (their area-weighted mean voltage); a current's
    compartment is ``soma``, ``tip`` or the name of a SegmentSite of ``record``."""
    specs = dict(record) if isinstance(record, dict) else {name: name for name in record}
    targets = {s.compartment: specs.get(s.compartment, s.compartment) for s in stimuli}
    for name, spec in list(specs.items()) + list(targets.items()):
        if isinstance(spec, str) and spec not in SITES:
            raise UnknownNameError(f"no site {name!r}", obj=f"reference {ref.name}", param="site",
                                   expected=", ".join(SITES) + " or regions")
    with built(ref) as (h, sections, soma):
        saved = (h.dt, h.secondorder, h.CVode().active())
        try:
            sites = _sites(h, sections, soma, specs)
            points = _sites(h, sections, soma, targets)
            clamps, events = [], []
            for stim in stimuli:
                if not isinstance(stim, (Step, EPSCurrent)) or len(points[stim.compartment]) != 1:
                    raise UnknownNameError(f"{type(stim).__name__} into {stim.compartment}",
                                           obj=f"reference {ref.name}", param="stimuli",
                                           expected="a bridge.Step or EPSCurrent into a point site")
                clamp = h.IClamp(points[stim.compartment][0][0])
                if isinstance(stim, Step):
                    clamp.delay, clamp.dur = stim.start * 1e3, (stim.stop - stim.start) * 1e3
                    clamp.amp = stim.amplitude * 1e9
                else:   # held at each step's midpoint value, as in the reduced model's simulators
                    clamps += play_current(h, clamp, stim, dt * 1e3)
                clamps.append(clamp)
            for syn in synapses:
                segment = _synapse_segment(h, sections, soma, syn.regions)
                target = h.BrExpSynMg(segment) if syn.nmda else h.BrExpSyn(segment)
                target.g, target.tau_decay, target.e = syn.g * 1e6, syn.tau * 1e3, syn.e * 1e3
                if syn.nmda:
                    target.mg = syn.mg
                netcon = h.NetCon(None, target, 0, 0, syn.weight)   # its events are sent after finitialize
                events.append((netcon, np.atleast_1d(syn.time) * 1e3))
                clamps += [target, netcon]
            vectors = {name: [(h.Vector().record(seg._ref_v), w) for seg, w in segs] for name, segs in sites.items()}
            h.dt, h.secondorder = dt * 1e3, 2
            h.CVode().active(0)
            h.finitialize(_initial_voltage(ref) * 1e3)
            for netcon, times in events:
                for t in times:
                    netcon.event(float(t))
            advance_to(h, duration * 1e3)   # fixed steps, none of the cell's own run procedures
            steps = int(round(duration / dt))
            data = {name: sum(w * np.array(vec.to_python())[:steps] for vec, w in vecs)
                    for name, vecs in vectors.items()}
            tip_distance = h.distance(_site_segments(h, sections, soma, "tip", "tip")[0][0]) * 1e-6
            segments = sum(sec.nseg for sec in sections)
        finally:
            h.dt, h.secondorder = saved[0], saved[1]
            h.CVode().active(saved[2])
    index = pd.Index(np.arange(steps) * dt * 1e3, name="time (ms)")
    return SimulationResult(pd.DataFrame(data, index=index), np.array([]),
                            {"simulator": "neuron", "reference": ref.name, "dt_ms": dt * 1e3,
                             "segments": segments, "tip_distance_m": tip_distance})


def _initial_voltage(ref) -> float:
    """The voltage (V) a reference starts from: a HocCell's own, else the passive
    reference's resting potential."""
    from .hoc_cell import initial_voltage
    return initial_voltage(ref) if isinstance(ref, PublishedCell) else ref.v_rest


@dataclass(frozen=True)
class ReferenceMeasures:
    """What a reduction needs from a reference: per mapped name its membrane ``area`` (m2),
    its area-weighted steady-state attenuation for current injected at the soma, its mean
    path distance (m) and its total leak conductance (``leaks``, S: the sum of each
    segment's leak times its area, as the reference's membrane sets it); plus every
    segment (``segments``: x, y, z, distance in um, diameter in um, kind, area in um2,
    leak in S/m2, and the mapped name or "")."""

    areas: dict
    attenuation: dict
    distance: dict
    segments: pd.DataFrame
    total_area: float
    leaks: dict

    def __post_init__(self):
        if set(self.leaks) != set(self.areas):
            raise ModelError(f"leaks for {sorted(self.leaks)} but areas for {sorted(self.areas)}",
                             obj="reference description", param="leaks", expected="one leak per mapped compartment")
        for name, g in self.leaks.items():
            if not g >= 0:   # 0 where a channel (hh's gl) is the only leak
                raise ModelError(f"{g!r} S", obj="reference description", param=f"leaks.{name}",
                                 expected="a total leak conductance >= 0")


def _xyz(h, seg) -> tuple[float, float, float]:
    sec = seg.sec
    n = int(h.n3d(sec=sec))
    if n == 0:
        return (np.nan, np.nan, np.nan)
    arc = np.array([h.arc3d(i, sec=sec) for i in range(n)])
    target = seg.x * arc[-1]
    return tuple(float(np.interp(target, arc, [f(i, sec=sec) for i in range(n)])) for f in (h.x3d, h.y3d, h.z3d))


def measure_reference(ref, mapping: dict) -> ReferenceMeasures:
    """Measure ``ref`` for ``mapping`` (reduced compartment -> tuple of Regions); every
    segment outside the mapping is refused, so that no membrane is silently dropped."""
    with built(ref) as (h, sections, soma):
        impedance = h.Impedance()
        impedance.loc(0.5, sec=soma)
        impedance.compute(0)
        v_soma = impedance.input(0.5, sec=soma)
        rows = []
        for seg, kind, dist, area, part, origin in _segments(h, sections):
            compartment = owner(mapping, kind, dist, part, origin)
            x, y, z = _xyz(h, seg)
            rows.append({"x": x, "y": y, "z": z, "distance_um": dist, "diameter_um": seg.diam, "kind": kind,
                         "area_um2": area, "gl_S_m2": seg.pas.g * 1e4 if hasattr(seg, "pas") else 0.0,
                         "compartment": compartment,
                         "attenuation": impedance.transfer(seg.x, sec=seg.sec) / v_soma})
    table = pd.DataFrame(rows)
    unmapped = table[table["compartment"] == ""]
    if len(unmapped):
        first = unmapped.iloc[0]
        raise ModelError(f"{len(unmapped)} segments lie outside every mapped region (e.g. a {first['kind']} "
                         f"segment at {first['distance_um']:.0f} um)", obj=f"reference {ref.name}", param="mapping",
                         hint="extend the regions so that they cover the whole morphology")
    areas, attenuation, distance, leaks = {}, {}, {}, {}
    for name in mapping:
        part = table[table["compartment"] == name]
        if part.empty:
            raise ModelError(f"compartment {name!r} covers no segment", obj="mapping", param=name)
        weight = part["area_um2"] / part["area_um2"].sum()
        areas[name] = float(part["area_um2"].sum()) * 1e-12
        attenuation[name] = float((weight * part["attenuation"]).sum())
        distance[name] = float((weight * part["distance_um"]).sum()) * 1e-6
        leaks[name] = float((part["gl_S_m2"] * part["area_um2"]).sum()) * 1e-12
    return ReferenceMeasures(areas, attenuation, distance, table, float(table["area_um2"].sum()) * 1e-12, leaks)
