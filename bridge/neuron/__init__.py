"""The NEURON emitter and runner: model -> sections, NMODL mechanisms from ``mod/``,
Python and HOC cells, a compile cache, and simulation with NEURON or CoreNEURON.

Only this package touches NEURON's global ``h`` (through :mod:`bridge.neuron.session`).
"""
