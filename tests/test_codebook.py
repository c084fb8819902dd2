"""Codebook parsing and validation: every rule, with its exact line and column."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from wei_qual.codebook import Problem, load_codebook, validate_codebook_file
from wei_qual.codebook.parse import parse_codebook_text
from wei_qual.errors import CodebookError

CODEBOOKS = Path(__file__).resolve().parent.parent / "codebooks"


def problems(yaml_text: str, *, patterns: bool = False) -> list[str]:
    text = textwrap.dedent(yaml_text).lstrip("\n")
    return [str(p) for p in parse_codebook_text(text, "cb.yaml", patterns=patterns).problems]


HEAD = """\
name: Test
version: "1"
codes:
"""


def test_minimal_codebook_is_valid_and_parsed_in_document_order():
    cb = load_codebook(CODEBOOKS / "minimal.yaml")
    assert cb.name == "Minimal crisis-response codebook"
    assert cb.version == "1.0"
    assert [(c.id, c.parent) for c in cb.codes] == [
        ("csu", None),
        ("csu-admission", "csu"),
        ("csu-refusal", "csu"),
        ("civilian-response", None),
        ("co-responder", "civilian-response"),
        ("stance", "civilian-response"),
        ("stance-supportive", "stance"),
        ("stance-mixed", "stance"),
        ("stance-opposed", "stance"),
    ]
    assert cb.exclusive_groups() == {"stance": ["stance-supportive", "stance-mixed", "stance-opposed"]}
    admission = cb.code("csu-admission")
    assert admission.examples == ("We drove him to the crisis unit and they took him right in.",)
    assert admission.atypical_examples == ("Intake at the unit was about twenty minutes that night.",)
    assert admission.keywords == ("crisis unit", "stabilization unit", "drop-off", "intake")
    assert admission.patterns == ([{"LOWER": "crisis"}, {"LOWER": {"IN": ["unit", "center", "centre"]}}],)
    assert admission.color == "#AEC7E8"
    assert admission.line == 14
    assert validate_codebook_file(CODEBOOKS / "minimal.yaml") == []


def test_problem_prints_as_file_line_column_message():
    assert str(Problem("a.yaml", 3, 7, "bad thing.")) == "a.yaml:3:7: bad thing."


def test_yaml_syntax_error_has_line_and_column():
    assert problems("name: x\nversion: 1\ncodes: [\n  {id: a, name: A\n") == [
        (
            "cb.yaml:5:1: YAML syntax error: expected ',' or '}', but got '<stream end>' "
            "(while parsing a flow mapping at line 4, column 3)."
        )
    ]


def test_tab_indentation_is_a_syntax_error():
    assert problems("name: x\n\tversion: 1\n") == [
        "cb.yaml:2:1: YAML syntax error: found character '\\t' that cannot start any token."
    ]


def test_empty_file_and_non_mapping():
    assert problems("") == ["cb.yaml:1:1: the codebook is empty. See docs/codebook.md for the format."]
    assert problems("- a\n- b\n") == [
        "cb.yaml:1:1: the codebook must be a mapping with name, version and codes, not a list."
    ]


def test_missing_and_unknown_top_level_keys():
    assert problems("descripton: typo\n") == [
        'cb.yaml:1:1: codebook: unknown key. Did you mean "description"? Allowed keys: name, version, description, codes.',
        'cb.yaml:1:1: codebook: missing key "name".',
        'cb.yaml:1:1: codebook: missing key "version".',
        'cb.yaml:1:1: codebook: missing key "codes".',
    ]


def test_empty_codebook():
    assert problems("name: x\nversion: 1\ncodes: []\n") == [
        "cb.yaml:3:8: the codebook has no codes. Add at least one under codes."
    ]
    assert problems("name: x\nversion: 1\ncodes:\n") == [
        "cb.yaml:3:1: the codebook has no codes. Add at least one under codes."
    ]


def test_unknown_and_missing_code_keys():
    assert problems(
        HEAD
        + """\
  - id: a
    name: A
    colour: "#FFFFFF"
  - name: No id
  - id: b
