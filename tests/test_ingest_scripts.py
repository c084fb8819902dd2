"""Speaker labels in scripts other than Latin: Cyrillic and Greek have capitals, read as Latin ones are;
Hebrew and Arabic have none, so a label there is told from a sentence's opening words by how many turns
it starts (as a lower-case user name is), never by its case. Fictional interviews about crisis calls."""

from __future__ import annotations

import pytest

from wei_qual.ingest import parse_transcript

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
