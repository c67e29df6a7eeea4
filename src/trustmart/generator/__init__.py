"""Synthetic raw Trust & Safety export with known truth.

``generate(GeneratorConfig(out=...))`` writes every table of the raw
contract (docs/raw-contract.md) plus ``truth.json`` and returns the
truth dict. Modules: config (GeneratorConfig), params (the true world),
model (derived rates), clock, objects, activity, exposure, delivery,
badrows, vocabulary (contract or platform codes), formatting, writer,
accounting, truth, run (generate).
"""

from .config import GENERATOR_VERSION, GeneratorConfig
from .run import generate

__all__ = ["GENERATOR_VERSION", "GeneratorConfig", "generate"]
