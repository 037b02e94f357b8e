"""The Allen Institute's perisomatic model 472363762 of the Scnn1a-Tg3-Cre cell
473845048 (Allen Cell Types Database; Gouwens et al. 2018), built the way the Institute
describes its perisomatic models: the reconstruction (SWC) with its axon replaced by a
60 um stub, ``1 + 2 * int(L / 40)`` segments per section, the passive properties and the
somatic channel densities of the fit file, and NEURON's defaults elsewhere.

``bridge reduce cell.py --mod mod --v-init -92.49911499023438 -o OUT`` reduces it (README.md); ``cell()`` returns
the instance, whose ``somatic``, ``basal``, ``apical`` and ``axonal`` lists hold its
sections."""

import json
from pathlib import Path

from neuron import h

HERE = Path(__file__).parent
#: SWC section names -> the section lists a cell makes public.
LISTS = {"soma": "somatic", "dend": "basal", "apic": "apical", "axon": "axonal"}
#: The stub that replaces the reconstructed axon: two sections, each 30 um long, 1 um wide.
STUB_LENGTH_UM, STUB_DIAMETER_UM = 30.0, 1.0


class AllenPerisomatic:
    """One instance of the model: ``morphology`` (SWC) with the parameters of ``fit``."""

    def __init__(self, morphology: Path, fit: Path, name: str):
        self.name = name
        h.load_file("import3d.hoc")
        reader = h.Import3d_SWC_read()
        reader.quiet = 1
        reader.input(str(morphology))
        h.Import3d_GUI(reader, False).instantiate(self)
        self._replace_axon()
        for sec in self.all:
            sec.nseg = 1 + 2 * int(sec.L / 40.0)
        self._set_parameters(json.loads(Path(fit).read_text()))
        for kind, listname in LISTS.items():   # the section lists bridge reads
            setattr(self, listname, list(getattr(self, kind)))

    def __str__(self):
        return self.name

    def _replace_axon(self):
        for sec in self.axon:
            h.delete_section(sec=sec)
        self.axon = [h.Section(name=f"axon[{k}]", cell=self) for k in range(2)]
        for sec in self.axon:
            sec.L, sec.diam = STUB_LENGTH_UM, STUB_DIAMETER_UM
        self.axon[0].connect(self.soma[0](0.5))
        self.axon[1].connect(self.axon[0](1))
        self.all = [sec for kind in LISTS for sec in getattr(self, kind)]

    def _set_parameters(self, fit: dict):
        passive = fit["passive"][0]
        cm = {entry["section"]: entry["cm"] for entry in passive["cm"]}
        for kind in LISTS:
            for sec in getattr(self, kind):
                sec.Ra = passive["ra"]
                sec.cm = cm[kind]
                sec.insert("pas")
                for seg in sec:
                    seg.pas.e = passive["e_pas"]
        for gene in fit["genome"]:
            for sec in getattr(self, gene["section"]):
                if gene["mechanism"]:
                    sec.insert(gene["mechanism"])
                setattr(sec, gene["name"], gene["value"])
        for conditions in fit["conditions"]:
            for erev in conditions["erev"]:
                for sec in getattr(self, erev["section"]):
                    for ion in ("ena", "ek"):
                        if ion in erev:
                            setattr(sec, ion, erev[ion])


def cell(morphology: str = "Scnn1a_473845048_m.swc", fit: str = "472363762_fit.json"):
    """A new instance of the model (files relative to this folder unless absolute)."""
    return AllenPerisomatic(HERE / morphology, HERE / fit, name="Scnn1a_473845048")
