"""Validation of reduced models: today the analytic passive checks; the detailed-reference
protocols (c91662, SWC, ball-and-stick) come with the validation issue."""

from .passive import PassiveCheck, check_passive, measure_input_resistance, measure_time_constant, passive_version

__all__ = ["PassiveCheck", "check_passive", "measure_input_resistance", "measure_time_constant", "passive_version"]
