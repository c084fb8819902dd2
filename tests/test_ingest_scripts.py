"""Speaker labels in scripts other than Latin: Cyrillic and Greek have capitals, read as Latin ones are;
Hebrew and Arabic have none, so a label there is told from a sentence's opening words by how many turns
it starts (as a lower-case user name is), never by its case. Fictional interviews about crisis calls."""

from __future__ import annotations

import re

import pytest

from wei_qual.ingest import parse_transcript
from wei_qual.ingest.roles import asks_question
from wei_qual.models import count_words

HEBREW = """\
מראיין: ספרי לי על השיחה האחרונה שקיבלת.

רונית: התקשר אדם בלילה, הוא היה במצוקה קשה.

מראיין: מה עשית אז?

רונית: דיברתי איתו הרבה זמן. אמרתי לו:
אמרתי לו: אנחנו כאן בשבילך, נשלח מישהו.

מראיין: מי הגיע בסוף?

רונית: שלחתי את הצוות המשותף עם השוטר.

מראיין: ואיך זה נגמר?

רונית: הוא הגיע ליחידת ייצוב המשבר בבוקר.
אמרתי לו: תתקשר אלינו שוב אם צריך.
"""

ARABIC = """\
المحاور: حدثيني عن آخر مكالمة تلقيتها.

سلمى: اتصل رجل في الليل، كان في ضائقة شديدة.

المحاور: ماذا فعلتِ بعد ذلك؟

سلمى: تحدثت معه طويلا. قلت له:
قلت له: نحن هنا من أجلك، سنرسل أحدا.

المحاور: من جاء في النهاية؟

سلمى: أرسلت الفريق المشترك مع الشرطي.

المحاور: وكيف انتهى الأمر؟

سلمى: وصل إلى وحدة تثبيت الأزمات في الصباح.
قلت له: اتصل بنا مرة أخرى إذا احتجت.
"""

RUSSIAN = """\
Интервьюер: Расскажите о последнем звонке.

Ольга: Позвонил мужчина ночью, он был в тяжёлом состоянии.

Интервьюер: Что вы сделали?

Ольга: Я долго с ним говорила. Потом сказала:
потом сказала: мы рядом, к вам приедут.

Интервьюер: Кто приехал?

Ольга: Мобильная бригада вместе с полицией.
потом сказала: звоните нам ещё.
"""


@pytest.mark.parametrize(
    ("text", "interviewer", "participant", "said"),
    [
        (HEBREW, "מראיין", "רונית", "אמרתי לו:"),
        (ARABIC, "المحاور", "سلمى", "قلت له:"),
        (RUSSIAN, "Интервьюер", "Ольга", "потом сказала:"),
    ],
    ids=["hebrew", "arabic", "russian"],
)
def test_labels_in_other_scripts_are_read_and_a_sentence_before_a_colon_stays_text(
    text, interviewer, participant, said, tmp_path
):
    # Hebrew and Arabic labels used to be no labels at all (every turn the participant's, one speaker).
    # A sentence's opening words before a colon, twice here ("I told him:"), stay in the turn: in a
    # script without capitals they would otherwise be a speaker, as a capitalised name heard twice is.
    path = tmp_path / "C07.txt"
    path.write_text(text, encoding="utf-8")
    t = parse_transcript(path)
    turns = 4 if text is not RUSSIAN else 3
    assert [s.speaker for s in t.segments] == [interviewer, participant] * turns
    assert [(s.label, s.role) for s in t.speakers] == [
        (interviewer, "interviewer"),
        (participant, "participant"),
    ]
    assert sum(s.text.count(said) for s in t.segments) == 2 + (text is not RUSSIAN)


def test_a_hebrew_name_alone_over_its_turn_is_a_label(tmp_path):
    # Each speaker's name on a line of its own, the turn below it, as some transcribers lay a turn out.
    path = tmp_path / "C08.txt"
    path.write_text(
        "מראיין\nספרי לי על השיחה האחרונה שקיבלת.\n\nרונית\nהתקשר אדם בלילה, הוא היה במצוקה קשה.\n\n"
        "מראיין\nמה עשית אז?\n\nרונית\nשלחתי את הצוות המשותף עם השוטר.\n",
        encoding="utf-8",
    )
    t = parse_transcript(path)
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("מראיין", "interviewer"),
        ("רונית", "participant"),
    ] * 2


