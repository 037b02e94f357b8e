"""Channels (NMODL density mechanisms) of a model, planned for NEURON: what each section
inserts, the parameter values it sets (in the mechanism's declared units, as NEURON reads
them), the ion reversal potentials it sets, and the model-wide settings (``celsius``,
GLOBAL parameters, rate tables switched off).

NEURON runs each mechanism's own NMODL file unchanged; NEURON's built-in mechanisms (hh,
pas...) are used as they are when the source is NEURON's own file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError, UnsupportedFeatureError
from ..mechanisms import Mechanism
from ..mechanisms.neuron_order import NEURON_BUILTINS
from ..model import CompartmentSpec, ReducedModel
from ..resources import neuron_share_dir



@dataclass(frozen=True)
class DensityPlan:
    """One density mechanism in one section: its NMODL ``suffix`` and ``params``, by the
    attribute name NEURON gives them (``gnabar_hh``), in the declared units."""

    suffix: str
    params: tuple[tuple[str, float], ...]


def builtin_mod_file(name: str) -> Path | None:
    """NEURON's own NMODL file of its built-in mechanism ``name`` (hh, pas...), as its wheel
    ships it; None for another name or where the file is not installed."""
    share = neuron_share_dir()
    path = None if share is None or name not in NEURON_BUILTINS else share / "modfile" / NEURON_BUILTINS[name]
    return path if path is not None and path.exists() else None


def _neuron_source(name: str) -> str | None:
    path = builtin_mod_file(name)
    return None if path is None else path.read_text()


def needs_compiling(mech: Mechanism) -> bool:
    """False for NEURON's built-in mechanisms given by NEURON's own source; a mechanism that
    takes a built-in's name with other code is refused."""
    if mech.name not in NEURON_BUILTINS:
        if mech.source is None:
            raise UnsupportedFeatureError("has no NMODL source to compile", obj=f"mechanism {mech.name}",
                                          param="source", hint="create it with bridge.from_nmodl(path)")
        return True
    if mech.source is not None and mech.source.text != _neuron_source(mech.name):
        raise UnsupportedFeatureError(f"{mech.name!r} is the name of a mechanism built into NEURON, with other code",
                                      obj=f"mechanism {mech.name}", param="SUFFIX",
                                      hint="rename the SUFFIX (or POINT_PROCESS) in the mod file")
    return False


def section_channels(comp: CompartmentSpec) -> tuple[tuple[DensityPlan, ...], tuple[tuple[str, float], ...],
                                                     tuple[str, ...]]:
    """The mechanisms ``comp``'s section inserts, the ion reversals (mV) it sets, and the
    ions among those whose concentration a mechanism writes (the reversal then held as
    set, as a cell's ``ion_style`` holds it; NEURON would compute it)."""
    plans = []
    for ch in comp.density_channels:
        params = tuple((f"{p.name}_{ch.name}", _value(comp, ch, p.name))
                       for p in ch.mechanism.parameters if p.scope == "range")
        plans.append(DensityPlan(ch.name, params))
    used = {f"e{i.ion}" for ch in comp.density_channels for i in ch.mechanism.ions}
    for name, _ in comp.ions:
        if name not in used:
            raise ModelError(f"{name} is set but no channel of the compartment uses its ion",
                             obj=f"compartment {comp.name}", param=name,
                             expected=", ".join(sorted(used)) or "no ion values (no channels)")
    written = {i.ion for ch in comp.density_channels for i in ch.mechanism.ions
               if set(i.write) & {f"{i.ion}i", f"{i.ion}o"}}
    held = tuple(sorted(name[1:] for name, _ in comp.ions if name[1:] in written))
    return tuple(plans), tuple((name, value * 1e3) for name, value in comp.ions), held


def point_parameters(comp: CompartmentSpec, pp) -> tuple[tuple[str, float], ...]:
    """The RANGE parameters a point process sets on its object (``pp.tau = 2.0``), in the
    declared units; GLOBAL ones are model-wide (:func:`global_settings`)."""
    return tuple((p.name, _value(comp, pp, p.name)) for p in pp.mechanism.parameters if p.scope == "range")


def _value(comp: CompartmentSpec, ch, name: str) -> float:
    value = ch.value(name)
    if value is None:
        what = "point process" if ch.is_point else "channel"
        raise ModelError("has no value", obj=f"compartment {comp.name} {what} {ch.name}", param=name,
                         hint=f"give it: {'point_process' if ch.is_point else 'channel'}(..., {name}=...)")
    return value


def model_mechanisms(model: ReducedModel) -> tuple[Mechanism, ...]:
    """Each mechanism the model's channels use, once (by name, in order of appearance)."""
    found: dict[str, Mechanism] = {}
    for comp in model.compartments:
        for ch in comp.channels:
            known = found.setdefault(ch.mechanism.name, ch.mechanism)
            if known != ch.mechanism:
                raise ModelError(f"two different mechanisms are called {ch.mechanism.name!r}",
                                 obj=f"compartment {comp.name}",
                                 param="channels", hint="NEURON knows a mechanism by its name: rename one SUFFIX")
    return tuple(found.values())


def global_settings(model: ReducedModel) -> tuple[tuple[str, float], ...]:
    """NEURON globals to set for the model's channels: ``celsius``, each GLOBAL parameter
    (``q10_X``; one value for the whole model) and ``usetable_<suffix> = 0`` where a
    mechanism has rate tables (so NEURON computes the exact rates, as Brian 2 does)."""
    mechanisms = model_mechanisms(model)
    if not mechanisms:
        return ()
    settings: dict[str, float] = {"celsius": model.celsius}
    for comp in model.compartments:
        for ch in comp.channels:
            for p in ch.mechanism.parameters:
                if p.scope != "global":
                    continue
                key, value = f"{p.name}_{ch.mechanism.name}", _value(comp, ch, p.name)
                if settings.setdefault(key, value) != value:
                    raise UnsupportedFeatureError(f"GLOBAL parameter {p.name} of {ch.mechanism.name} differs between "
                                                  "instances", obj=f"compartment {comp.name}", param=p.name,
                                                  expected="one value in every compartment (NEURON keeps one)")
    for mech in mechanisms:
        if mech.tables:
            settings[f"usetable_{mech.name}"] = 0.0
    return tuple(settings.items())
