"""bridge's NMODL library: the synapse files in mod/ are the NMODL printer's output of
their mechanism objects (byte for byte; `python -m bridge.neuron.library` writes them), the
others are listed as hand-written, and every printed file reads back with the converter.
The golden traces (test_neuron_golden.py) hold the printed files to what the hand-written
ones computed."""

from bridge.convert import from_nmodl
from bridge.neuron.build import mod_files
from bridge.neuron.library import HAND_WRITTEN, PRINTED, main, printed_files


def test_checked_in_files_equal_the_printer_output():
    on_disk = {path.name: path.read_text() for path in mod_files()}
    for name, text in printed_files().items():
        assert on_disk[name] == text, f"{name} differs: run python -m bridge.neuron.library"
    assert main(["--check"]) == 0


def test_every_library_file_is_printed_or_listed_as_hand_written():
    names = {path.name for path in mod_files()}
    assert names == set(PRINTED) | set(HAND_WRITTEN)
    assert not set(PRINTED) & set(HAND_WRITTEN)


def test_printed_files_read_back_to_their_mechanisms(tmp_path):
    for name, make in PRINTED.items():
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