"""
    ) == [
        (
            'cb.yaml:6:5: code "a": unknown key. Did you mean "color"? Allowed keys: id, name, definition, include, exclude, '
            "examples, color, keywords, exclude_keywords, patterns, exclusive, children, renamed_from, merged_into, split_into, draft."
        ),
        'cb.yaml:7:5: code 2: missing key "id".',
        'cb.yaml:8:5: code "b": missing key "name".',
    ]


def test_duplicate_key_in_one_code():
    assert problems(HEAD + "  - id: a\n    name: A\n    name: B\n") == [
        'cb.yaml:6:5: code "a": key "name" appears twice. Keep one of them.'
    ]


def test_duplicate_ids_anywhere_in_the_tree():
    assert problems(
        HEAD
        + """\
  - id: theme
    name: Theme
    children:
      - id: a
        name: A
  - id: a
    name: Again
"""
    ) == ['cb.yaml:9:9: duplicate id "a" (first defined on line 7).']


@pytest.mark.parametrize("bad_id", ["Bad", "has space", "1st", "a--b", "trailing-"])
def test_ids_must_be_slugs(bad_id):
    assert problems(HEAD + f'  - id: "{bad_id}"\n    name: X\n') == [
        (
            f'cb.yaml:4:9: code 1: id "{bad_id}" is not a slug. Use lowercase letters, digits, "-" or "_", '
            "starting with a letter."
        )
    ]


@pytest.mark.parametrize("color", ["'#FFF'", "red", "'#12345G'", "'#1234567'"])
def test_bad_colours(color):
    shown = color.strip("'")
    assert problems(HEAD + f"  - id: a\n    name: A\n    color: {color}\n") == [
        f'cb.yaml:6:12: code "a": color "{shown}" is not a #RRGGBB colour, e.g. "#1F77B4".'
    ]


def test_an_eight_digit_colour_names_both_readings():
    # "#1F77B4FF" (CSS, alpha last) was only "not a #RRGGBB colour"; a .qdc's #AARRGGBB reads the other way.
    assert problems(HEAD + "  - id: a\n    name: A\n    color: '#1f77b4ff'\n") == [
        (
            'cb.yaml:6:12: code "a": color "#1f77b4ff" has eight digits, a colour with its transparency, which '
            'a codebook does not keep. Write its six colour digits: "#1F77B4" if the transparency is last (CSS '
            '#RRGGBBAA), "#77B4FF" if it is first (#AARRGGBB).'
        )
    ]


def test_unquoted_colour_is_a_comment_and_gets_a_hint():
    assert problems(HEAD + "  - id: a\n    name: A\n    color: #1F77B4\n") == [
        'cb.yaml:6:5: code "a": color is empty. Quote it, e.g. color: "#1F77B4" (an unquoted # starts a comment).'
    ]


def test_colour_is_normalised_to_upper_case():
    cb = parse_codebook_text(HEAD + '  - id: a\n    name: A\n    color: "#aabbcc"\n', "x").codebook
    assert cb.codes[0].color == "#AABBCC"


def test_wrong_value_types():
    assert problems(
        HEAD
        + """\
  - id: a
    name: [A]
    definition: {x: 1}
    examples: text
    keywords: [ok, '', 3]
    exclusive: maybe
    children: nope
"""
    ) == [
        'cb.yaml:5:11: code "a": name must be text, not a list.',
        'cb.yaml:6:17: code "a": definition must be text, not a mapping.',
        'cb.yaml:7:15: code "a": examples must be a list of text, not text.',
        'cb.yaml:8:20: code "a": keywords: each item must be non-empty text, not text.',
        'cb.yaml:8:24: code "a": keywords: each item must be non-empty text, not a number.',
        'cb.yaml:9:16: code "a": exclusive must be true or false.',
        'cb.yaml:10:15: code "a": children must be a list of codes, not text.',
    ]


def test_examples_typical_and_atypical_with_unknown_key():
    text = HEAD + "  - id: a\n    name: A\n    examples:\n      typical: [one]\n      atypcal: [two]\n"
    assert problems(text) == [
        'cb.yaml:8:7: code "a": examples: unknown key. Did you mean "atypical"? Allowed keys: typical, atypical.'
    ]
    ok = HEAD + "  - id: a\n    name: A\n    examples:\n      typical: [one]\n      atypical: [two]\n"
    code = parse_codebook_text(ok, "x").codebook.codes[0]
    assert (code.examples, code.atypical_examples) == (("one",), ("two",))


def test_exclusive_parent_needs_two_children():
    assert problems(
        HEAD
        + """\
  - id: stance
    name: Stance
    exclusive: true
    children:
      - id: sure
        name: Sure
  - id: lonely
    name: Lonely
    exclusive: true
