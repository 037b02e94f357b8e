"""The membrane of a reduced compartment: the membrane of the segments it stands for,
lumped so that every total is kept.

- area: the segments' total area; capacitance: their total (area-weighted mean ``cm``);
- the leak (NEURON's ``pas``): the total conductance, and the reversal that gives the
  same total leak current (conductance-weighted mean of ``e_pas``);
- each channel's conductance density (a parameter in S/cm2): the total conductance over
  the compartment's area, so the compartment has exactly the cell's total conductance of
  that channel (segments without the channel count as 0);
- every other channel parameter (time constants, depths, half-activation voltages): the
  area-weighted mean over the segments that have the channel, where the channel is; a
  GLOBAL parameter, one value in NEURON, the value the cell set;
- reversal potentials of the ions the compartment's channels use, where none of them
  writes the ion's concentration (``ena``, ``ek``; a written ``cai`` makes ``eca`` a Nernst
  potential, unless the cell's ion style holds it as set): the area-weighted mean over the
  segments that have the ion.

Pure: a segment table (``bridge.neuron.cell_anatomy.segment_table``) and the compartment
of each segment in, values out; no simulator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import UnsupportedFeatureError
from ..mechanisms import Mechanism
from ..neuron.cell_anatomy import REVERSALS
from ..units import SIEMENS_PER_M2

#: NEURON's passive mechanism, which becomes the compartment's own leak.
LEAK = "pas"


@dataclass(frozen=True)
class LumpedMembrane:
    """One compartment's membrane in SI units: ``area`` (m2), ``cm`` (F/m2), ``gl`` (S/m2),
    ``e_leak`` (V), ``channels`` ({mechanism name: {parameter: SI value}}) and ``ions``
    ({"ena": V, ...})."""

    name: str
    area: float
    cm: float
    gl: float
    e_leak: float
    channels: dict
    ions: dict


def _mechanism_columns(table: pd.DataFrame, mechanisms: dict[str, Mechanism]) -> dict[str, dict[str, str]]:
    """``{mechanism: {parameter: column}}`` for the table's parameter columns
    (``gNaTa_tbar_NaTa_t`` -> NaTa_t's gNaTa_tbar)."""
    found: dict[str, dict[str, str]] = {}
    for column in table.columns:
        for name in sorted(mechanisms, key=len, reverse=True):
            if column.endswith("_" + name):
                found.setdefault(name, {})[column[: -len(name) - 1]] = column
                break
    return found


def lump(table: pd.DataFrame, labels: np.ndarray, mechanisms: dict[str, Mechanism],
         v_init_mv: float = -65.0, globals_: dict | None = None) -> list[LumpedMembrane]:
    """The lumped membrane of each compartment, in the order the labels first appear.
    ``mechanisms``: the cell's converted density mechanisms by name; a parameter column of
    a mechanism the cell uses but bridge could not convert is an error naming it. A
    compartment without ``pas`` (a soma whose only leak is hh's) gets the cell's initial
    voltage ``v_init_mv`` as its resting voltage, where its channels start. ``globals_``:
    ``{mechanism: {parameter: value}}``, GLOBAL parameters the cell set otherwise than its
    files (files' units), one value wherever the channel is."""
    columns = _mechanism_columns(table, {**mechanisms, LEAK: None})
    unconverted = sorted(set(columns) - set(mechanisms) - {LEAK})
    if unconverted:
        raise UnsupportedFeatureError(f"the cell uses {unconverted[0]}, which has no converted mechanism",
                                      obj="reduction", param="mechanisms",
                                      hint="give the folder holding its .mod file (--mod)")
    out = []
    for name in dict.fromkeys(labels):
        rows = table[labels == name]
        area = rows["area_um2"].to_numpy()
        total = area.sum()
        leak_columns = columns.get(LEAK, {})
        g_pas = rows[leak_columns["g"]].to_numpy() if "g" in leak_columns else np.zeros(len(rows))
        e_pas = rows[leak_columns["e"]].to_numpy() if "e" in leak_columns else np.full(len(rows), -70.0)
        leak = float((g_pas * area).sum())
        e_leak = float((g_pas * area * e_pas).sum() / leak) if leak > 0 else v_init_mv
        channels = {}
        inserted = {m for names in rows["mechanisms"] for m in names.split()} if "mechanisms" in rows else set()
        # a mechanism without range parameters (a calcium pool of GLOBALs) is where it is inserted
        bare = {m: {} for m in mechanisms if m not in columns and m in inserted}
        for mech_name, params in {**columns, **bare}.items():
            if mech_name == LEAK:
                continue
            mech = mechanisms[mech_name]
            values = rows[list(params.values())].to_numpy()
            present = np.any(values != 0, axis=1)
            if params and not present.any():
                continue
            chosen = {}
            for param, column in params.items():
                variable = mech.variable(param)
                value = rows[column].to_numpy()
                if variable.unit.dimension == SIEMENS_PER_M2:
                    mean = (value * area).sum() / total
                else:
                    mean = np.average(value[present], weights=area[present])
                chosen[param] = float(mean) * variable.unit.scale
            for param, value in (globals_ or {}).get(mech_name, {}).items():
                chosen[param] = value * mech.variable(param).unit.scale
            channels[mech_name] = chosen
        ions = {}
        uses = [use for mech_name in channels for use in mechanisms[mech_name].ions]
        for reversal in REVERSALS:
            ion = reversal[1:]
            read = any(u.ion == ion for u in uses)
            written = any(u.ion == ion and set(u.write) & {f"{ion}i", f"{ion}o"} for u in uses)
            if not read or reversal not in rows:
                continue
            values = rows[reversal].to_numpy(dtype=float)
            have = ~np.isnan(values)
            if not have.any():
                continue
            held = rows[f"{reversal}_held"].to_numpy()[have] == 1.0 if f"{reversal}_held" in rows else False
            if written and np.any(held) and not np.all(held):
                raise UnsupportedFeatureError(
                    f"the cell holds {reversal} fixed in some of compartment {name}'s sections and computes it from "
                    f"the concentrations in others", obj="reduction", param=reversal,
                    hint="give those sections one ion style, or map them to different compartments")
            if not written or np.all(held):   # a held reversal stays as the cell sets it
                ions[reversal] = float(np.average(values[have], weights=area[have])) * 1e-3
        out.append(LumpedMembrane(str(name), total * 1e-12, float(np.average(rows["cm"], weights=area)) * 1e-2,
                                  leak / total * 1e4, e_leak * 1e-3, channels, ions))
    return out
