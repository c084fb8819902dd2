"""OpenDocument (.odt) transcripts, built as LibreOffice writes them: the mimetype stored first, a manifest,
meta.xml naming the author, and content.xml with automatic styles, a tracked-changes region, `text:s`,
`text:tab`, `text:line-break`, spans, footnotes, comments, lists and tables. Read as a .docx is: labels,
a speaker table, tracked changes accepted with a warning; the PII gate and deid read the same text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from _word import damage

from wei_qual.cli import app
from wei_qual.errors import TranscriptError
from wei_qual.ingest import parse_transcript

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)
STYLES = (
    "<office:automatic-styles>"
    '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Standard"/>'
    "</office:automatic-styles>"
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def settings_xml(view_width: int) -> str:
    """settings.xml's view settings as LibreOffice 7 writes them (the rest of its settings left out)."""
    items = (
        ("ViewAreaTop", 0),
        ("ViewAreaLeft", 0),
        ("ViewAreaWidth", view_width),
        ("ViewAreaHeight", 0 if not view_width else 18141),
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-settings '
        'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.3"><office:settings>'
        '<config:config-item-set config:name="ooo:view-settings">'
        + "".join(
            f'<config:config-item config:name="{k}" config:type="long">{v}</config:config-item>'
            for k, v in items
        )
        + '<config:config-item config:name="ShowRedlineChanges" config:type="boolean">true</config:config-item>'
        "</config:config-item-set></office:settings></office:document-settings>"
    )


def make_odt(
    path: Path,
    body: str,
    *,
    content: str | None = None,
    automatic: str = STYLES,
    styles: str | None = None,
    page_count: int | None = None,
    view_width: int = 41954,
) -> Path:
    """Write an .odt whose office:text holds `body` (or whose content.xml is `content`), its automatic
    styles `automatic`; with `styles`, a styles.xml holding those named styles; with `page_count`, the
    layout LibreOffice saved: the page count in meta.xml, `text:use-soft-page-breaks` on the body and
    settings.xml with the width of the window it was saved from (`view_width`; 0 when none showed it,
    as `soffice --headless --convert-to odt` saves it)."""
    soft = ' text:use-soft-page-breaks="true"' if page_count is not None else ""
    xml = content or (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES} office:version="1.3">'
        f"<office:scripts/>{automatic}<office:body><office:text{soft}>"
        '<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/>'
        f"</text:sequence-decls>{body}</office:text></office:body></office:document-content>"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {NAMESPACES}><office:meta>'
        "<dc:creator>Dana Whitfield</dc:creator><meta:generator>LibreOffice/7.6</meta:generator>"
        + (
            f'<meta:document-statistic meta:table-count="1" meta:page-count="{page_count}" '
            'meta:paragraph-count="9" meta:word-count="120"/>'
            if page_count is not None
            else ""
        )
        + "</office:meta></office:document-meta>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("content.xml", xml)
        archive.writestr("meta.xml", meta)
        if page_count is not None:  # saved from a window: its view settings, as LibreOffice writes them
            archive.writestr("settings.xml", settings_xml(view_width))
        if styles is not None:
            archive.writestr(
                "styles.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {NAMESPACES} '
                f'office:version="1.3"><office:styles>{styles}</office:styles></office:document-styles>',
            )
    return path


REVIEWED = (
    '<text:tracked-changes text:track-changes="false">'
    '<text:changed-region xml:id="ct1" text:id="ct1"><text:deletion><office:change-info>'
    "<dc:creator>Reviewer</dc:creator><dc:date>2024-03-01T10:00:00</dc:date></office:change-info>"
    "<text:p>an hour</text:p></text:deletion></text:changed-region>"
    '<text:changed-region xml:id="ct2" text:id="ct2"><text:insertion><office:change-info>'
    "<dc:creator>Reviewer</dc:creator><dc:date>2024-03-01T10:00:00</dc:date></office:change-info>"
    "</text:insertion></text:changed-region></text:tracked-changes>"
    '<text:h text:style-name="Heading_20_1" text:outline-level="1">Interview KP41 (fictional)</text:h>'
    '<text:p text:style-name="P1"><text:span text:style-name="T1">Interviewer:</text:span> How long is '
    "the<text:s/> wait at the unit?</text:p>"
    '<text:p text:style-name="P1"><text:span text:style-name="T1">KP41:</text:span> It was about '
    '<text:change-start text:change-id="ct2"/>two hours<text:change-end text:change-id="ct2"/>'
    '<text:change text:change-id="ct1"/>, at night.<text:note text:id="ftn1" text:note-class="footnote">'
    "<text:note-citation>1</text:note-citation><text:note-body><text:p>Transcriber: unclear here."
    "</text:p></text:note-body></text:note></text:p>"
    '<text:p text:style-name="P1">Interviewer:<text:tab/>And the unit?<office:annotation>'
    "<dc:creator>Dana Whitfield</dc:creator><text:p>Check this answer.</text:p></office:annotation></text:p>"
    '<text:list text:style-name="L1"><text:list-item><text:p>KP41:<text:tab/>Full by ten.'
    "<text:line-break/>Every weekend.</text:p></text:list-item></text:list>"
)


