"""bridge's NMODL library: every file in mod/ is the NMODL printer's output of its mechanism
object (byte for byte; `python -m bridge.neuron.library` writes them); every file parses with
NEURON's own NMODL parser; the synapses read back with the converter, and the event-driven
mechanisms are refused by it, naming the construct. The golden traces
(test_neuron_golden.py) hold the printed files to what the hand-written ones computed."""

import pytest

from bridge.convert import from_nmodl
from bridge.errors import UnsupportedFeatureError
from bridge.neuron.build import mod_files
from bridge.neuron.library import PRINTED, main, printed_files

SYNAPSES = [name for name in PRINTED if "syn" in name]
EVENT_DRIVEN = {"bridge_dspike.mod": "net_send", "bridge_if.mod": "net_send", "bridge_noise.mod": "ELECTRODE_CURRENT"}


def test_checked_in_files_equal_the_printer_output():
    on_disk = {path.name: path.read_text() for path in mod_files()}
    for name, text in printed_files().items():
        assert on_disk[name] == text, f"{name} differs: run python -m bridge.neuron.library"
    assert main(["--check"]) == 0


def test_every_library_file_is_printed():
    assert {path.name for path in mod_files()} == set(PRINTED)
    assert set(SYNAPSES) | set(EVENT_DRIVEN) == set(PRINTED)


def test_every_library_file_parses_with_neurons_nmodl_parser():
    from neuron.nmodl import NmodlDriver
    expected = {"bridge_dspike.mod": {"NetReceiveBlock", "InitialBlock", "BreakpointBlock"},
                "bridge_if.mod": {"NetReceiveBlock", "DerivativeBlock", "StateBlock"},
                "bridge_noise.mod": {"BeforeBlock", "BreakpointBlock"}}
    for name, text in printed_files().items():
        blocks = {type(b).__name__ for b in NmodlDriver().parse_string(text).blocks}
        assert {"NeuronBlock", "ParamBlock", "AssignedBlock"} <= blocks, name
        assert expected.get(name, {"NetReceiveBlock", "DerivativeBlock"}) <= blocks, name


@pytest.mark.parametrize("name", sorted(EVENT_DRIVEN))
def test_the_converter_refuses_event_driven_library_files_naming_the_construct(tmp_path, name):
    path = tmp_path / name
    path.write_text(printed_files()[name])
    with pytest.raises(UnsupportedFeatureError) as info:
        from_nmodl(path)
    assert EVENT_DRIVEN[name] in str(info.value) and f"{name}:" in str(info.value)


def test_printed_files_read_back_to_their_mechanisms(tmp_path):
    for name in SYNAPSES:
        _, make = PRINTED[name]
        path = tmp_path / name
        path.write_text(printed_files()[name])
        read = from_nmodl(path)
        original = make()
        assert read.name == original.name and read.kind == "point"
        assert [v.name for v in read.parameters] == [v.name for v in original.parameters]
        assert {v.name: v.value for v in read.parameters} == {v.name: v.value for v in original.parameters}
        assert [d.state for d in read.derivatives] == [d.state for d in original.derivatives]


def test_check_mode_reports_a_differing_file(tmp_path, capsys):
    assert main(["--out", str(tmp_path)]) == 0
    first = sorted(PRINTED)[0]
    (tmp_path / first).write_text("edited\n")
    assert main(["--out", str(tmp_path), "--check"]) == 1
    assert first in capsys.readouterr().out
