"""Converted mechanisms against their own NMODL files: NEURON runs the .mod file, Brian 2
the conversion (bridge.assess.mechanism_check: a voltage-clamp family and current
steps, tolerances fixed in TOLERANCES), and beyond them to rounding (CHECK_CLAMP_OF_PEAK,
CHECK_VOLTAGE): Brian 2 runs NEURON's own scheme.

Brian 2 runs channels with target="cython": its numpy target is slow on these equation sets
(many small array operations per step; 300 ms of hh take about 21 s with numpy, under a
second with cython once compiled). The passive membrane and the synapses, a few state
variables, run with numpy (about 1 to 3 s, where Cython's first compilation takes 10-15 s).
hh, pas and ExpSyn run by default; the other mechanisms are marked slow (2-5 s each, plus
Cython's first compilation): pytest -m slow tests/test_convert_parity.py.
"""

import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pytest

from bridge.convert import from_nmodl
from bridge.assess.mechanism_check import (SETUPS, TOLERANCE_SOURCE, TOLERANCES, check_mechanism, clamp_command,
                                             format_checks)
from tolerances import CHECK_CLAMP_OF_PEAK, CHECK_VOLTAGE

SHARE = Path(find_spec("neuron").origin).parent / ".data" / "share"
MODFILE = SHARE / "modfile"
DEMO = SHARE / "nrn" / "demo" / "release"
HAY = Path(__file__).parent.parent / "validation" / "hay_l5pc" / "mod"

DENSITY = ([MODFILE / "hh.mod", MODFILE / "passive.mod"] + sorted(p for p in HAY.glob("*.mod") if p.name != "epsp.mod")
           + [DEMO / f"{n}.mod" for n in ("cachan1", "camchan", "khhchan", "nachan")])
POINT = [MODFILE / "expsyn.mod", MODFILE / "exp2syn.mod", HAY / "epsp.mod"]
FAST = {"hh.mod", "passive.mod", "expsyn.mod"}
#: NEURON compiles these, CoreNEURON's NMODL refuses them (GLOBAL variables assigned per
#: instance: minf, hinf, mtau, htau; inf, tau). Once one is loaded, CoreNEURON cannot run in
#: that process (its library must hold every mechanism NEURON has), so their tests run in
#: a process of their own and leave the test process's NEURON clean.
CORENEURON_INCOMPATIBLE = {"nachan.mod", "khhchan.mod", "cachan1.mod"}
#: Few state variables: numpy runs them faster than Cython compiles them (module docstring).
NUMPY = {"passive.mod"} | {p.name for p in POINT}


def _target(path: Path) -> str:
    return "numpy" if path.name in NUMPY else "cython"


def _isolated(script: str) -> subprocess.CompletedProcess:
    """Run ``script`` in a fresh Python (this interpreter, tests/ on the path)."""
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=900,
                          cwd=Path(__file__).parent)


def _param(path):
    marks = [] if path.name in FAST else [pytest.mark.slow]
    return pytest.param(path, marks=marks, id=path.name)


@pytest.mark.parametrize("path", [_param(p) for p in DENSITY])
def test_converted_mechanism_matches_neuron(path):
    if path.name in CORENEURON_INCOMPATIBLE:
        done = _isolated("import sys\nfrom bridge.convert import from_nmodl\n"
                         "from bridge.assess.mechanism_check import check_mechanism, format_checks\n"
                         f"result = check_mechanism(from_nmodl({str(path)!r}), target='cython')\n"
                         "print(format_checks([result]))\nsys.exit(0 if result.rows and result.passed else 1)")
        assert done.returncode == 0, done.stdout + done.stderr[-2000:]
        return
    result = check_mechanism(from_nmodl(path), target=_target(path))
    print(format_checks([result]))
    assert result.rows and result.passed, format_checks([result])
    # not only within the check's bounds: NEURON's numbers, to rounding
    clamp, *steps = result.rows
    assert clamp.rms <= CHECK_CLAMP_OF_PEAK.value * clamp.peak, format_checks([result])
    assert all(r.max <= CHECK_VOLTAGE.value for r in steps), format_checks([result])