"""
    ) == [
        'cb.yaml:6:16: code "stance" is exclusive but has 1 child; an exclusive group needs at least two.',
        'cb.yaml:12:16: code "lonely" is exclusive but has 0 children; an exclusive group needs at least two.',
    ]


def test_an_exclusive_group_holds_no_theme():
    # "pro" and "sub-a" (under the child theme "substance") were both applied in one segment, and agree
    # read two coders of "sub-a" and "sub-b" as agreeing on "none" of the stance group.
    assert problems(
        HEAD
        + """\
  - id: stance
    name: Stance
    exclusive: true
    children:
      - id: pro
        name: Pro
      - id: substance
        name: Substance
        children:
          - id: sub-a
            name: A
          - id: sub-b
            name: B
"""
    ) == [
        (
            'cb.yaml:6:16: code "stance" is exclusive but its child "substance" has codes under it; the codes '
            "of an exclusive group are applied, so none can be a theme. Move those codes into the group, or "
            'take "substance" out of it.'
        )
    ]


def test_merged_into_target_must_exist():
    assert problems(
        HEAD
        + """\
  - id: a
    name: A
  - id: old
    merged_into: gone
  - id: self
    merged_into: self
"""
    ) == [
        'cb.yaml:7:18: code "old": merged_into target "gone" is not a code in this codebook.',
        'cb.yaml:9:18: code "self": merged_into names the code itself.',
    ]


def test_merged_code_is_retired_and_needs_no_name():
    parsed = parse_codebook_text(HEAD + "  - id: a\n    name: A\n  - id: old\n    merged_into: a\n", "x")
    assert parsed.problems == []
    assert [c.id for c in parsed.codebook.codes] == ["a"]
    assert parsed.merges == {"old": "a"}


def test_merged_code_cannot_have_children():
    assert problems(
        HEAD
        + "  - id: a\n    name: A\n  - id: old\n    merged_into: a\n    children:\n      - {id: k, name: K}\n"
    ) == ['cb.yaml:8:5: code "old": a code merged into another cannot have children. Move them.']


def test_renamed_from_must_not_still_exist_or_repeat():
    assert problems(
        HEAD
        + """\
  - id: a
    name: A
  - id: b
    name: B
    renamed_from: a
  - id: c
    name: C
    renamed_from: old
  - id: d
    name: D
    renamed_from: old
"""
    ) == [
        'cb.yaml:8:19: code "b": renamed_from "a" is still a code in this codebook.',
        'cb.yaml:14:19: code "d": "old" is already renamed to "c".',
    ]


def test_spacy_rejects_bad_patterns_with_token_positions():
    text = (
        HEAD
        + """\
  - id: a
    name: A
    patterns:
      - [{LOWER: ok}]
      - [{LOWR: x}]
      - []
      - [{LOWER: crisis}, {LOWER: {IN: unit}}]
      - just text
