"""``bridge convert``: the Brian 2 text of a mechanism, its errors, and --check."""

from importlib.util import find_spec
from pathlib import Path

import pytest

from bridge.cli import main

SHARE = Path(find_spec("neuron").origin).parent / ".data" / "share"
HH = SHARE / "modfile" / "hh.mod"
PAS = SHARE / "modfile" / "passive.mod"
HAY = Path(__file__).parent.parent / "validation" / "hay_l5pc" / "mod"
CABPUMP = SHARE / "nrn" / "demo" / "release" / "cabpump.mod"   # arrays indexed by a variable


def _run_at_rest(scope: dict, duration_ms: float, **method):
    """The converted text's group (``scope``: its module's names) run at -65 mV from its
    initial values (numpy target)."""
    import brian2 as b
    saved, b.prefs.codegen.target = b.prefs.codegen.target, "numpy"
    try:
        group = b.NeuronGroup(1, scope["equations"] + "\nV : volt", namespace=scope["namespace"], dt=0.025 * b.ms,
                              **method)
        group.V = -65 * b.mV
        for name, value in scope["initial"].items():
            setattr(group, name, value)
        b.Network(group).run(duration_ms * b.ms)
    finally:
        b.prefs.codegen.target = saved
    return group


def _errors(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("bridge")]


def test_convert_hh_writes_a_file_that_runs(tmp_path, capsys):
    import brian2 as b
    out = tmp_path / "hh_brian2.py"
    assert main(["convert", str(HH), "-o", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    text = out.read_text()
    assert "SHA-256: 328573de4186e499a0b7da2909c2dfc31f97a6dca932998053af2cfd997d8854" in text
    assert str(HH) in text and "from bridge.brian2.functions import ifelse" in text
    scope: dict = {}
    exec(compile(text, str(out), "exec"), scope)
    assert set(scope["initial"]) == {"m_hh", "h_hh", "n_hh"}
    assert scope["namespace"]["gnabar_hh"] == 0.12 and scope["namespace"]["el_hh"] == -54.3
    group = _run_at_rest(scope, 1, method="rk4")
    # at rest (-65 mV, hh's states in steady state) the channels carry hh's resting current
    assert abs(float(group.I_channels[0] / b.nA)) < 0.01
    assert 0.05 < float(group.m_hh[0]) < 0.06


def test_convert_prints_to_stdout(capsys):
    assert main(["convert", str(PAS)]) == 0
    out = capsys.readouterr().out
    assert out.startswith('"""Brian 2 equations of the NMODL mechanism pas') and "i_pas" in out


def test_missing_file_exits_2_with_one_line(tmp_path, capsys):
    assert main(["convert", str(tmp_path / "nope.mod")]) == 2
    errors = _errors(capsys)
    assert len(errors) == 1 and errors[0].startswith("bridge: error: ") and "nope.mod" in errors[0]


def test_refused_construct_exits_2_with_one_line(tmp_path, capsys):
    out = tmp_path / "cabpump.py"
    assert main(["convert", str(CABPUMP), "-o", str(out)]) == 2
    errors = _errors(capsys)
    assert len(errors) == 1 and "ARRAY" in errors[0] and "cabpump.mod:" in errors[0]
    assert not out.exists()


@pytest.mark.slow   # 15 s (time budget): test_convert_parity.py checks the same mechanisms by default
def test_check_prints_a_table_and_exits_0_within_tolerance(capsys):
    assert main(["convert", str(PAS), "--check"]) == 0
    out = capsys.readouterr().out
    assert "mechanism  protocol" in out and "clamp" in out and "step 0.1 nA" in out
    assert "within tolerance" in out and "FAIL" not in out


def test_check_exits_1_beyond_tolerance(monkeypatch, capsys):
    from bridge.assess import mechanism_check as mc
    failing = mc.MechanismCheck("pas", ("pas",), [mc.ProtocolResult("pas", "clamp", "nA", 1.0, 2.0, 10.0, (0, 0),
                                                                    float("nan"), False, "RMS > 0.1 nA")])
    monkeypatch.setattr(mc, "check_mechanism", lambda mechanism, **kw: failing)
    assert main(["convert", str(PAS), "--check"]) == 1
    assert "BEYOND TOLERANCE" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["convert"], ["convert", str(HH), "--target", "cpp"]])
def test_bad_arguments_exit_2(argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2


def test_a_mechanism_without_currents_gives_runnable_text(tmp_path):
    import brian2 as b
    out = tmp_path / "cad.py"
    assert main(["convert", str(HAY / "CaDynamics_E2.mod"), "-o", str(out)]) == 0
    scope: dict = {}
    exec(compile(out.read_text(), str(out), "exec"), scope)
    assert "I_channels = 0*amp : amp" in scope["equations"] and scope["initial"] == {"cai": 5e-05}
    group = b.NeuronGroup(1, scope["equations"] + "\nV : volt", namespace=scope["namespace"], method="rk4")
    group.cai = 2e-4
    b.Network(group).run(1 * b.ms)
    assert 1e-4 < float(group.cai[0]) < 2e-4  # relaxes towards minCai (1e-4 mM), decay 80 ms


def test_the_text_of_a_kinetic_scheme_runs_with_neurons_step(tmp_path):
    """The file names exponential_strang and its method_options, which solve the ring's
    states together, and starts them at the scheme's steady state, where they stay."""
    out = tmp_path / "nav4.py"
    assert main(["convert", str(Path(__file__).parent / "mod_idioms" / "nav4.mod"), "-o", str(out)]) == 0
    scope: dict = {}
    exec(compile(out.read_text(), str(out), "exec"), scope)
    assert scope["method_options"]["implicit"] == ["C1_nav4", "C2_nav4", "O_nav4"]
    group = _run_at_rest(scope, 5, method="exponential_strang", method_options=scope["method_options"])
    for name, value in scope["initial"].items():
        assert abs(float(getattr(group, name)[0]) - value) < 1e-7, name
    assert float(group.I_nav4[0]) > 0.28   # the inactivated state holds the rest
