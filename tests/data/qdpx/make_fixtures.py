"""Regenerate the fictional .qdpx fixtures in this folder (one folder per tool; the tests zip them).

    python tests/data/qdpx/make_fixtures.py

Each imitates the shape of a real export (not a real export): see README.md beside this file. Positions are
computed here from the text, the way each tool counts them, so the XML stays consistent with the sources.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).parent
HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'

INTERVIEW_A = [
    ("Interviewer", "Thanks for joining. How do crisis calls usually reach your unit?"),
    ("P11", "Mostly through dispatch. On nights it is just me and one deputy for the whole county."),
    ("Interviewer", "And when the crisis unit cannot take someone?"),
    ("P11", "Then it is the emergency department, and we sit there for hours.\nSometimes six hours."),
    ("Interviewer", "Is there follow-up after that?"),
    ("P11", "Not really. The same man called us again the next week."),
]
INTERVIEW_B = [
    ("Int", "What changed when the co-responder program started?"),
    ("Resp", "The clinician rides with us two days a week. Calls go better when she is there."),
    ("Int", "And the other days?"),
    ("Resp", "We do what we can, but a lot of people end up in jail because there is nowhere else."),
]


def text_of(turns, sep="\n\n"):
    """The source text and each turn's (start, end) span of its words (after the label)."""
    parts, spans, pos = [], [], 0
    for speaker, words in turns:
        if parts:
            pos += len(sep)
        prefix = f"{speaker}: "
        parts.append(prefix + words)
        spans.append((pos + len(prefix), pos + len(prefix) + len(words)))
        pos += len(parts[-1])
    return sep.join(parts) + "\n", spans


def crlf_spans(text, spans):
    """Spans counted in a file whose \\n became \\r\\n (NVivo counts \\r\\n as two)."""
    return [(s + text.count("\n", 0, s), e + text.count("\n", 0, e)) for s, e in spans]