def test_a_reviewed_libreoffice_transcript_reads_as_shown(tmp_path):
    t = parse_transcript(make_odt(tmp_path / "KP41.odt", REVIEWED))
    assert t.format == "odt"
    assert t.attributes == {"title": "Interview KP41 (fictional)"}
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        ("Interviewer", "interviewer", "How long is the  wait at the unit?"),  # text:s is one more space
        ("KP41", "participant", "It was about two hours, at night."),  # inserted kept, deleted out, no note
        ("Interviewer", "interviewer", "And the unit?"),  # the comment is not text
        ("KP41", "participant", "Full by ten.\nEvery weekend."),
    ]
    assert [w.kind for w in t.warnings] == ["tracked_changes"]
    assert "2 tracked changes were read as accepted" in t.warnings[0].message


def test_bold_names_with_no_colon_in_an_odt(tmp_path):
    body = "".join(
        f'<text:p text:style-name="P1"><text:span text:style-name="{style}">{who}</text:span> {said}</text:p>'
        for style, who, said in [
            ("T1", "Interviewer", "How long is the wait?"),
            ("Strong_20_Emphasis", "Sgt Rivera", "About an hour."),
            ("T1", "Interviewer", "Why?"),
            ("Strong_20_Emphasis", "Sgt Rivera", "Beds."),
            ("T1", "Note", "the recorder stopped here."),
        ]
    )
    t = parse_transcript(make_odt(tmp_path / "KP44.odt", body))
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "How long is the wait?"),
        ("Sgt Rivera", "About an hour."),
        ("Interviewer", "Why?"),
        ("Sgt Rivera", "Beds.\n\nNote the recorder stopped here."),  # a one-off bold word: text as written
    ]


def _row(*cells: str) -> str:
    """An OpenDocument table row of text cells, as LibreOffice writes one."""
    return (
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>'
            for c in cells
        )
        + "</table:table-row>"
    )


def test_a_speaker_table_in_an_odt(tmp_path):
    body = (
        '<table:table table:name="Table1"><table:table-column table:number-columns-repeated="3"/>'
        f"<table:table-header-rows>{_row('Time', 'Speaker', 'Text')}</table:table-header-rows>"
        f"{_row('00:00:02', 'Interviewer', 'Where do people go?')}{_row('00:00:05', 'KP42', 'The ER, mostly.')}"
        "</table:table>"
    )
    t = parse_transcript(make_odt(tmp_path / "KP42.odt", body))
    assert [(s.speaker, s.start_time, s.text) for s in t.segments] == [
        ("Interviewer", 2.0, "Where do people go?"),
        ("KP42", 5.0, "The ER, mostly."),
    ]
    # Labelled paragraphs after the table are turns too, in their place (they were dropped without a word).
    after = "<text:p>Interviewer: And at night?</text:p><text:p>KP42: The ER, always.</text:p>"
    t = parse_transcript(make_odt(tmp_path / "KP42.odt", body + after))
    assert [(s.speaker, s.text) for s in t.segments][2:] == [
        ("Interviewer", "And at night?"),
        ("KP42", "The ER, always."),
    ]
    assert t.warnings == ()


@pytest.mark.parametrize(
    "content, message",
    [
        (
            None,
            (
                '"bad.odt" is not a valid .odt file (BadZipFile); it may be damaged or another format renamed. Open '
                "and re-save it in LibreOffice or Word, or export it as .txt."
            ),
        ),
        (
            (
                '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><office:document-content '
                'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'
            ),
            (
                '"bad.odt" declares a DTD (<!DOCTYPE>) in its content.xml, which office programs never write. Open '
                "and re-save it in LibreOffice or Word, or export it as .txt."
            ),
        ),
        (
            (
                '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
                'office:1.0"><office:body><office:text>'
            ),
            (
                '"bad.odt" is not a valid .odt file (content.xml, line 1); it may be damaged or another format '
                "renamed. Open and re-save it in LibreOffice or Word, or export it as .txt."
            ),
        ),
        (  # found by fuzzing: a space count that is no number, or one that would claim gigabytes
            (
                f'<?xml version="1.0"?><office:document-content {NAMESPACES}><office:body><office:text>\n'
                '<text:p>Interviewer: Hello<text:s text:c="999999999999"/>there.</text:p></office:text></office:body>'
                "</office:document-content>"
            ),
            (
                '"bad.odt" is not a valid .odt file (content.xml, line 2); it may be damaged or another format '
                "renamed. Open and re-save it in LibreOffice or Word, or export it as .txt."
            ),
        ),
    ],
)
def test_a_bad_odt_is_one_line(tmp_path, monkeypatch, content, message):
    monkeypatch.chdir(tmp_path)
    if content is None:
        Path("bad.odt").write_text("Interviewer: not a zip", encoding="utf-8")
    else:
        make_odt(Path("bad.odt"), "", content=content)
    with pytest.raises(TranscriptError) as raised:
        parse_transcript(Path("bad.odt"))
    assert str(raised.value) == message


