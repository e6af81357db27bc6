"""Property-based tests: the gate never raises and its spans are always within the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opencen.core.privacy import REASONS, find_personal_data

# Text built from pieces that exercise the detectors (digits, separators, capitals, cues).
_PIECES = st.sampled_from(
    [
        " ",
        "  ",
        "\n",
        ", ",
        ". ",
        "-",
        "/",
        "+",
        "(",
        ")",
        "<",
        "<<",
        "@",
        ".",
        ":",
        "Mr ",
        "M. ",
        "née le ",
        "born ",
        "passport no. ",
        "IBAN ",
        "tel ",
        "rue ",
        "Street",
        "John",
        "SMITH",
        "Marie",
        "Louis Vuitton",
        "MSC",
        "FR76",
        "0612345678",
        "+44",
        "1985",
        "12/03/",
        "AB-123-CD",
        "é",
        "ß",
        "İ",
        "\u00a0",
        "\u200b",
        "\U0001f600",
        "0",
        "9",
    ]
)
_MIXED = st.one_of(st.text(), st.lists(_PIECES, max_size=40).map("".join))


@settings(max_examples=300, deadline=None)
@given(text=_MIXED, lang=st.sampled_from(["en", "fr", "de", "", "EN-gb"]))
def test_never_raises_and_spans_are_valid(text: str, lang: str) -> None:
    findings = find_personal_data(text, lang)
    last_end = -1
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.kind in REASONS
        assert f.reason == REASONS[f.kind]
        assert f.start >= last_end  # sorted, no overlaps
        last_end = f.end


@settings(max_examples=100, deadline=None)
@given(prefix=st.text(max_size=50), suffix=st.text(max_size=50))
def test_email_found_whatever_surrounds_it(prefix: str, suffix: str) -> None:
    text = f"{prefix} jane.doe@example.org {suffix}"
    assert any(f.kind == "email" for f in find_personal_data(text))


# Pieces around the detectors that cut or trim their match (residence cues, comma-separated
# addresses, brackets and separators in phone numbers, PO boxes): the reported text must stay
# the text at the reported position.
_SPAN_PIECES = st.sampled_from(
    [
        " ", "  ", ",", ", ", ",  ", ",\t", ", \n", ".", ";", "(", ")", "((", "-", "/", "+",
        "residing at ", "lives at ", "home address: ", "demeurant au ", "domiciliée à ",
        "12", "4 bis", "rue de la Paix", "Kingsley Road", "in Lyon", "Flat 3", "PO Box 12",
        "CP 47", "CP 1234", "tel ", "phone: ", "(33)", "(0)", "+33 ", "0033 ", "6 ", "06",
        "12 34 56 78", "612345678", "020 7946 0018", "00", "7", "Mr ", "Ali", "KAYA", "Methyl",
        "Ethyl Ether", "\u00a0",
    ]
)  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(pieces=st.lists(_SPAN_PIECES, max_size=30), lang=st.sampled_from(["en", "fr"]))
def test_every_finding_is_the_text_at_its_span(pieces: list[str], lang: str) -> None:
    text = "".join(pieces)
    for f in find_personal_data(text, lang):
        assert f.text == text[f.start : f.end], f