def write(folder: str, qde: str, files: dict[str, bytes]) -> None:
    target = HERE / folder
    shutil.rmtree(target, ignore_errors=True)
    (target / "sources").mkdir(parents=True)
    (target / "project.qde").write_text(qde, encoding="utf-8", newline="\n")
    for name, data in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def nvivo() -> None:
    """NVivo 14 (Windows): lower-case GUIDs, BOM + CRLF sources (\\r\\n counted as two), a .docx beside each
    .txt, every node codable (codings on a parent), a case that is also a node of the code tree (same GUID)
    and codes the participant's passages, case classification, annotations as Notes, a Set,
    a picture source, a selection across two turns."""
    text, spans = text_of(INTERVIEW_A)
    s = crlf_spans(text, spans)
    raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    u = "5c94bc9e-db8c-4f1d-9cd6-e900c7440860"
    qde = (
        HEAD
        + f"""<Project xmlns="urn:QDA-XML:project:1.0" name="Crisis pilot (fictional)" origin="NVivo 14.23.2 (Windows)" creatingUserGUID="{u}" creationDateTime="2023-04-05T09:12:33Z" modifiedDateTime="2023-05-01T16:40:02Z">
  <Users>
    <User guid="{u}" name="Alex Morgan" id="AM"/>
    <User guid="1b7c1f0e-3c55-4c0b-9a8e-2f0d7f3c9d11" name="Sam Lee" id="SL"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="2dfba8c9-59f5-4424-99d6-ea9bce18134b" name="Crisis units" isCodable="true" color="#1F77B4">
        <Description>Talk about crisis stabilization units.</Description>
        <Code guid="2dfba8c9-59f5-4424-99d6-ea9bce18134c" name="No bed" isCodable="true"/>
        <Code guid="2dfba8c9-59f5-4424-99d6-ea9bce18134d" name="ED holding" isCodable="true"/>
      </Code>
      <Code guid="2dfba8c9-59f5-4424-99d6-ea9bce18134e" name="Staffing" isCodable="true"/>
      <Code guid="2dfba8c9-59f5-4424-99d6-ea9bce18134f" name="Repeat contact" isCodable="true"/>
      <Code guid="6d3f1c2a-0000-4000-8000-00000000c001" name="Participant 11" isCodable="true"/>
    </Codes>
  </CodeBook>
  <Variables>
    <Variable guid="6d3f1c2a-0000-4000-8000-00000000a001" name="Role" typeOfVariable="Text"/>
    <Variable guid="6d3f1c2a-0000-4000-8000-00000000a002" name="Years of service" typeOfVariable="Integer"/>
    <Variable guid="6d3f1c2a-0000-4000-8000-00000000a003" name="Rural" typeOfVariable="Boolean"/>
  </Variables>
  <Cases>
    <Case guid="6d3f1c2a-0000-4000-8000-00000000c001" name="Participant 11">
      <VariableValue><VariableRef targetGUID="6d3f1c2a-0000-4000-8000-00000000a001"/><TextValue>deputy</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="6d3f1c2a-0000-4000-8000-00000000a002"/><IntegerValue>12</IntegerValue></VariableValue>
      <VariableValue><VariableRef targetGUID="6d3f1c2a-0000-4000-8000-00000000a003"/><BooleanValue>true</BooleanValue></VariableValue>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="8e7fddfe-db36-48dc-b464-80c3a4decd90" name="Interview 11.docx" richTextPath="internal://8e7fddfe-db36-48dc-b464-80c3a4decd90.docx" plainTextPath="internal://8e7fddfe-db36-48dc-b464-80c3a4decd90.txt" creatingUser="{u}" creationDateTime="2023-04-05T09:20:00Z">
      <PlainTextSelection guid="08cbced0-d736-44c8-8fd6-eb4d29fe46c5" name="" startPosition="{s[1][0]}" endPosition="{s[1][1]}" creatingUser="{u}" creationDateTime="2023-04-06T10:00:00Z">
        <Coding guid="76414714-63c4-4a25-a47e-66fef80bd501" creatingUser="{u}" creationDateTime="2023-04-06T10:00:00Z"><CodeRef targetGUID="2dfba8c9-59f5-4424-99d6-ea9bce18134e"/></Coding>
        <Coding guid="76414714-63c4-4a25-a47e-66fef80bd502" creatingUser="1b7c1f0e-3c55-4c0b-9a8e-2f0d7f3c9d11" creationDateTime="2023-04-07T11:00:00Z"><CodeRef targetGUID="2dfba8c9-59f5-4424-99d6-ea9bce18134e"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="08cbced0-d736-44c8-8fd6-eb4d29fe46c6" name="" startPosition="{s[3][0]}" endPosition="{s[3][0] + 20}" creatingUser="{u}" creationDateTime="2023-04-06T10:01:00Z">
        <Coding guid="76414714-63c4-4a25-a47e-66fef80bd503" creatingUser="{u}" creationDateTime="2023-04-06T10:01:00Z"><CodeRef targetGUID="2dfba8c9-59f5-4424-99d6-ea9bce18134d"/></Coding>
        <NoteRef targetGUID="0f758eeb-d61d-4e91-b250-79861c3869a6"/>
      </PlainTextSelection>
      <PlainTextSelection guid="08cbced0-d736-44c8-8fd6-eb4d29fe46c7" name="" startPosition="{s[3][0] + 30}" endPosition="{s[3][1]}" creatingUser="{u}" creationDateTime="2023-04-06T10:02:00Z">
        <Coding guid="76414714-63c4-4a25-a47e-66fef80bd504" creatingUser="{u}" creationDateTime="2023-04-06T10:02:00Z"><CodeRef targetGUID="2dfba8c9-59f5-4424-99d6-ea9bce18134d"/></Coding>
        <Coding guid="76414714-63c4-4a25-a47e-66fef80bd505" creatingUser="{u}" creationDateTime="2023-04-06T10:02:00Z"><CodeRef targetGUID="2dfba8c9-59f5-4424-99d6-ea9bce18134b"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="08cbced0-d736-44c8-8fd6-eb4d29fe46c8" name="" startPosition="{s[4][0]}" endPosition="{s[5][1]}" creatingUser="1b7c1f0e-3c55-4c0b-9a8e-2f0d7f3c9d11" creationDateTime="2023-04-07T11:05:00Z">
        <Coding guid="76414714-63c4-4a25-a47e-66fef80bd506" creatingUser="1b7c1f0e-3c55-4c0b-9a8e-2f0d7f3c9d11" creationDateTime="2023-04-07T11:05:00Z"><CodeRef targetGUID="2dfba8c9-59f5-4424-99d6-ea9bce18134f"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="08cbced0-d736-44c8-8fd6-eb4d29fe46ca" name="" startPosition="{s[1][0]}" endPosition="{s[5][1]}" creatingUser="{u}" creationDateTime="2023-04-05T09:25:00Z">
        <Coding guid="76414714-63c4-4a25-a47e-66fef80bd507" creatingUser="{u}" creationDateTime="2023-04-05T09:25:00Z"><CodeRef targetGUID="6d3f1c2a-0000-4000-8000-00000000c001"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="08cbced0-d736-44c8-8fd6-eb4d29fe46c9" name="" startPosition="{s[5][0]}" endPosition="{s[5][0] + 11}" creatingUser="1b7c1f0e-3c55-4c0b-9a8e-2f0d7f3c9d11" creationDateTime="2023-04-07T11:06:00Z"/>
      <NoteRef targetGUID="4691a8a0-d67c-4dcc-91d6-e9075dc230cc"/>
    </TextSource>
    <PictureSource guid="361bcdb8-7d11-4343-a4cd-4130693eff76" name="Unit floor plan" path="internal://361bcdb8-7d11-4343-a4cd-4130693eff76.png">
      <PictureSelection guid="361bcdb8-7d11-4343-a4cd-4130693eff77" firstX="10" firstY="10" secondX="90" secondY="60">
        <Coding guid="361bcdb8-7d11-4343-a4cd-4130693eff78" creatingUser="{u}"><CodeRef targetGUID="2dfba8c9-59f5-4424-99d6-ea9bce18134c"/></Coding>
      </PictureSelection>
    </PictureSource>
  </Sources>
  <Notes>
    <Note guid="0f758eeb-d61d-4e91-b250-79861c3869a6" name="Annotation" creatingUser="{u}" creationDateTime="2023-04-06T10:03:00Z">
      <PlainTextContent>He means the hospital two counties over.</PlainTextContent>
    </Note>
    <Note guid="4691a8a0-d67c-4dcc-91d6-e9075dc230cc" name="Interview memo" richTextPath="internal://4691a8a0-d67c-4dcc-91d6-e9075dc230cc.docx" plainTextPath="internal://4691a8a0-d67c-4dcc-91d6-e9075dc230cc.txt" creatingUser="{u}" creationDateTime="2023-04-06T12:00:00Z"/>
    <Note guid="4691a8a0-d67c-4dcc-91d6-e9075dc230cd" name="Project journal" creatingUser="{u}">
      <PlainTextContent>Coding meeting moved to Friday.</PlainTextContent>
    </Note>
    <Note guid="0f758eeb-d61d-4e91-b250-79861c3869a7" name="Annotation" plainTextPath="internal://0f758eeb-d61d-4e91-b250-79861c3869a7.txt" creatingUser="1b7c1f0e-3c55-4c0b-9a8e-2f0d7f3c9d11" creationDateTime="2023-04-07T11:06:00Z"/>
  </Notes>
  <Links>
    <Link guid="4c0e5f2a-8a31-4f7e-9d55-3c1b7e2a9f01" direction="OneWay" originGUID="0f758eeb-d61d-4e91-b250-79861c3869a7" targetGUID="08cbced0-d736-44c8-8fd6-eb4d29fe46c9"/>
  </Links>
  <Sets>
    <Set guid="9a0c0305-e82c-4ad3-9a0c-0305e82c3399" name="Night shift">
      <MemberCode targetGUID="2dfba8c9-59f5-4424-99d6-ea9bce18134e"/>
    </Set>
  </Sets>
</Project>
"""
    )
    write(
        "nvivo",
        qde,
        {
            "sources/8e7fddfe-db36-48dc-b464-80c3a4decd90.txt": raw,
            "sources/8e7fddfe-db36-48dc-b464-80c3a4decd90.docx": _docx(text),
            "sources/4691a8a0-d67c-4dcc-91d6-e9075dc230cc.txt": "\ufeffCalled back twice; both visits rural.\r\n".encode(),
            "sources/4691a8a0-d67c-4dcc-91d6-e9075dc230cc.docx": _docx(
                "Called back twice; both visits rural."
            ),
            "sources/361bcdb8-7d11-4343-a4cd-4130693eff76.png": b"\x89PNG\r\n\x1a\n fictional placeholder",
            "sources/0f758eeb-d61d-4e91-b250-79861c3869a7.txt": "\ufeffThird call from him this month.".encode(),
        },
    )


