"""Word files as Word writes them (tests/_word.py: Word's namespaces, rsids, xml:space="preserve"),
read as transcripts and as documents: tracked changes that join paragraphs, the breaks that start a page
and those that do not, and a table row over a page break. All text is fictional."""

from __future__ import annotations

from pathlib import Path

from _word import CHANGE, cell, damage, para, row, run, table, write_docx

from wei_qual.cli import app
from wei_qual.ingest import parse_document, parse_transcript

DELETED_MARK = f'<w:rPr><w:del w:id="3" {CHANGE}/></w:rPr>'  # the paragraph mark deleted with Track Changes


def _segments(t):
    return [(s.speaker, s.text) for s in t.segments]


def test_a_tracked_deletion_of_a_paragraph_mark_joins_the_two_paragraphs(tmp_path):
    # Read as two paragraphs (a paragraph break in the middle of the answer, and a "paragraph" the PII
    # gate and the warnings counted apart), though Word shows one once the change is accepted, which is
    # how the reader reads every tracked change.
    body = "".join(
        [
            para(run("Interviewer: How did the call end?")),
            para(run("KP81: We drove him to the crisis unit, and they took him in "), ppr=DELETED_MARK),
            para(run("after about forty minutes at intake.")),
            para(run("Interviewer: Was that usual?")),
            para(run("KP81: No. Most nights it takes two hours.")),
        ]
    )
    t = parse_transcript(write_docx(tmp_path / "KP81.docx", body))
    assert _segments(t) == [
        ("Interviewer", "How did the call end?"),
        (
            "KP81",
            "We drove him to the crisis unit, and they took him in after about forty minutes at intake.",
        ),
        ("Interviewer", "Was that usual?"),
        ("KP81", "No. Most nights it takes two hours."),
    ]
    assert [w.message for w in t.warnings if w.kind == "tracked_changes"] == [
        (
            "KP81: 1 tracked change was read as accepted (inserted text kept, deleted text left out). If the "
            "text should read otherwise, accept or reject them in Word or LibreOffice and ingest it again with "
            "--replace."
        )
    ]


def test_a_joined_paragraph_of_a_document_is_one_paragraph_and_a_mark_before_a_table_joins_nothing(tmp_path):
    body = "".join(
        [
            para(
                run("1. Purpose. This protocol sets out how the unit admits people brought "),
                ppr=DELETED_MARK,
            ),
            para(run("by law enforcement.")),
            para(run("2. Transport. Officers transport people to the unit."), ppr=DELETED_MARK),
        ]
    )
    body += table(row(cell(para(run("Hours"))), cell(para(run("Around the clock"))), cell(para(run("")))))
    doc = parse_document(write_docx(tmp_path / "protocol.docx", body))
    assert [(s.label, s.text) for s in doc.segments] == [
        ("1. Purpose", "This protocol sets out how the unit admits people brought by law enforcement."),
        ("2. Transport", "Officers transport people to the unit.\n\nHours | Around the clock"),
    ]
    assert [w.kind for w in doc.warnings] == ["tracked_changes"]


def _section(kind: str | None, columns: int = 1) -> str:
    """A paragraph's section break as Word writes it: w:type absent means "next page"."""
    start = f'<w:type w:val="{kind}"/>' if kind else ""
    return (
        f'<w:sectPr w:rsidR="00C21E4B">{start}<w:pgSz w:w="12240" w:h="15840"/>'
        f'<w:cols w:num="{columns}" w:space="720"/><w:docGrid w:linePitch="360"/></w:sectPr>'
    )


def test_the_breaks_that_start_a_page_in_a_file_word_never_laid_out(tmp_path):
    # A file Word never laid out (a service's export, a generated protocol) has no rendered page breaks:
    # only its page breaks counted, so a section break to a new page and a paragraph set to start a page
    # were on the page before. A column break, and a continuous section break, start no page; a
    # paragraph set to start a page right after a page break is on that new page, not on one more.
    body = "".join(
        [
            para(run("1. Purpose. This protocol sets out how the unit admits people.")),
            para(run("2. Scope. It applies to every officer."), '<w:r><w:br w:type="column"/></w:r>'),
            para(run("3. Hours. The unit is open around the clock."), ppr=_section("continuous", columns=2)),
            para(run("4. Transport. Officers transport people to the unit."), ppr=_section(None)),
            para(run("5. Intake. A nurse sees each person on arrival."), ppr="<w:pageBreakBefore/>"),
            para(run("6. Discharge. Nobody is discharged at night."), ppr=_section("nextColumn")),
            para(run("7. Follow-up. The unit calls each person back."), '<w:r><w:br w:type="page"/></w:r>'),
            para(run("8. Review. This protocol is reviewed yearly."), ppr="<w:pageBreakBefore/>"),
            para(
                run("9. Contacts. The charge nurse answers the line."), ppr='<w:pageBreakBefore w:val="0"/>'
            ),
        ]
    )
    doc = parse_document(write_docx(tmp_path / "protocol.docx", body))
    assert [(s.label.split()[0], s.page, s.end_page) for s in doc.segments] == [
        ("1.", 1, 1), ("2.", 1, 1), ("3.", 1, 1), ("4.", 1, 1), ("5.", 2, 2), ("6.", 2, 2), ("7.", 2, 2),
        ("8.", 3, 3), ("9.", 3, 3),
    ]  # fmt: skip


