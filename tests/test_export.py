"""Codebook exports (md, csv, docx, qdc) and .qdc import."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import re
import textwrap
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wei_qual.codebook import load_codebook, validate_codebook_file
from wei_qual.codebook.diff import Side, diff_codebooks
from wei_qual.codebook.exchange import import_qdc_file
from wei_qual.codebook.parse import parse_codebook_text
from wei_qual.errors import ExportError
from wei_qual.export import CODEBOOK_EXPORTERS, export_codebook
from wei_qual.export.codebook_md import render_codebook_md
from wei_qual.export.qdc import (
    CODEBOOK_XSD,
    GUID_NAMESPACE,
    code_guid,
    qdc_bytes,
    read_qdc,
    validate_qdc,
    write_qdc,
)
from wei_qual.models import Code, Codebook

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "codebooks" / "minimal.yaml"
FIXTURES = Path(__file__).resolve().parent / "data" / "codebooks"
SCHEMAS = CODEBOOK_XSD.parent  # vendored with their provenance note, README.md beside them

SMALL = textwrap.dedent(
    """\
    name: Small | test
    version: "2"
    description: Two themes.
    codes:
      - id: access
        name: Access
        definition: Getting help.
        children:
          - id: csu
            name: CSU
            definition: Crisis unit.
            include: Drop-offs.
            exclude: Refusals.
            examples: ["We took him in.", "Intake was quick | fine."]
      - id: stance
        name: Stance
        exclusive: true
        children:
          - id: pro
            name: Pro
            examples: {typical: [Yes they help.], atypical: [Sometimes.]}
          - id: con
            name: Con
    """
)


@pytest.fixture
def small():
    return parse_codebook_text(SMALL, "small.yaml").codebook


@pytest.fixture
def minimal():
    return load_codebook(MINIMAL)


def test_registry_names_every_format():
    assert sorted(CODEBOOK_EXPORTERS) == ["csv", "docx", "md", "qdc", "yaml"]


def test_markdown_appendix_has_one_table_per_theme(small):
    assert render_codebook_md(small) == textwrap.dedent(
        """\
        # Small | test

        Version: 2

        Two themes.

        ## Access (`access`)

        Getting help.

        | id | name | definition | include | exclude | examples |
        |---|---|---|---|---|---|
        | `csu` | CSU | Crisis unit. | Drop-offs. | Refusals. | “We took him in.”; “Intake was quick \\| fine.” |

        ## Stance (`stance`)

        | id | name | definition | include | exclude | examples |
        |---|---|---|---|---|---|
        | `pro` | Pro |  |  |  | “Yes they help.”; Atypical: “Sometimes.” |
        | `con` | Con |  |  |  |  |

        Exclusive group: at most one of pro, con per segment.
        """
    )


def test_markdown_keeps_markup_in_examples_as_text():
    # An example quoting a transcript's "<laughs>" lost it when the appendix was rendered (taken for an
    # HTML tag), a definition's "<img onerror=...>" from another team's .qdc ran as HTML, and a BEL went
    # out raw.
    codebook = parse_codebook_text(
        textwrap.dedent(
            """\
            name: Crisis <b>codebook</b>
            version: "1"
            codes:
              - id: csu
                name: CSU
                definition: "See <img src=x onerror=alert(1)> and [the unit](http://tracker.example/p)."
                examples: ["They said no <laughs> \\a not again."]
            """
        ),
        "cb.yaml",
    ).codebook
    text = render_codebook_md(codebook)
    assert text.startswith("# Crisis \\<b>codebook\\</b>\n")
    assert (
        "| `csu` | CSU | See \\<img src=x onerror=alert(1)> and [the unit]\\(http://tracker.example/p). |  |  | "
        "“They said no \\<laughs> \\x07 not again.” |"
    ) in text


def test_markdown_names_nested_codes_by_path(minimal, tmp_path):
    export_codebook(minimal, "md", tmp_path / "cb.md")
    text = (tmp_path / "cb.md").read_text(encoding="utf-8")
    assert "| `stance-mixed` | Stance toward civilian responders › Mixed | The speaker sees both" in text
    assert (
        "`stance`: Exclusive group: at most one of stance-supportive, stance-mixed, stance-opposed per segment."
        in text
    )


def test_csv_has_one_row_per_code(small, tmp_path):
    export_codebook(small, "csv", tmp_path / "cb.csv")
    with (tmp_path / "cb.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [
        (r["id"], r["parent"], r["theme"], r["level"], r["exclusive"], r["exclusive_group"]) for r in rows
    ] == [
        ("access", "", "access", "0", "false", ""),
        ("csu", "access", "access", "1", "false", ""),
        ("stance", "", "stance", "0", "true", ""),
        ("pro", "stance", "stance", "1", "false", "stance"),
        ("con", "stance", "stance", "1", "false", "stance"),
    ]
    assert rows[1]["examples"] == "We took him in.\nIntake was quick | fine."
    assert rows[3]["atypical_examples"] == "Sometimes."


def test_docx_appendix(small, tmp_path):
    import docx

    export_codebook(small, "docx", tmp_path / "cb.docx")
    document = docx.Document(str(tmp_path / "cb.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Small | test", "Access (access)", "Stance (stance)"]
    assert len(document.tables) == 2
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells == [
        ["id", "name", "definition", "include", "exclude", "examples"],
        [
            "csu",
            "CSU",
            "Crisis unit.",
            "Drop-offs.",
            "Refusals.",
            "“We took him in.”\n“Intake was quick | fine.”",
        ],
    ]
    assert [row.cells[0].text for row in document.tables[1].rows] == ["id", "pro", "con"]


def test_export_refuses_a_missing_folder(small, tmp_path):
    with pytest.raises(ExportError) as info:
        export_codebook(small, "md", tmp_path / "nope" / "cb.md")
    assert (
        str(info.value) == f'Folder "{tmp_path / "nope"}" does not exist. Create it, or pass another -o path.'
    )


# ---- QDC ----------------------------------------------------------------------------------------


def _validate_both(data: bytes, xsd: Path) -> None:
    import xmlschema
    from lxml import etree

    xmlschema.XMLSchema(str(xsd)).validate(data)
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    schema.assertValid(etree.fromstring(data))


def test_qdc_validates_against_the_packaged_xsd_with_xmlschema_and_lxml(minimal):
    data = qdc_bytes(minimal)
    _validate_both(data, CODEBOOK_XSD)
    assert validate_qdc(data) == []


def test_the_vendored_schemas_are_the_files_named_in_their_provenance_note():
    note = (SCHEMAS / "README.md").read_text(encoding="utf-8")
    for name in ("Codebook.xsd", "Project.xsd"):
        section = note.split(f"### {name}", 1)[1]
        noted = re.search(r"SHA-256 of the saved file: `([0-9a-f]{64})`", section).group(1)
        assert hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest() == noted
    assert (
        hashlib.sha256(CODEBOOK_XSD.read_bytes()).hexdigest()
        == "bc4706a6fdb736cc3248de1753366f2b1f5b13e6828d319cea2874deb7e61b52"
    )


def test_validate_qdc_catches_what_each_validator_lets_through(minimal):
    good = qdc_bytes(minimal).decode()
    alpha = good.replace('color="#1F77B4"', 'color="#1F77B480"', 1).encode()  # lxml accepts #RRGGBBAA
    assert [e.split(":")[0] for e in validate_qdc(alpha)] == ["xmlschema"]
    no_guid = good.replace('guid="b0158f2a-a22a-595f-b2f5-c2bab73888cd" ', "", 1).encode()
    assert sorted({e.split(":")[0] for e in validate_qdc(no_guid)}) == ["lxml", "xmlschema"]


def test_qdc_guids_are_deterministic_uuid5(minimal, tmp_path):
    export_codebook(minimal, "qdc", tmp_path / "a.qdc")
    export_codebook(minimal, "qdc", tmp_path / "b.qdc")
    assert (tmp_path / "a.qdc").read_bytes() == (tmp_path / "b.qdc").read_bytes()
    assert code_guid("csu") == str(uuid.uuid5(GUID_NAMESPACE, "code:csu"))
    assert uuid.UUID(code_guid("csu")).version == 5
    assert f'guid="{code_guid("csu-admission")}" name="CSU admission"' in (tmp_path / "a.qdc").read_text()


def test_qdc_flattens_include_exclude_examples_into_description(minimal):
    from lxml import etree

    root = etree.fromstring(qdc_bytes(minimal))
    ns = {"q": "urn:QDA-XML:codebook:1.0"}
    code = root.find(".//q:Code[@name='CSU admission']", ns)
    assert code.get("isCodable") == "true"
    assert code.get("color") == "#AEC7E8"
    assert code.find("q:Description", ns).text == (
        "A person in crisis is taken to, or accepted by, a crisis stabilization unit.\n"
        "Include: Drop-offs, intake, the unit accepting someone, how long admission takes.\n"
        "Exclude: The unit refusing someone (use csu-refusal).\n"
        "Examples:\n"
        "- We drove him to the crisis unit and they took him right in.\n"
        "Atypical examples:\n"
        "- Intake at the unit was about twenty minutes that night.\n"
        "Keywords: crisis unit; stabilization unit; drop-off; intake\n"
        'Patterns (spaCy): [[{"LOWER": "crisis"}, {"LOWER": {"IN": ["unit", "center", "centre"]}}]]\n'
        "wei-qual id: csu-admission"
    )
    stance = root.find(".//q:Code[@name='Stance toward civilian responders']", ns)
    assert stance.get("isCodable") == "false"  # parents are headings: coders apply leaf codes
    assert root.find(".//q:Code[@name='Crisis stabilization units']", ns).get("isCodable") == "false"
    members = [m.get("guid") for m in root.findall("q:Sets/q:Set/q:MemberCode", ns)]
    assert members == [code_guid(x) for x in ("stance-supportive", "stance-mixed", "stance-opposed")]


def test_round_trip_export_import_keeps_ids_names_tree_and_fields(minimal, tmp_path):
    export_codebook(minimal, "qdc", tmp_path / "cb.qdc")
    n, warnings = import_qdc_file(tmp_path / "cb.qdc", tmp_path / "back.yaml")
    assert (n, warnings) == (9, [])
    assert validate_codebook_file(tmp_path / "back.yaml") == []  # with spaCy's pattern checks
    back = load_codebook(tmp_path / "back.yaml")
    assert [(c.id, c.name, c.parent) for c in back.codes] == [(c.id, c.name, c.parent) for c in minimal.codes]
    diff = diff_codebooks(Side("a", minimal), Side("b", back))
    assert diff.same_codes, diff.to_json()
    # REFI-QDA has no place for the codebook's own name, label and description.
    assert set(diff.codebook) == {"name", "version", "description"}


def _tree(codebook):
    return [(c.id, c.name, c.parent, c.color) for c in codebook.codes]


def test_import_nvivo_default_namespace_bom_crlf():
    result = read_qdc(FIXTURES / "nvivo.qdc")
    assert _tree(result.codebook) == [
        ("crisis-units", "Crisis units", None, "#1F77B4"),
        ("admission", "Admission", "crisis-units", None),
        ("too-dangerous-to-admit", "Too dangerous to admit", "crisis-units", "#FF7F0E"),
        ("officer-wellbeing", "Officer wellbeing", None, None),
    ]
    assert result.codebook.code("admission").definition == "The unit accepts the person."
    assert result.warnings == [
        "2 code descriptions became definitions; split out include, exclude and examples by hand."
    ]


def test_import_atlasti_prefixed_namespace_and_braced_guids():
    result = read_qdc(FIXTURES / "atlasti.qdc")
    assert _tree(result.codebook) == [
        ("jail-as-fallback", "Jail as fallback", None, "#D62728"),
        ("training", "Training", None, None),
        ("cit-training", "CIT training", "training", None),
    ]


def test_import_maxqda_warns_about_sets_duplicates_and_non_codable_codes():
    result = read_qdc(FIXTURES / "maxqda.qdc")
    assert _tree(result.codebook) == [
        ("rural-constraints", "Rural constraints", None, "#FF0000"),
        ("distance", "Distance", "rural-constraints", "#00FF00"),
        ("staffing", "Staffing", "rural-constraints", None),
        ("staffing-2", "Staffing", "rural-constraints", None),
    ]
    assert result.warnings == [
        '2 codes are named "Staffing": they get the ids staffing, staffing-2.',
        'set "Workforce" (2 codes) was not carried over: wei-qual codebooks have no code sets.',
        (
            "1 code without children is not codable in the source (isCodable=false) but can be applied in "
            "wei-qual: distance."
        ),
    ]


def test_import_qualcoder_without_namespace_warns_about_extras():
    result = read_qdc(FIXTURES / "qualcoder.qdc")
    assert _tree(result.codebook) == [
        ("follow-up-care", "Follow-up care", None, "#9467BD"),
        ("apps-technology", "Apps & technology", None, None),
    ]
    assert result.warnings == [
        'code "apps-technology": colour "purple" is not #RRGGBB and was dropped.',
        "1 code description became definitions; split out include, exclude and examples by hand.",
        "code attributes not carried over: memo.",
        "code elements not carried over: Note.",
    ]


def test_import_codebook_inside_a_project_document():
    result = read_qdc(FIXTURES / "project.qde")
    assert [c.id for c in result.codebook.codes] == ["homelessness", "domestic-violence"]


@pytest.mark.parametrize("name", ["nvivo.qdc", "atlasti.qdc", "maxqda.qdc"])
def test_namespaced_fixtures_are_schema_valid(name):
    assert validate_qdc((FIXTURES / name).read_bytes()) == []


@pytest.mark.parametrize("name", ["nvivo.qdc", "atlasti.qdc", "maxqda.qdc", "qualcoder.qdc", "project.qde"])
def test_every_import_writes_a_valid_codebook(name, tmp_path):
    import_qdc_file(FIXTURES / name, tmp_path / "out.yaml")
    assert validate_codebook_file(tmp_path / "out.yaml") == []


def test_import_errors(tmp_path):
    with pytest.raises(ExportError) as info:
        read_qdc(FIXTURES / "malformed.qdc")
    assert str(info.value) == (
        f'"{FIXTURES / "malformed.qdc"}", line 5, column 11: not well-formed XML (an unescaped < or & in text, or '
        "a damaged file). Export the codebook again as .qdc."
    )
    other = tmp_path / "other.xml"
    other.write_text("<Root><Thing/></Root>")
    with pytest.raises(ExportError) as info:
        read_qdc(other)
    assert str(info.value) == (
        f'"{other}" is not a REFI-QDA codebook: its root element is <Root>, not <CodeBook>. '
        "Export the codebook from your QDA tool as .qdc."
    )
    empty = tmp_path / "empty.qdc"
    empty.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')
    with pytest.raises(ExportError, match="has no <Codes> with codes"):
        read_qdc(empty)
    with pytest.raises(ExportError, match="does not exist or cannot be read"):
        read_qdc(tmp_path / "missing.qdc")


def test_import_does_not_resolve_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    evil = tmp_path / "evil.qdc"
    evil.write_text(
        f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<CodeBook><Codes><Code guid="0a4a7c4e-1b2c-4d3e-8f40-5a6b7c8d9e01" name="A" isCodable="true">'
        "<Description>&x;</Description></Code></Codes></CodeBook>"
    )
    # Never resolved; and since an unresolved entity would silently cut the text, the file is refused.
    with pytest.raises(ExportError, match=r"contains 1 XML entity reference \(") as refused:
        read_qdc(evil)
    assert "TOPSECRET" not in str(refused.value)


STARTER = ROOT / "codebooks" / "wei_crisis_response.yaml"


def test_starter_codebook_round_trips_through_qdc(tmp_path):
    starter = load_codebook(STARTER)
    export_codebook(starter, "qdc", tmp_path / "cb.qdc")
    assert validate_qdc((tmp_path / "cb.qdc").read_bytes()) == []
    import_qdc_file(tmp_path / "cb.qdc", tmp_path / "back.yaml")
    back = load_codebook(tmp_path / "back.yaml")
    assert diff_codebooks(Side("a", starter), Side("b", back)).same_codes


# ---- property: any codebook of ordinary one-line texts survives export -> import ---------------------

_words = (
    st.text(
        alphabet=st.characters(
            codec="utf-8", categories=("L", "N", "P", "Zs"), exclude_characters="\u2028\u2029"
        ),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and not s.startswith(("-", "Include:", "Exclude:")))
)


# A keyword: no ";" (it separates keywords) and no "..." or "…", a slot between words that validation
# wants words on both sides of ("…" alone is no valid keyword).
_keyword_words = _words.filter(lambda w: ";" not in w and "..." not in w and "…" not in w)


@st.composite
def codebooks(draw):
    n_themes = draw(st.integers(1, 3))
    codes = []
    for t in range(n_themes):
        theme = Code(id=f"theme-{t}", name=draw(_words), definition=draw(_words))
        kids = [
            Code(
                id=f"code-{t}-{k}",
                name=draw(_words),
                parent=theme.id,
                definition=draw(_words),
                include=draw(_words),
                exclude=draw(_words),
                examples=tuple(draw(st.lists(_words, max_size=2))),
                atypical_examples=tuple(draw(st.lists(_words, max_size=1))),
                keywords=tuple(draw(st.lists(_keyword_words, max_size=2))),
                exclude_keywords=tuple(draw(st.lists(_keyword_words, max_size=2))),
                color=draw(st.sampled_from([None, "#1F77B4", "#ABCDEF"])),
                draft=draw(st.booleans()),
            )
            for k in range(draw(st.integers(0, 3)))
        ]
        exclusive = len(kids) >= 2 and draw(st.booleans())
        codes += [dataclasses.replace(theme, exclusive=exclusive), *kids]
    return Codebook(name="Generated", version="1", codes=tuple(codes))


@settings(max_examples=15, deadline=None)
@given(codebooks())
def test_any_ordinary_codebook_round_trips_through_qdc(tmp_path_factory, codebook):
    tmp = tmp_path_factory.mktemp("rt")
    write_qdc(codebook, tmp / "cb.qdc")  # validates against the XSD before writing
    import_qdc_file(tmp / "cb.qdc", tmp / "back.yaml")
    back = load_codebook(tmp / "back.yaml")
    assert diff_codebooks(Side("a", codebook), Side("b", back)).same_codes


def test_text_that_starts_like_a_label_comes_back_as_written(tmp_path):
    # The flattened description marks its parts with labels at a line's start. A definition that says
    # "Include: ..." itself, or an include with a line "Keywords: ...", came back split into other fields.
    code = Code(
        id="no-beds",
        name="No beds",
        definition="Include: every refusal.\nPatterns (spaCy):\n\\ a backslash\nwei-qual id: not the id",
        include="refusals\nKeywords: none of these",
        exclude="Exclusive group: at most one of nothing\nExclude keywords: words, not a list",
        keywords=("no beds",),
        exclude_keywords=("no beds for kids", "=no ... bedbugs"),
    )
    codebook = Codebook(name="Generated", version="1", codes=(code,))
    write_qdc(codebook, tmp_path / "cb.qdc")
    import_qdc_file(tmp_path / "cb.qdc", tmp_path / "back.yaml")
    back = load_codebook(tmp_path / "back.yaml").code("no-beds")
    assert back.definition == code.definition
    assert back.include == "refusals Keywords: none of these"  # an include's lines are read as one line
    assert back.exclude == "Exclusive group: at most one of nothing Exclude keywords: words, not a list"
    assert back.keywords == ("no beds",)
    assert back.exclude_keywords == code.exclude_keywords


def test_importing_a_qdpx_as_a_codebook_points_to_project_import(runner, tmp_path):
    import zipfile

    from wei_qual.cli import app

    path = tmp_path / "study.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", "<Project/>")
    result = runner.invoke(app, ["codebook", "import", str(path), "-o", str(tmp_path / "cb.yaml")])
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: "{path}" is a zipped REFI-QDA project (.qdpx), not a codebook (.qdc). Import it with '
        '"wei-qual project import", or export the codebook alone from your QDA tool as .qdc.\n'
    )


def test_import_reads_rich_text_descriptions_as_plain_text(tmp_path):
    # ATLAS.ti's comments and MAXQDA's memos are rich text, written into <Description> as HTML: the tags
    # and "&nbsp;" became the definition, and the Markdown appendix showed "<p>Arrest or <b>jail</b>".
    path = tmp_path / "atlas.qdc"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="11111111-0000-4000-8000-000000000001" name="Jail" isCodable="true"><Description>'
        "&lt;html&gt;&lt;head&gt;&lt;style&gt;p {margin: 0}&lt;/style&gt;&lt;/head&gt;&lt;body&gt;"
        "&lt;p&gt;Arrest or &lt;b&gt;jail&lt;/b&gt;&amp;nbsp;because no unit &amp;amp; no bed.&lt;/p&gt;"
        "&lt;p&gt;Second&lt;br/&gt;line&lt;/p&gt;&lt;/body&gt;&lt;/html&gt;</Description></Code>"
        '<Code guid="11111111-0000-4000-8000-000000000002" name="Laughs" isCodable="true">'
        "<Description>&lt;laughs&gt; marks laughter, as transcribed.</Description></Code>"
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    result = read_qdc(path)
    assert result.codebook.code("jail").definition == "Arrest or jail because no unit & no bed.\nSecond\nline"
    assert result.codebook.code("laughs").definition == "<laughs> marks laughter, as transcribed."
    assert (
        "1 code description was rich text (HTML) and became plain text, paragraphs kept as lines, bold, "
        'colours and links dropped: "Jail".'
    ) in result.warnings


def test_import_reads_every_colour_form_and_an_alpha_first_one(tmp_path):
    # Codebook.xsd allows #RRGGBB and #RGB in either case, as an xsd:token (spaces around it are not part of
    # it); tools built on .NET or Qt write #AARRGGBB, which was dropped with a warning per code.
    # An eight-digit colour in CSS order (#RRGGBBAA, alpha last) was read alpha first: "#1F77B4FF" became
    # "#77B4FF", another colour, said to be "#AARRGGBB".
    forms = [
        "#1f77b4",
        "#abc",
        " #FF7F0E\n",
        "#FF2CA02C",
        "#80D62728",
        "#ffffffff",
        "purple",
        "#1234",
        "#1F77B4FF",
        "#FF1F77FF",
    ]
    codes = "".join(
        f'<Code guid="{uuid.uuid4()}" name="C{i}" isCodable="true" color="{c}"/>' for i, c in enumerate(forms)
    )
    path = tmp_path / "colours.qdc"
    path.write_text(f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{codes}</Codes></CodeBook>')
    result = read_qdc(path)
    assert [c.color for c in result.codebook.codes] == [
        "#1F77B4",
        "#AABBCC",
        "#FF7F0E",
        "#2CA02C",
        "#D62728",
        "#FFFFFF",
        None,
        None,
        "#1F77B4",  # its last two digits FF (opaque), its first not: alpha last
        "#1F77FF",  # FF at both ends: either reading, alpha first as .qdc tools write it, and said
    ]
    assert result.warnings == [
        'code "c6": colour "purple" is not #RRGGBB and was dropped.',
        'code "c7": colour "#1234" is not #RRGGBB and was dropped.',
        (
            "2 colours were #AARRGGBB (alpha first, as some tools write them) and were read as #RRGGBB, "
            "the transparency dropped: c3, c5."
        ),
        (
            "1 colour was #RRGGBBAA (alpha last, the CSS order: its last two digits are FF, opaque) and "
            "was read as #RRGGBB, the transparency dropped: c8."
        ),
        (
            "2 colours have eight digits that read as #AARRGGBB or as #RRGGBBAA alike (both ends FF, or "
            "neither); they were read alpha first, as .qdc tools write them, so check each (the CSS order is "
            'its first six digits): c4 ("#80D62728"), c9 ("#FF1F77FF").'
        ),
    ]


def test_qdc_carries_a_draft_and_a_rename_and_says_what_it_cannot(minimal, tmp_path):
    # REFI-QDA has no field for either: an exported draft came back as a settled code, with no word.
    codes = [
        dataclasses.replace(c, draft=True, definition="")
        if c.id == "csu-refusal"
        else dataclasses.replace(c, renamed_from="co-response")
        if c.id == "co-responder"
        else c
        for c in minimal.codes
    ]
    codebook = dataclasses.replace(minimal, codes=tuple(codes))
    warnings = export_codebook(codebook, "qdc", tmp_path / "cb.qdc")
    assert warnings == [
        (
            "REFI-QDA's .qdc has no place for the codebook's own name, version label and description: cb.qdc holds "
            "its codes only (each code's fields, draft and renamed_from lines are in its Description)."
        )
    ]
    assert validate_qdc((tmp_path / "cb.qdc").read_bytes()) == []
    assert (
        "Draft: created while coding, not yet settled by the lead.\nwei-qual id: csu-refusal"
        in (tmp_path / "cb.qdc").read_text()
    )
    import_qdc_file(tmp_path / "cb.qdc", tmp_path / "back.yaml")
    back = load_codebook(tmp_path / "back.yaml")
    assert [(c.id, c.draft, c.renamed_from) for c in back.codes if c.draft or c.renamed_from] == [
        ("csu-refusal", True, None),
        ("co-responder", False, "co-response"),
    ]
    assert diff_codebooks(Side("a", codebook), Side("b", back)).same_codes


def test_a_code_copied_in_another_tool_with_its_wei_qual_id_line_gets_its_own_id_and_a_warning(
    minimal, tmp_path
):
    # NVivo's copy and paste of a node copies its description, "wei-qual id: csu-admission" line included:
    # the copy got an id from its name, unsaid, and the team's decisions under csu-admission stayed with
    # the original only.
    export_codebook(minimal, "qdc", tmp_path / "cb.qdc")
    xml = (tmp_path / "cb.qdc").read_text(encoding="utf-8")
    original = re.search(r'<Code guid="[^"]+" name="CSU admission"[^>]*>.*?</Code>', xml, re.DOTALL)
    copy = re.sub(r'guid="[^"]+"', f'guid="{uuid.uuid4()}"', original.group(), count=1).replace(
        'name="CSU admission"', 'name="CSU admission (copy)"'
    )
    (tmp_path / "copied.qdc").write_text(
        xml.replace(original.group(), original.group() + copy), encoding="utf-8"
    )
    n, warnings = import_qdc_file(tmp_path / "copied.qdc", tmp_path / "back.yaml")
    assert n == 10
    said = (
        'code "CSU admission (copy)" says its wei-qual id is "csu-admission", but an earlier code has it (the '
        'description was edited, or codes were merged in the other tool): it gets the id "csu-admission-copy". '
        "Decisions made elsewhere under the claimed id do not apply to it."
    )
    assert warnings == [said]
    back = load_codebook(tmp_path / "back.yaml")
    assert back.code("csu-admission").name == "CSU admission"