@pytest.mark.parametrize("part", ["content.xml", "styles.xml"])
def test_a_damaged_odt_part_is_one_line_not_a_traceback(tmp_path, runner, monkeypatch, part):
    # A damaged download: the zip's directory reads, but a part's deflate stream is broken. zlib's error
    # went up as a traceback from ingest, deid scan and --kind document.
    monkeypatch.chdir(tmp_path)
    body = "".join(
        f"<text:p>{speaker}: {text}</text:p>"
        for speaker, text in [
            ("Interviewer", "How did the call start?" * 4),
            ("KP42", "We got dispatched late. " * 8),
        ]
    )
    damage(
        make_odt(
            Path("bad.odt"), body, styles='<style:style style:name="Standard" style:family="paragraph"/>' * 6
        ),
        part,
    )
    expected = (
        f'Error: "bad.odt" is damaged: its part "{part}" cannot be read (it does not unpack to what the archive '
        "says it holds); a download cut short or a bad copy does this. Download or copy it again, or open it in "
        "LibreOffice, which may repair it, and save it again."
    )
    for args in (
        ["ingest", "bad.odt"],
        ["ingest", "--kind", "document", "bad.odt"],
        ["deid", "scan", "bad.odt"],
    ):
        result = runner.invoke(app, [*args, "--db", "study.db"])
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.stderr.splitlines()[0] == expected
    assert not Path("study.db").exists()


def test_the_gate_and_deid_read_an_odt_as_ingest_does(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_odt(
        Path("KP43.odt"),
        "<text:p>Interviewer: Did you call Officer Maria Lopez?</text:p><text:p>KP43: Yes, from 14 Elm Street."
        "</text:p>",
    )
    refused = runner.invoke(app, ["ingest", "KP43.odt", "--db", "p.db"])
    assert refused.exit_code == 1
    assert "likely identifiers at paragraph 1 (person), paragraph 2 (address)" in refused.stderr
    scanned = runner.invoke(app, ["deid", "scan", "KP43.odt"])
    assert scanned.stdout.splitlines() == [
        "KP43.odt:paragraph 1 person Maria Lopez",
        "KP43.odt:paragraph 2 address 14 Elm Street",
    ]  # the author in meta.xml is no part of the text
    assert runner.invoke(app, ["deid", "redact", "KP43.odt", "-o", "KP43.txt"]).exit_code == 0
    assert runner.invoke(app, ["ingest", "KP43.txt", "--db", "p.db"]).exit_code == 0


def test_a_cover_table_in_an_odt_gives_its_date_and_roles(tmp_path):
    # An .odt is read as a .docx is (word.document_source): its cover table gives the date and roles.
    cover = [("Interview ID", "P07"), ("Date", "12 March 2024"), ("Interviewer", "Maya Lindqvist (ML)")]
    body = (
        '<table:table table:name="Table1"><table:table-column table:number-columns-repeated="2"/>'
        + "".join(_row(*r) for r in (*cover, ("Interviewee", "P07 – Patrol Officer")))
        + "</table:table>"
        + "<text:p>ML: Can you tell me about your role?</text:p><text:p>P07: Patrol, eleven years.</text:p>"
        + "<text:p>ML: And a crisis call?</text:p><text:p>P07: Welfare checks at night.</text:p>"
    )
    t = parse_transcript(make_odt(tmp_path / "crisis_interview_07.odt", body))
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("ML", "interviewer"),
        ("P07", "participant"),
        ("ML", "interviewer"),
        ("P07", "participant"),
    ]
    assert [(s.label, s.reason) for s in t.speakers] == [
        ("ML", "named as interviewer on the cover sheet"),
        ("P07", "named as participant on the cover sheet"),
    ]
    assert t.attributes == {"date": "12 March 2024"}
    assert [w.kind for w in t.warnings] == ["left_out"]


def test_a_password_protected_odt_is_refused_as_such_not_as_damaged(tmp_path, runner, db_path):
    # LibreOffice's "Save with password" keeps the zip but stores content.xml as ciphertext, which the
    # manifest says how to decrypt: it was refused as "not a valid .odt file ... damaged".
    import os

    manifest = MANIFEST.replace(
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="3911">'
        '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" '
        'manifest:checksum="G1oI2rO9o0m0cLkMBLn2rVZ5aS8yq1eIYkAq1Zp0n6A=">'
        '<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
        'manifest:initialisation-vector="r9XCl1G2s0v1Vq2c2y4ZDw=="/>'
        '<manifest:start-key-generation manifest:start-key-generation-name="http://www.w3.org/2000/09/xmldsig#sha256" '
        'manifest:key-size="32"/>'
        '<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" '
        'manifest:iteration-count="100000" manifest:salt="cz3g7nD0W1R0m6hXc2p5Zg=="/>'
        "</manifest:encryption-data></manifest:file-entry>",
    )
    path = tmp_path / "P01.odt"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", os.urandom(3904))
    message = (
        f'"{path}" is protected with a password, so its text cannot be read. Open it with the password, save a '
        'copy without one (in LibreOffice: File > Save As, with "Save with password" unticked), and ingest that.'
    )
    with pytest.raises(TranscriptError) as raised:
        parse_transcript(path)
    assert str(raised.value) == message
    result = runner.invoke(app, ["ingest", str(path), "--db", str(db_path)])
    assert result.exit_code == 1 and f"Error: {message}\n" in result.stderr


