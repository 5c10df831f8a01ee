"""Fuzz target: PowerPoint decks, as whole packages and as single XML parts.

    .venv/bin/python fuzz/fuzz_pptx.py fuzz/corpus/pptx fuzz/seeds/pptx -max_total_time=600
"""

from __future__ import annotations

import io

import harness
from office_template import fuzzed_input, package_bytes
from pptx import Presentation
from pptx.util import Inches


def template_deck() -> bytes:
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    slide.shapes.add_textbox(Inches(1), Inches(1), Inches(4), Inches(2)).text_frame.text = "Mr Mark Jones"
    slide.notes_slide.notes_text_frame.text = "Notes"
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


TEMPLATE = package_bytes(template_deck())
# The parts the extractor reads first: fuzzing every layout would spread the effort thin.
_FIRST_READ = ("ppt/slides/", "ppt/notesSlides/", "ppt/_rels/", "ppt/presentation.xml", "docProps/")
FUZZED_PARTS = sorted(n for n in TEMPLATE if n.endswith((".xml", ".rels")) and n.startswith(_FIRST_READ))


def one_input(data: bytes) -> None:
    if data:
        harness.check(fuzzed_input(TEMPLATE, FUZZED_PARTS, data), "deck.pptx")


if __name__ == "__main__":
    harness.run(one_input)
