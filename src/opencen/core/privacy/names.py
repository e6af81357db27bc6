"""Person names: tokenizer, runs of capitalised words, and the three rules that accept a run.

Rules, strongest first: a title before the run ("Mr", "Mme"); a naming cue or role noun before
it ("named", "the driver,"); the gazetteer ("given name + surname", "SURNAME Given"). Brands,
places, vessels and companies are then taken out. See ``docs/privacy.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from opencen.core.privacy.findings import Finding, finding
from opencen.core.privacy.lexicon import (
    AMBIGUOUS_BRANDS,
    BRAND_CONTEXT,
    BRAND_CONTEXT_RIGHT,
    BRAND_LEFT,
    COMPANY_FORMS,
    COMPANY_SUFFIX,
    NAMING_CUES,
    NATIONALITIES,
    NON_PERSON_PREV,
    PARTICLES,
    PLACE_LEFT,
    PLACE_RIGHT,
    PRODUCT_WORDS,
    ROLE_MODIFIERS,
    ROLE_WORDS,
    SHIPPING_TOKENS,
    TITLES,
    UPPER_ACRONYMS,
    VESSEL_LEFT,
    Lexicon,
    norm,
    phrase_index,
)

_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*(?:['\u2019]s)?\.?")


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int  # end of the word without a trailing dot
    word: str
    dot: bool


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text):
        w = m.group()
        dot = w.endswith(".")
        if dot:
            w = w[:-1]
        out.append(_Tok(m.start(), m.start() + len(w), w, dot))
    return out


def _is_cap(tok: _Tok) -> bool:
    return tok.word[:1].isupper()


def _gap_ok(text: str, a: _Tok, b: _Tok) -> bool:
    gap = text[a.end : b.start]
    if a.dot:
        return gap in (". ", ".", ".\u00a0") and len(a.word) <= 2
    return gap in (" ", "\u00a0", "  ")


def _runs(text: str, toks: Sequence[_Tok]) -> Iterator[list[int]]:
    """Yield maximal runs of capitalised tokens (indices), allowing name particles inside."""
    run: list[int] = []
    for i, t in enumerate(toks):
        if run and not _gap_ok(text, toks[run[-1]], t):
            yield from _trim(run, toks)
            run = []
        if _is_cap(t) or (run and t.word.lower() in PARTICLES):
            run.append(i)
        else:
            yield from _trim(run, toks)
            run = []
    yield from _trim(run, toks)


def _trim(run: list[int], toks: Sequence[_Tok]) -> Iterator[list[int]]:
    while run and not _is_cap(toks[run[-1]]):
        run = run[:-1]
    if run:
        yield run


def _left_words(text: str, start: int, n: int) -> list[str]:
    left = text[max(0, start - 60) : start]
    return [w.casefold() for w in re.findall(r"[\w/'\u2019&.-]+", left)][-n:]


def _right_word(text: str, end: int) -> str:
    m = re.match(r"[\s\"'\u2019”»)]*(-?[\w/&.'-]+)", text[end : end + 40])
    return m.group(1).casefold().rstrip(".") if m else ""


def _safe_spans(text: str, toks: Sequence[_Tok]) -> list[tuple[int, int]]:
    """Spans that are brands or places: no person name may overlap them."""
    spans: list[tuple[int, int]] = []
    index = phrase_index()
    low_text = text.lower()
    if len(low_text) != len(text):  # rare characters whose lower case changes length
        low_text = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for tok in toks:
        starts = [tok.start] + [tok.start + i + 1 for i, c in enumerate(tok.word) if c == "-"]
        for start in starts:
            first = re.split(r"[\-'\u2019.]", low_text[start : tok.end], maxsplit=1)[0]
            for phrase, brand in index.get(first, ()):
                end = start + len(phrase)
                if low_text[start:end] != phrase or (end < len(text) and text[end].isalnum()):
                    continue
                if brand and phrase in AMBIGUOUS_BRANDS and not _brand_context(text, start, end):
                    continue
                spans.append((start, end))
                break
    return spans


def _brand_context(text: str, start: int, end: int) -> bool:
    left = text[max(0, start - 30) : start]
    right = text[end : end + 30]
    return bool(BRAND_CONTEXT.search(left.split(".")[-1]) or BRAND_CONTEXT_RIGHT.match(right))


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def find_names(text: str) -> list[Finding]:
    """Person names in ``text``."""
    toks = _tokens(text)
    if not toks:
        return []
    lex = Lexicon()
    safe = _safe_spans(text, toks)
    found: list[tuple[int, int]] = []

    def accept(i: int, j: int, *, strong_cue: bool) -> None:
        s, e = toks[i].start, toks[j - 1].end
        if toks[j - 1].dot and len(toks[j - 1].word) == 1:
            e += 1
        if _overlaps((s, e), safe):
            return
        rw = _right_word(text, e)
        raw_right = text[e : e + 12].lstrip(" ,")
        if rw in COMPANY_SUFFIX or raw_right.split(" ")[0].rstrip(",;:") in COMPANY_FORMS:
            return
        if not strong_cue:
            if rw in PRODUCT_WORDS:
                return
            left = _left_words(text, s, 3)
            if any(w in BRAND_LEFT for w in left) or (left and left[-1] in NON_PERSON_PREV):
                return
            if VESSEL_LEFT.search(text[max(0, s - 40) : s]):
                return
        if PLACE_LEFT.search(text[max(0, s - 40) : s]) or PLACE_RIGHT.match(text[e : e + 30]):
            return
        if any(toks[k].word in SHIPPING_TOKENS for k in range(max(0, i - 2), j)):
            return
        found.append((s, e))

    for run in _runs(text, toks):
        k = 0
        while k < len(run):
            i = run[k]
            tok = toks[i]
            before = text[max(0, tok.start - 60) : tok.start]
            # 1. a title right before the run: "Mr Smith", "Mme DUPONT", "M. Jean Martin"
            title_cue = tok.word in TITLES or ((tok.word + ".") in TITLES and tok.dot)
            if title_cue and k + 1 < len(run):
                end = _extend(run, k + 1, toks, lex, max_len=4)
                if end > k + 1:
                    accept(i, run[end - 1] + 1, strong_cue=True)
                    k = end
                    continue
            # 2. a naming cue or role noun right before: "named Ali Kaya", "the driver, Ali Kaya"
            cue = bool(NAMING_CUES.search(before)) or _role_before(text, tok.start)
            if cue:
                end = _extend(run, k, toks, lex, max_len=4)
                n = end - k
                if n >= 2 or (
                    n == 1
                    and (
                        lex.is_given(tok.word)
                        or lex.is_family(tok.word)
                        or (tok.word.isupper() and len(tok.word) > 2)
                    )
                    and not lex.is_stop(tok.word)
                ):
                    accept(i, run[end - 1] + 1, strong_cue=True)
                    k = end
                    continue
            # 3. gazetteer: given name + surname, SURNAME Given, Surname Given
            end = _extend(run, k, toks, lex, max_len=4)
            if end - k >= 2 and _looks_like_name([toks[run[x]].word for x in range(k, end)], lex):
                accept(i, run[end - 1] + 1, strong_cue=False)
                k = end
                continue
            k += 1
    return [finding("person_name", s, e, text[s:e]) for s, e in found]


def _extend(run: list[int], k: int, toks: Sequence[_Tok], lex: Lexicon, max_len: int) -> int:
    """Index (in run) after the longest name-like stretch starting at run[k]."""
    end = k
    count = 0
    while end < len(run) and count < max_len:
        w = toks[run[end]].word
        if w.lower() in PARTICLES and not w[:1].isupper():
            if end + 1 < len(run):
                end += 1
                continue
            break
        if lex.is_stop(w) or w in TITLES:
            break
        end += 1
        count += 1
    while end > k and toks[run[end - 1]].word.lower() in PARTICLES:
        end -= 1
    return end


def _looks_like_name(words: list[str], lex: Lexicon) -> bool:
    first, last = words[0], words[-1]
    if lex.strong_given(first):
        return lex.name_score(last) >= 1 and (
            lex.is_family(last) or lex.is_given(last) or not lex.is_common(last)
        )
    if lex.is_given(first) and len(norm(first)) > 1:  # weak given name ("Mark", "Rose")
        rest = words[1:]
        return lex.name_score(last) >= 1 and any(
            lex.name_score(w) == 2 and (lex.is_family(w) or lex.is_given(w)) for w in rest
        )
    if first.isupper() and len(first) > 2 and first not in UPPER_ACRONYMS:
        # "DIALLO Mamadou", "KONE Ibrahim Aziz"
        return any(lex.strong_given(w) for w in words[1:]) and not lex.is_common(first)
    if lex.is_family(first) and not lex.is_common(first) and len(words) == 2:
        return lex.strong_given(last) and not last.isupper() and not lex.is_stop(first)
    return False


def _role_before(text: str, start: int) -> bool:
    """True if a role noun ("passenger", "le conducteur") closes the text before ``start``."""
    left = text[max(0, start - 50) : start]
    words = re.findall(r"[\w\u2019'-]+|[,:(]", left)
    if not words:
        return False
    # allow: role [nationality|adjective] [,|:] Name
    idx = len(words) - 1
    if words[idx] in (",", ":", "("):
        idx -= 1
    for _ in range(2):
        if idx < 0:
            return False
        if words[idx].isupper() and len(words[idx]) > 1:  # "MAN TGX" is a truck model
            return False
        w = words[idx].casefold()
        if w in ROLE_WORDS:
            return True
        if w in NATIONALITIES or w in ROLE_MODIFIERS:
            idx -= 1
            continue
        return False
    return False