HIDDEN_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {NAMESPACES} office:version="1.3">'
    "<office:styles>"
    '<style:style style:name="Standard" style:family="paragraph" style:class="text"/>'
    '<style:style style:name="Transcriber_20_note" style:display-name="Transcriber note" style:family="paragraph" '
    'style:parent-style-name="Standard"><style:text-properties text:display="none"/></style:style>'
    "</office:styles></office:document-styles>"
)
HIDDEN_BODY = (
    # LibreOffice writes Font Effects > Hidden as an automatic style with text:display="none"; a paragraph
    # style "Transcriber note" the service set hidden (inherited by P2); a hidden paragraph field and a
    # hidden text field whose condition holds; conditional text, which shows one of its two values.
    '<text:p text:style-name="P1">Interviewer:<text:tab/>Where did you take him?</text:p>'
    '<text:p text:style-name="P1">KP12:<text:tab/>To the crisis unit<text:span text:style-name="T2"> '
    "[check: unit name redacted?]</text:span>, it was after '"
    '<text:conditional-text text:condition="ooow:FALSE" text:string-value-if-true="midnight" '
    'text:string-value-if-false="ten" text:current-value="false">ten</text:conditional-text>'
    '\'.<text:hidden-text text:condition="ooow:TRUE" text:string-value=" (Dana: confirm)" '
    'text:is-hidden="true"> (Dana: confirm)</text:hidden-text></text:p>'
    '<text:p text:style-name="P2">Transcriber: 00:14:10 overlapping speech.</text:p>'
    '<text:p text:style-name="P1"><text:hidden-paragraph text:condition="ooow:TRUE" text:is-hidden="true"/>'
    "Interviewer note: ask about transport next.</text:p>"
    '<text:section text:style-name="Sect1" text:name="Drafting" text:display="none">'
    '<text:p text:style-name="P1">Interviewer:<text:tab/>[Question 7 left out of this interview.]</text:p>'
    "</text:section>"
    '<text:p text:style-name="P1"><text:hidden-paragraph text:condition="ooow:FALSE" text:is-hidden="false"/>'
    "Interviewer:<text:tab/>And the wait?</text:p>"
    '<text:p text:style-name="P1">KP12:<text:tab/>Twenty minutes.</text:p>'
)


def test_hidden_text_in_an_odt_is_not_read_and_is_said(tmp_path):
    # LibreOffice neither shows nor prints hidden text, paragraphs or sections (a transcription service's
    # notes, an interview guide's skipped question): they were read as the participant's words.
    path = make_odt(tmp_path / "KP12.odt", HIDDEN_BODY)
    content = STYLES.replace(
        "</office:automatic-styles>",
        '<style:style style:name="T2" style:family="text"><style:text-properties text:display="none"/>'
        "</style:style>"
        '<style:style style:name="P2" style:family="paragraph" style:parent-style-name="Transcriber_20_note"/>'
        "</office:automatic-styles>",
    )
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["content.xml"] = parts["content.xml"].replace(STYLES.encode(), content.encode())
    parts["styles.xml"] = HIDDEN_STYLES.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    t = parse_transcript(path)
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "Where did you take him?"),
        ("KP12", "To the crisis unit, it was after 'ten'."),
        ("Interviewer", "And the wait?"),  # a hidden-paragraph field whose condition does not hold: shown
        ("KP12", "Twenty minutes."),
    ]
    assert [(w.kind, w.message) for w in t.warnings if w.kind == "hidden_text"] == [
        (
            "hidden_text",
            (
                "KP12: hidden text in 4 paragraphs was left out (formatted hidden: Word and LibreOffice "
                "neither show nor print it, as with a template's drafting notes). If it is part of the text, "
                "un-hide it (Font > Hidden, or the hidden paragraph or field) and ingest it again with --replace."
            ),
        )
    ]


