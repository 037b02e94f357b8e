"""A published detailed cell loaded as its authors ship it (issue 13, input): Hay et al.
2011's layer-5 pyramidal cell from its HOC template, morphology and 13 mechanisms, and
clear errors for what can be missing or broken."""

import shutil

import numpy as np
import pytest

from bridge.errors import BridgeError, ModelError
from bridge.neuron.hoc_cell import instantiated
from bridge.references import HocCell, PythonCell, allen_scnn1a, hay_l5pc

#: Hay's step protocol, as measured on this cell by issue 13 (0.95 nA: 13.9 Hz): a short
#: window of it, for the default suite.
STEP_NA, STEP_MS = 0.95, 500.0


def test_hay_cell_builds_from_its_template_and_fires():
    with instantiated(hay_l5pc()) as (h, built):
        counts = {kind: len(sections) for kind, sections in built.sections.items()}
        assert counts == {"soma": 1, "basal": 84, "apical": 109, "axon": 2}
        assert sum(sec.nseg for sections in built.sections.values() for sec in sections) == 642
        soma = built.sections["soma"][0]
        assert {"NaTa_t", "Ca_HVA", "SK_E2"} <= set(soma.psection()["density_mechs"])
        stim = h.IClamp(soma(0.5))
        stim.delay, stim.dur, stim.amp = 100.0, STEP_MS, STEP_NA
        times = h.Vector()
        detector = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
        detector.threshold = -20
        detector.record(times)
        h.dt = 0.025
        h.finitialize(-80)
        h.continuerun(100.0 + STEP_MS)
        spikes = np.array(times.to_python())
        rate = len(spikes[spikes >= 100]) / (STEP_MS / 1000)
        assert 10 <= rate <= 18, rate      # 13.9 Hz over Hay's 2 s step; the first 0.5 s fires faster


def test_the_anatomy_of_hays_cell_is_found_from_its_topology():
    """Segments by region with their parameters: the trunk runs to the main bifurcation,
    obliques branch off it, the tuft lies beyond (where Hay put the calcium hot zone)."""
    from bridge.neuron.cell_anatomy import region_summary, segment_table
    with instantiated(hay_l5pc()) as (h, built):
        table = segment_table(h, built.sections)
        total = sum(seg.area() for sections in built.sections.values() for sec in sections for seg in sec)
    segments = table[~table["end"]]                          # the rest are section ends (no membrane)
    assert len(segments) == 642 and table.area_um2.sum() == pytest.approx(total)
    assert (table[table["end"]].area_um2 == 0).all()
    summary = region_summary(table)
    assert list(summary.index) == ["soma", "basal", "trunk", "oblique", "tuft", "axon"]
    trunk, oblique, tuft = (summary.loc[r] for r in ("trunk", "oblique", "tuft"))
    assert 500 < trunk.to_um < tuft.from_um < 700           # the main bifurcation, about 620 um out
    assert oblique.to_um < tuft.from_um
    assert tuft.gCa_LVAstbar_Ca_LVAst > 10 * trunk.gCa_LVAstbar_Ca_LVAst    # Hay's hot zone
    assert summary.loc["soma"].gNaTa_tbar_NaTa_t == pytest.approx(2.04)      # L5PCbiophys3.hoc
    assert "nao" not in table.columns                                          # ions are not mechanisms


def test_steady_state_resistances_are_measured_directly():
    """Reciprocal (a linear response: R[i, j] = R[j, i]) and linear in the current; the
    soma's input resistance is the 41.3 MOhm a DC step gives, not NEURON's Impedance values
    (53-59 MOhm; see bridge/neuron/cell_impedance.py)."""
    from dataclasses import replace

    from bridge.neuron.cell_impedance import dc_resistance_matrix
    ref = replace(hay_l5pc(), v_init=-80e-3)
    sites = [("soma[0]", 0.5), ("apic[10]", 0.5), ("apic[36]", 0.5)]
    r = dc_resistance_matrix(ref, sites)
    assert np.allclose(r, r.T, rtol=0.01)
    assert 38 < r[0, 0] < 45 and r[1, 1] > r[0, 0]            # thinner dendrite, higher input resistance
    smaller = dc_resistance_matrix(ref, sites[:1], amplitude_na=0.001)
    assert smaller[0, 0] == pytest.approx(r[0, 0], rel=0.01)
    with pytest.raises(ModelError, match="no section 'apic\\[999\\]'"):
        dc_resistance_matrix(ref, [("apic[999]", 0.5)])


def test_missing_or_broken_parts_are_clear_errors(tmp_path):
    cell = hay_l5pc()
    with pytest.raises(ModelError, match="does not exist") as excinfo:
        HocCell((tmp_path / "L5PCtemplate.hoc",), "L5PCtemplate", cell.mod_dir)
    assert excinfo.value.param == "hoc_files"
    with pytest.raises(ModelError, match="no file defines the template 'L5PC'"):
        HocCell(cell.hoc_files, "L5PC", cell.mod_dir, args=("cell1.asc",))
    with pytest.raises(ModelError, match="file 'cell2.asc' does not exist") as excinfo:
        HocCell(cell.hoc_files, "L5PCtemplate", cell.mod_dir, args=("cell2.asc",))
    assert excinfo.value.param == "args"
    with pytest.raises(ModelError, match="holds no .mod files"):
        HocCell(cell.hoc_files, "L5PCtemplate", tmp_path, args=("cell1.asc",))