@pytest.mark.parametrize("path", [_param(p) for p in POINT])
def test_converted_point_process_matches_neuron(path):
    """ExpSyn and Exp2Syn driven by five events, epsp by its own onset and imax, in a
    passive cell: the voltage sample by sample (SETUPS names each protocol)."""
    result = check_mechanism(from_nmodl(path), target=_target(path))
    print(format_checks([result]))
    assert [r.protocol for r in result.rows] == ["own time course" if path.name == "epsp.mod" else "5 events"]
    assert result.passed and result.rows[0].peak > 4.0, format_checks([result])   # a few mV, or it shows little
    assert result.rows[0].max <= CHECK_VOLTAGE.value, format_checks([result])     # NEURON's numbers, to rounding


def test_a_point_process_without_a_setup_gets_events_and_a_check_that_cannot_fail_is_no_pass():
    from bridge.assess.mechanism_check import Setup
    result = check_mechanism(from_nmodl(MODFILE / "expsyn.mod"), setup=Setup())
    assert result.rows[0].protocol == "5 events" and "ExpSyn's uS" in result.why
    assert result.passed and result.rows[0].peak > 0.1, format_checks([result])
    faint = check_mechanism(from_nmodl(MODFILE / "expsyn.mod"), setup=Setup(events=(20.0,), weight=1e-9))
    assert not faint.passed and "could not fail" in faint.silent


def test_tolerances_are_fixed_data_with_a_source():
    assert TOLERANCES == {"clamp_rms_fraction_of_peak": 0.01, "voltage_rms_mv": 0.1, "spike_count_difference": 0,
                          "spike_time_ms": 0.2}
    assert "1% of its peak" in TOLERANCE_SOURCE and "0.2 ms over 500 ms" in TOLERANCE_SOURCE


def test_clamp_family_holds_at_minus_80_and_steps_from_minus_60_to_40():
    command = clamp_command()
    assert command[0] == -80.0 and len(command) == int(round(620 / 0.025))
    assert sorted(set(command)) == [-80.0, -60.0, -40.0, -20.0, 0.0, 20.0, 40.0]
    assert np.sum(command == 40.0) == 2000  # 50 ms at 0.025 ms


def test_every_setup_names_existing_companions():
    for name, setup in SETUPS.items():
        for file in setup.needs + setup.steps_with:
            assert (HAY / file).exists() or (DEMO / file).exists(), (name, file)


def test_coreneuron_refuses_what_its_nmodl_cannot_compile():
    """nachan.mod runs in NEURON, but CoreNEURON's translator refuses it: a CompileError
    naming the file and line, not a crash (in a process of its own, see above)."""
    path = next(p for p in DENSITY if p.name == "nachan.mod")
    done = _isolated(
        "import bridge\nfrom brian2.units import cm, mV, ms, ohm, siemens, uF, um\n"
        "from bridge.model import ReducedModel\n"
        "soma = bridge.Soma('soma', length=20 * um, diameter=20 * um, v_rest=-65 * mV, cm=1 * uF / cm ** 2,\n"
        "                   gl=1e-4 * siemens / cm ** 2, r_axial=100 * ohm * cm)\n"
        f"soma.channel({str(path)!r})\n"
        "model = ReducedModel((soma.description,), name='nachan_cell')\n"
        "bridge.simulate(model, 'neuron', duration=1 * ms)\n"
        "try:\n    bridge.simulate(model, 'coreneuron', duration=1 * ms)\n"
        "except bridge.errors.CompileError as exc:\n    print('REFUSED', exc)\n")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "REFUSED HHna.mod:8" in done.stdout and "RANGE" in done.stdout, done.stdout