# Greek writes its question mark as `;` (U+037E, or the ASCII `;` it decomposes to, as Greek keyboards type
# it); Armenian's `՞` sits over the stressed vowel inside the word; Ethiopic's is `፧`; Chinese the full-width
# `？` (its labels' colon full-width too: `王丽：`). Named speakers, so only the questions can tell who interviews. Before, none of them asked, and the
# interviewer was read as a participant beside the one interviewed.
GREEK = """\
Μαρία: Πείτε μου για την τελευταία κλήση που δεχτήκατε.

Νίκος: Ένας άνδρας τηλεφώνησε τη νύχτα, ήταν σε μεγάλη κρίση. Μιλήσαμε πολλή ώρα.

Μαρία: Τι κάνατε μετά;

Νίκος: Στείλαμε την κοινή ομάδα με τον αστυνομικό. Έφτασαν σε είκοσι λεπτά.

Μαρία: Ποιος ήρθε τελικά;

Νίκος: Ήρθε ο νοσηλευτής και ένας αστυνομικός με πολιτικά· δεν χρειάστηκε ασθενοφόρο.

Μαρία: Και πώς τελείωσε;

Νίκος: Τον πήγαμε στη μονάδα σταθεροποίησης κρίσεων το πρωί.
"""

ARMENIAN = """\
Անի: Պատմեք վերջին զանգի մասին։

Արամ: Զանգահարեց մի տղամարդ գիշերը, նա ծանր վիճակում էր։ Երկար խոսեցինք։

Անի: Ի՞նչ արեցիք հետո։

Արամ: Ուղարկեցինք համատեղ թիմը ոստիկանի հետ։ Նրանք եկան քսան րոպեում։

Անի: Ո՞վ եկավ վերջում։

Արամ: Եկավ բուժքույրը և մի ոստիկան։

Անի: Ինչպե՞ս ավարտվեց։

Արամ: Տարանք ճգնաժամային կենտրոն առավոտյան։
"""

AMHARIC = """\
ሄለን: ስለ መጨረሻው ጥሪ ንገረኝ።

ዳዊት: አንድ ሰው ማታ ደወለ። በጣም ተጨንቆ ነበር። ብዙ ጊዜ ተነጋገርን።

ሄለን: ከዚያ ምን አደረጋችሁ፧

ዳዊት: የጋራ ቡድኑን ከፖሊስ ጋር ላክን። በሃያ ደቂቃ ደረሱ።

ሄለን: በመጨረሻ ማን መጣ፧

ዳዊት: ነርሷ እና አንድ ፖሊስ መጡ።

ሄለን: እንዴት አለቀ፧

ዳዊት: ጠዋት ወደ ቀውስ ማረጋጊያ ክፍል ወሰድነው።
"""

CHINESE = """\
王丽：请跟我说说您最近接到的一次求助电话。

陈刚：一个男人半夜打来电话，情绪非常激动。我们聊了很久。

王丽：之后你们做了什么？

陈刚：我们派了和警察一起的联合小组。二十分钟就到了。

王丽：最后是谁来的？

陈刚：来了一位护士和一名便衣警察。

王丽：结果怎么样？

陈刚：早上我们把他送到了危机稳定中心。
"""