def nvivo_mac() -> None:
    """NVivo for Mac: the .txt is empty and the .docx holds the text; positions count the .docx's paragraphs
    joined by a line break."""
    text, spans = text_of(INTERVIEW_B, sep="\n")
    g = "C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C01"
    u = "C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4CAA"
    qde = (
        HEAD
        + f"""<Project xmlns="urn:QDA-XML:project:1.0" name="Co-responder pilot (fictional)" origin="NVivo for Mac 20.7">
  <Users><User guid="{u}" name="Jordan Blake"/></Users>
  <CodeBook><Codes>
    <Code guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C10" name="Co-responder" isCodable="true"/>
    <Code guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C11" name="Jail as fallback" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{g}" name="Interview 12" richTextPath="internal://{g}.docx" plainTextPath="internal://{g}.txt" creatingUser="{u}">
      <PlainTextSelection guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C21" startPosition="{spans[1][0]}" endPosition="{spans[1][1]}" creatingUser="{u}">
        <Coding guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C31" creatingUser="{u}"><CodeRef targetGUID="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C10"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C22" startPosition="{spans[3][0]}" endPosition="{spans[3][1]}" creatingUser="{u}">
        <Coding guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C32" creatingUser="{u}"><CodeRef targetGUID="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C11"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
"""
    )
    write("nvivo-mac", qde, {f"sources/{g}.txt": b"", f"sources/{g}.docx": _docx(text.rstrip("\n"))})