def test_text_hidden_by_a_condition_is_left_out_as_libreoffice_last_showed_it(tmp_path):
    # LibreOffice's Format > Sections > Hide "with condition" (an interview guide's skipped question, shown
    # only in the draft) writes display="condition" and, when the condition held, is-hidden="true"; a
    # hidden-paragraph field set in a formatted span (the paragraph starts in bold) hides its paragraph
    # all the same. Both were read as the participant's words, without a warning.
    body = (
        '<text:section text:name="Guide" text:condition="ooow:Draft == 1" text:display="condition" '
        'text:is-hidden="true"><text:p text:style-name="P1">Interviewer:<text:tab/>[Question 7 skipped.]'
        "</text:p></text:section>"
        '<text:p text:style-name="P1">Interviewer:<text:tab/>How long was the wait?</text:p>'
        '<text:p text:style-name="P1"><text:span text:style-name="T1"><text:hidden-paragraph '
        'text:condition="ooow:Draft == 1" text:is-hidden="true"/>KP12:</text:span> Transcriber note: '
        "inaudible from 00:14:10.</text:p>"
        '<text:p text:style-name="P1"><text:span text:style-name="T1">KP12:</text:span> Two hours.</text:p>'
        # The same constructs whose condition did not hold: LibreOffice showed them, and they are read.
        '<text:section text:name="Asked" text:condition="ooow:Asked == 0" text:display="condition">'
        '<text:p text:style-name="P1">Interviewer:<text:tab/>And the drive back?</text:p></text:section>'
        '<text:p text:style-name="P1"><text:span text:style-name="T1"><text:hidden-paragraph '
        'text:condition="ooow:Draft == 1"/>KP12:</text:span> Forty minutes.</text:p>'
    )
    t = parse_transcript(make_odt(tmp_path / "KP12.odt", body))
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "How long was the wait?"),
        ("KP12", "Two hours."),
        ("Interviewer", "And the drive back?"),
        ("KP12", "Forty minutes."),
    ]
    assert [w.message.split(" was left out")[0] for w in t.warnings if w.kind == "hidden_text"] == [
        "KP12: hidden text in 2 paragraphs"
    ]


def test_a_format_change_tracked_in_an_odt_is_no_tracked_change_of_its_text(tmp_path):
    # Bold set on the labels with Track Changes on: LibreOffice records format changes; no word changed,
    # yet the transcript was said to hold tracked changes read as accepted.
    body = (
        '<text:tracked-changes text:track-changes="true">'
        '<text:changed-region xml:id="ct1" text:id="ct1"><text:format-change><office:change-info>'
        "<dc:creator>Reviewer</dc:creator><dc:date>2024-03-01T10:00:00</dc:date></office:change-info>"
        "</text:format-change></text:changed-region></text:tracked-changes>"
        '<text:p text:style-name="P1"><text:change-start text:change-id="ct1"/>'
        '<text:span text:style-name="T1">Interviewer:</text:span><text:change-end text:change-id="ct1"/> '
        "How long was the wait?</text:p>"
        '<text:p text:style-name="P1">KP41:<text:tab/>Two hours.</text:p>'
    )
    t = parse_transcript(make_odt(tmp_path / "KP41.odt", body))
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "How long was the wait?"),
        ("KP41", "Two hours."),
    ]
    assert [w.kind for w in t.warnings] == []
    reviewed = parse_transcript(make_odt(tmp_path / "KP41r.odt", REVIEWED))
    assert [w.message.split(" were read")[0] for w in reviewed.warnings] == ["KP41r: 2 tracked changes"]


def test_a_placeholder_field_in_an_odt_is_not_read(tmp_path):
    # A template's placeholder (Insert > Field > More Fields > Functions > Placeholder) shows its prompt
    # until it is filled in; the prompt was read into the participant's turn.
    body = (
        '<text:p text:style-name="P1">Interviewer:<text:tab/>When was the call?</text:p>'
        '<text:p text:style-name="P1">KP12:<text:tab/>On <text:placeholder text:placeholder-type="text" '
        'text:description="date">&lt;Enter the date&gt;</text:placeholder>, at night.</text:p>'
    )
    t = parse_transcript(make_odt(tmp_path / "KP12.odt", body))
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "When was the call?"),
        ("KP12", "On , at night."),
    ]


# As LibreOffice saves a transcript it laid out on 4 pages: a `<text:soft-page-break/>` where a page starts
# with a paragraph (first in it) or a table row (between rows); none where a manual page break starts one
# (the paragraph's automatic style P2, whose parent named style in styles.xml breaks before it).
PAGED_STYLES = (
    "<office:automatic-styles>"
    '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Text_20_body"/>'
    '<style:style style:name="P2" style:family="paragraph" style:parent-style-name="New_20_page"/>'
    '<style:style style:name="Table1" style:family="table"><style:table-properties style:width="6.5in"/>'
    "</style:style></office:automatic-styles>"
)
NAMED_STYLES = (
    '<style:style style:name="Standard" style:family="paragraph" style:class="text"/>'
    '<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" '
    'style:parent-style-name="Standard"><style:paragraph-properties fo:margin-bottom="0.0972in"/></style:style>'
    '<style:style style:name="New_20_page" style:display-name="New page" style:family="paragraph" '
    'style:parent-style-name="Text_20_body"><style:paragraph-properties fo:break-before="page"/></style:style>'
)


def _said(label: str, text: str, style: str = "P1", *, soft: bool = False) -> str:
    mark = "<text:soft-page-break/>" if soft else ""
    return (
        f'<text:p text:style-name="{style}">{mark}<text:span text:style-name="T1">{label}:</text:span> '
        f"{text}</text:p>"
    )


PAGED = (
    _said("Interviewer", "How long did you wait at the unit?")
    + _said("KP50", "About two hours, most nights.")
    + '<text:p text:style-name="P1"><text:soft-page-break/>Longer on weekends, when the beds were full.</text:p>'
    + _said("Interviewer", "And the transport back?", "P2")
    + '<table:table table:name="Table1" table:style-name="Table1"><table:table-column table:number-columns-repeated="2"/>'
    + _row("Speaker", "Text")
    + _row("KP50", "The deputies drove him back themselves.")
    + "<text:soft-page-break/>"
    + _row("Interviewer", "Who called the family?")
    + "</table:table>"
)


