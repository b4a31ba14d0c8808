"""Demo data that looks like a Vaud federation's year (`fundflow demo`)."""

from fundflow.demo.loader import load_demo

__all__ = ["load_demo"]
