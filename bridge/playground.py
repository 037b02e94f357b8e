"""The dSpike Playground: explore a dendritic spike's parameters interactively.

One dendritic compartment (absolute capacitance and leak) carries one dendritic spike
(:meth:`bridge.Dendrite.dspikes`) and receives a current step. Its Brian 2 group is
bridge's own (:func:`bridge.brian2.group.make_neurongroup`), built once and re-run from a
stored state whenever a value changes. ``Playground().run()`` opens Dendrify's window of
sliders (matplotlib widgets: any interactive backend, or ``%matplotlib widget`` with
``pip install bridge[playground]`` in a notebook); :meth:`Playground.simulate` and
:meth:`Playground.figure` are the same without a window, for scripts and tests.
"""

from __future__ import annotations

import time

from brian2.units import ms, mV, nS, pA, pF

from .errors import UnitError, UnknownNameError
from .units import AMPERE, FARAD, SECOND, SIEMENS, VOLT, dimension_name, dimension_of

_COMPARTMENT, _SPIKE = "dend", "dspike"
_UNITS = {"C": FARAD, "gL": SIEMENS, "EL": VOLT, "reversal_fall": VOLT, "idle_period": SECOND,
          "stim_time": SECOND, "post_stim_time": SECOND}


class Playground:
    """Dendrify's dSpike Playground, with its parameters and defaults.

    ``SLIDER_PARAMS`` maps each slider to ``[min, max, initial, step, unit]`` (a tuple
    step lists the allowed values); ``MODEL_PARAMS`` holds the membrane (``C``, ``gL``,
    ``EL``) and the fall reversal; ``SIMULATION_PARAMS`` the protocol: no input for
    ``idle_period``, the slider's current for ``stim_time``, none for ``post_stim_time``.
    """

    SIMULATION_PARAMS = {"idle_period": 5 * ms, "stim_time": 100 * ms, "post_stim_time": 50 * ms}
    MODEL_PARAMS = {"C": 80 * pF, "gL": 3 * nS, "EL": -70 * mV, "reversal_fall": -89 * mV}
    SLIDER_PARAMS = {
        "current": [0, 200, 120, 2, pA],
        "threshold": [-70, 0, -40, 0.5, mV],
        "g_rise": [0, 40, 20, 0.5, nS],
        "g_fall": [0, 40, 20, 0.5, nS],
        "duration_rise": [0, 50, 2, 0.5, ms],
        "duration_fall": [0, 50, 3, 0.5, ms],
        "offset_fall": [0, 55, 1, 0.5, ms],
        "refractory": [0, 100, 5, 0.5, ms],
        "reversal_rise": [70, 136, 70, (70, 136), mV],
    }

    def __init__(self):
        self.simulation_params = dict(self.SIMULATION_PARAMS)
        self.model_params = dict(self.MODEL_PARAMS)
        self.slider_params = {k: list(v) for k, v in self.SLIDER_PARAMS.items()}
        self.timeit = False
        self._built = None

    # -- parameters --------------------------------------------------------------------------
    def set_model_params(self, user_model_params: dict) -> None:
        """Change ``C``, ``gL``, ``EL`` or ``reversal_fall`` (Brian 2 quantities)."""
        self._set(self.model_params, user_model_params, "model_params")

    def set_simulation_params(self, user_simulation_params: dict) -> None:
        """Change ``idle_period``, ``stim_time`` or ``post_stim_time`` (times)."""
        self._set(self.simulation_params, user_simulation_params, "simulation_params")

    def set_slider_params(self, user_slider_params: dict) -> None:
        """Change sliders: ``{name: [min, max, initial, step, unit]}``."""
        for name, spec in user_slider_params.items():
            self._known(name, self.slider_params, "slider_params")
            if not isinstance(spec, (list, tuple)) or len(spec) != 5:
                raise UnitError(f"{spec!r} is not [min, max, initial, step, unit]", obj="Playground",
                                param=name, expected="[min, max, initial, step, unit]")
            self._check(name, 1 * spec[4], dimension_of(1 * self.slider_params[name][4]), "slider_params")
            self.slider_params[name] = list(spec)
        self._built = None

    def values(self) -> dict:
        """The sliders' initial values as Brian 2 quantities."""
        return {name: spec[2] * spec[4] for name, spec in self.slider_params.items()}

    def _set(self, target: dict, given: dict, where: str) -> None:
        for name, value in given.items():
            self._known(name, target, where)
            self._check(name, value, _UNITS[name], where)
        target.update(given)
        self._built = None

    @staticmethod
    def _known(name: str, target: dict, where: str) -> None:
        if name not in target:
            raise UnknownNameError(f"unknown parameter {name!r}", obj=f"Playground {where}", param=name,
                                   expected=", ".join(target))

    @staticmethod
    def _check(name: str, value, dim, where: str) -> None:
        if dimension_of(value) != dim:
            raise UnitError(f"{value!r} has the wrong unit", obj=f"Playground {where}", param=name,
                            expected=dimension_name(dim))

    # -- the model and its run ---------------------------------------------------------------
    def model(self, **values):
        """The bridge model for slider ``values`` (others at their initial values)."""
        from .builder.defaults import current_globals
        from .model import CompartmentSpec, DSpike, ReducedModel
        from .units import to_si
        v = {**self.values(), **values}
        for name in values:
            self._known(name, self.slider_params, "slider values")
        si = {name: to_si(value, dimension_of(1 * self.slider_params[name][4]), "Playground", name, optional=False)
              for name, value in v.items() if name != "current"}
        p = {name: to_si(value, _UNITS[name], "Playground", name, optional=False)
             for name, value in self.model_params.items()}
        spike = DSpike(_SPIKE, threshold=si["threshold"], g_rise=si["g_rise"], g_fall=si["g_fall"],
                       duration_rise=si["duration_rise"], duration_fall=si["duration_fall"],
                       offset_fall=si["offset_fall"], refractory=si["refractory"],
                       reversal_rise=si["reversal_rise"], reversal_fall=p["reversal_fall"])
        comp = CompartmentSpec(_COMPARTMENT, kind="dendrite", cm_abs=p["C"], gl_abs=p["gL"], v_rest=p["EL"],
                               dspikes=(spike,))
        return ReducedModel((comp,), name="playground", globals=current_globals())

    def simulate(self, **values) -> dict:
        """Run the protocol for slider ``values``: ``{"t", "V", "g_rise", "g_fall"}`` as
        Brian 2 quantity arrays (Brian 2's default clock, forward Euler, as Dendrify's)."""
        from brian2 import defaultclock

        from .brian2.equations import brian2_description
        model = self.model(**values)
        current = {**self.values(), **values}["current"]
        self._check("current", current, AMPERE, "slider values")
        if self._built is None:
            self._built = self._build(model)
        group, monitor, network = self._built
        network.restore()
        group.namespace.update(brian2_description(model, defaultclock.dt).namespace)
        started = time.perf_counter()
        setattr(group, f"I_ext_{_COMPARTMENT}", 0 * pA)
        network.run(self.simulation_params["idle_period"])
        setattr(group, f"I_ext_{_COMPARTMENT}", current)
        network.run(self.simulation_params["stim_time"])
        setattr(group, f"I_ext_{_COMPARTMENT}", 0 * pA)
        network.run(self.simulation_params["post_stim_time"])
        if self.timeit:
            print(f"Simulation run in {time.perf_counter() - started:.4f} s")
        e = f"{_SPIKE}_{_COMPARTMENT}"
        return {"t": monitor.t[:], "V": getattr(monitor, f"V_{_COMPARTMENT}")[0],
                "g_rise": getattr(monitor, f"g_rise_{e}")[0], "g_fall": getattr(monitor, f"g_fall_{e}")[0]}

    def _build(self, model):
        from brian2 import Network, StateMonitor

        from .brian2.group import make_neurongroup
        group = make_neurongroup(model, 1, method="euler")
        e = f"{_SPIKE}_{_COMPARTMENT}"
        monitor = StateMonitor(group, [f"V_{_COMPARTMENT}", f"g_rise_{e}", f"g_fall_{e}"], record=0)
        network = Network(group, monitor)
        network.store()
        return group, monitor, network

    # -- drawing -----------------------------------------------------------------------------
    def figure(self, **values):
        """A matplotlib figure of one run (voltage above, the spike's conductances below)."""
        import matplotlib.pyplot as plt
        figure, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
        self._lines = self._draw(top, bottom, self.simulate(**values))
        return figure

    def _draw(self, top, bottom, run):
        t = run["t"] / ms
        lines = [top.plot(t, run["V"] / mV, color="black", label="V")[0],
                 bottom.plot(t, run["g_rise"] / nS, color="C3", label="g_rise")[0],
                 bottom.plot(t, run["g_fall"] / nS, color="C0", label="g_fall")[0]]
        top.set_ylabel("Voltage (mV)")
        bottom.set_ylabel("Conductance (nS)")
        bottom.set_xlabel("Time (ms)")
        bottom.legend(loc="upper right")
        return lines

    def run(self, timeit: bool = False) -> None:
        """Open the interactive window: one slider per ``SLIDER_PARAMS`` entry and a reset
        button; each change re-runs the model and redraws."""
        import matplotlib.pyplot as plt
        from matplotlib.widgets import Button, Slider
        self.timeit = timeit
        figure = self.figure()
        figure.subplots_adjust(left=0.1, right=0.62)
        top, bottom = figure.axes
        sliders = {}
        for k, (name, (low, high, initial, step, unit)) in enumerate(self.slider_params.items()):
            axis = figure.add_axes([0.72, 0.9 - k * 0.08, 0.2, 0.03])
            sliders[name] = Slider(axis, f"{name} ({unit})", low, high, valinit=initial,
                                   valstep=list(step) if isinstance(step, tuple) else step)

        def update(_):
            run = self.simulate(**{n: s.val * self.slider_params[n][4] for n, s in sliders.items()})
            for line, key in zip(self._lines, ("V", "g_rise", "g_fall")):
                line.set_ydata(run[key] / (mV if key == "V" else nS))
            for axis in (top, bottom):
                axis.relim()
                axis.autoscale_view()
            figure.canvas.draw_idle()

        for slider in sliders.values():
            slider.on_changed(update)
        reset = Button(figure.add_axes([0.72, 0.08, 0.1, 0.04]), "Reset")
        reset.on_clicked(lambda _: [s.reset() for s in sliders.values()])
        self._widgets = (sliders, reset)   # keep the widgets alive while the window is open
        plt.show()