def atlasti() -> None:
    """ATLAS.ti 23: braced upper-case GUIDs, CRLF source counted as one character per line end, a coder
    referenced but not declared, a note read from a file, a link, a project-level note."""
    text, spans = text_of(INTERVIEW_A)
    raw = text.replace("\n", "\r\n").encode("utf-8")
    g = "{A1B2C3D4-0000-4000-8000-0000000000F1}"
    ghost = "{A1B2C3D4-0000-4000-8000-00000000FFFF}"
    qde = (
        HEAD
        + f"""<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd" name="Crisis pilot ATLAS (fictional)" origin="ATLAS.ti 23.2.1" creatingUserGUID="{{A1B2C3D4-0000-4000-8000-0000000000AA}}">
  <Users><User guid="{{A1B2C3D4-0000-4000-8000-0000000000AA}}" name="Riley Chen"/></Users>
  <CodeBook><Codes>
    <Code guid="{{A1B2C3D4-0000-4000-8000-000000000001}}" name="Jail as fallback" isCodable="true" color="#D62728"/>
    <Code guid="{{A1B2C3D4-0000-4000-8000-000000000002}}" name="Staffing" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{g}" name="Interview 11.txt" plainTextPath="internal://{g[1:-1]}.txt" creatingUser="{{A1B2C3D4-0000-4000-8000-0000000000AA}}">
      <PlainTextSelection guid="{{A1B2C3D4-0000-4000-8000-0000000000E1}}" startPosition="{spans[1][0]}" endPosition="{spans[1][1]}" creatingUser="{{A1B2C3D4-0000-4000-8000-0000000000AA}}">
        <Coding guid="{{A1B2C3D4-0000-4000-8000-0000000000D1}}" creatingUser="{{A1B2C3D4-0000-4000-8000-0000000000AA}}"><CodeRef targetGUID="{{A1B2C3D4-0000-4000-8000-000000000002}}"/></Coding>
        <Coding guid="{{A1B2C3D4-0000-4000-8000-0000000000D2}}" creatingUser="{ghost}"><CodeRef targetGUID="{{a1b2c3d4-0000-4000-8000-000000000002}}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{{A1B2C3D4-0000-4000-8000-0000000000E2}}" startPosition="{spans[5][0]}" endPosition="{spans[5][1]}" creatingUser="{{A1B2C3D4-0000-4000-8000-0000000000AA}}">
        <Coding guid="{{A1B2C3D4-0000-4000-8000-0000000000D3}}" creatingUser="{{A1B2C3D4-0000-4000-8000-0000000000AA}}"><CodeRef targetGUID="{{A1B2C3D4-0000-4000-8000-000000000001}}"/></Coding>
        <NoteRef targetGUID="{{A1B2C3D4-0000-4000-8000-0000000000B1}}"/>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="{{A1B2C3D4-0000-4000-8000-0000000000B1}}" name="Quotation comment" plainTextPath="internal://A1B2C3D4-0000-4000-8000-0000000000B1.txt" creatingUser="{{A1B2C3D4-0000-4000-8000-0000000000AA}}"/>
    <Note guid="{{A1B2C3D4-0000-4000-8000-0000000000B2}}" name="Project memo" creatingUser="{{A1B2C3D4-0000-4000-8000-0000000000AA}}"><PlainTextContent>Second wave starts in May.</PlainTextContent></Note>
  </Notes>
  <Links>
    <Link guid="{{A1B2C3D4-0000-4000-8000-0000000000C1}}" name="contradicts" direction="OneWay" originGUID="{{A1B2C3D4-0000-4000-8000-0000000000E1}}" targetGUID="{{A1B2C3D4-0000-4000-8000-0000000000E2}}"/>
  </Links>
  <NoteRef targetGUID="{{A1B2C3D4-0000-4000-8000-0000000000B2}}"/>
</Project>
"""
    )
    write(
        "atlasti",
        qde,
        {
            f"sources/{g[1:-1]}.txt": raw,
            "sources/A1B2C3D4-0000-4000-8000-0000000000B1.txt": b"Repeat caller; see interview 4.",
        },
    )