@pytest.mark.parametrize(
    ("text", "interviewer", "participant", "asked"),
    [
        # Greek's `Πείτε μου για...` ("Tell me about...") is a prompt, as "Tell me about" is
        (GREEK, "Μαρία", "Νίκος", 4),
        (GREEK.replace(";", "\u037e"), "Μαρία", "Νίκος", 4),
        (ARMENIAN, "Անի", "Արամ", 3),
        (AMHARIC, "ሄለን", "ዳዊት", 3),
        (CHINESE, "王丽", "陈刚", 3),
    ],
    ids=["greek-ascii-semicolon", "greek-question-mark", "armenian", "amharic", "chinese"],
)
def test_other_scripts_question_marks_ask(text, interviewer, participant, asked, tmp_path):
    path = tmp_path / "C09.txt"
    path.write_text(text, encoding="utf-8")
    t = parse_transcript(path)
    assert [(s.label, s.role, s.questions) for s in t.speakers] == [
        (interviewer, "interviewer", asked),
        (participant, "participant", 0),
    ]
    assert t.roles == "inferred"


def test_a_semicolon_outside_greek_asks_nothing(tmp_path):
    # `;` asks only after a Greek letter: an English semicolon is a semicolon, and the speaker who asks
    # (with `?`) is still the interviewer beside one who writes many.
    path = tmp_path / "C10.txt"
    path.write_text(
        "Dana: We wait; they come; we wait again.\n\nSam: What then?\n\nDana: We go; the unit stays.\n\n"
        "Sam: Who decides?\n\nDana: The sergeant; always the sergeant.\n\nSam: And after that?\n\n"
        "Dana: Paperwork; lots of it.\n",
        encoding="utf-8",
    )
    t = parse_transcript(path)
    assert [(s.label, s.role, s.questions) for s in t.speakers] == [
        ("Dana", "participant", 0),
        ("Sam", "interviewer", 3),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "\n".join(re.split(r": |：", line, maxsplit=1)[1] for line in script.splitlines() if line)
        for script in (GREEK, ARMENIAN, AMHARIC, CHINESE)
    ],
    ids=["greek", "armenian", "amharic", "chinese"],
)
def test_whisper_lines_in_other_scripts_are_paragraphs(text, tmp_path):
    # Whisper's .txt: a line per segment heard, no labels, no blank lines; each line ends a sentence with
    # its script's mark (`։`, `።`, `。`, Greek `;`). Before, only `.?!…` ended one there, and the whole
    # interview was one segment.
    path = tmp_path / "C11.txt"
    path.write_text(text + "\n", encoding="utf-8")
    t = parse_transcript(path)
    assert len(t.segments) == 8


# Hebrew abbreviations in labels: the interviewer `מ׳` (geresh) and `עו״ס` (social worker, with gershayim)
# before a name, or typed with the ASCII `'` and `"` as most keyboards do. Before, a label with gershayim
# was text: the turns it starts went into the interviewer's turn before.
HEBREW_ABBREVIATED = """\
מ׳: ספרי לי על השיחה האחרונה שקיבלת.

עו״ס רונית: התקשר אדם בלילה, הוא היה במצוקה קשה.

מ׳: מה עשית אז?

עו״ס רונית: דיברתי איתו הרבה זמן ושלחתי את הצוות.

מ׳: מי הגיע בסוף?

עו״ס רונית: שלחתי את הצוות המשותף עם השוטר, "בלי סירנה".

מ׳: ואיך זה נגמר?

עו״ס רונית: הוא הגיע ליחידת ייצוב המשבר בבוקר.
"""


@pytest.mark.parametrize("typed", [False, True], ids=["gershayim", "ascii-quotes"])
def test_hebrew_labels_with_geresh_and_gershayim(typed, tmp_path):
    text = HEBREW_ABBREVIATED.replace("׳", "'").replace("״", '"') if typed else HEBREW_ABBREVIATED
    interviewer, participant = ("מ'", 'עו"ס רונית') if typed else ("מ׳", "עו״ס רונית")
    path = tmp_path / "C12.txt"
    path.write_text(text, encoding="utf-8")
    t = parse_transcript(path)
    assert [s.speaker for s in t.segments] == [interviewer, participant] * 4
    assert [(s.label, s.role) for s in t.speakers] == [
        (interviewer, "interviewer"),
        (participant, "participant"),
    ]
    assert '"בלי סירנה"' in t.segments[5].text  # a quotation's marks are no gershayim