def test_an_odt_libreoffice_laid_out_gives_each_turn_its_pages(tmp_path):
    # Its soft page breaks and the manual break account for all 4 pages meta.xml counts: every page start
    # is known, so each turn is on the pages of its paragraphs and rows, as a laid-out .docx's is.
    path = make_odt(tmp_path / "KP50.odt", PAGED, automatic=PAGED_STYLES, styles=NAMED_STYLES, page_count=4)
    t = parse_transcript(path)
    assert [(s.speaker, s.page, s.end_page) for s in t.segments] == [
        ("Interviewer", 1, 1),
        ("KP50", 1, 2),
        ("Interviewer", 3, 3),  # the manual page break, through the paragraph style's parent
        ("KP50", 3, 3),
        ("Interviewer", 4, 4),  # the row after the soft page break in the table
    ]
    over = t.segments[1]
    # Its second paragraph starts page 2: an excerpt there is cited with page 2 alone.
    at = over.text.index("Longer")
    assert over.page_spans == ((0, at, 1, 1), (at, len(over.text), 2, 2))


def test_an_odt_whose_page_breaks_do_not_account_for_its_pages_has_none(tmp_path):
    # LibreOffice marks no page that starts inside a paragraph (a long answer over a page break): with a
    # page meta.xml counts that no mark accounts for, every later turn would be a page too early.
    path = make_odt(tmp_path / "KP50.odt", PAGED, automatic=PAGED_STYLES, styles=NAMED_STYLES, page_count=5)
    assert {(s.page, s.end_page) for s in parse_transcript(path).segments} == {(None, None)}
    # Nor one saved with no window showing it (`soffice --headless --convert-to odt` from a .docx): it
    # holds the layout LibreOffice had got to, page count and marks agreeing, not the pages it prints.
    path = make_odt(
        tmp_path / "KP52.odt", PAGED, automatic=PAGED_STYLES, styles=NAMED_STYLES, page_count=4, view_width=0
    )
    assert {(s.page, s.end_page) for s in parse_transcript(path).segments} == {(None, None)}
    # And a file no program laid out (no page count) has none either.
    path = make_odt(tmp_path / "KP51.odt", PAGED, automatic=PAGED_STYLES, styles=NAMED_STYLES)
    assert {(s.page, s.end_page) for s in parse_transcript(path).segments} == {(None, None)}


POLICY = (
    '<text:p text:style-name="Title">Crisis Stabilization Unit Admission Policy (fictional)</text:p>'
    '<text:h text:style-name="Heading_20_1" text:outline-level="1">1. Purpose</text:h>'
    '<text:p text:style-name="P1">This policy sets out how the unit admits people officers bring in.'
    '<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
    '<text:note-body><text:p text:style-name="Footnote">Officers call the unit desk on 555-0142 first.</text:p>'
    "</text:note-body></text:note></text:p>"
    '<text:h text:style-name="Heading_20_1" text:outline-level="1"><text:soft-page-break/>2. Medical clearance</text:h>'
    '<text:p text:style-name="P1">A person who is intoxicated is medically cleared first.</text:p>'
    '<text:list text:style-name="L1"><text:list-item><text:p text:style-name="P1">A blood alcohol level over '
    "0.08.</text:p></text:list-item></text:list>"
    '<table:table table:name="Table1" table:style-name="Table1"><table:table-column table:number-columns-repeated="2"/>'
    + _row("Criterion", "Who decides")
    + _row("Intoxication", "The nurse")
    + "</table:table>"
)


def test_an_odt_policy_reads_as_a_document_with_its_sections_footnotes_and_pages(
    tmp_path, runner, monkeypatch
):
    # A policy saved by LibreOffice was refused as a document ("convert it to .docx"). It reads as a .docx
    # policy does: numbered headings start sections, the footnote is a paragraph after the one citing it,
    # a table row is "cell | cell", and the pages are LibreOffice's (its soft page break before section 2).
    from wei_qual.ingest import parse_document

    named = NAMED_STYLES + (
        '<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" '
        'style:parent-style-name="Heading"/><style:style style:name="Title" style:family="paragraph"/>'
    )
    path = make_odt(tmp_path / "csu_policy.odt", POLICY, automatic=PAGED_STYLES, styles=named, page_count=2)
    doc = parse_document(path)
    assert doc.format == "odt" and doc.kind == "document"
    assert "pages_unknown" not in [w.kind for w in doc.warnings]
    assert [(s.label, s.page, s.end_page, s.text) for s in doc.segments] == [
        (
            "1. Purpose",
            1,
            1,
            (
                "This policy sets out how the unit admits people officers bring in.\n\n"
                "Footnote 1: Officers call the unit desk on 555-0142 first."
            ),
        ),
        (
            "2. Medical clearance",
            2,
            2,
            (
                "A person who is intoxicated is medically cleared first.\n\nA blood alcohol level over 0.08.\n\n"
                "Criterion | Who decides\n\nIntoxication | The nurse"
            ),
        ),
    ]
    # The gate reads the footnote, and so does deid scan, as for a .docx policy.
    monkeypatch.chdir(tmp_path)
    refused = runner.invoke(app, ["ingest", "--kind", "document", "csu_policy.odt", "--db", "p.db"])
    assert refused.exit_code == 1 and "phone" in refused.stderr
    assert "phone" in runner.invoke(app, ["deid", "scan", "csu_policy.odt"]).stdout


