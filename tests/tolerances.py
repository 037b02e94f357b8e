"""Every numerical tolerance the tests use, with the reason it has that value."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tolerance:
    value: float
    unit: str
    reason: str


#: Dendrify and bridge generate the same equations and parameters, so Brian 2 runs the
#: same arithmetic; only summation order inside I_<comp> may differ (a few ulp of a
#: current), far below this bound even after thousands of steps.
DENDRIFY_PARITY = Tolerance(1e-9, "mV", "same equations; only floating-point summation order differs")

#: Spike times must be identical: both runs cross thresholds in the same time step.
SPIKE_TIME_PARITY = Tolerance(0.0, "ms", "spikes are recorded on the time grid; same step or it is a bug")

#: Parameter values: both compute areas, capacitances and couplings with the same
#: formulas in double precision; allow a few ulp for a different operation order.
PARAMETER_REL = Tolerance(1e-12, "relative", "same formulas, possibly different operation order")

#: Analytic passive properties vs Brian 2 (forward Euler, dt 0.025 ms): Euler shifts a
#: decay rate by about dt/(2 tau) (0.1% at tau = 12 ms); the issue asks for 0.5%.
ANALYTIC_PASSIVE = Tolerance(0.005, "relative", "forward Euler error dt/(2 tau) plus finite step length")

#: Same model, same seed, different Brian 2 targets: compiled code may evaluate
#: transcendental functions (exp) in a different order than numpy, a few ulp per step.
TARGET_PARITY = Tolerance(1e-6, "mV", "compiled vs numpy evaluation order of exp/log")

#: NEURON (Crank-Nicolson, dt 0.025 ms) vs Brian 2 (rk4): both are second-order
#: integrators, so what is left is the mapping itself. Values from the issue.
NEURON_SUBTHRESHOLD_RMS = Tolerance(0.1, "mV", "issue 5 acceptance: subthreshold RMS per compartment")
NEURON_SUBTHRESHOLD_MAX = Tolerance(0.5, "mV", "issue 5 acceptance: subthreshold max per compartment")
NEURON_SPIKE_SHIFT = Tolerance(0.2, "ms", "issue 5 acceptance; NEURON reports a spike one step later "
                               "(at the start of the step that resets) and resets land on different samples")
#: Samples this close to a somatic spike (plus spike_width after it) are not subthreshold:
#: a reset moves the membrane by tens of mV within one step, one sample apart in the two
#: simulators, and spikes may be up to NEURON_SPIKE_SHIFT apart.
SPIKE_WINDOW_MS = Tolerance(0.25, "ms", "the spike tolerance plus one step, on each side of a spike")

#: CoreNEURON runs the same generated mechanisms with the same arithmetic; only the
#: order of floating-point operations in its solver may differ.
CORENEURON_PARITY = Tolerance(1e-6, "mV", "issue 5 acceptance: same mechanisms, same solver up to rounding")

#: Noise: statistics of a 10 s run (different random streams). With a correlation time
#: of ~10 ms, 10 s holds ~1000 independent samples, so the sample SD has a relative
#: standard error of ~2%; the issue's bounds are 2.5 such errors.
NOISE_MEAN = Tolerance(0.2, "mV", "issue 5 acceptance: mean of the membrane voltage")
NOISE_SD_REL = Tolerance(0.05, "relative", "issue 5 acceptance: standard deviation")
NOISE_TAU_REL = Tolerance(0.10, "relative", "issue 5 acceptance: autocorrelation time (1/e)")

#: CVode (atol 1e-4) vs fixed step 0.0125 ms: values from the issue.
CVODE_RMS = Tolerance(0.2, "mV", "issue 5 acceptance: subthreshold RMS, CVode vs fixed step")
CVODE_SPIKE_SHIFT = Tolerance(0.2, "ms", "issue 5 acceptance: spikes, CVode vs fixed step")

#: Detailed references (issue 6): the ball-and-stick against closed-form cable theory, in
#: NEURON and Brian 2 with d_lambda = 0.1 segments and dt = 0.025 ms.
CABLE_THEORY = Tolerance(0.01, "relative", "issue 6 acceptance: discretised cable vs closed form")
#: The same SWC morphology in NEURON (Import3d, d_lambda segments) and Brian 2 (one
#: compartment per SWC segment): the reference validates itself across simulators.
SWC_INPUT_RESISTANCE = Tolerance(0.02, "relative", "issue 6 acceptance: NEURON vs Brian 2 input resistance")
SWC_ATTENUATION = Tolerance(0.03, "relative", "issue 6 acceptance: NEURON vs Brian 2 steady-state attenuation")

#: NMODL channels (issue "Mechanisms with one home"): converted mechanisms in Brian 2
#: (exponential_strang, dt 0.025 ms) against the original mod files in NEURON
#: (Crank-Nicolson, dt 0.025 ms). Values from the issue's acceptance.
CHANNEL_SUBTHRESHOLD_RMS = Tolerance(0.1, "mV", "issue 10 acceptance: voltage RMS before the first spike")
CHANNEL_SPIKE_SHIFT = Tolerance(0.2, "ms", "issue 10 acceptance: spike times; NEURON stamps a spike at the end "
                                "of the step that crosses, Brian 2 at its start (one step, 0.025 ms)")
#: A spike that follows an interval longer than this ends a slow approach to threshold,
#: where spike times are ill-conditioned: on Hay's one-compartment soma NEURON itself moves
#: such spikes by up to 1.6 ms between dt 0.025 and 0.0125 ms (measured; docs/conversion.md).
#: Those spikes are counted, and their times reported, but not held to CHANNEL_SPIKE_SHIFT.
CHANNEL_WELL_CONDITIONED_ISI = Tolerance(50.0, "ms", "measured dt-sensitivity of NEURON's own spike times "
                                         "after long intervals on Hay's soma")

#: Brian 2's exponential_strang takes NEURON's own fixed step (Crank-Nicolson voltages in
#: NEURON's delta form along the compartment tree, gates half a step after the voltages, ion
#: currents at mid-step, mechanisms in NEURON's order, nonlinear currents linearised over
#: NEURON's 0.001 mV): what is left is rounding (operation order; exp and pow of two
#: libraries), amplified near threshold. Measured at dt 0.025 ms: 1.1e-11 ms on a
#: Hodgkin-Huxley soma with eleven stiffly coupled compartments (60 spikes), 3.7e-10 ms on
#: the reduced Allen cell (41), 1.5e-7 ms and 3.3e-7 mV on the reduced Hay cell (15). The
#: scheme before differed by 0.86 ms and 1.7 mV on the Hay cell, and lost 4 of the 60.
NEURON_SCHEME_SPIKES = Tolerance(1e-5, "ms", "rounding only: Brian 2 runs NEURON's scheme (measured <= 1.5e-7 ms)")
NEURON_SCHEME_MAX = Tolerance(1e-5, "mV", "rounding only: Brian 2 runs NEURON's scheme (measured <= 3.3e-7 mV)")
#: The same on Hay's one-compartment soma, whose spikes after pauses of 60-230 ms end a
#: slow approach to threshold that amplifies rounding (the ill-conditioning of
#: CHANNEL_WELL_CONDITIONED_ISI, where NEURON's own dt moves them by 1.6 ms).
#: Measured at dt 0.025 ms: 1.2e-6 ms at 0.2 nA, 0.0055 ms at 1.0 nA (the scheme before: 1.3 ms).
NEURON_SCHEME_AFTER_PAUSES = Tolerance(0.05, "ms", "rounding amplified after long pauses (measured <= 0.0055 ms)")

#: Where the compartments do not form a tree (a ring, which NEURON refuses) Brian 2's
#: exponential_strang falls back to a Gauss-Seidel sweep over the voltages: its spikes at
#: dt 0.025 ms against its own at dt 0.0025 ms, on an hh soma in a ring of two dendrites,
#: 13 spikes, measured 0.29 ms apart at most.
#: bridge convert --check runs NEURON's own scheme in Brian 2 (the clamp in NEURON's order),
#: so a correct conversion agrees to rounding. Measured on the 21 files of
#: tests/test_convert_parity.py: clamp RMS at most 6.7e-11 nA (SK_E2, peak 69 nA), 1e-13 of
#: the peak for hh; voltages at most 3.6e-9 mV (cachan1), 9.2e-12 mV for hh.
CHECK_CLAMP_OF_PEAK = Tolerance(1e-9, "relative", "rounding only: the check runs NEURON's order (hh: 1.2e-16)")
CHECK_VOLTAGE = Tolerance(1e-6, "mV", "rounding only: the check runs NEURON's scheme (measured <= 3.6e-9 mV)")
SWEEP_CONVERGENCE = Tolerance(0.5, "ms", "the fallback sweep's own dt error (measured 0.29 ms over 13 spikes)")

#: Brian 2 models converted to NMODL (issue "A Brian 2 model as users write it runs in
#: NEURON and CoreNEURON"), where NEURON takes Brian 2's own step (euler,
#: exponential_euler): the traces differ by rounding only, which the exponential upswing
#: of AdEx amplifies to 5e-5 mV in the steps before a spike (measured; 2e-13 mV RMS before
#: the first spike). A different integration scheme differs by 0.01-1 mV there.
FOLLOWED_METHOD_MAX = Tolerance(1e-3, "mV", "rounding, amplified by AdEx's exponential upswing (measured 5e-5 mV)")

#: Round trip (issue "A Brian 2 model as users write it runs in NEURON and CoreNEURON"):
#: an NMODL channel printed as Brian 2 equations, read back by from_brian2 and run in
#: NEURON (one section, Crank-Nicolson, dt 0.025 ms) against the original mod file in the
#: same section: voltage RMS over the whole run. Value from the issue's acceptance.
ROUND_TRIP_RMS = Tolerance(0.1, "mV", "issue 11 acceptance: round trip NMODL -> Brian 2 -> NMODL")

#: Networks (issue 14): Brian 2 (rk4) vs NEURON (Crank-Nicolson), dt 0.025 ms. A recurrent
#: network amplifies the integrators' differences, so spike times are compared over the
#: first 200 ms only, and rates over the whole second. Values from the issue.
NETWORK_SPIKE_FRACTION = Tolerance(0.99, "fraction", "issue 14 acceptance: spikes within 0.2 ms over 200 ms")
NETWORK_RATE_REL = Tolerance(0.02, "relative", "issue 14 acceptance: population rates over 1 s")
