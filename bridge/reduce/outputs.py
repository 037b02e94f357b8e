"""The files of a reduction, written together or not at all (``OUT/``):

- ``reduced.json``: the reduced model (bridge's model format; its channels are the cell's
  NMODL mechanisms, converted);
- ``case.json``: a validation case naming the detailed cell as its reference, the
  mapping, Hay's somatic steps (his features, errors in his SDs; for another cell his
  amplitudes scaled by its rheobase over his cell's), the back-propagating spike at every
  compartment, Hay's bAP features (660 and 800 um from the soma) and BAC firing (620 um)
  where the cell's apical tree reaches those sites, EPSPs and a bombardment through the
  synapse map, the simulators' parity, the tolerances with their sources, and the
  features the reduction was built from (constraints: none);
- ``synapses.json``: where a synapse on any segment of the detailed cell goes in the
  reduced model, and the factor its weight is multiplied by;
- ``reduction.json``: the compartment tree, the couplings, how well they fit the cell's
  transfer impedances at each frequency, the steady transfer resistances between
  compartments of the cell and of the model, and the cell's rheobase.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..atomic import write_folder_atomic
from ..model.serialize import to_dict
from ..references import HocCell
from ..assess.case import CASE_SCHEMA
from ..assess.protocols.hay_bac import HayBAC
from ..assess.protocols.hay_bap import PULSE, HayBAP
from ..assess.protocols.hay_steps import CITATION, EXPERIMENTAL, HaySteps
from ..assess.protocols.mapped_epsp import MappedEPSP

#: Hay et al. (2011)'s experimental bAP amplitude 660 um from the soma (mean, SD), from their
#: published feature set (as BluePyOpt's L5PC example ships it).
BAP_660 = (45.0, 10.0)
#: Hay's bAP features (bridge.assess.protocols.hay_bap), their errors in his SDs.
HAY_BAP_TOLERANCE = {"sd": 2.0, "source": {
    "kind": "experimental", "citation": CITATION,
    "text": "the error is the distance from the detailed cell's value in Hay et al.'s experimental SDs for the "
            "feature (their published bAP features: the somatic spike, and the amplitude 660 and 800 um from the "
            "soma); 2 SDs, the bound of the somatic steps' features"}}
#: Hay's BAC firing features (bridge.assess.protocols.hay_bac), their errors in his SDs.
HAY_BAC_TOLERANCE = {"sd": 2.0, "source": {
    "kind": "experimental", "citation": CITATION,
    "text": "the error is the distance from the detailed cell's value in Hay et al.'s experimental SDs for the "
            "feature (their BAC firing features: the somatic burst and the dendritic calcium spike); 2 SDs, the "
            "bound of the somatic steps' features"}}
#: The hay_steps features' errors are in Hay's SDs (bridge.assess.protocols.hay_steps).
HAY_STEP_TOLERANCE = {"sd": 2.0, "source": {
    "kind": "experimental", "citation": CITATION,
    "text": "the error is the distance from the detailed cell's value in Hay et al.'s experimental SDs for the "
            "feature at that step (their published feature set); 2 SDs, chosen before any run: a reduction "
            "should differ from its detailed cell by less than the spread between the real cells it stands for"}}


#: The bombardment's tolerances (bridge.assess.protocols.bombardment), fixed before any run.
BOMBARDMENT_TOLERANCES = {
    "bombardment_rate": {"relative": 0.23, "source": {
        "kind": "modelling", "citation": CITATION,
        "text": "two of Hay et al.'s experimental SDs of the firing rate at his middle step, relative to its mean "
                "(0.98 / 8.5 Hz): the spread of rates between the real cells, applied to a synaptic drive"}},
    "bombardment_coincidence": {"relative": 0.5, "source": {
        "kind": "modelling",
        "text": "judged by |1 - Gamma| (Kistler/Jolivet coincidence factor, +-4 ms): at least half of the detailed "
                "cell's spikes beyond chance are kept, the bound of fi_coincidence"}},
    "bombardment_v_nrmse": {"relative": 0.5, "source": {
        "kind": "modelling",
        "text": "the somatic voltage's RMS error outside spikes is at most half the detailed soma's own SD there: "
                "the reduced cell follows the synaptic fluctuations, not only their mean (a flat trace at the mean "
                "scores 1)"}},
}
#: The mapped EPSPs' tolerances (bridge.assess.protocols.mapped_epsp), fixed before any run.
MAPPED_EPSP_TOLERANCE = {"relative": 0.1, "source": {
    "kind": "modelling",
    "text": "one compartment stands for every site of its part of the cell, so the median of its EPSPs (each with its "
            "site's weight from synapses.json) is judged against the 10th-90th percentile band of the detailed "
            "cell's EPSPs at those sites (error 0 inside); 10% of the median beyond the band, the margin of the "
            "built-in cases' EPSPs"}}
#: The bombardment's synaptic conductance for Hay's cell (nS), chosen by the detailed cell's
#: rate alone: with 800 excitatory synapses at 5 Hz and 200 inhibitory ones at 10 Hz it
#: fires at 7.5 Hz, near the 8.5 Hz of Hay's middle step (measured; 3 nS gave 5 Hz in a
#: trial draw); scaled like the currents for another cell.
BOMBARDMENT_G_NS = 4.0

#: The rheobase of Hay's cell (nA) as :func:`bridge.neuron.cell_rheobase.rheobase` measures
#: it (500 ms steps after 700 ms at rest; measured, and checked by tests/test_reduce.py): a
#: cell with another rheobase runs Hay's steps scaled by the ratio.
HAY_RHEOBASE_NA = 0.35


def stimulus_settings(rheobase_na: float) -> dict:
    """The case's stimuli for a cell of rheobase ``rheobase_na``: Hay's (his steps, his bAP
    pulse, parity at his strongest step) for a cell with his cell's rheobase (or one that
    fires at rest, which has none to scale by), else his currents times the ratio of the
    rheobases, each step judged in the SDs of the Hay step it stands for."""
    hay = sorted(EXPERIMENTAL)
    scale = 1.0 if rheobase_na <= 0 or round(rheobase_na, 4) == HAY_RHEOBASE_NA else rheobase_na / HAY_RHEOBASE_NA
    pulse_na = round(PULSE["hay_pulse_nA"] * scale, 4)
    settings = {"hay_amplitudes_nA": [round(a * scale, 4) for a in hay], "bap_pulse_nA": pulse_na,
                "bap_pulse_ms": PULSE["hay_pulse_ms"], "bap_start_ms": PULSE["hay_pulse_start_ms"], **PULSE,
                "hay_pulse_nA": pulse_na, **PARITY_SETTINGS,
                "parity_step_nA": round(PARITY_SETTINGS["parity_step_nA"] * scale, 4),
                "bombardment_g_nS": round(BOMBARDMENT_G_NS * scale, 4)}
    if scale != 1.0:
        settings["hay_sd_steps_nA"] = hay
    return settings


def _yardstick(tolerance: dict, rheobase_na: float) -> dict:
    """``tolerance`` (in Hay's experimental spread) for a cell that is not Hay's: his
    layer-5 data become a modelling choice, said as one, and lose their experimental mean."""
    text = (f"Hay et al.'s layer-5 spread as the yardstick for this cell (rheobase {rheobase_na:g} nA, his cell's "
            f"{HAY_RHEOBASE_NA:g} nA: its steps are his scaled by the ratio), since no spread of its own was "
            "given: " + tolerance["source"]["text"])
    bound = {scale: tolerance[scale] for scale in ("relative", "sd") if scale in tolerance}
    return {**bound, "source": {**tolerance["source"], "kind": "modelling", "text": text}}


#: The simulators' parity run: Hay's strongest step for 1 s, at the case's step (Brian 2's
#: exponential_strang takes NEURON's own step, so the two agree at any dt to rounding:
#: measured on the reduced Hay cell at dt 0.025 ms, 1.5e-7 ms; docs/reduction.md).
PARITY_SETTINGS = {"parity_step_nA": 0.95, "parity_step_ms": [100.0, 1100.0], "parity_dt_ms": None}


def _relative(path: Path, out: Path) -> str:
    """``path`` relative to the folder ``out`` when they share a root, else absolute."""
    try:
        return os.path.relpath(Path(path).resolve(), Path(out).resolve())
    except ValueError:
        return str(Path(path).resolve())


def _reference(cell, out: Path) -> dict:
    args = [_relative(a, out) if isinstance(a, str) and Path(a).is_file() else a for a in cell.args]
    if isinstance(cell, HocCell):
        data = {"kind": "hoc", "name": cell.name, "files": [_relative(f, out) for f in cell.hoc_files],
                "template": cell.template}
    else:
        data = {"kind": "python", "name": cell.name, "file": _relative(cell.file, out), "function": cell.function}
    data.update({"args": args, "mod": None if cell.mod_dir is None else _relative(cell.mod_dir, out),
                 "celsius": cell.celsius})
    if cell.v_init is not None:
        data["v_init_V"] = cell.v_init
    return data


def _two_sd(mean: float, sd: float, feature: str, what: str) -> dict:
    return {"relative": round(2 * sd / mean, 4),
            "source": {"kind": "experimental", "citation": CITATION,
                       "text": f"two SDs of Hay et al.'s experimental {what} ({mean:g} +- {sd:g}), relative to its "
                               f"mean; the bound bridge's reductions must meet for {feature}"},
            "experimental": {"mean": mean, "sd": sd, "unit": "mV"}}


def _reaches(synapses, distance_um: float) -> bool:
    """Whether the cell's apical tree reaches ``distance_um`` from the soma (where Hay
    recorded the bAP); a cell whose tree is shorter is not judged there."""
    apical = synapses[synapses["region"].isin(["apical", "trunk", "oblique", "tuft"])]
    return bool(len(apical)) and float(apical["distance_um"].max()) >= distance_um


def case_dict(reduction, out: Path) -> dict:
    """The validation case of ``reduction`` written into ``out``."""
    model = reduction.model
    settings = stimulus_settings(reduction.rheobase_na)
    hay_bap = _reaches(reduction.synapses, max(HayBAP.settings["hay_bap_sites_um"]))
    hay_bac = _reaches(reduction.synapses, HayBAC.settings["hay_bac_site_um"])
    tolerances = {**{feature: HAY_STEP_TOLERANCE for feature in HaySteps.features},
                  **{feature: HAY_BAP_TOLERANCE for feature in (HayBAP.features if hay_bap else ())},
                  **{feature: HAY_BAC_TOLERANCE for feature in (HayBAC.features if hay_bac else ())},
                  "bap_amplitude": _two_sd(*BAP_660, "bap_amplitude", "bAP amplitude 660 um from the soma"),
                  "bombardment_rate": BOMBARDMENT_TOLERANCES["bombardment_rate"]}
    if "hay_sd_steps_nA" in settings:
        tolerances = {feature: _yardstick(t, reduction.rheobase_na) for feature, t in tolerances.items()}
    tolerances.update({f: BOMBARDMENT_TOLERANCES[f] for f in ("bombardment_coincidence", "bombardment_v_nrmse")})
    tolerances.update({f: MAPPED_EPSP_TOLERANCE for f in MappedEPSP.features})
    return {
        "schema": CASE_SCHEMA,
        "name": model.name,
        "description": f"{len(model.compartments)}-compartment reduction of the detailed cell {reduction.cell.name} "
                       f"({reduction.segments} segments), made by bridge reduce, against the cell itself.",
        "built_from": "bridge reduce (docs/reduction.md): each compartment's membrane is the cell's membrane over "
                      "its segments, totals kept; the couplings are fitted to the cell's transfer "
                      "impedances between compartments from 0 to 200 Hz, those of its linear circuit at rest "
                      "(every node's membrane admittance from a measured somatic step and a somatic sum of sines). Somatic firing and back-propagation "
                      "were not used: every feature here is a prediction.",
        "model": "reduced.json",
        "synapse_map": "synapses.json",
        "reference": _reference(reduction.cell, out),
        "mapping": {name: [r.to_dict() for r in regions] for name, regions in reduction.mapping.items()},
        "protocols": ["hay_steps", "bap", *(["hay_bap"] if hay_bap else []), *(["hay_bac"] if hay_bac else []),
                      "epsp_map", "bombardment", "parity"],
        "constraints": [],
        "tolerances": tolerances,
        "settings": settings,
    }


def reduction_files(reduction, out: Path) -> dict[str, str]:
    """``{file name: text}`` of the reduction written into ``out``."""
    names = [c.name for c in reduction.model.compartments]
    fitted = {"tree": reduction.tree, "compartments": names, "segments": reduction.segments,
              "couplings_S": {f"{c.a}-{c.b}": c.g for c in reduction.model.couplings},
              "fit_rms_log10_by_frequency_hz": {f"{f:g}": round(e, 6) for f, e in reduction.fit.items()},
              "steady_transfer_resistances_mohm": {who: [list(map(float, row)) for row in r]
                                                   for who, r in reduction.resistances.items()},
              "cell_rheobase_nA": reduction.rheobase_na}
    return {"reduced.json": json.dumps(to_dict(reduction.model), indent=2) + "\n",
            "case.json": json.dumps(case_dict(reduction, out), indent=2) + "\n",
            "synapses.json": json.dumps({"columns": list(reduction.synapses.columns),
                                         "rows": reduction.synapses.values.tolist()}) + "\n",
            "reduction.json": json.dumps(fitted, indent=2) + "\n"}


def write_reduction(reduction, out) -> Path:
    """Write the reduction's files as the folder ``out`` (atomically: all or nothing)."""
    out = Path(out)
    return write_folder_atomic(out, reduction_files(reduction, out))