def test_word_s_rendered_page_breaks_are_the_pages_when_it_laid_the_file_out(tmp_path):
    # Laid out by Word, a file's pages are where Word marked them: its page and section breaks are
    # followed by a rendered break Word wrote where the next page starts, and counted once.
    rendered = "<w:r><w:lastRenderedPageBreak/></w:r>"
    body = "".join(
        [
            para(run("1. Purpose. This protocol sets out how the unit admits people."), ppr=_section(None)),
            para(
                rendered, run("2. Scope. It applies to every officer "), rendered, run("and every clinician.")
            ),
            para(run("3. Hours. The unit is open around the clock."), '<w:r><w:br w:type="page"/></w:r>'),
            para(rendered, run("4. Transport. Officers transport people."), ppr="<w:pageBreakBefore/>"),
        ]
    )
    doc = parse_document(write_docx(tmp_path / "protocol.docx", body))
    assert [(s.label.split()[0], s.page, s.end_page) for s in doc.segments] == [
        ("1.", 1, 1), ("2.", 2, 3), ("3.", 3, 3), ("4.", 4, 4),
    ]  # fmt: skip


def test_a_page_or_column_break_inside_a_paragraph_keeps_the_words_on_either_side_apart(tmp_path):
    # python-docx reads such a break as nothing: "We waited" + page break + "all night" read "waitedall",
    # a word that is in no transcript (and that a search, a suggestion's keyword or the PII scan misses).
    page, column = '<w:r><w:br w:type="page"/></w:r>', '<w:r><w:br w:type="column"/></w:r>'
    body = "".join(
        [
            para(run("Interviewer: What happened then?")),
            para(run("KP80: We waited"), page, run("all night at the ER, and"), column, run("nobody came.")),
        ]
    )
    t = parse_transcript(write_docx(tmp_path / "KP80.docx", body))
    assert _segments(t)[1] == ("KP80", "We waited\nall night at the ER, and\nnobody came.")
    doc = parse_document(
        write_docx(tmp_path / "policy.docx", para(run("Officers wait"), page, run("with the person.")))
    )
    segment = doc.segments[0]
    assert (segment.text, segment.page, segment.end_page) == ("Officers wait\nwith the person.", 1, 2)
    assert segment.page_spans == ((0, 14, 1, 1), (14, 30, 2, 2))  # page 2 starts at "with"


RENDERED = "<w:r><w:lastRenderedPageBreak/></w:r>"  # where Word's layout started a page when it last saved


def test_a_word_transcript_word_laid_out_has_pages_and_a_turn_over_a_page_break_is_on_both(tmp_path):
    # A Word transcript had no pages at all, though Word marks where each page starts when it saves: a
    # team citing "p. 2" of the transcript had to find it by hand. In paragraphs and in a speaker table
    # alike, a turn (or a row) over a page break is on both pages.
    body = "".join(
        [
            para(run("Interviewer: How did the call end?")),
            para(
                run("KP82: We drove him to the crisis unit, and they took him in "), RENDERED, run("quickly.")
            ),
            para(run("It was a good night.")),
            para(run("Interviewer: Was that usual?")),
            para(RENDERED, run("KP82: No. Most nights it takes two hours.")),
        ]
    )
    t = parse_transcript(write_docx(tmp_path / "KP82.docx", body))
    assert [(s.speaker, s.page, s.end_page) for s in t.segments] == [
        ("Interviewer", 1, 1), ("KP82", 1, 2), ("Interviewer", 2, 2), ("KP82", 3, 3),
    ]  # fmt: skip
    bold = "<w:b/>"
    rows = [
        row(cell(para(run("Speaker", props=bold))), cell(para(run("Text", props=bold)))),
        row(cell(para(run("Interviewer"))), cell(para(run("How did the call end?")))),
        row(
            cell(para(run("KP83"))),
            cell(para(run("We drove him to the unit,"), RENDERED, run(" and waited."))),
        ),
        row(cell(para(run(""))), cell(para(RENDERED, run("It was a good night.")))),
        row(cell(para(run("Interviewer"))), cell(para(run("Usual?")))),
    ]
    t = parse_transcript(write_docx(tmp_path / "KP83.docx", table(*rows, widths=(2000, 7360))))
    assert [(s.speaker, s.page, s.end_page, s.page_spans) for s in t.segments] == [
        ("Interviewer", 1, 1, None), ("KP83", 1, 3, None), ("Interviewer", 3, 3, None),
    ]  # fmt: skip
    # A file Word never laid out: its pages are not known, so none are given.
    unlaid = body.replace(RENDERED, '<w:r><w:br w:type="page"/></w:r>')
    assert {s.page for s in parse_transcript(write_docx(tmp_path / "KP84.docx", unlaid)).segments} == {None}