"""
    )
    assert problems(text, patterns=True) == [
        (
            'cb.yaml:8:11: code "a": pattern 2 is not a valid spaCy pattern: token 1 LOWR: Extra inputs are not '
            "permitted."
        ),
        'cb.yaml:9:9: code "a": pattern 3 is not a valid spaCy pattern: it has no tokens.',
        (
            'cb.yaml:10:28: code "a": pattern 4 is not a valid spaCy pattern: token 2 LOWER: Input should be a valid '
            "list."
        ),
        'cb.yaml:11:9: code "a": pattern 5 is not a valid spaCy pattern: it must be a list of token mappings.',
    ]
    assert problems(text, patterns=False) == []  # only validate/load ask spaCy


def test_unquoted_no_in_a_pattern_gets_a_yaml_hint():
    text = HEAD + "  - id: a\n    name: A\n    patterns:\n      - [{LOWER: {IN: [none, no]}}, {LOWER: bed}]\n"
    assert problems(text, patterns=True) == [
        (
            'cb.yaml:7:30: code "a": pattern 1 is not a valid spaCy pattern: token 1 LOWER: Input should be a valid '
            'string. YAML reads an unquoted no as true/false: write "no".'
        )
    ]


def test_a_keyword_slot_needs_words_on_both_sides():
    text = HEAD + "  - id: a\n    name: A\n    keywords: [no ... beds, ... beds, no … … beds, beds …]\n"
    why = (
        '"..." stands for up to two words between two phrases ("no ... beds"). Put words on both sides of it.'
    )
    assert problems(text) == [
        f'cb.yaml:6:29: code "a": keyword "... beds": {why}',
        f'cb.yaml:6:39: code "a": keyword "no … … beds": {why}',
        f'cb.yaml:6:52: code "a": keyword "beds …": {why}',
    ]


def test_an_exact_keyword_needs_words():
    text = HEAD + '  - id: a\n    name: A\n    keywords: ["=housing", "=", "= ... beds"]\n'
    assert problems(text) == [
        'cb.yaml:6:28: code "a": keyword "=": write the words that must match as written after the "=".',
        (
            'cb.yaml:6:33: code "a": keyword "= ... beds": "..." stands for up to two words between two phrases '
            '("no ... beds"). Put words on both sides of it.'
        ),
    ]


def test_patterns_must_be_a_list():
    assert problems(HEAD + "  - id: a\n    name: A\n    patterns: {LOWER: x}\n") == [
        'cb.yaml:6:15: code "a": patterns must be a list of spaCy token patterns, not a mapping.'
    ]


def test_every_problem_is_reported_in_line_order(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: Bad\nversion: 1\ncodes:\n  - id: Bad\n    name: B\n    color: blue\n  - id: x\n    nam: X\n",
        encoding="utf-8",
    )
    got = [str(p) for p in validate_codebook_file(path)]
    assert got == [
        (
            f'{path}:4:9: code 1: id "Bad" is not a slug. Use lowercase letters, digits, "-" or "_", starting '
            "with a letter."
        ),
        f'{path}:6:12: code "Bad": color "blue" is not a #RRGGBB colour, e.g. "#1F77B4".',
        f'{path}:7:5: code "x": missing key "name".',
        (
            f'{path}:8:5: code "x": unknown key. Did you mean "name"? Allowed keys: id, name, definition, include, exclude, '
            "examples, color, keywords, exclude_keywords, patterns, exclusive, children, renamed_from, merged_into, split_into, draft."
        ),
    ]


def test_load_codebook_raises_with_count_and_first_problem(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: Bad\nversion: 1\ncodes:\n  - id: Bad\n    name: B\n    color: blue\n", encoding="utf-8"
    )
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert str(info.value) == (
        f'Codebook "{path}" has 2 problems; the first: {path}:4:9: code 1: id "Bad" is not a slug. Use lowercase '
        f'letters, digits, "-" or "_", starting with a letter. Run "wei-qual codebook validate {path}" to see all.'
    )


def test_unreadable_files(tmp_path):
    with pytest.raises(CodebookError, match='Codebook file ".*nope.yaml" does not exist. Check the path.'):
        load_codebook(tmp_path / "nope.yaml")
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"name: \xff\xfe\n")
    with pytest.raises(CodebookError, match=r"is not UTF-8: line 1, column 7 \(byte 7\)"):
        load_codebook(binary)


def test_a_windows_1252_file_is_refused_naming_the_line_and_column(tmp_path):
    # Notepad's "ANSI" writes "Café “quoted”" as bytes UTF-8 cannot read: the error named only a byte
    # offset, which no editor shows.
    path = tmp_path / "cb.yaml"
    path.write_bytes(HEAD.encode() + "  - id: a\n    name: Café “x”\n".encode("cp1252"))
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert str(info.value) == (
        f'Codebook file "{path}" is not UTF-8: line 5, column 14 (byte 55) holds a character in another '
        "encoding (Windows-1252 curly quotes or accents, perhaps). Re-save the file as UTF-8."
    )


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f"])
def test_a_control_character_is_one_problem_at_its_line_and_column(char):
    # PyYAML's reader error was put at 1:1 and printed over two lines with a character offset.
    found = problems(HEAD + f'  - id: a\n    name: A\n    definition: "ok {char} here"\n')
    message = f"the file holds a control character (U+{ord(char):04X}) that YAML does not allow. Remove it."
    assert found == [f"cb.yaml:6:21: {message}"]


def test_a_name_or_version_on_two_lines_is_one_problem_at_its_place():
    # A name "A\nError: forged" printed a line of its own in "codebook show", "versions" and every message
    # naming the code (a quoted "\n", or a "|" block the author meant as one line).
    text = 'name: "Test\\nError: forged"\nversion: "1"\ncodes:\n  - id: a\n    name: |\n      Access\n      to care\n'
    assert problems(text) == [
        "cb.yaml:1:7: codebook: name holds a line break or a tab. Write it on one line.",
        'cb.yaml:5:11: code "a": name holds a line break or a tab. Write it on one line.',
    ]
    assert (
        problems(HEAD + "  - id: a\n    name: |\n      Access to care\n") == []
    )  # its last line break is no break


def test_yaml_tags_are_refused_safely():
    assert problems("name: !!python/object:os.system x\nversion: 1\ncodes: []\n") == [
        (
            "cb.yaml:1:7: YAML error: could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object:os.system'. Remove the tag."
        )
    ]


def test_yes_and_no_are_booleans_in_yaml_and_must_be_quoted():
    assert problems(HEAD + "  - id: a\n    name: Yes\n") == [
        'cb.yaml:5:11: code "a": name must be text, not true/false. Put it in quotes: "Yes".'
    ]


def test_parsing_without_patterns_does_not_import_spacy(monkeypatch):
    for name in ("spacy", "spacy.matcher", "spacy.vocab"):
        monkeypatch.setitem(sys.modules, name, None)  # any import of spaCy would now fail
    assert load_codebook(CODEBOOKS / "minimal.yaml").name == "Minimal crisis-response codebook"
    with pytest.raises(ImportError):
        validate_codebook_file(CODEBOOKS / "minimal.yaml")  # patterns=True is the spaCy path


STARTER = CODEBOOKS / "wei_crisis_response.yaml"


def test_starter_codebook_is_valid_with_spacy_pattern_checks():
    assert [str(p) for p in validate_codebook_file(STARTER)] == []
    cb = load_codebook(STARTER)
    assert len(cb.children(None)) >= 8
    assert cb.exclusive_groups()


def test_docs_embed_the_minimal_codebook_verbatim():
    docs = (CODEBOOKS.parent / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert "```yaml\n" + (CODEBOOKS / "minimal.yaml").read_text(encoding="utf-8") + "```" in docs


def test_merging_into_a_theme_heading_is_a_problem():
    # Two codes nobody could tell apart "merged into the theme": the decisions then held a heading that
    # the session, packets and imports refuse as a code to apply.
    found = problems(
        HEAD + "  - id: a\n    name: A\n    children:\n      - id: a-one\n        name: One\n"
        "      - id: a-two\n        name: Two\n  - id: b\n    merged_into: a\n"
    )
    message = (
        'code "b": merged_into target "a" is a theme heading (codes are under it), which coders do not apply. '
        "Merge into one of its codes."
    )
    assert found == [f"cb.yaml:12:18: {message}"]


@pytest.mark.parametrize(
    ("bad_id", "shown", "why"),
    [
        (
            "\u0441su",
            "\u0441su",
            '1, "\u0441", is U+0441 CYRILLIC SMALL LETTER ES, not an ASCII letter, though it may look like one',
        ),
        ("é", "é", '1, "é", is U+00E9 LATIN SMALL LETTER E WITH ACUTE, not an ASCII letter'),
        ("csu\u200b-refusal", "csu\\u200b-refusal", "4 is U+200B ZERO WIDTH SPACE, which is invisible"),
        ("csu\u00a0refusal", "csu\\u00a0refusal", "4 is U+00A0 NO-BREAK SPACE, which looks like a space"),
    ],
)
def test_an_id_that_looks_like_a_slug_names_the_character(bad_id, shown, why):
    # A coder types ids in the session and in CSVs: the message said only 'id "сsu" is not a slug', which
    # looks like a slug, or showed nothing at all where the zero-width space is.
    assert problems(HEAD + f'  - id: "{bad_id}"\n    name: X\n') == [
        (
            f'cb.yaml:4:9: code 1: id "{shown}" is not a slug: its character {why}. Use lowercase letters, digits, '
            '"-" or "_", starting with a letter.'
        )
    ]


def test_a_name_that_looks_like_another_is_warned_with_its_line():
    text = (
        'name: t\nversion: "1"\ncodes:\n  - id: mixed\n    name: "M\u0456xed"\n'
        '  - id: opposed\n    name: "Opp\u200bosed"\n  - id: moscow\n    name: "Москва city"\n'
    )
    parsed = parse_codebook_text(text, "cb.yaml", patterns=False)
    assert parsed.problems == []
    assert [str(p) for p in parsed.warnings] == [
        (
            'cb.yaml:5:11: warning: code "mixed": its name mixes Cyrillic and Latin letters in one word (character 2 '
            "is U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I), so it looks like a name it is not. Retype "
            "that word."
        ),
        (
            'cb.yaml:7:11: warning: code "opposed": its name holds U+200B ZERO WIDTH SPACE (character 4), which is '
            "invisible, so it looks like a name it is not. Remove it."
        ),
    ]


def test_exclude_keywords_are_read_and_checked_like_keywords():
    text = HEAD + (
        "  - id: jail\n    name: Jail diversion\n    keywords: [jail]\n"
        '    exclude_keywords: [jail cell phone, "=crisis line", "=", ... number, 7]\n'
    )
    parsed = parse_codebook_text(text, "cb.yaml")
    assert [str(p) for p in parsed.problems] == [
        'cb.yaml:7:57: code "jail": exclude keyword "=": write the words that must match as written after the "=".',
        (
            'cb.yaml:7:62: code "jail": exclude keyword "... number": "..." stands for up to two words between two '
            'phrases ("no ... beds"). Put words on both sides of it.'
        ),
        'cb.yaml:7:74: code "jail": exclude_keywords: each item must be non-empty text, not a number.',
    ]
    good = (
        HEAD + "  - id: jail\n    name: Jail\n    keywords: [jail]\n    exclude_keywords: [jail cell phone]\n"
    )
    assert parse_codebook_text(good, "cb.yaml").codebook.code("jail").exclude_keywords == ("jail cell phone",)
    alone = HEAD + "  - id: jail\n    name: Jail\n    exclude_keywords: [jail cell phone]\n"
    assert [str(p) for p in parse_codebook_text(alone, "cb.yaml").warnings] == [
        (
            'cb.yaml:6:5: warning: code "jail": exclude_keywords exclude nothing without keywords or patterns: '
            "suggest does not propose this code at all."
        )
    ]
    same = HEAD + "  - id: jail\n    name: Jail\n    keywords: [jail]\n    exclude_keywords: [Jail]\n"
    assert [str(p) for p in parse_codebook_text(same, "cb.yaml").warnings] == [
        (
            'cb.yaml:7:5: warning: code "jail": "Jail" is both a keyword and an exclude keyword, so it never suggests '
            "the code. Keep it in one list."
        )
    ]
    # A codebook from before them: none
    old = HEAD + "  - id: jail\n    name: Jail\n    keywords: [jail]\n"
    assert parse_codebook_text(old, "cb.yaml").codebook.code("jail").exclude_keywords == ()


def test_exclude_as_a_list_points_to_exclude_keywords():
    # "exclude" is the coders' text on when not to use a code; a list there was meant for suggest.
    text = HEAD + "  - id: jail\n    name: Jail\n    exclude: [jail cell phone]\n"
    assert problems(text) == [
        (
            'cb.yaml:6:14: code "jail": exclude is text for coders (when not to use the code), not a list. Phrases '
            "that must not make suggest propose the code go under exclude_keywords."
        )
    ]
