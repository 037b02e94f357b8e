"""Human-readable tables of a model (used by ``bridge show``): compartments,
couplings and mechanisms, each value with its unit."""

from __future__ import annotations

from .reduced import ReducedModel


def _fmt(value: float | None, scale: float, digits: int = 4) -> str:
    return "-" if value is None else f"{value / scale:.{digits}g}"


def compartment_table(model: ReducedModel) -> tuple[list[str], list[list[str]]]:
    headers = ["compartment", "kind", "membrane", "area (um2)", "C (pF)", "gL (nS)", "EL (mV)",
               "scale", "spine"]
    rows = [[c.name, c.kind, _membrane(c), _fmt(c.area, 1e-12), _fmt(c.capacitance, 1e-12), _fmt(c.g_leak, 1e-9),
             _fmt(c.v_rest, 1e-3), f"{c.scale_factor:g}", f"{c.spine_factor:g}"] for c in model.compartments]
    return headers, rows


def _membrane(c) -> str:
    """The membrane model, with the number of NMODL channels it carries."""
    count = len(c.density_channels)
    return c.membrane if not count else f"{c.membrane} + {count} channel{'s' if count > 1 else ''}"


def _channel_rows(c) -> list[list[str]]:
    """One row per NMODL mechanism in ``c`` (its parameters in their declared units) and
    one for the ion values it sets."""
    rows = []
    for ch in c.channels:
        units = {name: ch.mechanism.variable(name).unit for name, _ in ch.parameters}
        values = ", ".join(f"{name} {value / units[name].scale:.4g} {units[name].text}".removesuffix(" 1").rstrip()
                           for name, value in ch.parameters)
        what = f"point process {ch.name}" if ch.is_point else f"channel {ch.name}"
        rows.append([c.name, what, values or "its defaults"])
    if c.ions:
        rows.append([c.name, "ions", ", ".join(f"{name} {value / 1e-3:.4g} mV" if name.startswith("e")
                                               else f"{name} {value:.4g} mM" for name, value in c.ions)])
    return rows


def coupling_table(model: ReducedModel) -> tuple[list[str], list[list[str]]]:
    headers = ["from", "to", "kind", "g (nS)"]
    rows = [[c.a, c.b, c.kind if c.kind != "cylinder" else f"cylinder_{c.cylinder_of}",
             _fmt(model.coupling_conductance(c), 1e-9)] for c in model.couplings]
    return headers, rows


def mechanism_table(model: ReducedModel) -> tuple[list[str], list[list[str]]]:
    headers = ["compartment", "mechanism", "parameters"]
    rows = []
    for c in model.compartments:
        for s in c.synapses:
            kinetics = (f"t_rise {_fmt(s.t_rise, 1e-3)} ms, t_decay {_fmt(s.t_decay, 1e-3)} ms" if s.rise_decay
                        else f"t_decay {_fmt(s.t_decay, 1e-3)} ms")
            scaled = ", peak-normalised" if s.scale_g and s.rise_decay else ""
            rows.append([c.name, f"synapse {s.name}", f"g {_fmt(s.g, 1e-9)} nS, {kinetics}{scaled}"])
        if c.noise is not None:
            n = c.noise
            rows.append([c.name, "noise (OU)", f"mean {_fmt(n.mean, 1e-12)} pA, sigma {_fmt(n.sigma, 1e-12)} pA, "
                                               f"tau {_fmt(n.tau, 1e-3)} ms"])
        for d in c.dspikes:
            rows.append([c.name, f"dspike {d.name}",
                         f"threshold {_fmt(d.threshold, 1e-3)} mV, g_rise {_fmt(d.g_rise, 1e-9)} nS for "
                         f"{_fmt(d.duration_rise, 1e-3)} ms toward {_fmt(d.reversal_rise, 1e-3)} mV, g_fall "
                         f"{_fmt(d.g_fall, 1e-9)} nS for {_fmt(d.duration_fall, 1e-3)} ms after "
                         f"{_fmt(d.offset_fall, 1e-3)} ms toward {_fmt(d.reversal_fall, 1e-3)} mV, refractory "
                         f"{_fmt(d.refractory, 1e-3)} ms"])
        rows += _channel_rows(c)
        for p in c.params:
            rows.append([c.name, f"parameter {p.name}", f"{p.value:g} {p.dimension}"])
        for e in c.equations:
            rows.append([c.name, f"equation ({e.kind})", f"{e.variable} = {e.expression}"])
    for p in model.params:
        rows.append(["(model)", f"parameter {p.name}", f"{p.value:g} {p.dimension}"])
    for e in model.equations:
        rows.append(["(model)", f"equation ({e.kind})", f"{e.variable} = {e.expression}"])
    if model.spiking is not None:
        s = model.spiking
        detail = f"threshold {s.threshold}; reset {'; '.join(map(str, s.reset)) or '-'}"
        if s.second_reset:
            detail += f"; after {_fmt(s.spike_width, 1e-3)} ms {'; '.join(map(str, s.second_reset))}"
        if s.refractory:
            detail += f"; refractory {_fmt(s.refractory, 1e-3)} ms"
        rows.append(["(model)", "spiking", detail])
    return headers, rows


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with aligned columns."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)] if rows else [len(h) for h in headers]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def summary(model: ReducedModel) -> str:
    """All tables of ``model`` as text."""
    parts = [f"model {model.name!r}" + (" (point neuron)" if model.point else "")]
    for title, (headers, rows) in (("Compartments", compartment_table(model)),
                                   ("Couplings", coupling_table(model)),
                                   ("Mechanisms", mechanism_table(model))):
        if rows:
            parts.append(f"\n{title}\n{format_table(headers, rows)}")
    return "\n".join(parts)
