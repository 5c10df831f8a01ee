"""Exact-data matching of a document's text against the keyed-hash index.

Each segment is cut into normal-form tokens; every run of tokens up to MAX_KEY_CHARS long
that starts with a word some value starts with is hashed with the index key and looked up in
a dict. The work grows with the document, not with the index. What is found is a ``Sighting``
(evidence.py); all sightings are read once into the document's ``Evidence``, and each is then
resolved to one person (or case) by the resolver of its strength (resolvers.py). The result,
an ``Attribution``, is computed once per scan and passed to whatever else needs it (the
addressee reader), so the matcher runs once per document.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ..model import Segment
from .compiled import MAX_KEY_CHARS, IndexData, Kind, Refs, Strength, born_key, email_key
from .evidence import Evidence, People, Ref, Sighting, gather
from .match_keys import LETTERS_ONLY, TurnShape, parse_uk_date, tokens, turn_shape
from .resolvers import Match, resolve

_EMAIL_CHAR = re.compile(r"[A-Za-z0-9._%+\-]")

Surnames = dict[tuple[int, int], list[tuple[int, ...]]]


@dataclass(frozen=True)
class Attribution:
    """Every known value found in one document, resolved to whose it is, and the evidence
    it was resolved on (which people and cases the document names)."""

    matches: tuple[Match, ...]
    evidence: Evidence
    sightings: tuple[Sighting, ...] = ()  # what the matcher saw, before resolving
    surnames: Surnames = field(default_factory=dict)

    def made_from(self, segments: Sequence[Segment]) -> bool:
        """Whether this attribution was made from these segments."""
        return self.evidence.texts == tuple(s.text for s in segments)


class Matcher:
    """Finds the known values of the index in a document and resolves each to whose it is."""

    def __init__(self, data: IndexData) -> None:
        self.data = data
        self.people = People(data.members, len(data.cases))
        self._kind_index = {k.name: i for i, k in enumerate(data.kinds)}

    # -- lookups ---------------------------------------------------------------------------

    def lookup(self, normal_form: str) -> Refs:
        return self.data.table.get(self.data.mac(normal_form), ())

    def targets(self, normal_form: str, kind: str) -> tuple[int, ...]:
        ki = self._kind_index.get(kind)
        return next((ts for k, ts in self.lookup(normal_form) if k == ki), ())

    # -- scanning --------------------------------------------------------------------------

    def sightings(self, segments: Sequence[Segment]) -> tuple[list[Sighting], Surnames]:
        """Every run of tokens whose keyed hash is in the index, verified, and where each
        person's surname stands (for "Lily and Sarah Smith").

        A run is only extended past its first word if some known value starts with that word
        (or the word holds a digit): most words of a letter start nothing, and skipping them
        keeps the number of hashes near one per word. A run that turns from a digit to a
        letter where no value does ("120983647has...", a passport number and the words after
        it) stops there (match_keys.turns): that halves the hashes of a letter.
        """
        table = self.data.table
        kinds = self.data.kinds
        mac = self.data.mac
        out: list[Sighting] = []
        surnames: Surnames = defaultdict(list)
        # A word or a turn met again in the same document is not hashed again (one word in
        # eight on letters); kept for this call only, so no document's words outlive its scan.
        looked_up: dict[str, Refs | None] = {}

        def lookup(normal_form: str) -> Refs | None:  # for the turns; inlined for words below
            if normal_form not in looked_up:
                looked_up[normal_form] = table.get(mac(normal_form))
            return looked_up[normal_form]

        turn_marks, turn_kind = self.data.turn_marks, self._kind_index.get("turn")
        gbase = 0
        for si, seg in enumerate(segments):
            text = seg.text
            toks = tokens(text)
            count = len(toks)
            # turn_shape's first test inlined: this runs on every word of a scan.
            shapes = [LETTERS_ONLY if t[0].isalpha() else turn_shape(t[0]) for t in toks]
            for i in range(count):
                if shapes[i] is LETTERS_ONLY:
                    word = toks[i][0]
                    if word not in looked_up:
                        looked_up[word] = table.get(mac(word))
                    if not looked_up[word]:
                        continue  # no value starts with this word: no run starts here
                acc = ""
                for j in range(i, count):
                    base = len(acc)
                    acc += toks[j][0]
                    if len(acc) > MAX_KEY_CHARS:
                        break
                    after_digit = j > i and shapes[j - 1][2]
                    if (turn_marks and (after_digit or shapes[j] is not LETTERS_ONLY)
                            and not _turns_kept(lookup, turn_kind, acc, base, shapes[j], after_digit)):
                        break  # no value starts with this run: it turns where none does
                    if j == i:
                        if acc not in looked_up:
                            looked_up[acc] = table.get(mac(acc))
                        raw = looked_up[acc]
                    else:
                        raw = table.get(mac(acc))
                    if not raw:
                        if j == i and acc.isalpha():
                            break
                        continue
                    start, end = toks[i][1], toks[j][2]
                    refs = self._verified(text, start, end, [(kinds[k], ts) for k, ts in raw])
                    if not refs:
                        continue
                    for kind, ts in refs:
                        if kind.name == "name-last":
                            surnames[(si, i)].append(ts)
                        elif kind.name == "phone" and start > 0 and text[start - 1] == "+":
                            start -= 1  # "+44 7700 900456": the plus is part of the number
                    out.append(Sighting(si, i, j + 1, start, end, gbase + start, tuple(refs)))
            gbase += len(text) + 2
        return _drop_contained(out), surnames

    def _verified(self, text: str, start: int, end: int, refs: list[tuple[Kind, tuple[int, ...]]]) -> list[Ref]:
        """Drop refs whose normal-form match is not the value as written: an email must be
        the whole address, spelled exactly; a date must be that date read day-first."""
        out: list[Ref] = []
        span = text[start:end]
        for kind, ts in refs:
            if kind.strength is Strength.EXACT:
                continue
            if kind.name == "email":
                if not _whole_email(text, start, end):
                    continue
                exact = set(self.targets(email_key(span), "email-exact"))
                ts = tuple(t for t in ts if t in exact)
            elif kind.name == "born":
                born = {t for d in parse_uk_date(span) for t in self.targets(born_key(d.isoformat()), "born-check")}
                ts = tuple(t for t in ts if t in born)
            if ts:
                out.append((kind, ts))
        return out

    # -- resolving -------------------------------------------------------------------------

    def attribution(self, segments: Sequence[Segment]) -> Attribution:
        """Every known value in the segments, each resolved to its person (or case) by the
        resolver of its strength, on the evidence of the whole document."""
        sightings, surnames = self.sightings(segments)
        return self._resolved(sightings, surnames, segments)

    def attribution_within(self, whole: Attribution, segments: Sequence[Segment],
                           part: Sequence[Segment]) -> Attribution | None:
        """The attribution of ``part``, segments whose texts are an unbroken run of those of
        the ``segments`` that ``whole`` was made from (an attached document's), as
        ``attribution(part)`` would make it: a segment's sightings depend on its text alone,
        so they are taken from ``whole`` and only the evidence is gathered again, from the
        part. None if ``part``'s texts are no such run."""
        texts = [seg.text for seg in part]
        if not texts or not whole.made_from(segments):
            return None
        first = _run_start(whole.evidence.texts, texts)
        if first is None:
            return None
        last = first + len(texts)
        starts = [0]  # each segment's place in the part's text as a whole, as sightings() counts it
        for text in texts[:-1]:
            starts.append(starts[-1] + len(text) + 2)
        sightings = [replace(s, seg=s.seg - first, gpos=starts[s.seg - first] + s.start)
                     for s in whole.sightings if first <= s.seg < last]
        surnames: Surnames = defaultdict(list)
        for (si, ti), found in whole.surnames.items():
            if first <= si < last:
                surnames[(si - first, ti)] = list(found)
        return self._resolved(sightings, surnames, part)

    def _resolved(self, sightings: list[Sighting], surnames: Surnames, segments: Sequence[Segment]) -> Attribution:
        evidence = gather(sightings, surnames, [seg.text for seg in segments], self.people)
        matches = (resolve(s, evidence) for s in sightings)
        return Attribution(tuple(m for m in matches if m is not None), evidence, tuple(sightings), surnames)


_RUN_TRIES = 64  # places that open like the run, tried before the matcher is run instead


def _turns_kept(lookup: Callable[[str], Refs | None], turn_kind: int | None, acc: str, base: int,
                shape: TurnShape, after_digit: bool) -> bool:
    """Every turn of the run ``acc`` at or after ``base`` (where its last token, of ``shape``,
    begins) is a turn of some value in the index; ``after_digit``: the token before it ends
    with a digit, so a letter at ``base`` is a turn too."""
    inner, letter_first, _ = shape
    if after_digit and letter_first and not _a_turn(lookup(acc[: base + 1]), turn_kind):
        return False
    return all(_a_turn(lookup(acc[: base + t + 1]), turn_kind) for t in inner)


def _a_turn(refs: Refs | None, turn_kind: int | None) -> bool:
    return refs is not None and any(k == turn_kind for k, _ in refs)


def _run_start(texts: Sequence[str], run: Sequence[str]) -> int | None:
    """Where ``run`` stands, unbroken, in ``texts`` (any such place: equal texts have equal
    sightings). None past _RUN_TRIES false starts, so a message of thousands of equal texts
    costs the matcher's run, not a search of every place."""
    tries = 0
    for i in range(len(texts) - len(run) + 1):
        if texts[i] != run[0]:
            continue
        if list(texts[i:i + len(run)]) == list(run):
            return i
        tries += 1
        if tries >= _RUN_TRIES:
            return None
    return None


def _drop_contained(sightings: list[Sighting]) -> list[Sighting]:
    """Keep the longest value: a postcode inside a whole address, or "Sarah" inside
    "Sarah Smith", is part of the longer match, not a second one. A shorter value that needs
    less evidence than the longer one around it is kept."""
    by_seg: dict[int, list[Sighting]] = defaultdict(list)
    for s in sightings:
        by_seg[s.seg].append(s)
    kept: list[Sighting] = []
    for in_seg in by_seg.values():
        in_seg.sort(key=lambda s: (-(s.end - s.start), s.start))
        chosen: list[Sighting] = []
        for s in in_seg:
            if any(c.start <= s.start and s.end <= c.end and c.strength.at_least(s.strength) for c in chosen):
                continue
            chosen.append(s)
        kept.extend(chosen)
    kept.sort(key=lambda s: (s.seg, s.start, -s.end))
    return kept


def _whole_email(text: str, start: int, end: int) -> bool:
    """The span is a whole email address, not a piece of a longer one."""
    if "@" not in text[start:end]:
        return False
    if start > 0 and _EMAIL_CHAR.match(text[start - 1]):
        return False
    after = text[end : end + 2]
    return not (after[:1] in ("@", "-", "_") or (after[:1] == "." and after[1:2].isalnum()) or after[:1].isalnum())
