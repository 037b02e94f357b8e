"""Idioms of published NMODL files (ModelDB's Mainen & Sejnowski 1996 and Migliore channels
use every one of them), each in a small file of bridge's own in tests/mod_idioms/, converted
and checked against NEURON by `bridge convert --check`:

- kclamp.mod: a PARAMETER without a value (NEURON's 0); efun() and trap0() guards whose
  untaken branch divides by zero at the clamp's holding voltage (Brian 2's Cython target
  raised ZeroDivisionError there); a time constant clamped from below,
  ``if (ntau < taumin) {ntau = taumin}``, of 1/(a + b)/q10^(...) (sympy refused to compare it,
  and every Brian 2 state updater stopped);
- nastep.mod: a PROCEDURE that BREAKPOINT solves (no METHOD) and that advances its gates
  itself, ``m = m + mexp*(minf - m)`` with ``mexp = 1 - exp(-dt*tadj/mtau)`` (Mainen's
  na.mod of 1994, many of Migliore's): the exponential step of a derivative; it ends in
  ``VERBATIM return 0; ENDVERBATIM``, NEURON's success code, as Mainen's kv.mod and ca.mod
  and the cells built on them do (refused as C code before);
- kgate.mod: a two-state gate as a KINETIC scheme with CONSERVE, METHOD sparse, which NEURON
  solves by backward Euler, under its Crank-Nicolson a half step extrapolated to the whole;
- nav4.mod: a sodium channel as a four-state KINETIC ring with CONSERVE, started at its
  STEADYSTATE; kchain.mod: a three-state chain without CONSERVE whose reactions read a LOCAL
  reassigned between them, started at the equilibrium a LINEAR block states (as Raman &
  Bean's rsg.mod starts its thirteen states) (Markov models of channels, such as Schmidt-Hieber's na8st.mod);
  hcamp.mod: a scheme fed by a PARAMETER species, reading cAMP as the "ion" a (NEURON's
  default ai, 1 mM, where bridge had none), with a STATE named ``is`` (Wolf's Kv4 channel has
  one; a Python keyword, which stopped the conversion);
- pool.mod: a calcium pool whose cai, declared in PARAMETER, is the ion's, set from a state in
  DERIVATIVE, with an if there (Mainen's cad.mod); checked with cafeed.mod, a calcium current
  whose eca follows cai.

A check whose channels carry no current (a density of 0) compares nothing and does not pass.
"""

from pathlib import Path

import pytest

from bridge.cli import main
from bridge.convert import from_nmodl
from bridge.mechanisms.expressions import branch_values, guarded_divisions
from tolerances import CHECK_CLAMP_OF_PEAK, CHECK_VOLTAGE

IDIOMS = Path(__file__).parent / "mod_idioms"