# Tools > Heading Numbering as LibreOffice 7 saves it in styles.xml (its loext attributes left out), and a
# list style for lettered clauses and one for numbered steps with sub-steps.
OUTLINE_STYLES = (
    '<style:style style:name="Heading" style:family="paragraph"/>'
    '<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" '
    'style:parent-style-name="Heading" style:default-outline-level="1"/>'
    '<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" '
    'style:parent-style-name="Heading" style:default-outline-level="2"/>'
    '<text:outline-style style:name="Outline">'
    '<text:outline-level-style text:level="1" style:num-suffix="." style:num-format="1"/>'
    '<text:outline-level-style text:level="2" style:num-format="1" text:display-levels="2"/>'
    '<text:outline-level-style text:level="3" style:num-format=""/>'
    "</text:outline-style>"
    '<text:list-style style:name="Numbering_20_abc">'
    '<text:list-level-style-number text:level="1" style:num-prefix="(" style:num-suffix=")" '
    'style:num-format="a"/></text:list-style>'
    '<text:list-style style:name="Numbering_20_123">'
    '<text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1"/>'
    '<text:list-level-style-number text:level="2" style:num-format="i" style:num-suffix=")"/>'
    "</text:list-style>"
)


def _h(level: int, text: str, extra: str = "") -> str:
    return f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}"{extra}>{text}</text:h>'


def _items(*texts: str) -> str:
    return "".join(f"<text:list-item><text:p>{t}</text:p></text:list-item>" for t in texts)


def test_an_odt_policy_s_heading_numbers_and_list_numbers_are_read_as_libreoffice_shows_them(tmp_path):
    # LibreOffice works out a heading's outline number and a list item's number when it shows the
    # document; neither is in the text. They were not read: "2.2 Exclusion criteria" came in as
    # "Exclusion criteria", the policy was not split by section, and the "(a)" the text itself cites
    # was missing. The expected numbers are LibreOffice 7.4's own (`soffice --convert-to txt`).
    from wei_qual.ingest import parse_document

    body = (
        _h(1, "Purpose")
        + "<text:p>This policy sets out who the unit admits.</text:p>"
        + _h(1, "Admission")
        + _h(2, "Eligibility")
        + "<text:p>Adults in a mental health crisis are admitted at any hour.</text:p>"
        + _h(2, "Exclusion criteria")
        + "<text:p>The unit does not admit a person who:</text:p>"
        + '<text:list xml:id="list1" text:style-name="Numbering_20_abc">'
        + _items("is intoxicated to the point of needing medical monitoring;")
        + "<text:list-header><text:p>(a note on intoxication, with no letter)</text:p></text:list-header>"
        + "</text:list><text:p>or who</text:p>"
        + '<text:list text:continue-numbering="true" text:style-name="Numbering_20_abc">'
        + _items("is actively violent.")
        + "</text:list>"
        + _h(3, "Note")
        + "<text:p>A person excluded under 2.2 (a) is admitted once cleared.</text:p>"
        + _h(1, "Transport")
        + '<text:list text:style-name="Numbering_20_123"><text:list-item><text:p>Call the unit.</text:p>'
        + "<text:list><text:list-item><text:p>Give the name.</text:p></text:list-item></text:list>"
        + "</text:list-item>"
        + _items("Drive in.")
        + "</text:list>"
        + _h(1, "Contacts", ' text:is-list-header="true"')
        + "<text:p>The unit desk.</text:p>"
        + _h(1, "Review", ' text:restart-numbering="true" text:start-value="9"')
        + "<text:p>Yearly.</text:p>"
    )
    doc = parse_document(make_odt(tmp_path / "A_policy.odt", body, styles=OUTLINE_STYLES))
    assert [(s.label, s.text) for s in doc.segments] == [
        ("1. Purpose", "This policy sets out who the unit admits."),
        ("2.1 Eligibility", "Adults in a mental health crisis are admitted at any hour."),
        (
            "2.2 Exclusion criteria",
            (
                "The unit does not admit a person who:\n\n(a) is intoxicated to the point of needing medical "
                "monitoring;\n\n(a note on intoxication, with no letter)\n\nor who\n\n(b) is actively violent."
            ),
        ),
        ("Note", "A person excluded under 2.2 (a) is admitted once cleared."),
        ("3. Transport", "1. Call the unit.\n\ni) Give the name.\n\n2. Drive in."),
        ("Contacts", "The unit desk."),
        ("9. Review", "Yearly."),
    ]
    # Saved with no layout LibreOffice marked (page_count None): no pages, and said.
    assert [w.kind for w in doc.warnings] == ["pages_unknown"] and doc.segments[0].page is None