def test_an_answer_a_back_channel_splits_ends_on_the_page_of_its_second_half(tmp_path):
    # A transcript Word laid out, with a service's `Speaker 2: Mm-hmm.` inside an answer that goes on over
    # two page breaks: the halves are one turn (roles.fold_back_channels), joined after each had its pages,
    # and the turn ended on its first half's page (1), though the interviewer's next question is on page 3.
    body = "".join(
        [
            para(run("Dana Whitfield: How do crisis calls usually reach you on a night shift?")),
            para(
                run(
                    "Speaker 3: Sure. Mostly through dispatch, and sometimes a deputy calls my cell directly."
                )
            ),
            para(run("Speaker 2: Mm-hmm.")),
            para(
                run(
                    "Speaker 3: Then we drive out, and the clinician talks to the person while I talk to the "
                ),
                RENDERED,
                run("deputy about the charge."),
            ),
            para(RENDERED, run("It was a long night.")),
            para(run("Dana Whitfield: What happens at the emergency department?")),
            para(run("Speaker 3: We wait. Two hours is a good night.")),
        ]
    )
    t = parse_transcript(write_docx(tmp_path / "KP94.docx", body))
    assert [(s.speaker, s.page, s.end_page) for s in t.segments] == [
        ("Dana Whitfield", 1, 1), ("Speaker 3", 1, 3), ("Dana Whitfield", 3, 3), ("Speaker 3", 3, 3),
    ]  # fmt: skip
    # A paragraph itself runs over a break, where in it Word started the page is not kept: an excerpt in
    # the turn is cited with the turn's pages, never with one its words are not on.
    assert t.segments[1].page_spans is None


