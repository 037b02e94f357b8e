"""A detailed active cell (:class:`bridge.references.HocCell` or
:class:`~bridge.references.PythonCell`) reduced to a few
compartments that carry its own channels, and the files that let ``bridge validate``
judge the result. The method is described in docs/reduction.md:

1. the cell's segments, with their region, distance, area and channel densities
   (:func:`bridge.neuron.cell_anatomy.segment_table`);
2. compartments: a mapping of regions to compartment names, given or computed
   (:mod:`.mapping`);
3. each compartment's membrane: the cell's membrane over its segments, every total kept
   (:mod:`.membrane`), with the channels converted from the cell's NMODL files;
4. couplings: fitted to the cell's transfer impedances between compartments from 0 to
   200 Hz (:mod:`.couplings`), those of the cell's linear circuit around rest, whose
   membrane admittances come from a measured somatic step and a somatic sum of sines
   (:mod:`.linear`);
5. synapses: every segment of the cell maps onto its compartment with a weight that
   keeps its steady-state effect at the soma (:func:`synapse_map`);
6. the cell's rheobase (:func:`bridge.neuron.cell_rheobase.rheobase`), which scales the
   somatic steps of the validation case it writes to the cell.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ModelError, UnsupportedFeatureError
from ..model import ReducedModel
from ..references import PublishedCell, Region
from .assemble import reduced_model, tidy
from .couplings import FREQUENCIES, fit_couplings
from .linear import (check_reduced_circuit_rests, compartment_conductances, compartment_sums, laplacian,
                     lumped_impedances, membrane_admittance, membrane_conductance)
from .mapping import DEFAULT_COMPARTMENTS, assign, compartment_tree, default_mapping
from .membrane import LEAK, lump

#: The steps of a reduction, for progress bars.
STEPS = ("cell", "channels and anatomy", "circuit", "model", "rheobase")


@dataclass(frozen=True)
class Reduction:
    """A reduction's result: the ``model``, the ``mapping`` (compartment -> regions) it was
    made with, the ``tree`` (compartment -> parent), the cell's and the model's steady
    transfer resistances between compartments (``resistances``: {"cell": R, "reduced": R},
    MOhm, in the model's compartment order), ``fit`` ({f: RMS log10 error of the fitted
    impedance amplitudes}), ``synapses`` (one row per segment of the cell: where a
    synapse there goes), ``segments`` (the cell's) and ``rheobase_na`` (the cell's)."""

    cell: PublishedCell
    model: ReducedModel
    mapping: dict
    tree: dict
    resistances: dict
    fit: dict
    synapses: pd.DataFrame
    segments: int = 0
    rheobase_na: float = 0.0


def _mechanisms(cell: PublishedCell, used: dict[str, str]) -> dict:
    """The density mechanisms the cell inserts (``used``: name -> a section inserting it),
    converted from the cell's NMODL files or, for NEURON's built-in ones (hh), from NEURON's
    own files; the folder's other files are not converted (a file the cell does not use
    cannot stop its reduction). A mechanism with no file is an error naming it (the leak,
    pas, becomes each compartment's own); files bridge refuses are one error naming each
    with its line."""
    from ..convert import from_nmodl, nmodl_file
    from ..neuron.channels import builtin_mod_file
    files = {nmodl_file(path).name: path for path in cell.mod_files}
    mechanisms, refused = {}, []
    for name, section in used.items():
        if name == LEAK:
            continue
        source = files.get(name) or builtin_mod_file(name)
        if source is None:
            where = ("the cell has no NMODL folder" if cell.mod_dir is None
                     else f"no .mod file in {cell.mod_dir} defines it")
            raise UnsupportedFeatureError(f"section {section} inserts {name}, and {where}", obj="reduction",
                                          param="mechanisms", hint=f"add the .mod file with SUFFIX {name} to the "
                                          "cell's NMODL folder (--mod): bridge converts each channel from its source")
        try:
            mechanisms[name] = from_nmodl(source)
        except UnsupportedFeatureError as exc:
            refused.append(exc)
    if len(refused) == 1:
        raise refused[0]
    if refused:
        raise UnsupportedFeatureError(
            f"{len(refused)} of the mechanisms the cell inserts are refused: "
            + "; ".join(f"{exc.obj}: {exc.param}: {exc.message}" for exc in refused),
            obj="reduction", param="mechanisms", hint="see docs/conversion.md, 'What converts'")
    return mechanisms


def _stated(cell: PublishedCell, mechanisms: list) -> PublishedCell:
    """``cell`` with its temperature and initial voltage stated, for every run after and for
    the case it is written into: its own ``celsius``, else the one its files set; neither is
    an error when a channel's rates depend on the temperature (bridge never guesses it),
    NEURON's 6.3 degrees C when none does. Its own ``v_init``, else the one its files set
    (None if neither: NEURON's -65 mV)."""
    from ..neuron.hoc_cell import NEURON_CELSIUS, files_initial_voltage, files_temperature
    v_init = cell.v_init if cell.v_init is not None else files_initial_voltage(cell)
    if cell.celsius is not None:
        return dataclasses.replace(cell, v_init=v_init)
    celsius = files_temperature(cell)
    if celsius is None:
        warm = sorted(m.name for m in mechanisms if "celsius" in m.names_used)
        if warm:
            raise ModelError(f"the cell's channels depend on the temperature ({', '.join(warm)} "
                             f"{'reads' if len(warm) == 1 else 'read'} celsius) and "
                             "neither its files nor the command set it", obj=f"detailed cell {cell.name}",
                             param="celsius", hint="give the temperature its authors ran it at: --celsius (e.g. 34 "
                             "for Hay's L5PC), or celsius= from Python")
        celsius = NEURON_CELSIUS
    return dataclasses.replace(cell, celsius=celsius, v_init=v_init)


def synapse_map(table: pd.DataFrame, labels: np.ndarray, names: list[str], response: np.ndarray,
                reduced_to_soma: np.ndarray) -> pd.DataFrame:
    """Per segment: its section, x, region, distance, area, compartment and ``weight``, the factor
    a synapse's conductance there is multiplied by on the reduced compartment so that its
    steady-state effect at the soma stays the cell's: the segment's transfer resistance to
    the soma (``response``, by reciprocity the soma's step response there) over its
    compartment's in the reduced model (``reduced_to_soma``, per compartment)."""
    index = {name: k for k, name in enumerate(names)}
    segments = ~table["end"].to_numpy()
    rows = table[segments]
    own = np.array([reduced_to_soma[index[label]] for label in labels[segments]])
    return pd.DataFrame({"section": [s.split(".")[-1] for s in rows["section"]], "x": rows["x"].round(6).to_numpy(),
                         "region": rows["region"].to_numpy(), "distance_um": rows["distance_um"].round(3).to_numpy(),
                         "area_um2": rows["area_um2"].round(4).to_numpy(), "compartment": labels[segments],
                         "weight": np.round(response[segments] / own, 6)})


def reduce(cell: PublishedCell, compartments: int | None = None, mapping: dict | None = None, progress=None,
           name: str | None = None, jobs: int | None = 1) -> Reduction:
    """Reduce ``cell`` into ``compartments`` compartments chosen by the default mapping, or
    by ``mapping`` ({compartment: (Region, ...)}, one compartment named "soma"), not both.
    ``progress(step, total, text)`` is told each step. With more than one of ``jobs`` (None:
    one per available CPU), the cell's rheobase is measured in a worker process while its
    circuit's runs go on here."""
    from ..neuron.detailed_pool import DetailedRuns
    with DetailedRuns(jobs, obj="reduction") as detailed:
        return _reduce(cell, compartments, mapping, progress or (lambda step, total, text: None), name, detailed)


def _reduce(cell, compartments, mapping, say, name, detailed) -> Reduction:
    from ..neuron.cell_anatomy import density_mechanisms, global_parameters, segment_table
    from ..neuron.cell_impedance import soma_sine_response, soma_step_response
    from ..neuron.cell_rheobase import rheobase
    from ..neuron.hoc_cell import initial_voltage, instantiated
    if not isinstance(cell, PublishedCell):
        raise ModelError(f"{cell!r} is not a detailed cell", obj="reduction", param="cell",
                         expected="a bridge.references.HocCell or PythonCell")
    if compartments is not None and mapping is not None:
        raise ModelError("both a number of compartments and a mapping", obj="reduction", param="mapping",
                         hint="give one: the mapping names its compartments")
    say(0, len(STEPS), "building the detailed cell")
    with instantiated(cell) as (h, built):
        say(1, len(STEPS), "channels and anatomy of the cell")
        used = density_mechanisms(built.sections)
        mechanisms = _mechanisms(cell, used)   # each one bridge can convert
        table = segment_table(h, built.sections)
        globals_ = global_parameters(h, mechanisms)
    cell = _stated(cell, [mechanisms[name] for name in used if name in mechanisms])
    if mapping is None:
        mapping = default_mapping(table, DEFAULT_COMPARTMENTS if compartments is None else compartments)
    else:
        mapping = {str(k): tuple(v) for k, v in mapping.items()}
        if not all(isinstance(r, Region) for regions in mapping.values() for r in regions):
            raise ModelError("a mapping entry is not a list of regions", obj="reduction", param="mapping",
                             expected="{compartment: [Region, ...]}")
    labels = assign(table, mapping)
    tree = compartment_tree(table, labels)
    order = {name: k for k, name in enumerate(mapping)}
    membranes = sorted(lump(table, labels, mechanisms, initial_voltage(cell) * 1e3, globals_),
                       key=lambda m: (m.name != "soma", order[m.name]))
    names = [m.name for m in membranes]
    beside = detailed.jobs > 1
    measured = detailed.in_worker(rheobase, cell) if beside else None   # beside the circuit's runs
    say(2, len(STEPS), "the cell's circuit at rest (3 runs)")
    response = soma_step_response(cell, table, told=lambda done: say(
        2, len(STEPS), f"circuit at rest: runs 1-2 of 3, {done:.0%}"))
    sines = soma_sine_response(cell, table, [f for f in FREQUENCIES if f > 0], told=lambda done: say(
        2, len(STEPS), f"circuit at rest: run 3 of 3, {done:.0%}"))
    conductance = membrane_conductance(table, response)
    admittance = {0.0: compartment_conductances(table, labels, names, conductance).astype(complex)}
    nodes = {0.0: conductance.astype(complex)} | {f: membrane_admittance(table, v) for f, v in sines.items()}
    admittance.update({f: compartment_sums(labels, names, y) for f, y in nodes.items() if f > 0})
    target = lumped_impedances(table, labels, names, nodes)
    couplings, fit = fit_couplings(target, names, tree, admittance)
    index = {c: k for k, c in enumerate(names)}
    edges = [(index[child], index[parent]) for child, parent in couplings]
    circuit = laplacian(len(names), edges, np.array(list(couplings.values())) * 1e6) + np.diag(admittance[0.0].real)
    check_reduced_circuit_rests(table, labels, names, conductance, circuit)
    say(3, len(STEPS), "reduced model")
    model = reduced_model(membranes, couplings, mechanisms, cell.celsius, name or f"{cell.name}_reduced")
    steady = np.linalg.inv(circuit)   # the reduced model's steady transfer resistances (MOhm)
    synapses = synapse_map(table, labels, names, response, steady[0])
    if beside:
        say(4, len(STEPS), "the cell's rheobase (a run per trial step, in a worker process)")
        threshold = round(measured(), 4)
    else:
        say(4, len(STEPS), "the cell's rheobase (a run per trial step)")
        threshold = round(rheobase(cell, tried=lambda amplitude, fired: say(
            4, len(STEPS), f"rheobase: {amplitude:.4g} nA {'fires' if fired else 'does not fire'}")), 4)
    say(5, len(STEPS), "done")
    resistances = {"cell": np.vectorize(tidy)(target[0.0].real), "reduced": np.vectorize(tidy)(steady)}
    return Reduction(cell, model, mapping, tree, resistances, fit, synapses, int((~table["end"]).sum()), threshold)