def test_greek_tag_questions_ask_nothing(tmp_path):
    # A Greek participant ends statements with `ξέρεις;` ("you know?"), `έτσι δεν είναι;` ("isn't it?"),
    # `καταλαβαίνεις;`, as an English one says "you know?": no questions, or the participant, asking in
    # every turn, would stand beside the interviewer as a second questioner (roles `review`).
    answers = [
        "Ένας άνδρας τηλεφώνησε τη νύχτα, ήταν σε μεγάλη κρίση, ξέρεις; Μιλήσαμε πολλή ώρα μαζί του.",
        "Στείλαμε την κοινή ομάδα. Έφτασαν σε είκοσι λεπτά, που είναι γρήγορα, έτσι δεν είναι;",
        "Ήρθε ο νοσηλευτής με έναν αστυνομικό, καταλαβαίνεις; Δεν ήθελαν να τον τρομάξουν.",
        "Τον πήγαμε στη μονάδα σταθεροποίησης κρίσεων το πρωί, ξέρετε;",
    ]
    lines = [line for line in GREEK.splitlines() if line.startswith("Μαρία")]
    path = tmp_path / "C13.txt"
    path.write_text("".join(f"{q}\n\nΝίκος: {a}\n\n" for q, a in zip(lines, answers)), encoding="utf-8")
    t = parse_transcript(path)
    assert [(s.label, s.role, s.questions) for s in t.speakers] == [
        ("Μαρία", "interviewer", 4),
        ("Νίκος", "participant", 0),
    ]
    assert t.roles == "inferred"


JAPANESE = """\
I：最近受けた相談の電話について教えてください。

A：夜中に男性から電話がありました。とても動揺していました。
私は言いました：大丈夫ですよ。

I：そのあとどうしましたか？

A：警察と一緒に共同チームを派遣しました。二十分で着きました。

I：最後に誰が来ましたか？

A：看護師と私服の警察官が来ました。
私は言いました：また電話してください。
"""