def test_a_transcription_service_s_word_table_reads_as_its_turns_and_nothing_else(tmp_path):
    # As a service delivers one: a Speaker | Time | Text table under a title, the service's name in the
    # page header and a PAGE field in the footer, a footnote mark, a reviewer's comment, a text box
    # (Word's drawing with its VML fallback), curly quotes and a line break inside a turn. Only the turns
    # are read, the quotes as typed, the times as the turns' starts, the title as the title.
    bold = "<w:b/><w:bCs/>"
    header = lambda *texts: cell(*[para(run(t, props=bold)) for t in texts])
    plain = lambda *texts: cell(*[para(run(t)) for t in texts])
    footnote = (
        '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
    )
    comment = (
        '<w:commentRangeStart w:id="0"/>{}<w:commentRangeEnd w:id="0"/><w:r><w:rPr><w:rStyle '
        'w:val="CommentReference"/></w:rPr><w:commentReference w:id="0"/></w:r>'
    )
    box = "<w:p><w:r><w:t>Transcriber note: audio faint</w:t></w:r></w:p>"
    textbox = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline><wp:extent cx="1828800" '
        'cy="457200"/><wp:docPr id="1" name="Text Box 1"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/'
        'drawingml/2006/main"><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
        f'wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent>{box}</w:txbxContent></wps:txbx><wps:bodyPr/>'
        "</wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice><mc:Fallback><w:pict>"
        f'<v:shape id="Text Box 1" type="#_x0000_t202"><v:textbox><w:txbxContent>{box}</w:txbxContent>'
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    page_field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText>'
        '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar '
        'w:fldCharType="end"/></w:r>'
    )
    answer = cell(
        para(
            run("Honestly, there isn\u2019t one."),
            "<w:r><w:br/></w:r>",
            run("Most nights it\u2019s a \u201cwelfare check\u201d that turns into a transport"),
            footnote,
            run(". We wait at the ER."),
            textbox,
        )
    )
    rows = [
        row(header("Speaker"), header("Time"), header("Text"), header=True),
        row(plain("Interviewer"), plain("00:00:04"), plain("What\u2019s a normal crisis call for you?")),
        row(plain("KP90"), plain("00:00:11"), answer),
        row(plain("Interviewer"), plain("00:01:02"), cell(para(comment.format(run("And the crisis unit?"))))),
        row(
            plain("KP90"), plain("00:01:09"), plain("It\u2019s 40 minutes away \u2014 we go when we have to.")
        ),
    ]
    body = para(run("Interview KP90 \u2013 14 March 2024", props=bold)) + table(*rows)
    path = write_docx(
        tmp_path / "KP90.docx",
        body,
        header=para(run("Verbatim Transcription Services \u2013 Confidential")),
        footer=para(run("Page "), page_field),
    )
    t = parse_transcript(path)
    assert [(s.speaker, s.role, s.start_time, s.text) for s in t.segments] == [
        ("Interviewer", "interviewer", 4.0, "What\u2019s a normal crisis call for you?"),
        (
            "KP90",
            "participant",
            11.0,
            (
                "Honestly, there isn\u2019t one.\nMost nights it\u2019s a \u201cwelfare check\u201d that "
                "turns into a transport. We wait at the ER."
            ),
        ),
        ("Interviewer", "interviewer", 62.0, "And the crisis unit?"),
        ("KP90", "participant", 69.0, "It\u2019s 40 minutes away \u2014 we go when we have to."),
    ]
    assert t.attributes == {"title": "Interview KP90 \u2013 14 March 2024", "date": "14 March 2024"}
    assert t.warnings == ()


def test_a_line_break_in_a_table_cell_is_a_line_break_as_in_a_labelled_paragraph(tmp_path):
    # Shift+Enter inside a turn (a w:br) and a second paragraph (Enter): the same transcript typed as
    # labelled paragraphs and as a Speaker | Text table holds the same turns, line break and paragraph
    # break apart, with offsets that locate each turn in the stored text. The cell's line break used to
    # become a paragraph break there, the paragraph's staying a line break.
    br = "<w:r><w:br/></w:r>"
    said = [
        ("Interviewer", [[run("How long did you wait at the unit?")]]),
        ("KP91", [[run("About two hours."), br, run("Longer on weekends.")], [run("Then we drove back.")]]),
        ("Interviewer", [[run("Who called the family?")]]),
    ]
    paragraphs = "".join(
        para(*([run(f"{who}: ")] if k == 0 else []), *runs)
        for who, texts in said
        for k, runs in enumerate(texts)
    )
    plain = lambda text: cell(para(run(text)))
    rows = [row(plain("Speaker"), plain("Text"), header=True)] + [
        row(plain(who), cell(*[para(*runs) for runs in texts])) for who, texts in said
    ]
    expected = [
        ("Interviewer", "How long did you wait at the unit?"),
        ("KP91", "About two hours.\nLonger on weekends.\n\nThen we drove back."),
        ("Interviewer", "Who called the family?"),
    ]
    for name, body in (("KP91.docx", paragraphs), ("KP91_table.docx", table(*rows, widths=(2000, 7360)))):
        t = parse_transcript(write_docx(tmp_path / name, body))
        assert [(s.speaker, s.text) for s in t.segments] == expected, name
        assert [t.text[s.start_char : s.end_char] for s in t.segments] == [text for _, text in expected]


