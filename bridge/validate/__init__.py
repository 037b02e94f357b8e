"""Validation of reduced models: the analytic passive checks (``passive``), validation
cases against detailed references (``case``, ``runner``), the chain reduction that
builds a reduced model from a reference (``reduction``) and trace features (``features``)."""

from .passive import PassiveCheck, check_passive, measure_input_resistance, measure_time_constant, passive_version

__all__ = ["PassiveCheck", "check_passive", "measure_input_resistance", "measure_time_constant", "passive_version"]
