"""Shared pieces of the bad-input tests: the error check and small valid models."""

from __future__ import annotations

from brian2.units import mV, ms, nS, ohm, uF, um, uS
from brian2.units import cm as cmetre

import bridge


def check(excinfo, cls, obj: str, param: str, expected: str) -> None:
    """The error is exactly ``cls``, its attributes are ``obj``/``param`` and contain
    ``expected``, and its message names all three."""
    err = excinfo.value
    assert type(err) is cls, f"{type(err).__name__} raised, {cls.__name__} expected: {err}"
    assert err.obj == obj
    assert err.param == param
    assert err.expected is not None and expected in err.expected
    text = str(err)
    for part in (obj, param, expected):
        assert part in text, f"{part!r} not in {text!r}"


PASSIVE = dict(cm=1 * uF / cmetre ** 2, gl=50 * uS / cmetre ** 2, r_axial=150 * ohm * cmetre, v_rest=-70 * mV)


def soma(name="soma", **kwargs):
    return bridge.Soma(name, length=20 * um, diameter=20 * um, **{**PASSIVE, **kwargs})


def dendrite(name="dend", **kwargs):
    return bridge.Dendrite(name, length=100 * um, diameter=1 * um, **{**PASSIVE, **kwargs})


def two_compartments():
    """A valid soma-dendrite model whose dendrite has an AMPA_x synapse."""
    s, d = soma(), dendrite()
    d.synapse("AMPA", "x", g=1 * nS, t_decay=2 * ms)
    return bridge.NeuronModel([(s, d)])