def test_a_word_or_odt_transcript_stored_without_pages_gets_them_when_ingested_again_with_its_coding(
    runner, tmp_path, db_path
):
    # A project made before Word (and .odt) turns had pages keeps none: the same file ingested again is
    # unchanged and skipped, and --replace would drop its coding. Now the pages are filled in when it
    # reads into the same turns, and every decision is kept; once only.
    import json

    from _coding_project import CODEBOOK
    from test_odt import NAMED_STYLES, PAGED, PAGED_STYLES, make_odt

    from wei_qual.cli import app
    from wei_qual.store import open_db, transaction
    from wei_qual.store.codebooks import save_codebook_version

    body = "".join(
        [
            para(run("Interviewer: How did the call end?")),
            para(run("KP82: We drove him to the unit, and they took him in "), RENDERED, run("quickly.")),
            para(run("Interviewer: Was that usual?")),
            para(RENDERED, run("KP82: No. Most nights it takes two hours.")),
        ]
    )
    files = [
        (write_docx(tmp_path / "KP82.docx", body), [(1, 1), (1, 2), (2, 2), (3, 3)]),
        (
            make_odt(tmp_path / "KP50.odt", PAGED, automatic=PAGED_STYLES, styles=NAMED_STYLES, page_count=4),
            [(1, 1), (1, 2), (3, 3), (3, 3), (4, 4)],
        ),
    ]
    db = open_db(db_path)
    with transaction(db):
        save_codebook_version(db, CODEBOOK, "name: crisis\n")
    db.close()
    for path, pages in files:
        ingest = ["ingest", str(path), "--db", str(db_path)]
        assert runner.invoke(app, ingest).exit_code == 0
        sheet = tmp_path / "d.csv"
        sheet.write_text(
            f"transcript,segment,coder,codes,note\n{path.stem},2,alice,csu-refusal,\n", encoding="utf-8"
        )
        assert runner.invoke(app, ["decisions", "import", str(sheet), "--db", str(db_path)]).exit_code == 0
        db = open_db(db_path)
        with db.conn:  # as a project made before they were kept holds it
            db.execute(
                "UPDATE segments SET page = NULL, end_page = NULL, page_spans = NULL WHERE transcript_id = ?",
                [path.stem],
            )
        db.close()
        before = runner.invoke(app, ["decisions", "export", "--format", "json", "--db", str(db_path)]).stdout
        again = runner.invoke(app, ingest)
        assert again.exit_code == 0, again.stderr
        assert (
            "already in the project with the same content; the pages of its segments were filled in "
            "(1 of its segments runs onto a later page)"
        ) in again.stderr
        shown = runner.invoke(
            app, ["transcripts", "show", path.stem, "--format", "json", "--db", str(db_path)]
        )
        assert [(s["page"], s["end_page"]) for s in json.loads(shown.stdout)["segments"]] == pages
        after = runner.invoke(app, ["decisions", "export", "--format", "json", "--db", str(db_path)]).stdout
        assert after == before and path.stem in after
        assert "filled in" not in runner.invoke(app, ingest).stderr  # once only


def test_a_damaged_docx_part_is_named_not_called_error(tmp_path, runner, monkeypatch):
    # A damaged download: python-docx let zlib's error through, and the message read "(error)".
    monkeypatch.chdir(tmp_path)
    body = para(run("Interviewer: How did the call start? " * 4)) + para(
        run("KP42: We got dispatched late. " * 8)
    )
    damage(write_docx(Path("bad.docx"), body), "word/document.xml")
    result = runner.invoke(app, ["ingest", "bad.docx", "--db", "study.db"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == (
        'Error: "bad.docx" is damaged: its part "word/document.xml" cannot be read (it does not unpack to what '
        "the archive says it holds); a download cut short or a bad copy does this. Download or copy it again, or "
        "open it in Word, which may repair it, and save it again."
    )
    assert not Path("study.db").exists()


def test_text_word_imports_from_another_part_altchunk_is_refused_not_left_out(tmp_path, runner):
    """Tools that build a .docx from a web page (html-docx-js and the like) put the text in an HTML part
    that Word shows where <w:altChunk> stands; python-docx does not read it, so that text was silently
    missing from the transcript (and from the PII scan)."""
    import zipfile

    plain = write_docx(
        tmp_path / "plain.docx",
        para(run("Interviewer: How long did you wait?"))
        + para(run("Participant: Two hours at the unit."))
        + '<w:altChunk r:id="rIdAlt1"/>',
    )
    path = tmp_path / "P12.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdAlt1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/aFChunk" Target="afchunk.htm"/></Relationships>',
                )
            elif name == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>", b'<Default Extension="htm" ContentType="text/html"/></Types>'
                )
            target.writestr(name, data)
        target.writestr(
            "word/afchunk.htm",
            "<html><body><p>Interviewer: And then?</p><p>Participant: My neighbour drove me.</p></body></html>",
        )
    said = (
        '"P12.docx" holds 1 part of text imported from another file ("altChunk"), which Word shows in place '
        "but wei-qual cannot read: that text would be left out. Open and re-save it in Word (which writes the "
        "text in), or export it as .txt."
    )
    for args in (["ingest", "P12.docx", "--db", "p.db"], ["deid", "scan", "P12.docx"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1 and "Traceback" not in result.stderr
        assert result.stderr.splitlines()[0] == f"Error: {said}"
    assert not (tmp_path / "p.db").exists()
