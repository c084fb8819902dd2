"""An "@" in a transcript turn is a social handle only when what follows reads as one: `@SUM(A1:A9)` (a
spreadsheet's formula read out), "@Home Depot" (a shop's name) and "meet @the station" ("@" for "at") were
each flagged as a URL at the "@", and held the transcript at the gate. A handle (`@dana_w87`, or said
aloud: "his insta is at dana underscore w 87") is still found."""

from __future__ import annotations

import pytest

from wei_qual.deid import scan_text


def _urls(text: str) -> list[str]:
    return [f.text for f in scan_text(text) if f.category == "url"]


@pytest.mark.parametrize(
    "text",
    [
        "P07: I put @SUM(A1:A9) in the sheet at the Café and it still came out wrong.",
        "P07: So the formula was =@SUM(B2:B40) and nobody checked it.",
        "P07: We met at the @Home Depot on Route 9 before the shift.",
        "P07: Just meet @ the station around noon, I told him.",
        "P07: I said meet @the station, he went to the wrong one.",
        "P07: She said she was @home the whole night.",
        "P07: I was on insta at 3am again, scrolling.",
    ],
)
def test_an_at_sign_before_a_word_is_no_handle(text):
    assert _urls(text) == []


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("P07: His insta is @dana_w87 if you want to look.", "@dana_w87"),
        ("P07: Tag @officer_t_ruiz, he posts all of it.", "@officer_t_ruiz"),
        ("P07: his insta is at dana underscore w 87 and he posts everything", "dana underscore w 87"),
        ("P07: his insta is at dana_w87.", "dana_w87"),
        ("P07: her snap is kaylee underscore m", "kaylee underscore m"),
    ],
)
def test_a_handle_is_still_found(text, handle):
    assert handle in _urls(text)