@pytest.mark.parametrize(
    ("text", "interviewer", "participant"),
    [
        (CHINESE, "王丽", "陈刚"),
        (JAPANESE, "I", "A"),
        (JAPANESE.replace("I：", "聞き手：").replace("A：", "佐藤："), "聞き手", "佐藤"),
    ],
    ids=["chinese", "japanese-letters", "japanese-names"],
)
def test_labels_with_a_full_width_colon(text, interviewer, participant, tmp_path):
    # Chinese and Japanese write a label's colon full-width, with no space after it. Before, such a
    # transcript had no labels at all: every turn nobody's, the interviewer's questions coded as speech.
    # "I said:" before a full-width colon, twice, stays text of the turn.
    path = tmp_path / "C14.txt"
    path.write_text(text, encoding="utf-8")
    t = parse_transcript(path)
    assert [(s.label, s.role) for s in t.speakers] == [
        (interviewer, "interviewer"),
        (participant, "participant"),
    ]
    assert [s.speaker for s in t.segments] == [interviewer, participant] * (len(t.segments) // 2)
    assert t.segments[1].text.startswith(("一个男人", "夜中に"))
    assert sum(s.text.count("私は言いました：") for s in t.segments) == 2 * (text is not CHINESE)


# Questions whose mark was left out, as speech recognition and hurried typists leave them: a Chinese
# particle at the end (`吗`, `呢` after a question word), a Greek question word at the start or a prompt
# (`Πείτε μου`). Named speakers, so only the questions can tell who interviews. Before, the interviewer
# asked nothing (roles `review`, "no speaker asks a question"), or, with one real `？` each side, the
# participant asking a question back was taken for the interviewer.
CHINESE_UNMARKED = """\
张丽：您在巡逻岗位工作多久了呢
王伟：大概九年了，主要是夜班。我们经常接到精神危机的电话，有时候一个晚上三四次。你说这样谁受得了？
张丽：您能讲讲最近一次危机出警吗。
王伟：上个月一个男子站在桥上。我们等了两个小时，危机小组才到。他还在桥上呢。
张丽：请您谈谈当时有没有临床医生
王伟：没有。我们县里晚上没有临床医生，只有白天才有，不是吗。所以晚上基本上都是我们自己处理。
张丽：那危机稳定中心会接收他吗
王伟：要看情况。如果他喝了酒，中心就不收，我们只能把他送到急诊室或者拘留所。
"""
GREEK_UNMARKED = """\
Ελένη: Πόσο καιρό δουλεύετε στην περιπολία.
Νίκος: Περίπου εννέα χρόνια, κυρίως νυχτερινές βάρδιες. Γιατί δεν είχαμε άλλους. Ποιος αντέχει τόσες βάρδιες;
Ελένη: Πείτε μου για την τελευταία κλήση κρίσης
Νίκος: Ένας άντρας στεκόταν στη γέφυρα. Τι να σας πω. Περιμέναμε δύο ώρες την ομάδα κρίσης.
Ελένη: Και πού τον πήγατε μετά
Νίκος: Στα επείγοντα. Πώς να το πω, το κέντρο δεν τον δέχτηκε γιατί είχε πιει.
Ελένη: Ποιος αποφάσισε τελικά…
Νίκος: Ο λοχίας, όπως πάντα.
"""


@pytest.mark.parametrize(
    ("text", "interviewer", "participant"),
    [(CHINESE_UNMARKED, "张丽", "王伟"), (GREEK_UNMARKED, "Ελένη", "Νίκος")],
    ids=["chinese", "greek"],
)
def test_questions_without_their_mark_ask(text, interviewer, participant, tmp_path):
    path = tmp_path / "C14.txt"
    path.write_text(text, encoding="utf-8")
    t = parse_transcript(path)
    # The participant's one real question asks; `他还在桥上呢` ("he is still on the bridge"), `，不是吗`
    # (a tag), `Γιατί` ("because"), `Τι να σας πω` and `Πώς να το πω` (fillers) do not.
    assert [(s.label, s.role, s.questions) for s in t.speakers] == [
        (interviewer, "interviewer", 4),
        (participant, "participant", 1),
    ]
    assert t.roles == "inferred"


@pytest.mark.parametrize(
    "statement",
    [
        "他还在桥上呢。",
        "我们就这样走了，不是吗。",
        "我也不知道呢",
        "Γιατί δεν είχαμε κλινικό.",
        "Τι να κάνουμε.",
        "Ποιος ξέρει.",
    ],
)
def test_statements_ending_or_opening_so_ask_nothing(statement):
    assert not asks_question(statement)


@pytest.mark.parametrize(
    "question",
    [
        "您在这里工作多久了呢",
        "那夜班呢",
        "您能讲讲吗。",
        "請您談談那次出警",
        "Πόσο καιρό δουλεύετε.",
        "Και πότε ήρθαν",
    ],
)
def test_questions_without_their_mark_ask_alone(question):
    assert asks_question(question)


def test_chinese_and_japanese_characters_count_as_words(tmp_path):
    # Written with no space between words, each character is a word, as Word counts them: a turn of any
    # length was one word, so no Chinese turn was ever long (`long_turn`), and turn lengths told roles nothing.
    assert count_words("王丽：我们到了。") == 6
    assert count_words("我们用 CIT 培训，two hours。") == 8
    assert count_words("最近受けた相談") == 7
    assert count_words("Ένας άνδρας τηλεφώνησε.") == 3
    path = tmp_path / "C15.txt"
    text = CHINESE_UNMARKED.replace("所以晚上", "所以晚上" + "我们一直等着。" * 300)
    path.write_text(text, encoding="utf-8")
    t = parse_transcript(path)

    def han(label: str) -> int:  # counted by hand: the Han characters of the speaker's lines, less the label
        lines = [line for line in text.splitlines() if line.startswith(label + "：")]
        return sum("\u4e00" <= c <= "\u9fff" for line in lines for c in line) - len(label) * len(lines)

    assert [(s.label, s.words) for s in t.speakers] == [("张丽", han("张丽")), ("王伟", han("王伟"))]
    assert han("王伟") > 1800
    assert [w.kind for w in t.warnings] == ["long_turn"]
