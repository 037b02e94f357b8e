"""The code behind ``bridge validate`` (named apart from the repository's ``validation/``
folder, which holds the cases as data): it reads a validation case (``case``: a reduced
model, its detailed reference, protocols and tolerances with sources), runs its protocols
(``protocols``, ``runner``) and judges each feature against its tolerance (``judge``,
``tolerance``, ``features``, ``agreement``) into a ``result``; besides, the analytic
passive checks (``passive``), impedance measured in a simulator (``impedance``) and the
check of a converted NMODL mechanism against NEURON (``mechanism_check``). The report is
printed by :mod:`bridge.report`."""

from .passive import PassiveCheck, check_passive, measure_input_resistance, measure_time_constant, passive_version

__all__ = ["PassiveCheck", "check_passive", "measure_input_resistance", "measure_time_constant", "passive_version"]