def test_a_word_policy_saved_as_odt_keeps_word_s_numbers(tmp_path):
    # A Word policy whose headings Word numbers ("1", "2.1"), saved as .odt by LibreOffice: each numbered
    # heading is an item of a list that goes on (`text:continue-numbering`, `text:continue-list`) over the
    # body text between them, a level-2 heading an item of an item that holds no paragraph of its own.
    # Content as LibreOffice 7.4 writes it; the numbers are those it shows.
    from wei_qual.ingest import parse_document

    levels = (
        '<text:list-level-style-number text:level="1" style:num-format="1"/>'
        '<text:list-level-style-number text:level="2" style:num-format="1" text:display-levels="2"/>'
    )
    styles = (
        f'<text:list-style style:name="WWNum20">{levels}</text:list-style>'
        '<text:list-style style:name="WWNum21"><text:list-level-style-number text:level="1" '
        'style:num-prefix="(" style:num-suffix=")" style:num-format="a" style:num-letter-sync="true"/>'
        "</text:list-style>"
        '<text:list-style style:name="WWNum1"><text:list-level-style-bullet text:level="1" '
        'text:bullet-char="\uf0b7"/></text:list-style>'
    )
    automatic = (
        "<office:automatic-styles>"
        '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Heading_20_1" '
        'style:list-style-name="WWNum20"/>'
        '<style:style style:name="P2" style:family="paragraph" style:parent-style-name="Heading_20_2" '
        'style:list-style-name="WWNum20"/>'
        "</office:automatic-styles>"
    )

    def heading(level: int, text: str) -> str:
        return f'<text:h text:style-name="P{level}" text:outline-level="{level}">{text}</text:h>'

    def sub(text: str) -> str:
        return f"<text:list><text:list-item>{heading(2, text)}</text:list-item></text:list>"

    body = (
        '<text:p text:style-name="Title">Crisis Stabilization Unit Admission Policy</text:p>'
        f'<text:list xml:id="list1" text:style-name="WWNum20"><text:list-item>{heading(1, "Purpose")}'
        "</text:list-item></text:list>"
        "<text:p>This policy sets out who the unit admits.</text:p>"
        '<text:list xml:id="list2" text:continue-numbering="true" text:style-name="WWNum20"><text:list-item>'
        f"{heading(1, 'Admission')}{sub('Eligibility')}</text:list-item></text:list>"
        "<text:p>Adults in a mental health crisis are admitted at any hour.</text:p>"
        '<text:list xml:id="list3" text:continue-numbering="true" text:style-name="WWNum20"><text:list-item>'
        f"{sub('Exclusion criteria')}</text:list-item></text:list>"
        "<text:p>The unit does not admit a person who:</text:p>"
        f'<text:list text:style-name="WWNum21">{_items("is intoxicated;", "is actively violent.")}</text:list>'
        '<text:list xml:id="list4" text:continue-list="list3" text:style-name="WWNum20"><text:list-item>'
        f"{sub('Medical clearance')}</text:list-item></text:list>"
        "<text:p>A person excluded under 2.2 (a) is admitted once cleared.</text:p>"
        f'<text:list text:style-name="WWNum1">{_items("by the mobile crisis team.")}</text:list>'
    )
    named = OUTLINE_STYLES.replace('style:num-suffix="." style:num-format="1"/>', 'style:num-format=""/>', 1)
    doc = parse_document(make_odt(tmp_path / "B.odt", body, automatic=automatic, styles=named + styles))
    assert [(s.label, s.text) for s in doc.segments] == [
        ("1 Purpose", "This policy sets out who the unit admits."),
        ("2.1 Eligibility", "Adults in a mental health crisis are admitted at any hour."),
        (
            "2.2 Exclusion criteria",
            "The unit does not admit a person who:\n\n(a) is intoxicated;\n\n(b) is actively violent.",
        ),
        (
            "2.3 Medical clearance",
            "A person excluded under 2.2 (a) is admitted once cleared.\n\nby the mobile crisis team.",
        ),
    ]


def test_a_crafted_start_value_is_written_as_a_number_not_spelt_out(tmp_path):
    # A list started at 10**12 in letters or roman numerals was spelt out: a terabyte of "a"s, or a
    # billion steps of roman numerals, reading one file.
    from wei_qual.ingest import parse_document

    styles = (
        '<text:list-style style:name="L"><text:list-level-style-number text:level="1" style:num-format="a" '
        'style:num-letter-sync="true"/><text:list-level-style-number text:level="2" style:num-format="i"/>'
        "</text:list-style>"
    )
    body = (
        '<text:list text:style-name="L"><text:list-item text:start-value="1000000000000"><text:p>first</text:p>'
        '<text:list><text:list-item text:start-value="1000000000000"><text:p>inner</text:p></text:list-item>'
        "</text:list></text:list-item></text:list>"
    )
    doc = parse_document(make_odt(tmp_path / "A.odt", body, styles=styles))
    assert doc.text.split("\n\n") == ["1000000000000 first", "1000000000000 inner"]