def test_python_cells_missing_parts_are_clear_errors(tmp_path):
    """Checked when described, before NEURON loads anything (the Allen cell's mechanisms
    must not load in a process that holds Hay's: tests/test_reduce_allen.py)."""
    cell = allen_scnn1a()
    assert cell.args == () and cell.function == "cell" and cell.v_init == pytest.approx(-0.0925, abs=1e-4)
    with pytest.raises(ModelError, match="does not exist") as excinfo:
        PythonCell(tmp_path / "cell.py", cell.mod_dir)
    assert excinfo.value.param == "file"
    (tmp_path / "cell.py").write_text("def make():\n    pass\n")
    with pytest.raises(ModelError, match="defines no function cell()"):
        PythonCell(tmp_path / "cell.py", cell.mod_dir)
    with pytest.raises(ModelError, match="file 'other.swc' does not exist"):
        PythonCell(cell.file, cell.mod_dir, args=("other.swc",))
    with pytest.raises(ModelError, match="holds no .mod files"):
        PythonCell(cell.file, tmp_path)
    found = PythonCell(cell.file, cell.mod_dir, args=("Scnn1a_473845048_m.swc",))
    assert found.args == (str(cell.file.parent / "Scnn1a_473845048_m.swc"),)   # resolved beside the file


def test_a_mod_file_that_does_not_compile_names_file_and_line(tmp_path):
    from bridge.neuron.hoc_cell import load_cell_mechanisms
    mod = tmp_path / "mod"
    mod.mkdir()
    shutil.copy(hay_l5pc().mod_dir / "Ih.mod", mod / "Ih.mod")
    broken = (mod / "Ih.mod").read_text().replace("SUFFIX Ih", "SUFFIX Ih_broken").replace("BREAKPOINT\t{",
                                                                                          "BREAKPOINT\t{\n  ihcn = gIhbar *+ 1")
    (mod / "Ih.mod").write_text(broken)
    line = broken.splitlines().index("  ihcn = gIhbar *+ 1") + 1
    ref = HocCell(hay_l5pc().hoc_files, "L5PCtemplate", mod, args=("cell1.asc",))
    with pytest.raises(BridgeError) as excinfo:
        load_cell_mechanisms(ref)
    assert f"Ih.mod:{line}" in str(excinfo.value)


def test_a_template_defined_again_from_another_file_is_a_clear_error(tmp_path):
    """NEURON cannot define a template twice: a copy of Hay's files in the process that
    built Hay's cell is one error saying so (it was an internal error, exit 3)."""
    with instantiated(hay_l5pc()):
        pass
    shutil.copytree(hay_l5pc().hoc_files[0].parent, tmp_path / "hay")
    copy = HocCell((tmp_path / "hay" / "L5PCbiophys3.hoc", tmp_path / "hay" / "L5PCtemplate.hoc"), "L5PCtemplate",
                   tmp_path / "hay" / "mod", args=("cell1.asc",), celsius=34.0)
    with pytest.raises(ModelError, match="a template cannot be redefined.* run this cell in a new process"):
        with instantiated(copy):
            pass


BAD_TEMPLATE = """begintemplate InsertsWhatIsNotCompiled
public soma, somatic
create soma
objref somatic
proc init() {
    somatic = new SectionList()
    soma {
        L = 20  diam = 20
        insert nosuchmech
    }
}
endtemplate InsertsWhatIsNotCompiled
"""


@pytest.mark.parametrize("given_as", ["template", "python"])
def test_a_mechanism_that_is_not_compiled_is_named_with_the_hoc_line_that_inserts_it(tmp_path, given_as):
    """NEURON prints the cause (``nosuchmech is not a MECHANISM``, its file and line) and
    raises only its outermost line; bridge's error is the cause, where it is, and what to
    do (Mainen and Sejnowski's cell without cad.mod blamed the Python file's call). In a
    process of its own, as a user meets it: a template NEURON stopped parsing leaves its
    sections behind."""
    import subprocess
    import sys
    hoc = tmp_path / "bad_template.hoc"
    hoc.write_text(BAD_TEMPLATE)
    line = BAD_TEMPLATE.splitlines().index("        insert nosuchmech") + 1
    if given_as == "template":
        cell = [str(hoc), "--template", "InsertsWhatIsNotCompiled"]
    else:
        (tmp_path / "cell.py").write_text(f"from neuron import h\n\n\ndef cell():\n    h.load_file({str(hoc)!r})\n"
                                          "    return h.InsertsWhatIsNotCompiled()\n")
        cell = [str(tmp_path / "cell.py")]
    run = subprocess.run([sys.executable, "-m", "bridge", "reduce", *cell, "--celsius", "6.3", "--no-progress",
                          "-o", str(tmp_path / "out")], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    last = run.stderr.strip().splitlines()[-1]
    assert run.returncode == 2 and not (tmp_path / "out").exists(), run.stderr
    assert last.startswith(f"bridge: error: bad_template.hoc:{line}: ") and "nosuchmech is not a MECHANISM" in last
    assert "--mod" in last and "NEURON: nosuchmech is not a MECHANISM" in run.stderr   # NEURON's own lines kept