def _check(capsys, *args) -> tuple[int, str]:
    code = main(["convert", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_declared_without_a_value_is_neurons_zero_and_the_ion_s_own():
    kclamp = from_nmodl(IDIOMS / "kclamp.mod")
    assert kclamp.variable("gbar").value == 0.0 and kclamp.variable("gbar").role == "parameter"
    pool = from_nmodl(IDIOMS / "pool.mod")
    assert pool.variable("cai").role == "assigned" and "cai" not in {p.name for p in pool.parameters}


def test_floor_and_the_other_functions_of_nmodl_convert(tmp_path):
    path = tmp_path / "f.mod"
    path.write_text("NEURON { SUFFIX f }\nASSIGNED { y }\nINITIAL {\n y = floor(2.5) + ceil(0.5) + tan(0) + sinh(0)"
                    " + cosh(0)\n}\n")
    assert from_nmodl(path).initial[0].expression == "floor(2.5) + ceil(0.5) + tan(0.0) + sinh(0.0) + cosh(0.0)"


def test_only_the_divisions_of_an_untaken_branch_are_guarded():
    assert guarded_divisions("a / (b - c) + d / 2.0") == "divide(a, b - c) + d / 2.0"
    branch, other = branch_values(["ifelse(x1 < 0, x2, x3) + y", "ifelse(x4 > 1, 1.0 / x5, x6)"])
    assert branch == {"x2", "x3", "x6"} and other == {"x1", "y", "x4", "x5"}
    from brian2 import NeuronGroup, Network, ms
    from bridge.brian2.functions import FUNCTIONS
    from bridge.brian2.run import brian2_target
    with brian2_target("cython"):
        group = NeuronGroup(1, "z : 1\nr = divide(z, exp(z) - 1.0) : 1\ns = ifelse(abs(z) < 1e-6, 1.0, r) : 1",
                            namespace=dict(FUNCTIONS))
        Network(group).run(0.1 * ms)                               # z = 0: no ZeroDivisionError
    assert group.s[0] == 1.0


def test_a_channel_at_zero_density_compares_nothing(capsys):
    code, out = _check(capsys, IDIOMS / "kclamp.mod", "--check")
    assert code == 1 and "NOTHING COMPARED" in out and "--set" in out


def test_guards_and_clamps_match_neuron_at_a_density(capsys):
    code, out = _check(capsys, IDIOMS / "kclamp.mod", "--check", "--set", "gbar=0.02")
    assert code == 0 and "within tolerance" in out, out


def test_a_pool_checked_beside_the_current_that_feeds_it(capsys):
    code, out = _check(capsys, IDIOMS / "pool.mod", "--check")
    assert code == 1 and "NOTHING COMPARED" in out
    code, out = _check(capsys, IDIOMS / "pool.mod", "--check", "--with", IDIOMS / "cafeed.mod", "--set",
                       "cafeed.gbar=0.01")
    assert code == 0 and "within tolerance" in out and "cafeed, pool" in out, out


def test_a_kinetic_gate_advances_as_neurons_sparse_solver():
    """Clamp (NEURON's backward Euler) and steps (its Crank-Nicolson) to rounding: with two
    derivatives and cnexp's exponential step instead, 1.02% of the peak in the clamp, which
    fails the check, and 1.4e-4 mV in the steps."""
    from bridge.assess.mechanism_check import check_mechanism
    result = check_mechanism(from_nmodl(IDIOMS / "kgate.mod"), target="cython")
    clamp, *steps = result.rows
    assert result.passed and clamp.rms <= CHECK_CLAMP_OF_PEAK.value * clamp.peak, (clamp.rms, clamp.peak)
    assert all(r.max <= CHECK_VOLTAGE.value for r in steps), [r.max for r in steps]


def test_a_kinetic_ring_starts_at_neurons_steady_state():
    """NEURON's STEADYSTATE is a backward-Euler step of 1e9 ms with the CONSERVE in place of
    the equation of the state it names last (I): the same within 1e-7 of the exact steady
    state (the step's own distance from it), the sum exactly 1."""
    import numpy as np
    from bridge.mechanisms.expressions import run_statements
    nav4 = from_nmodl(IDIOMS / "nav4.mod")
    assert [d.state for d in nav4.derivatives] == ["C1", "C2", "O"] and nav4.variable("I").role == "assigned"
    v = -65.0
    values = run_statements(nav4.initial, {"v": v, "gbar": 0.05})
    a, b = 8 / (1 + np.exp(-(v + 35) / 7)), 4 / (1 + np.exp((v + 45) / 9))
    ki, kr = 2 / (1 + np.exp(-(v + 50) / 5)), 0.05 / (1 + np.exp((v + 70) / 6))
    rates = {("C1", "C2"): 2 * a, ("C2", "C1"): b, ("C2", "O"): a, ("O", "C2"): 2 * b, ("O", "I"): ki,
             ("I", "O"): kr, ("I", "C1"): 0.5 * kr, ("C1", "I"): 0.1 * ki}
    states = ["C1", "C2", "O", "I"]
    M = np.zeros((4, 4))
    for (source, target), k in rates.items():
        M[states.index(target), states.index(source)] += k
        M[states.index(source), states.index(source)] -= k
    M[3] = 1.0                                   # the CONSERVE in place of I's equation
    exact = np.linalg.solve(M, [0, 0, 0, 1])
    found = np.array([values[s] for s in states])
    assert abs(found.sum() - 1) < 1e-15 and np.abs(found - exact).max() < 1e-7, (found, exact)


def test_a_linear_block_in_initial_is_solved():
    import numpy as np
    from bridge.mechanisms.expressions import run_statements
    kchain = from_nmodl(IDIOMS / "kchain.mod")
    v = -50.0
    values = run_statements(kchain.initial, {"v": v, "gbar": 0.02})
    a, b = 0.4 * np.exp((v + 30) / 20), 0.3 * np.exp(-(v + 30) / 25)
    exact = np.linalg.solve([[3 * a, -b, 0], [0, a, -1.5 * b], [1, 1, 1]], [0, 0, 1])
    assert np.allclose([values[s] for s in ("C1", "C2", "O")], exact, rtol=1e-14, atol=0)


@pytest.mark.parametrize("equations, message", [
    ("~ C1*C2 = 1\n ~ C2 = 0", "not linear"), ("~ C1 + C2 = 1", "1 equations for the 2 STATEs"),
    ("~ C1 + C2 = 1\n ~ 2*C1 + 2*C2 = 3\n ~ C1 = C2", "3 equations for the 2 STATEs")])
def test_a_linear_block_bridge_cannot_solve_is_refused_with_its_line(tmp_path, equations, message):
    from bridge.errors import UnsupportedFeatureError
    path = tmp_path / "l.mod"
    path.write_text("NEURON { SUFFIX l }\nSTATE { C1 C2 }\nINITIAL { SOLVE eq }\n"
                    f"LINEAR eq {{\n {equations}\n}}\n")
    with pytest.raises(UnsupportedFeatureError) as info:
        from_nmodl(path)
    assert info.value.param == "LINEAR" and info.value.obj.endswith(":4") and message in str(info.value)


def test_kinetic_schemes_advance_as_neurons_sparse_solver(capsys):
    """The ring and the chain in one resting cell, every state of a scheme advanced together
    (one at a time, each with the others' old values: an RMS of 87% of the peak in the clamp):
    NEURON to rounding in the clamp and the steps."""
    from bridge.assess.mechanism_check import check_mechanism
    result = check_mechanism(from_nmodl(IDIOMS / "nav4.mod"), target="cython", params={"kchain": {"gbar": 0.1}},
                             companions=[IDIOMS / "kchain.mod"])
    clamp, *steps = result.rows
    assert result.passed and clamp.rms <= CHECK_CLAMP_OF_PEAK.value * clamp.peak, (clamp.rms, clamp.peak)
    assert all(r.max <= CHECK_VOLTAGE.value for r in steps), [r.max for r in steps]


def test_a_scheme_fed_by_a_parameter_reading_a_new_ion_matches_neuron(capsys):
    hcamp = from_nmodl(IDIOMS / "hcamp.mod")
    assert [v.name for v in hcamp.states] == ["c", "is_", "o"]
    code, out = _check(capsys, IDIOMS / "hcamp.mod", "--check")
    assert code == 0 and "within tolerance" in out, out


def test_a_derivimplicit_pool_advances_by_backward_euler_as_in_neuron():
    """pool.mod's METHOD derivimplicit is NEURON's backward Euler, which Brian 2 then takes
    too: the clamp to rounding (by cnexp's exponential step instead: 1.2e-6 of the peak)."""
    from bridge.assess.mechanism_check import check_mechanism
    result = check_mechanism(from_nmodl(IDIOMS / "pool.mod"), target="cython", protocols=("clamp",),
                             params={"cafeed": {"gbar": 0.01}}, companions=[IDIOMS / "cafeed.mod"])
    clamp = result.rows[0]
    assert result.passed and clamp.rms <= CHECK_CLAMP_OF_PEAK.value * clamp.peak, (clamp.rms, clamp.peak)


def test_a_derivimplicit_pool_is_read_at_its_half_step_as_in_neuron():
    """Under Crank-Nicolson, NEURON advances a derivimplicit state by a backward-Euler half
    step extrapolated to the whole, but what the block assigns (pool.mod's ``cai = ca``, as
    Mainen's cad.mod) keeps its half-step value, which the cell's currents then read. Read
    at the extrapolated state instead, the 0.03 nA step differed by 2.4e-3 mV RMS (1.7e-5
    with Mainen's own ca.mod), enough for a reduced cell of those channels to lose a spike
    in 1 s; read at the half step, the steps agree to rounding."""
    from bridge.assess.mechanism_check import check_mechanism
    result = check_mechanism(from_nmodl(IDIOMS / "pool.mod"), target="cython", protocols=("steps",),
                             params={"cafeed": {"gbar": 0.01}}, companions=[IDIOMS / "cafeed.mod"])
    steps = [row for row in result.rows if row.protocol.startswith("step")]
    assert steps and result.passed
    assert all(row.rms <= CHECK_VOLTAGE.value for row in steps), [(row.protocol, row.rms) for row in steps]


def test_gates_advanced_by_a_procedure_are_their_derivatives(capsys):
    nastep = from_nmodl(IDIOMS / "nastep.mod")
    assert {d.state: d.expression for d in nastep.derivatives} == {
        "m": "(minf - m) * (tadj / mtau)", "h": "(hinf - h) * (tadj / htau)"}
    assert not any("dt" in st.expression for st in (*nastep.initial, *nastep.step))   # mexp, hexp are gone
    code, out = _check(capsys, IDIOMS / "nastep.mod", "--check")
    assert code == 0 and "within tolerance" in out, out


def _procedure_file(tmp_path, update: str, solve: str = "SOLVE s"):
    path = tmp_path / "g.mod"
    path.write_text("NEURON { SUFFIX g }\nPARAMETER { tau = 2 (ms) }\nASSIGNED { v (mV) minf }\nSTATE { m }\n"
                    f"BREAKPOINT {{ {solve} }}\nPROCEDURE s() {{\n minf = 1/(1 + exp(-v/5))\n {update}\n}}\n")
    return path


def test_a_procedure_step_in_another_form_is_refused_with_its_line(tmp_path):
    from bridge.errors import UnsupportedFeatureError
    cat = from_nmodl(_procedure_file(tmp_path, "m = m + (1 - exp(-dt/tau))*(minf - m)"))
    assert cat.derivatives[0].expression == "(minf - m) / tau"
    for update, solve in (("m = minf", "SOLVE s"), ("m = m + dt*(minf - m)/tau", "SOLVE s"),
                          ("m = m + (1 - exp(-dt/tau))*(minf - m)", "SOLVE s METHOD cnexp")):
        with pytest.raises(UnsupportedFeatureError) as info:
            from_nmodl(_procedure_file(tmp_path, update, solve))
        assert info.value.param == "SOLVE" and info.value.obj.endswith(":5" if "METHOD" in solve else ":6")


@pytest.mark.parametrize("args, message", [
    (["--set", "gbar=1"], "--set applies to --check"),
    (["--check", "--set", "gbar"], "is not NAME=VALUE"),
    (["--check", "--set", "nope=1"], "'nope' is not one of its parameters"),
    (["--check", "--set", "other.g=1"], "values for other, which the checked cell does not hold"),
])
def test_bad_settings_are_one_line_and_exit_2(capsys, args, message):
    code, out = _check(capsys, IDIOMS / "kclamp.mod", *args)
    assert code == 2 and message in out and out.count("\n") == 1