def maxqda() -> None:
    """MAXQDA 2022: a capitalised Sources/ folder, plainTextPath without internal://, document variables on
    the source, a selection with only a memo (no coding), two codes of one name under one parent, a PDF,
    document groups (Sets of sources). \\r\\n line ends, each counted as one position, as `wei-qual project
    export --for maxqda` writes for MAXQDA (docs/exchange.md: unverified in MAXQDA itself)."""
    text, s = text_of(INTERVIEW_B)
    raw = text.replace("\n", "\r\n").encode("utf-8")
    qde = (
        HEAD
        + f"""<Project xmlns="urn:QDA-XML:project:1.0" name="Co-responder study (fictional)" origin="MAXQDA 2022 (Release 22.7.0)">
  <Users><User guid="5D2B49D0-9562-4DD3-9EE3-CE2B965E413C" name="Morgan Diaz" id="MD"/></Users>
  <CodeBook><Codes>
    <Code guid="86392BC1-A364-4904-A406-87A7E025EB01" name="Responses" isCodable="false" color="#F00">
      <Code guid="86392BC1-A364-4904-A406-87A7E025EB02" name="Clinician" isCodable="true"/>
      <Code guid="86392BC1-A364-4904-A406-87A7E025EB03" name="Clinician" isCodable="true"/>
      <Code guid="86392BC1-A364-4904-A406-87A7E025EB04" name="Jail" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="86392BC1-A364-4904-A406-87A7E025EBA1" name="Setting" typeOfVariable="Text"/>
    <Variable guid="86392BC1-A364-4904-A406-87A7E025EBA2" name="Interview date" typeOfVariable="Date"/>
  </Variables>
  <Sources>
    <TextSource guid="86392BC1-A364-4904-A406-87A7E025EBF7" name="Interview 12" plainTextPath="86392BC1-A364-4904-A406-87A7E025EBF7.txt" creatingUser="5D2B49D0-9562-4DD3-9EE3-CE2B965E413C" creationDateTime="2022-11-10T18:01:23Z">
      <PlainTextSelection guid="BB652E1B-5CCC-4AA3-9C7F-E5D9BD99F601" startPosition="{s[1][0]}" endPosition="{s[1][1]}" creatingUser="5D2B49D0-9562-4DD3-9EE3-CE2B965E413C" creationDateTime="2022-11-10T18:05:00Z">
        <Coding guid="2E0A7A4D-453B-4A1B-9784-4FC5B8432801" creatingUser="5D2B49D0-9562-4DD3-9EE3-CE2B965E413C"><CodeRef targetGUID="86392BC1-A364-4904-A406-87A7E025EB02"/></Coding>
        <Coding guid="2E0A7A4D-453B-4A1B-9784-4FC5B8432802" creatingUser="5D2B49D0-9562-4DD3-9EE3-CE2B965E413C"><CodeRef targetGUID="86392BC1-A364-4904-A406-87A7E025EB03"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="BB652E1B-5CCC-4AA3-9C7F-E5D9BD99F602" startPosition="{s[3][0]}" endPosition="{s[3][1]}" creatingUser="5D2B49D0-9562-4DD3-9EE3-CE2B965E413C">
        <Description>Strong statement about jail.</Description>
      </PlainTextSelection>
      <PlainTextSelection guid="BB652E1B-5CCC-4AA3-9C7F-E5D9BD99F603" startPosition="{s[3][0]}" endPosition="{s[3][1]}" creatingUser="5D2B49D0-9562-4DD3-9EE3-CE2B965E413C">
        <Coding guid="2E0A7A4D-453B-4A1B-9784-4FC5B8432803" creatingUser="5D2B49D0-9562-4DD3-9EE3-CE2B965E413C"><CodeRef targetGUID="86392BC1-A364-4904-A406-87A7E025EB04"/></Coding>
      </PlainTextSelection>
      <VariableValue><VariableRef targetGUID="86392BC1-A364-4904-A406-87A7E025EBA1"/><TextValue>urban</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="86392BC1-A364-4904-A406-87A7E025EBA2"/><DateValue>2022-10-03</DateValue></VariableValue>
    </TextSource>
    <PDFSource guid="86392BC1-A364-4904-A406-87A7E025EBF8" name="County protocol" path="internal://86392BC1-A364-4904-A406-87A7E025EBF8.pdf">
      <PDFSelection guid="86392BC1-A364-4904-A406-87A7E025EBF9" page="1" firstX="1" firstY="1" secondX="50" secondY="20">
        <Coding guid="2E0A7A4D-453B-4A1B-9784-4FC5B8432804" creatingUser="5D2B49D0-9562-4DD3-9EE3-CE2B965E413C"><CodeRef targetGUID="86392BC1-A364-4904-A406-87A7E025EB04"/></Coding>
      </PDFSelection>
    </PDFSource>
  </Sources>
  <Sets>
    <Set guid="46467993-B426-49DD-9707-B5958EBA9870" name="Night shift">
      <Description>Interviews with night-shift deputies</Description>
      <MemberSource targetGUID="86392BC1-A364-4904-A406-87A7E025EBF7"/>
    </Set>
    <Set guid="46467993-B426-49DD-9707-B5958EBA9871" name="Wave 2">
      <MemberSource targetGUID="86392BC1-A364-4904-A406-87A7E025EBF8"/>
    </Set>
  </Sets>
</Project>
"""
    )
    write(
        "maxqda",
        qde,
        {
            "Sources/86392BC1-A364-4904-A406-87A7E025EBF7.txt": raw,
            "Sources/86392BC1-A364-4904-A406-87A7E025EBF8.pdf": b"%PDF-1.4 fictional placeholder",
        },
    )
    shutil.rmtree(HERE / "maxqda" / "sources")


