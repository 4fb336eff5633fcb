"""A labelled test set for the de-identification detectors (journal_app/core/deid.py).

Every passage is invented: the people, numbers, addresses and places are made up (phone numbers
use 555 and other reserved ranges, emails use example domains, IPs documentation ranges).
Expected identifiers are marked inline as ``{category:text}``; :func:`parse` turns a passage
into its plain text and the expected spans. Passages without marks carry no identifier and test
precision (ordinary words that look like names, years, scores and doses).

``CORPUS`` is the set the detectors were developed against. ``HOLDOUT`` was written afterwards
and never used to tune them: its figures are the honest estimate (both are reported by
``scripts/deid_report.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARK = re.compile(r"\{(\w+):([^{}]+)\}")


@dataclass(frozen=True)
class Passage:
    text: str
    spans: tuple[tuple[int, int, str], ...]
    names: tuple[str, ...] = ()


def parse(marked: str, names: tuple[str, ...] = ()) -> Passage:
    """The plain text of a marked passage and its expected (start, end, category) spans."""
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    length = 0
    for m in _MARK.finditer(marked):
        before = marked[pos:m.start()]
        out.append(before)
        length += len(before)
        category, value = m.group(1), m.group(2)
        spans.append((length, length + len(value), category))
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(marked[pos:])
    return Passage("".join(out), tuple(spans), names)


# (marked passage, the user's list of names)
_CORPUS: list[tuple[str, tuple[str, ...]]] = [
    # ---- names in context, dates, ages, record numbers
    ("Mrs. {name:Lopez}, a {age:92}-year-old woman with heart failure, was admitted on "
     "{date:March 14, 2024}. Her daughter {name:Grace} stayed the whole night. "
     "MRN {record:00448812}.", ()),
    ("I met Mr. {name:Okafor} on {date:3/14/2024} during my medicine clerkship. He asked me to "
     "call his wife, {name:Ngozi}, at {phone:(555) 201-3344} because he could not find his "
     "phone.", ()),
    ("The family meeting was on {date:14 March 2024}. The patient's son {name:Daniel} wanted "
     "everything done; his sister {name:Priya} did not. I felt caught between them.", ()),
    ("Dr. {name:Feldstein} told me afterwards that I had done well. I did not believe her. "
     "We lost Mr. {name:Haddad} at 04:10 on {date:2024-03-16}.", ()),
    ("{name:Samira Haddad} came in from {place:Millbrook} on {date:3/14}. She is aged {age:94} "
     "and lives alone with her cat.", ()),
    ("Our patient, a {age:96} y/o man, kept asking for {name:Eleanor}, his late wife. The "
     "nurse {name:Tom} sat with him while I wrote notes.", ()),
    ("Chart # {record:7781-2290}. Patient ID {record:PT-448812}. I keep thinking about how "
     "small she looked in the bed.", ()),
    ("Medical record number: {record:A00912834}. Seen on {date:Mar. 14th} by the palliative "
     "team; the resident named {name:Jonah} led the conversation.", ()),
    ("{name:Maria}'s husband said they had been married since 1956. He is {age:91} years old "
     "and still drives to the hospital every day.", ()),
    ("She was a {age:ninety-three}-year-old retired teacher. Her grandson {name:Mateo} read to "
     "her from a poetry book on {date:Christmas Eve}.", ()),
    ("On Sunday, {date:14 April}... no, it was {date:April 15}: the day Mr. {name:Nguyen}'s "
     "daughter arrived from {place:Houston}.", ()),
    ("Age {age:97}, DNR/DNI, comfort care only. Family at bedside: wife {name:Rosa}, sons "
     "{name:Luis} and {name:Pedro}.", ()),
    # ---- phones, fax, email, url, ip
    ("The daughter's cell is {phone:555-867-5309} and the home number is {phone:555.201.7788}. "
     "Fax the POLST to {fax:(555) 440-1200}.", ()),
    ("Hospice intake: phone {phone:+1 555 301 4400 ext. 12}, fax: {fax:555-301-4401}. "
     "Ask for the on-call nurse.", ()),
    ("I emailed {email:j.okafor@example.com} and copied "
     "{email:palliative-team@hospital.example.org} with the summary, then felt I had "
     "overstepped.", ()),
    ("The support group meets online; the link is {url:https://support.example.org/groups/grief} "
     "and the backup is {url:www.example.net/grief}.", ()),
    ("My mentor in {place:London} gave me her number, {phone:+44 20 7946 0958}, and said to "
     "call any time. I have not called yet.", ()),
    ("Pager {phone:4471} went off six times during the family meeting. I switched it to my "
     "co-resident, {name:Aisha}.", ()),
    ("The remote monitoring box at home kept dropping; IT said its address was "
     "{ip:192.0.2.44} and the gateway {ip:2001:db8::7}.", ()),
    ("Call the daughter on {phone:07700 900123} (UK mobile) after 6pm; she prefers texts.",
     ()),
    ("Left a voicemail at {phone:555-0134}. Faxed the records to {fax:555-0199} as well.", ()),
    # ---- plan, account, licence, vehicle, device, ssn, number
    ("Insurance member ID {plan:XJH884421001}; group number {plan:77120}. The denial letter "
     "made his wife cry at the desk.", ()),
    ("His Medicare number {plan:1EG4-TE5-MK73} was wrong on the form, so the transfer was "
     "delayed by a day.", ()),
    ("The billing office quoted account number {account:55-991-2034}. I had no idea how much "
     "the bills weighed on them.", ()),
    ("He showed me his driver's license {licence:D1234567} to prove he was the health care "
     "proxy. Later I learned the DEA number {licence:AB1234563} on the script was mine.", ()),
    ("The car in the ambulance bay had plate {vehicle:7ABC123}; security asked us to find the "
     "owner. VIN {vehicle:1HGCM82633A004352}.", ()),
    ("Pacemaker serial number {device:PJN884213K} was read out before the deactivation, and I "
     "wondered if his family understood.", ()),
    ("Her SSN {ssn:123-45-6789} was printed on the old face sheet, which should never happen.",
     ()),
    ("The social worker wrote the social security number as {ssn:987 65 4321} on the sticky "
     "note.", ()),
    ("Reference {number:CASE-20240314-77} for the incident report. I filed it but felt sick "
     "about it.", ()),
    ("The hospital number {record:H0098812} and the old lab accession {number:88812345} were "
     "both on the wristband.", ()),
    ("The pump (device ID {device:INF-22918-B}) alarmed all night.", ()),
    # ---- addresses, places, zips
    ("They live at {address:1423 Oak Street, Apt 4B}, {place:Springfield}, IL {zip:62704}, a "
     "two-hour drive from the hospital.", ()),
    ("The hospice is at {address:88 Harbor Drive}, {place:Cedar Falls}, Iowa {zip:50613-2210}. "
     "The drive there was quiet.", ()),
    ("We did a home visit on {address:Elm Street} in {place:Dunmore}; the porch steps were "
     "broken and she could not get out.", ()),
    ("He grew up in {place:Chicago} and retired to {place:Tucson}, AZ. His brother still lives "
     "in {place:Milwaukee}.", ()),
    ("Send the letter to {address:PO Box 4471}, {place:Burlington}, VT {zip:05401}.", ()),
    ("She was transferred from {place:St. Jude's Hospital} to our unit at 2am.", ()),
    ("Her new address: {address:22 Crescent Road}, {place:Leeds} {zip:LS6 2AB}.", ()),
    ("We drove out to {place:Pine Ridge} to see the family farm after the funeral.", ()),
    # ZIP codes after a town, with or without a state (issue 13: all of these were missed)
    ("She moved back to {place:Springfield} {zip:01103} to be near her sister.", ()),
    ("The family's address is {address:40 Maple Avenue}, {place:Boston}, MA {zip:02115-1234}; "
     "the letter came back unopened.", ()),
    ("His son lives in {place:Worcester} MA {zip:01605} and calls every Sunday.", ()),
    ("The forms went to {address:9 Quarry Lane}, {place:Dunmore} {zip:18512}, and nobody signed "
     "them.", ()),
    ("Home is {place:Cedar Falls}, {zip:50613} now, she said, as if it were a question.", ()),
    ("Her daughter wrote from {place:Fresno} {zip:93721-2204} to thank the night team.", ()),
    # ---- user-kept names (lowercase, unusual)
    ("Bed 12 is {name:Zephyrine}; {name:zephyrine} prefers to be called by her first name.",
     ("Zephyrine",)),
    ("I keep writing about {name:Boaz} because he reminds me of my grandfather.", ("Boaz",)),
    ("The charge nurse ({name:Quill}) stayed late to help me with the family.", ("Quill",)),
    # ---- mixed, longer reflective passages
    ("Today was hard. I was the one who told Mrs. {name:Abernathy} that the scan showed "
     "progression. She looked at the window for a long time and said, \"I knew.\" Her "
     "husband {name:Walter} held her hand. Afterwards Dr. {name:Liang} asked me how I was, and "
     "I said fine, which was not true.", ()),
    ("Three good things: the night nurse brought me tea; {name:Keisha} laughed at my terrible "
     "joke; I finally understood what my attending meant about silence.", ()),
    ("Follow-up on Tuesday {date:3/19}: the daughter called back from {phone:555-221-9087}. "
     "She thanked us. I cried in the stairwell.", ()),
    ("My preceptor, Dr. {name:Ana Beltrán}, said that grief at work is not weakness. I wrote it "
     "on a card and put it in my badge holder.", ()),
    ("I was born in 1998 and started medical school in 2021; this is the first death I have "
     "seen. Mr. {name:Kowalski} was {age:104}.", ()),
    ("Admitted {date:01/02/24}, died {date:01/09/24}. {name:Harold} was a {age:99} yo veteran "
     "and told me about the war.", ()),
    ("Her nephew {name:Chidi} drove up from {place:Atlanta} overnight.", ()),
    ("The patient in 4B, {name:Esperanza Ruiz}, asked me to pray with her. I did, and then "
     "wondered whether I should have.", ()),
    ("Met Dr. {name:Whitcombe} from oncology and Prof. {name:Adeyemi} at the family meeting on the "
     "{date:14th}.", ()),
    ("Reflection from {date:Nov 3, 2023}: I am still angry about the way {name:Brandon} was "
     "spoken to by the consultant.", ()),
    ("He wants his ashes scattered in {place:Galveston}. His daughter {name:Joy} promised.",
     ()),
    ("She turned {age:100} on the ward and the nurses made a cake.", ()),
    # ---- passages with no identifier (precision)
    ("I felt hope today for the first time this month. Grace under pressure is a skill I do not "
     "have yet.", ()),
    ("Dr. visits are exhausting for Mom and Dad, so we tried to batch the appointments.", ()),
    ("Faith matters to many of my patients. Joy is harder to find on nights, but it is there.",
     ()),
    ("Pain was 7/10 this morning and 4/10 after the morphine. BP 118/72. Sats 94% on room air.",
     ()),
    ("In 2024 I want to get better at sitting with silence. March was a blur; I barely "
     "remember February.", ()),
    ("On Monday I cried in the car. By Friday I could talk about it.", ()),
    ("Parkinson's disease and Alzheimer's dementia make goals-of-care talks slower. The "
     "Glasgow Coma Scale was 7.", ()),
    ("Gave 4 mg of morphine and 0.5 mg of Ativan. Foley placed. ICU consulted at 3am.", ()),
    ("## Gibbs reflection\n\nDescription: we ran a code for forty minutes.\n\nFeelings: numb, "
     "then guilty.", ()),
    ("Today I learned that Mom is a role, not a name, and that saying sorry is not an "
     "admission of fault.", ()),
    ("Hope is a discipline. I read that somewhere and it stayed with me through the week.",
     ()),
    ("We used the SPIKES framework. The Emergency Department was full and the Palliative Care "
     "team came down anyway.", ()),
    ("I have had 3 Dr. visits this month for my own health, which I keep putting off.", ()),
    ("Kolb would call this active experimentation: next time I will sit down before I speak.",
     ()),
    ("She asked if she would see {date:Christmas}. I said I did not know, and that was "
     "honest.", ()),
    ("The ratio was 2/3 of the team in favour. Whatever happens, it will be hard.", ()),
    ("Wednesday rounds are the hardest. Everyone is tired by then, including the attendings.",
     ()),
    ("Week 3 of the rotation: 12 admissions, 2 deaths, 1 good cry. Stress 7/10.", ()),
    ("When the chaplain came, the room changed. Amen, said the son, and we all breathed.", ()),
    # ordinary numbers after capitalised words: doses, counts, years, room numbers (not ZIPs)
    ("Heparin 25000 units in 500 mL ran at 18 mL an hour. Room 40213 is at the far end of the "
     "new wing.", ()),
    ("Platelets 12500 this morning, so no procedure. In 2023 the unit had 12000 admissions and "
     "450 deaths.", ()),
    ("Tuesday 14500 steps, Wednesday 9800. Week 12 of the rotation and I am tired.", ()),
    ("The ward round took 3 hours; Bay 4 had 6 patients, and Bed 10250 on the list was a "
     "typo.", ()),
]

# Written after the detectors were tuned on _CORPUS; never used to change them.
_HOLDOUT: list[tuple[str, tuple[str, ...]]] = [
    ("Night float. Mr. {name:Delacroix-Moreau} ({age:95}M) had a rapid response at 2am; his "
     "niece {name:Yvette} kept calling from {place:Baton Rouge}.", ()),
    ("I still think about {name:Bernadette}, the lady in bed 9. She died on {date:12/24/2023} "
     "and her son never made it.", ()),
    ("DOB {date:07/04/1931}. MRN# {record:55102938}. Code status changed to DNR after the "
     "meeting with {name:Leonard}'s two daughters.", ()),
    ("Her son {name:Kwabena} works in {place:Sacramento} and asked us to text {phone:555 430 "
     "2219} with any update.", ()),
    ("On {date:Feb 2nd} I presented Mrs. {name:Ito}'s case at morning report and my voice "
     "shook.", ()),
    ("The interpreter, {name:Farida}, said the father kept repeating that God decides. I did "
     "not know what to say back.", ()),
    ("We sent the referral to {email:intake@hospicecare.example} and faxed the face sheet to "
     "{fax:1-555-772-0912}.", ()),
    ("Visiting hours ended but Dr. {name:Osei} let the grandchildren stay. A small kindness "
     "that I want to copy.", ()),
    ("The old man in the corner bed was {age:102}, sharp as anything, and told me I looked "
     "tired.", ()),
    ("Policy number {plan:HMO-7734-2210} was denied again; his partner {name:Reggie} was "
     "furious, and I understood why.", ()),
    ("I walked past {address:400 Lakeshore Blvd} where she used to live, on my way home.", ()),
    ("Went to {name:Tomasz}'s memorial service at the chapel on {date:June 3}. I was the only "
     "student there.", ()),
    ("The resident, {name:Ifeoma Chukwu}, taught me how to sit down and wait for the family "
     "to speak first.", ()),
    ("Patient ID: {record:0087-4412-9}. Email from the family: {email:rjkowalczyk@example.net}.",
     ()),
    ("{name:Dolores} was adamant that she wanted to go home to {place:Yakima} to die.", ()),
    ("Our team called the daughter in {place:Manila}; it was Saturday morning there.",
     ()),
    ("Today I felt joy, not guilt, when a patient recovered. Maybe that is growth.", ()),
    ("Sepsis bundle done within the hour. Lactate 4.2, then 2.1. MAP above 65 by noon.", ()),
    ("I reread my notes from the spring. The same fear, smaller now.", ()),
    ("Mom called; Dad is fine. I told them nothing about the code, which felt like lying.", ()),
    ("Grace and Faith are the names my grandmother would have used for the two nurses who "
     "helped me tonight, but I never learned their real names.", ()),
    ("Reading Being Mortal again. Gawande is right about the questions we avoid.", ()),
    ("The senior said: \"Never apologise for crying.\" I wrote it on my hand.", ()),
    ("The wifi on the ward is {url:guest.hospital.example.org}, and the printer at "
     "{ip:10.20.30.40} never works.", ()),
    ("Zip code {zip:97201}, so she lives near the hospital, but she has no one to drive her.",
     ()),
    # Written before the ZIP-after-a-town detector, never used to tune it.
    ("The card from her husband had a return address in {place:Fall River} {zip:02720}, "
     "written in shaky capitals.", ()),
    ("We mailed the condolence letter to {place:Northampton}, MA {zip:01060-3317} and I signed "
     "it first.", ()),
    ("The clinic saw 18500 patients last year, and I remember maybe thirty of them.", ()),
]

CORPUS: list[Passage] = [parse(text, names) for text, names in _CORPUS]
HOLDOUT: list[Passage] = [parse(text, names) for text, names in _HOLDOUT]


# ============================================================================ scoring


@dataclass
class Stats:
    """Figures for one category. A gold span is *found* when findings (of any category) cover
    every one of its characters: what matters for a leak. A finding is *correct* when it
    overlaps a gold span (of any category); ``same_category`` counts found gold spans that a
    finding of their own category covers."""

    support: int = 0
    found: int = 0
    same_category: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.support if self.support else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0


def score(passages: list[Passage]) -> dict[str, Stats]:
    """Per-category figures of find_identifiers over ``passages`` (key "all": every category)."""
    from journal_app.core.deid import CATEGORIES, find_identifiers

    stats = {c: Stats() for c in (*CATEGORIES, "all")}
    for passage in passages:
        findings = find_identifiers(passage.text, passage.names)
        covered = [False] * len(passage.text)
        for f in findings:
            for i in range(f.start, f.end):
                covered[i] = True
        for start, end, category in passage.spans:
            for key in (category, "all"):
                s = stats[key]
                s.support += 1
                if all(covered[start:end]):
                    s.found += 1
                    if any(f.category == category and f.start <= start and end <= f.end
                           for f in findings):
                        s.same_category += 1
        for f in findings:
            hit = any(f.start < end and start < f.end for start, end, _c in passage.spans)
            for key in (f.category, "all"):
                stats[key].predicted += 1
                stats[key].correct += hit
    return stats


def format_table(stats: dict[str, Stats]) -> str:
    """The figures as a Markdown table, categories with neither support nor findings left out."""
    lines = ["| category | support | recall | same category | findings | precision |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for category, s in stats.items():
        if not s.support and not s.predicted:
            continue
        lines.append(
            f"| {category} | {s.support} | {s.recall:.0%} ({s.found}) | {s.same_category} "
            f"| {s.predicted} | {s.precision:.0%} ({s.correct}) |"
        )
    return "\n".join(lines)


def misses(passages: list[Passage]) -> list[str]:
    """Human-readable misses and false alarms (for tuning and for the report)."""
    from journal_app.core.deid import find_identifiers

    out = []
    for passage in passages:
        findings = find_identifiers(passage.text, passage.names)
        covered = [False] * len(passage.text)
        for f in findings:
            for i in range(f.start, f.end):
                covered[i] = True
        for start, end, category in passage.spans:
            if not all(covered[start:end]):
                out.append(f"MISSED {category}: {passage.text[start:end]!r}  in "
                           f"{passage.text[max(0, start - 30):end + 30]!r}")
        for f in findings:
            if not any(f.start < end and start < f.end for start, end, _c in passage.spans):
                out.append(f"FALSE {f.category}: {f.text!r}  in "
                           f"{passage.text[max(0, f.start - 30):f.end + 30]!r}")
    return out
