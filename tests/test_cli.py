"""The ``bridge`` command line: each command on real files, and one-line errors."""

import json
import subprocess
import sys

import pandas as pd
import pytest
from brian2.units import ms, nA

import bridge
from bridge.cli import main


def run_cli(*args):
    """Run the installed console script, as users do."""
    return subprocess.run([sys.executable, "-m", "bridge.cli", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture
def model_file(tmp_path):
    from bridge.default_model import default_model
    path = tmp_path / "model.json"
    bridge.save(default_model(), path)
    return path


def test_help_has_examples():
    out = run_cli("--help")
    assert out.returncode == 0
    assert "examples:" in out.stdout and "bridge simulate" in out.stdout


def test_show_prints_tables_with_units(model_file, capsys):
    assert main(["show", str(model_file)]) == 0
    out = capsys.readouterr().out
    for text in ("Compartments", "C (pF)", "Couplings", "g (nS)", "dspike Na", "synapse NMDA_x", "spiking"):
        assert text in out


def test_show_python_model_file(tmp_path, capsys):
    script = tmp_path / "cell.py"
    script.write_text("from brian2.units import *\nimport bridge\n"
                      "model = bridge.PointNeuronModel('adex', cm_abs=281*pF, gl_abs=30*nS, v_rest=-70.6*mV)\n")
    assert main(["show", str(script)]) == 0
    assert "adex" in capsys.readouterr().out


def test_simulate_writes_csv(model_file, tmp_path):
    out = tmp_path / "traces.csv"
    res = run_cli("simulate", str(model_file), "--step", "soma", "0.3", "10", "60", "--duration", "80",
                  "--no-progress", "-o", str(out))
    assert res.returncode == 0, res.stderr
    traces = pd.read_csv(out, index_col=0)
    assert list(traces.columns) == ["soma", "trunk", "prox", "dist"]
    assert len(traces) == 3200 and traces["soma"].max() == pytest.approx(40.0)  # spikes reset to 40 mV
    assert not list(tmp_path.glob(".*tmp"))


def test_emit_brian2_script_runs_standalone(model_file, tmp_path):
    script = tmp_path / "cell_brian2.py"
    assert main(["emit", "brian2", str(model_file), "-o", str(script)]) == 0
    csv = tmp_path / "out.csv"
    res = subprocess.run([sys.executable, str(script), "--inject", "soma", "0.3", "--duration", "30", "-o", str(csv)],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    emitted = pd.read_csv(csv, index_col=0)
    result = bridge.simulate(bridge.load(model_file), stimuli=[bridge.Step("soma", 0.3 * nA, 0 * ms, 30 * ms)],
                             duration=30 * ms)
    # Same equations and parameters printed to 15 digits: the traces agree to rounding.
    assert abs(emitted["soma"].to_numpy() - result.traces["soma"].to_numpy()).max() < 1e-6


@pytest.mark.parametrize("content", ["{not json", json.dumps({"format": "other"}),
                                     json.dumps({"format": "bridge-model", "schema_version": 99, "model": {}})],
                         ids=["corrupt", "not_a_model", "newer_schema"])
def test_bad_model_file_is_one_line_error(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content)
    res = run_cli("show", str(path))
    assert res.returncode != 0
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bridge: error:") and str(path) in lines[0]
    assert "Traceback" not in res.stderr


def test_unknown_compartment_in_stimulus_is_one_line_error(model_file):
    res = run_cli("simulate", str(model_file), "--step", "axon", "0.1", "0", "10", "--duration", "10")
    assert res.returncode != 0
    assert res.stderr.strip().count("\n") == 0 and "axon" in res.stderr


def test_validate_help_has_examples():
    res = run_cli("validate", "--help")
    assert res.returncode == 0 and "c91662" in res.stdout and "--simulators" in res.stdout


@pytest.mark.parametrize("argv", [["validate", "--jobs", "x"], ["reduce", "cell.hoc"], ["frob"], []])
def test_a_bad_command_line_is_one_line_and_exit_2(argv, capsys):
    """argparse's own errors (a value of the wrong type, a missing required option, an
    unknown command) are one line like every other, naming the help to read."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.count("\n") == 1 and "error:" in err and "--help` lists the options" in err, err


def test_cli_error_is_one_line_in_a_fresh_process(tmp_path):
    """In a new process, without NEURON's GUI option in the environment, a bad input prints
    exactly one line: importing bridge (and NEURON's NMODL parser) prints nothing."""
    import os
    import subprocess
    import sys
    env = {k: v for k, v in os.environ.items() if k not in ("NEURON_MODULE_OPTIONS", "DISPLAY")}
    done = subprocess.run([sys.executable, "-m", "bridge.cli", "show", str(tmp_path / "absent.json")],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 2
    assert done.stdout == "" and done.stderr.count("\n") == 1 and done.stderr.startswith("bridge: error:"), done.stderr
    done = subprocess.run([sys.executable, "-m", "bridge.cli", "convert", str(tmp_path / "absent.mod")],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr


def test_cli_error_is_one_line_when_brian2s_cache_is_large(tmp_path):
    """Brian 2 announces a compile cache over its limit (1 GB by default) while it is
    imported; the command line's error is still its only line. A preference file in the
    working directory makes a 2 MB cache "large" here (Brian 2 reads ./brian_preferences)."""
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "pad.bin").write_bytes(b"\0" * (2 * 1024 * 1024))
    (tmp_path / "brian_preferences").write_text(f"codegen.max_cache_dir_size = 1\n"
                                                f"codegen.runtime.cython.cache_dir = '{cache}'\n")
    notice = subprocess.run([sys.executable, "-c", "import brian2"], capture_output=True, text=True, cwd=tmp_path,
                            timeout=300)
    assert "Cache size for target" in notice.stdout + notice.stderr, "the check must see Brian 2's notice"
    done = subprocess.run([sys.executable, "-m", "bridge.cli", "show", str(tmp_path / "absent.json")],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1, done.stderr


@pytest.mark.parametrize("debug", [None, "1"])
def test_a_bug_is_one_line_and_status_3_or_its_traceback_with_bridge_debug(monkeypatch, capsys, debug):
    """An exception that is no BridgeError is a bug in bridge: one line naming it, status 3;
    with BRIDGE_DEBUG=1 its traceback, and still status 3 (it was re-raised: Python's 1 and
    Brian 2's banner about an error in Brian 2)."""
    import bridge.cli

    def broken(args):
        raise ZeroDivisionError("a planted bug")

    monkeypatch.setattr(bridge.cli, "cmd_show", broken)
    if debug:
        monkeypatch.setenv("BRIDGE_DEBUG", debug)
    else:
        monkeypatch.delenv("BRIDGE_DEBUG", raising=False)
    assert main(["show"]) == 3
    err = capsys.readouterr().err
    if debug:
        assert "Traceback (most recent call last)" in err and "ZeroDivisionError: a planted bug" in err, err
    else:
        assert err.count("\n") == 1 and "internal error: ZeroDivisionError: a planted bug" in err, err