def qualcoder() -> None:
    """QualCoder 3.5: a BOM before the XML and before the source's text, a code without isCodable, categories not codable, a transcript
    without speaker labels (one segment per paragraph), cases with SourceRef, a coding memo as a note."""
    paragraphs = [
        "We get maybe ten crisis calls a week in this district.",
        "Most of them end at the hospital because the unit is full.",
        "When the unit has a bed, the drop-off takes twenty minutes.",
    ]
    text = "\n\n".join(paragraphs) + "\n"
    starts = [text.index(p) for p in paragraphs]
    u = "df241da2-bca0-4ad9-83c1-b89c98d83567"
    qde = (
        "\ufeff"
        + HEAD
        + f"""<Project xmlns="urn:QDA-XML:project:1.0" name="District notes (fictional)" origin="QualCoder 3.5" creatingUserGUID="{u}">
<Users>
<User guid="{u}" name="default"/>
</Users>
<CodeBook>
<Codes>
<Code guid="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a10" name="Destinations" isCodable="false">
<Code guid="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a11" name="Hospital" isCodable="true" color="#9467bd"/>
<Code guid="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a12" name="Crisis unit"/>
</Code>
</Codes>
</CodeBook>
<Variables>
<Variable guid="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a20" name="District" typeOfVariable="Text"/>
</Variables>
<Cases>
<Case guid="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a30" name="Sergeant K">
<VariableValue><VariableRef targetGUID="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a20"/><TextValue>North</TextValue></VariableValue>
<SourceRef targetGUID="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a40"/>
</Case>
</Cases>
<Sources>
<TextSource guid="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a40" name="district_notes.txt" plainTextPath="internal://7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a40.txt" creatingUser="{u}" creationDateTime="2024-01-15T23:37:54Z">
<PlainTextSelection guid="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a50" startPosition="{starts[1]}" endPosition="{starts[1] + len(paragraphs[1])}" name={quoteattr(paragraphs[1])} creatingUser="{u}" creationDateTime="2024-01-15T23:40:00Z">
<Coding guid="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a60" creatingUser="{u}" >
<CodeRef targetGUID="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a11" />
</Coding>
</PlainTextSelection>
<PlainTextSelection guid="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a51" startPosition="{starts[2]}" endPosition="{starts[2] + len(paragraphs[2])}" name={quoteattr(escape(paragraphs[2]))} creatingUser="{u}" creationDateTime="2024-01-15T23:41:00Z">
<Coding guid="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a61" creatingUser="{u}" >
<CodeRef targetGUID="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a12" />
<NoteRef targetGUID="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a70"/>
</Coding>
</PlainTextSelection>
<NoteRef targetGUID="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a71"/>
</TextSource>
</Sources>
<Notes>
<Note guid="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a70" creatingUser="{u}">
<PlainTextContent>Fast when a bed is free.</PlainTextContent>
</Note>
<Note guid="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a71" creatingUser="{u}" creationDateTime="2024-01-16T09:00:00Z" >
<PlainTextContent>Ten a week is the sergeant's estimate.</PlainTextContent>
<PlainTextSelection guid="7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a52" startPosition="{starts[0] + 12}" endPosition="{starts[0] + 33}" />
</Note>
</Notes>
</Project>
"""
    )
    target = HERE / "qualcoder"
    # refi.py writes a source's plain text with encoding "utf-8-sig": a BOM its positions do not count
    write("qualcoder", "", {"sources/7b0e4f4a-2c38-4e4b-9d57-2d8c1b3f0a40.txt": text.encode("utf-8-sig")})
    (target / "project.qde").write_bytes(qde.encode("utf-8"))


def codebook_only() -> None:
    """A project that holds only a codebook: no users, no sources."""
    qde = (
        HEAD
        + """<Project xmlns="urn:QDA-XML:project:1.0" name="Codebook draft (fictional)" origin="MAXQDA 2024">
  <CodeBook><Codes>
    <Code guid="0a4a7c4e-1b2c-4d3e-8f40-5a6b7c8d9e01" name="Homelessness" isCodable="true"><Description>Housing loss mentioned.</Description></Code>
    <Code guid="0a4a7c4e-1b2c-4d3e-8f40-5a6b7c8d9e02" name="Domestic violence" isCodable="true"/>
  </Codes></CodeBook>
</Project>
"""
    )
    write("codebook-only", qde, {})
    (HERE / "codebook-only" / "sources").rmdir()


def _docx(text: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


if __name__ == "__main__":
    nvivo()
    nvivo_mac()
    atlasti()
    maxqda()
    qualcoder()
    codebook_only()
