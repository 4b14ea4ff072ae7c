"""Demo content for the U.S. Court of International Trade: its judges, its event catalogue,
attorneys, and two cases with dockets and documents, in the court's own style.

Loading is idempotent: what exists is left alone (staff or filers may have changed it), what
is missing is created, and a document whose stored PDF went missing is written again (the
PDFs are generated deterministically, so the bytes match the recorded SHA-256). The people,
firms, cases and citations are fictitious; the judges are the court's.
"""

from __future__ import annotations

import hashlib
import textwrap
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from nextecf.accounts.models import Account
from nextecf.cases.catalogue import catalogue_install
from nextecf.cases.models import (
    Appearance,
    Case,
    CaseSequence,
    DocketEntry,
    Document,
    EventType,
    Judge,
    Party,
)
from nextecf.cases.selectors import full_case_number, panel_of
from nextecf.courts.models import Court, FilerAccount
from nextecf.lib.pdf import make_pdf
from nextecf.lib.storage import document_store

LINE_WIDTH = 86
LINES_PER_PAGE = 46

# (name, initials, title), as the court lists them.
JUDGES = [
    ("Mark A. Barnett", "MAB", "Chief Judge"),
    ("Gary S. Katzmann", "GSK", "Judge"),
    ("Timothy M. Reif", "TMR", "Judge"),
    ("Jane A. Restani", "JAR", "Senior Judge"),
    ("Claire R. Kelly", "CRK", "Judge"),
    ("Leo M. Gordon", "LMG", "Judge"),
    ("M. Miller Baker", "MMB", "Judge"),
    ("Jennifer Choe-Groves", "JCG", "Judge"),
]

# Events the catalogue does not have but CIT dockets show; court-configurable like the rest.
EXTRA_EVENTS = [
    ("admin-record", "Administrative Record", EventType.Category.OTHER, "ADMINISTRATIVE RECORD"),
    ("judgment", "Judgment", EventType.Category.COURT, "JUDGMENT"),
]

DOJ_NY = [
    "U.S. Department of Justice",
    "Commercial Litigation Branch - Civil Division",
    "International Trade Field Office",
    "26 Federal Plaza, Room 346",
    "New York, NY 10278",
]
DOJ_DC = [
    "U.S. Department of Justice",
    "Commercial Litigation Branch - Civil Division",
    "P.O. Box 480",
    "Ben Franklin Station",
    "Washington, DC 20044",
]
HARBOR = ["Harbor & Tariff LLP", "1101 Seventeenth Street, NW", "Suite 900", "Washington, DC 20036"]
RIDGEWAY = ["Ridgeway Trade Counsel PLLC", "2100 M Street, NW", "Suite 300", "Washington, DC 20037"]
DOE_LAW = ["Doe Law PLLC", "40 Wall Street", "28th Floor", "New York, NY 10005"]


@dataclass(frozen=True)
class Attorney:
    login: str
    first: str
    middle: str
    last: str
    email: str
    office: list[str]  # firm, then the address lines
    phone: str
    fax: str = ""
    bar_status: str = "ACTIVE"
    pacer: str = ""  # a demo PACER account this CM/ECF account is linked to

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first, self.middle, self.last) if p)

    @property
    def signature(self) -> str:
        return f"({self.last}, {self.first})"


ATTORNEYS = [
    Attorney(
        "pnraman",
        "Priya",
        "N.",
        "Raman",
        "praman@doelaw.example",
        DOE_LAW,
        "(212) 555-0142",
        "(212) 555-0143",
    ),
    Attorney(
        "mwhitfield",
        "Marcus",
        "J.",
        "Whitfield",
        "marcus.whitfield@usdoj.example",
        DOJ_NY,
        "(212) 555-0178",
        "(212) 555-0179",
        pacer="mwhitfield",
    ),
    Attorney(
        "ekowalski",
        "Elena",
        "R.",
        "Kowalski",
        "elena.kowalski@usdoj.example",
        DOJ_DC,
        "(202) 555-0147",
        "(202) 555-0148",
    ),
    Attorney(
        "dhartley",
        "Daniel",
        "P.",
        "Hartley",
        "dhartley@harbortariff.example",
        HARBOR,
        "(202) 555-0190",
        "(202) 555-0191",
    ),
    Attorney(
        "snakamura",
        "Sarah",
        "K.",
        "Nakamura",
        "snakamura@harbortariff.example",
        HARBOR,
        "(202) 555-0192",
        "(202) 555-0191",
    ),
    Attorney(
        "ramoreno",
        "Robert",
        "A.",
        "Moreno",
        "rmoreno@ridgewaytrade.example",
        RIDGEWAY,
        "(202) 555-0123",
        bar_status="INACTIVE",
    ),
]
DEMO_ATTORNEY_LOGINS = [a.login for a in ATTORNEYS]
# John Doe's own CM/ECF account: an attorney of record, but never linked by the loader.
DOEJ = Attorney("doej", "John", "", "Doe", "jdoe@doelaw.example", DOE_LAW, "")


@dataclass(frozen=True)
class Doc:
    description: str  # "Main Document" for the main one, else e.g. "Exhibit A"
    title: str  # the heading printed on the document
    body: list[str]  # paragraphs; "## " starts a heading
    filename: str = ""


@dataclass(frozen=True)
class Entry:
    day: date
    event: str | None  # event code; None for a clerk's notation
    text: str
    by: str | None = None  # attorney login; None for the court
    docs: list[Doc] = field(default_factory=list)


@dataclass(frozen=True)
class PartySpec:
    name: str
    role: str
    attorneys: list[tuple[str, bool]]  # (login, lead)
    terminated_on: date | None = None


@dataclass(frozen=True)
class CaseSpec:
    number: str
    title: str
    jurisdiction: str
    category: str
    agency: str
    product: str
    export_country: str
    date_filed: date
    judge: str | None
    panel: list[str]
    constitutional: bool
    parties: list[PartySpec]
    entries: list[Entry]
    short_plaintiff: str

    @property
    def year(self) -> int:
        return 2000 + int(self.number[2:4])

    @property
    def sequence(self) -> int:
        return int(self.number[-5:])

    @property
    def court_no(self) -> str:
        return f"{self.number[2:4]}-{self.number[-5:]}"


# --- document text ---------------------------------------------------------------------------


def _wrap(paragraph: str) -> list[str]:
    if paragraph.startswith("## "):
        return ["", paragraph[3:].upper(), ""]
    if paragraph.startswith("    "):
        return textwrap.wrap(
            paragraph.strip(),
            LINE_WIDTH - 8,
            initial_indent="        ",
            subsequent_indent="        ",
        ) or [""]
    return [*textwrap.wrap(paragraph, LINE_WIDTH, initial_indent="     "), ""]


def _caption(case: CaseSpec, plaintiff: str, defendant_lines: list[str]) -> list[str]:
    return [
        "UNITED STATES COURT OF INTERNATIONAL TRADE",
        "",
        f"{plaintiff.upper()},",
        "                    Plaintiff,",
        "          v.",
        *defendant_lines,
        f"                                                  Court No. {case.court_no}",
        "",
    ]


def _signature(attorney: Attorney, party: str, day: date) -> list[str]:
    return [
        "",
        "Respectfully submitted,",
        "",
        f"/s/ {attorney.name}",
        attorney.name,
        *attorney.office,
        attorney.phone,
        attorney.email,
        "",
        f"Counsel for {party}",
        f"Dated: {day:%B} {day.day}, {day.year}",
    ]


def render_pdf(
    case: CaseSpec, entry: Entry, doc: Doc, author: Attorney | None
) -> tuple[bytes, int]:
    """The PDF of one document (caption, title, body, signature, paginated) and its pages."""
    lines: list[str] = []
    if not doc.title.startswith("EXHIBIT"):
        defendant = ["UNITED STATES,", "                    Defendant."]
        if "Intervenor" in " ".join(p.role for p in case.parties) and entry.day >= date(2026, 4, 6):
            defendant = [
                "UNITED STATES,",
                "                    Defendant,",
                "          and",
                "COALITION OF AMERICAN NAIL PRODUCERS,",
                "                    Defendant-Intervenor.",
            ]
        lines += _caption(case, case.short_plaintiff, defendant)
    exhibit = doc.title.startswith("EXHIBIT")
    lines += [doc.title, ""]
    for paragraph in doc.body:
        wrapped = _wrap(paragraph)
        # Papers filed with the court are double-spaced (USCIT Rule 81(h)); exhibits are not.
        lines += wrapped if exhibit else [x for line in wrapped if line for x in (line, "")]
    pages = _paginate(lines)
    if author is not None and doc.description == "Main Document":
        party = next(
            (p.name for p in case.parties if any(a == author.login for a, _ in p.attorneys)),
            case.short_plaintiff,
        )
        signature = _signature(author, party, entry.day)
        if len(pages[-1]) + len(signature) > LINES_PER_PAGE:
            pages.append([])
        pages[-1] += signature
        pages.append(_certificate_of_service(author, entry.day))
    total = len(pages)
    numbered = [
        [*page, "", f"{' ' * 70}Page {n} of {total}"] for n, page in enumerate(pages, start=1)
    ]
    return make_pdf(numbered, title=f"{case.number} {doc.title.title()}"), total


def _paginate(lines: list[str]) -> list[list[str]]:
    return [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]


def _certificate_of_service(author: Attorney, day: date) -> list[str]:
    return [
        "CERTIFICATE OF SERVICE",
        "",
        *_wrap(
            f"I hereby certify that on {day:%B} {day.day}, {day.year}, I electronically filed "
            "the foregoing with the Clerk of the Court using the CM/ECF system, which will "
            "send a Notice of Electronic Filing to all counsel of record, and that I served "
            "any party not registered for electronic service by first-class mail."
        ),
        f"/s/ {author.name}",
        author.name,
    ]


def _numbered(statements: list[str]) -> list[str]:
    return [f"{n}. {s}" for n, s in enumerate(statements, start=1)]


# --- the cases -------------------------------------------------------------------------------

MERIDIAN = "Meridian Optical Components, Inc."
THANH_LONG = "Thanh Long Fastener Co., Ltd."
COALITION = "Coalition of American Nail Producers"
PROTEST = "Protest No. 2704-24-118352"
SUBJECT = "small form-factor pluggable (SFP) fiber optic transceiver modules"
REVIEW = (
    "Certain Steel Nails From the Socialist Republic of Vietnam: Final Results of Antidumping "
    "Duty Administrative Review; 2023-2024, 91 Fed. Reg. 4,412 (Dep't Commerce Jan. 20, 2026)"
)

CLASSIFICATION_FACTS = [
    f"Plaintiff {MERIDIAN} is the importer of record of the merchandise at issue, {SUBJECT} "
    "imported through the Port of Los Angeles/Long Beach in 2023 under the entries listed in "
    "the schedule attached to the summons.",
    "U.S. Customs and Border Protection (Customs) liquidated the entries under subheading "
    "8543.70.99 of the Harmonized Tariff Schedule of the United States (HTSUS), as other "
    "electrical machines and apparatus having individual functions, dutiable at 2.6 percent "
    "ad valorem, and subject to additional duties under heading 9903.88.03.",
    "Plaintiff timely protested the liquidation, claiming classification under subheading "
    "8517.62.00, HTSUS, as machines for the reception, conversion and transmission or "
    "regeneration of voice, images or other data, free of duty.",
    f"Customs denied {PROTEST} in its entirety, and all liquidated duties, charges and "
    "exactions were paid before this action was commenced.",
    "Each module converts electrical signals from a network switch into optical signals for "
    "transmission over fiber optic cable, and converts received optical signals back into "
    "electrical signals. The modules have no function other than the conversion and "
    "transmission of data.",
    "The modules are therefore machines for the conversion and transmission of data within "
    "the meaning of heading 8517, HTSUS, which is more specific than heading 8543, HTSUS.",
]

MERIDIAN_CASE = CaseSpec(
    number="1:25-cv-00137",
    title=f"{MERIDIAN} v. United States",
    jurisdiction=Case.Jurisdiction.A,
    category="Classification 19USC § 1514(a)(2)",
    agency="U.S. Customs and Border Protection",
    product="Fiber Optic Transceiver Modules",
    export_country="(Not Applicable)",
    date_filed=date(2025, 6, 10),
    judge="GSK",
    panel=[],
    constitutional=False,
    short_plaintiff=MERIDIAN,
    parties=[
        PartySpec(MERIDIAN, Party.Role.PLAINTIFF, [("doej", True), ("pnraman", False)]),
        PartySpec(
            "United States", Party.Role.DEFENDANT, [("mwhitfield", True), ("ekowalski", False)]
        ),
    ],
    entries=[
        Entry(
            date(2025, 6, 10),
            "summons",
            f"SUMMONS filed by {MERIDIAN}. (Doe, John)",
            "doej",
            [
                Doc(
                    "Main Document",
                    "SUMMONS",
                    [
                        "TO: The Attorney General and the Secretary of Homeland Security:",
                        "PLEASE TAKE NOTICE that a civil action has been commenced pursuant to "
                        "28 U.S.C. § 1581(a) to contest the denial of the protest specified "
                        "below (and the protests listed in the attached schedule).",
                        "    Name and Standing of Plaintiff: Meridian Optical Components, Inc., "
                        "the importer of record of the merchandise covered by the protest.",
                        f"    Protest Number: {PROTEST}. Port of Entry: Los Angeles-Long "
                        "Beach Seaport (2704). Date Protest Filed: 11/04/2024. Date Protest "
                        "Denied: 12/19/2024.",
                        f"    Merchandise: {SUBJECT}.",
                        "    Category of Merchandise: Classification. Tariff Classification: "
                        "Appraised at 8543.70.99, HTSUS; claimed 8517.62.00, HTSUS.",
                        "The issue which was common to all such denied protests: whether the "
                        "modules are classified in heading 8517 as machines for the "
                        "conversion and transmission of data.",
                        "Every denied protest included in this civil action was filed by the "
                        "same above-named importer. All liquidated duties, charges or "
                        "exactions have been paid at the port of entry unless otherwise shown.",
                        "Clerk of the Court. By: Deputy Clerk.",
                    ],
                ),
                Doc(
                    "Exhibit A - Protest No. 2704-24-118352",
                    "EXHIBIT A - PROTEST AND APPLICATION FOR FURTHER REVIEW (CBP FORM 19)",
                    [
                        f"Protest number: {PROTEST}. Port code: 2704. Importer: {MERIDIAN}.",
                        "Entry numbers: 8XM-0412231-6, 8XM-0415578-2, 8XM-0419904-1. "
                        "Dates of liquidation: 08/02/2024, 08/09/2024, 08/16/2024.",
                        "Decision protested: tariff classification under subheading "
                        "8543.70.99, HTSUS. Claimed classification: subheading 8517.62.00, "
                        "HTSUS, free of duty, and refund of duties under heading 9903.88.03.",
                        "Justification: the merchandise consists of optical transceiver "
                        "modules whose sole function is the conversion and transmission of "
                        "data between network equipment; see HQ H301445 (Mar. 3, 2020).",
                    ],
                    "exhibit-a-protest.pdf",
                ),
                Doc(
                    "Exhibit B - Notice of Denial",
                    "EXHIBIT B - NOTICE OF DENIAL OF PROTEST",
                    [
                        f"{PROTEST} is denied in full. Reason: the merchandise is properly "
                        "classified under subheading 8543.70.99, HTSUS, as liquidated.",
                        "Date of denial: 12/19/2024. Port Director, Los Angeles-Long Beach "
                        "Seaport, U.S. Customs and Border Protection.",
                        "You may file a civil action contesting this denial in the United "
                        "States Court of International Trade within 180 days after the date "
                        "of mailing of this notice (28 U.S.C. § 2636(a)).",
                    ],
                    "exhibit-b-denial.pdf",
                ),
            ],
        ),
        Entry(
            date(2025, 6, 10),
            "form5",
            f"FORM 5 INFORMATION STATEMENT filed by {MERIDIAN}. (Doe, John)",
            "doej",
            [
                Doc(
                    "Main Document",
                    "INFORMATION STATEMENT (FORM 5)",
                    [
                        "Jurisdiction: 28 U.S.C. § 1581(a). Category: Classification, 19 "
                        "U.S.C. § 1514(a)(2).",
                        "Agency whose determination is contested: U.S. Customs and Border "
                        "Protection. Product: Fiber optic transceiver modules. Country of "
                        "export: various.",
                        "Related actions pending in this court: none known. Does this action "
                        "raise an issue of constitutionality? No.",
                    ],
                )
            ],
        ),
        Entry(
            date(2025, 6, 10),
            "form13",
            f"FORM 13 CORPORATE DISCLOSURE STATEMENT filed by {MERIDIAN}. (Doe, John)",
            "doej",
            [
                Doc(
                    "Main Document",
                    "DISCLOSURE STATEMENT (FORM 13)",
                    [
                        f"Pursuant to USCIT Rule 7.1, {MERIDIAN} states that its parent "
                        "corporation is Meridian Photonics Holdings, LLC, a privately held "
                        "company, and that no publicly held corporation owns 10 percent or "
                        "more of its stock.",
                    ],
                )
            ],
        ),
        Entry(
            date(2025, 6, 12),
            None,
            "SUMMONS SERVED by Clerk's Office upon: Plaintiff, Defendant and U.S. Customs and "
            "Border Protection. (Clerk, Casey)",
        ),
        Entry(
            date(2025, 6, 17),
            "form11",
            "NOTICE OF APPEARANCE by Marcus J. Whitfield on behalf of United States. "
            "(Whitfield, Marcus)",
            "mwhitfield",
            [
                Doc(
                    "Main Document",
                    "NOTICE OF APPEARANCE (FORM 11)",
                    [
                        "PLEASE TAKE NOTICE that the undersigned appears as attorney for the "
                        "defendant, the United States, in this action, and requests that all "
                        "papers be served upon the undersigned.",
                        "The undersigned is a member of the bar of this Court in good "
                        "standing and consents to electronic service.",
                    ],
                )
            ],
        ),
        Entry(
            date(2025, 6, 17),
            "consent-eservice",
            "NOTICE OF CONSENT TO ELECTRONIC SERVICE by Marcus J. Whitfield on behalf of "
            "United States. (Whitfield, Marcus)",
            "mwhitfield",
            [
                Doc(
                    "Main Document",
                    "NOTICE OF CONSENT TO ELECTRONIC SERVICE",
                    [
                        "Pursuant to USCIT Rule 5(b)(2)(E), the United States consents to "
                        "electronic service of all papers in this action through the Court's "
                        "CM/ECF system at the address of record of its counsel.",
                    ],
                )
            ],
        ),
        Entry(
            date(2025, 6, 20),
            "order",
            "ORDER assigning action to Judge Gary S. Katzmann. Signed by Chief Judge Mark A. "
            "Barnett on 6/20/2025. (Clerk, Casey)",
            None,
            [
                Doc(
                    "Main Document",
                    "ORDER OF ASSIGNMENT",
                    [
                        "Pursuant to 28 U.S.C. § 253 and USCIT Rule 77(e)(4), it is hereby",
                        "ORDERED that the above-entitled action is assigned to Judge Gary S. "
                        "Katzmann.",
                        "/s/ Mark A. Barnett, Chief Judge. Dated: June 20, 2025, New York, "
                        "New York.",
                    ],
                )
            ],
        ),
        Entry(
            date(2025, 7, 8),
            "complaint",
            f"COMPLAINT against United States. Answer due by 9/8/2025. Filed by {MERIDIAN}. "
            "(Doe, John)",
            "doej",
            [
                Doc(
                    "Main Document",
                    "COMPLAINT",
                    [
                        f"Plaintiff {MERIDIAN}, by its attorneys, alleges as follows:",
                        "## Jurisdiction",
                        *_numbered(
                            [
                                "This action contests the denial of a protest under section "
                                "515 of the Tariff Act of 1930, 19 U.S.C. § 1515. The Court "
                                "has jurisdiction under 28 U.S.C. § 1581(a).",
                                "The action was commenced within 180 days after the denial of "
                                "the protest, 28 U.S.C. § 2636(a)(1).",
                            ]
                        ),
                        "## Facts",
                        *[f"{n}. {s}" for n, s in enumerate(CLASSIFICATION_FACTS, start=3)],
                        "## Claim for relief",
                        "9. Customs erred in classifying the merchandise under subheading "
                        "8543.70.99, HTSUS. The merchandise is properly classified under "
                        "subheading 8517.62.00, HTSUS, free of duty, and is not subject to "
                        "duties under heading 9903.88.03.",
                        "WHEREFORE, plaintiff requests that the Court enter judgment directing "
                        "Customs to reliquidate the entries under subheading 8517.62.00, "
                        "HTSUS, and to refund the excess duties with interest as provided by "
                        "law, and grant such further relief as the Court deems just.",
                    ],
                ),
                Doc(
                    "Exhibit 1 - Entry Summary (CBP Form 7501)",
                    "EXHIBIT 1 - ENTRY SUMMARY (CBP FORM 7501)",
                    [
                        "Entry number 8XM-0412231-6. Entry type 01 (consumption). Port 2704. "
                        "Importer of record: Meridian Optical Components, Inc.",
                        "Line 001: SFP+ 10G LR optical transceiver, 1310 nm, 10 km; HTSUS "
                        "8543.70.9960; 9903.88.03; quantity 12,400 NO; entered value "
                        "$684,480.",
                        "Line 002: SFP 1G SX optical transceiver, 850 nm, 550 m; HTSUS "
                        "8543.70.9960; 9903.88.03; quantity 8,150 NO; entered value $203,750.",
                    ],
                    "exhibit-1-cbp7501.pdf",
                ),
                Doc(
                    "Exhibit 2 - Product Specification",
                    "EXHIBIT 2 - PRODUCT SPECIFICATION SHEET",
                    [
                        "MOC-SFP10-LR. Hot-pluggable SFP+ transceiver for 10GBASE-LR Ethernet. "
                        "Data rate up to 10.3 Gb/s. DFB laser transmitter, PIN photodiode "
                        "receiver. Duplex LC connector. Digital diagnostics per SFF-8472.",
                        "Function: receives electrical data signals from the host switch, "
                        "converts them to optical signals for transmission over single-mode "
                        "fiber, and converts received optical signals to electrical signals.",
                    ],
                    "exhibit-2-spec-sheet.pdf",
                ),
            ],
        ),
        Entry(
            date(2025, 9, 5),
            "answer",
            "ANSWER to Complaint by United States. (Whitfield, Marcus)",
            "mwhitfield",
            [
                Doc(
                    "Main Document",
                    "ANSWER",
                    [
                        "Defendant, the United States, by its undersigned attorneys, admits, "
                        "denies and avers as follows:",
                        *_numbered(
                            [
                                "Admits that plaintiff purports to invoke the Court's "
                                "jurisdiction under 28 U.S.C. § 1581(a); denies that the Court "
                                "has jurisdiction over any entry for which duties were unpaid.",
                                "Admits.",
                                "Admits that plaintiff was the importer of record; otherwise "
                                "denies for lack of knowledge or information sufficient to "
                                "form a belief as to the truth of the allegations.",
                                "Admits.",
                                "Admits that plaintiff claimed classification under "
                                "subheading 8517.62.00, HTSUS; denies that the claim is "
                                "correct.",
                                "Admits.",
                                "Denies.",
                                "Denies.",
                                "Denies.",
                            ]
                        ),
                        "## Defenses",
                        "The merchandise was properly classified under subheading 8543.70.99, "
                        "HTSUS, because the modules are electrical apparatus having an "
                        "individual function not specified or included elsewhere in "
                        "chapter 85.",
                        "WHEREFORE, defendant requests that the Court enter judgment for "
                        "defendant and dismiss this action.",
                    ],
                )
            ],
        ),
        Entry(
            date(2025, 9, 19),
            "order",
            "SCHEDULING ORDER: Fact discovery due by 12/5/2025. Dispositive motions due by "
            "1/16/2026. Signed by Judge Gary S. Katzmann on 9/19/2025. (Clerk, Casey)",
            None,
            [
                Doc(
                    "Main Document",
                    "SCHEDULING ORDER",
                    [
                        "Upon consideration of the parties' proposed joint scheduling order, "
                        "it is hereby ORDERED that:",
                        *_numbered(
                            [
                                "All fact discovery shall be completed by December 5, 2025.",
                                "Plaintiff shall file any motion for summary judgment, with "
                                "a separate statement of undisputed material facts under "
                                "USCIT Rule 56.3, by January 16, 2026.",
                                "Defendant shall file its response and any cross-motion by "
                                "February 17, 2026.",
                                "Plaintiff shall file its reply and response to any "
                                "cross-motion by March 17, 2026; defendant's reply is due "
                                "April 7, 2026.",
                            ]
                        ),
                        "/s/ Gary S. Katzmann, Judge. Dated: September 19, 2025.",
                    ],
                )
            ],
        ),
        Entry(
            date(2026, 1, 16),
            "motion",
            f"MOTION for Summary Judgment by {MERIDIAN}. Responses due by 2/17/2026. (Doe, John)",
            "doej",
            [
                Doc(
                    "Main Document",
                    "PLAINTIFF'S MOTION FOR SUMMARY JUDGMENT",
                    [
                        "Pursuant to USCIT Rule 56, plaintiff moves for summary judgment that "
                        "the imported transceiver modules are classified under subheading "
                        "8517.62.00, HTSUS. There is no genuine dispute as to any material "
                        "fact, and plaintiff is entitled to judgment as a matter of law.",
                        "The grounds for this motion are set out in the accompanying "
                        "memorandum of law and statement of undisputed material facts.",
                    ],
                ),
                Doc(
                    "Memorandum of Law",
                    "MEMORANDUM OF LAW IN SUPPORT OF PLAINTIFF'S MOTION FOR SUMMARY JUDGMENT",
                    [
                        "## Question presented",
                        "Whether optical transceiver modules whose sole function is to convert "
                        "and transmit data are classifiable in heading 8517, HTSUS.",
                        "## Argument",
                        "Classification is a two-step inquiry: the meaning of the tariff terms "
                        "is a question of law, and whether the merchandise falls within them "
                        "is a question of fact. Where, as here, the nature of the merchandise "
                        "is undisputed, the inquiry collapses into a question of law.",
                        "Heading 8517 covers machines for the reception, conversion and "
                        "transmission or regeneration of voice, images or other data, "
                        "including switching and routing apparatus. The modules convert "
                        "electrical data signals into optical signals and transmit them; "
                        "they do nothing else.",
                        "Heading 8543 is a residual provision for electrical machines having "
                        "individual functions not specified or included elsewhere in the "
                        "chapter. Because heading 8517 describes the modules, heading 8543 "
                        "cannot apply (GRI 1; Note 3 to Section XVI).",
                        "Customs' own rulings classify materially identical transceivers in "
                        "subheading 8517.62.00. The liquidation here departed from that "
                        "practice without explanation.",
                        "## Conclusion",
                        "The Court should grant summary judgment for plaintiff.",
                    ],
                    "memorandum.pdf",
                ),
                Doc(
                    "Statement of Undisputed Material Facts",
                    "PLAINTIFF'S STATEMENT OF UNDISPUTED MATERIAL FACTS (USCIT RULE 56.3)",
                    _numbered(CLASSIFICATION_FACTS),
                    "rule-56-3-statement.pdf",
                ),
                Doc(
                    "Proposed Order",
                    "[PROPOSED] ORDER",
                    [
                        "Upon consideration of plaintiff's motion for summary judgment, "
                        "defendant's response and cross-motion, and all other papers, it is "
                        "hereby ORDERED that plaintiff's motion is GRANTED, defendant's "
                        "cross-motion is DENIED, and Customs shall reliquidate the subject "
                        "entries under subheading 8517.62.00, HTSUS, with refund of excess "
                        "duties and interest as provided by law.",
                    ],
                    "proposed-order.pdf",
                ),
            ],
        ),
        Entry(
            date(2026, 2, 17),
            "motion",
            "CROSS-MOTION for Summary Judgment and RESPONSE to Motion for Summary Judgment by "
            "United States. Responses due by 3/17/2026. (Whitfield, Marcus)",
            "mwhitfield",
            [
                Doc(
                    "Main Document",
                    "DEFENDANT'S CROSS-MOTION FOR SUMMARY JUDGMENT AND RESPONSE",
                    [
                        "Defendant cross-moves for summary judgment that Customs correctly "
                        "classified the merchandise under subheading 8543.70.99, HTSUS, and "
                        "opposes plaintiff's motion.",
                        "The modules do not themselves transmit data over a network; they are "
                        "components that give a host switch an optical interface. Heading "
                        "8517 covers complete apparatus, and parts of such apparatus are "
                        "provided for in heading 8517.79, not 8517.62.",
                        "Plaintiff's reliance on earlier rulings is misplaced: rulings issued "
                        "to other importers do not bind Customs, and none addressed modules "
                        "with the digital diagnostic functions present here.",
                    ],
                ),
                Doc(
                    "Response to Statement of Facts",
                    "DEFENDANT'S RESPONSE TO PLAINTIFF'S RULE 56.3 STATEMENT",
                    [
                        "1. Admitted. 2. Admitted. 3. Admitted. 4. Admitted that the protest "
                        "was denied; defendant lacks knowledge as to the payment of all duties.",
                        "5. Denied. The modules also monitor and report temperature, supply "
                        "voltage and optical power to the host (digital diagnostics).",
                        "6. Denied; this is a legal conclusion to which no response is required.",
                    ],
                    "response-56-3.pdf",
                ),
            ],
        ),
        Entry(
            date(2026, 3, 17),
            "reply",
            "REPLY to Response to Motion for Summary Judgment and RESPONSE to Cross-Motion for "
            f"Summary Judgment by {MERIDIAN}. (Raman, Priya)",
            "pnraman",
            [
                Doc(
                    "Main Document",
                    "PLAINTIFF'S REPLY AND RESPONSE TO DEFENDANT'S CROSS-MOTION",
                    [
                        "Defendant does not dispute what the modules do. It argues only that "
                        "they are parts. But an article that performs the whole function of a "
                        "heading is classified as that article, not as a part, even if it is "
                        "designed to be installed in other equipment.",
                        "Digital diagnostics do not change the analysis: monitoring the "
                        "module's own operating condition is ancillary to its function of "
                        "converting and transmitting data.",
                        "The Court should grant plaintiff's motion and deny the cross-motion.",
                    ],
                )
            ],
        ),
        Entry(
            date(2026, 4, 7),
            "reply",
            "REPLY to Response to Cross-Motion for Summary Judgment by United States. "
            "(Kowalski, Elena)",
            "ekowalski",
            [
                Doc(
                    "Main Document",
                    "DEFENDANT'S REPLY IN SUPPORT OF ITS CROSS-MOTION",
                    [
                        "Plaintiff's reply confirms that the modules cannot operate except "
                        "when installed in a host device that supplies power, clocking and "
                        "the data stream itself. They are dedicated parts of that device.",
                        "For these reasons and those stated in defendant's cross-motion, the "
                        "Court should enter judgment for defendant.",
                    ],
                )
            ],
        ),
        Entry(
            date(2026, 11, 2),
            "order",
            "ORDER scheduling oral argument for 12/10/2026 at 10:00 AM in Courtroom 2. Signed "
            "by Judge Gary S. Katzmann on 11/2/2026. (Clerk, Casey)",
            None,
            [
                Doc(
                    "Main Document",
                    "ORDER",
                    [
                        "Upon consideration of the parties' cross-motions for summary "
                        "judgment, it is hereby ORDERED that oral argument will be held on "
                        "December 10, 2026, at 10:00 a.m. in Courtroom 2, One Federal Plaza, "
                        "New York, New York; and it is further",
                        "ORDERED that the parties shall file, no later than December 3, 2026, "
                        "a joint letter identifying the attorneys who will argue and any "
                        "authorities issued after the close of briefing.",
                        "/s/ Gary S. Katzmann, Judge. Dated: November 2, 2026.",
                    ],
                )
            ],
        ),
    ],
)

NAILS_BACKGROUND = [
    f"This action challenges the final results of the 2023-2024 administrative review of the "
    f"antidumping duty order on certain steel nails from Vietnam. {REVIEW}.",
    "In the review, the Department of Commerce (Commerce) treated Vietnam as a non-market "
    "economy, selected Indonesia as the primary surrogate country, and valued plaintiff's "
    "main input, steel wire rod, with Indonesian import statistics under HTS subheading "
    "7213.91.",
    "Commerce calculated a weighted-average dumping margin of 38.17 percent for plaintiff.",
]

NAILS_CASE = CaseSpec(
    number="1:26-cv-00042",
    title=f"{THANH_LONG} v. United States",
    jurisdiction=Case.Jurisdiction.C,
    category="Antidumping 19USC § 1516a(a)(2)(B)(iii)",
    agency="U.S. Department of Commerce",
    product="Certain Steel Nails",
    export_country="Vietnam",
    date_filed=date(2026, 2, 18),
    judge=None,
    panel=["JAR", "CRK", "MMB"],
    constitutional=True,
    short_plaintiff=THANH_LONG,
    parties=[
        PartySpec(THANH_LONG, Party.Role.PLAINTIFF, [("dhartley", True), ("snakamura", False)]),
        PartySpec("United States", Party.Role.DEFENDANT, [("ekowalski", True)]),
        PartySpec(
            COALITION,
            Party.Role.INTERVENOR_DEFENDANT,
            [("ramoreno", True)],
            terminated_on=date(2026, 7, 14),
        ),
    ],
    entries=[
        Entry(
            date(2026, 2, 18),
            "summons",
            f"SUMMONS filed by {THANH_LONG}. (Hartley, Daniel)",
            "dhartley",
            [
                Doc(
                    "Main Document",
                    "SUMMONS (28 U.S.C. § 1581(c))",
                    [
                        "TO: The Attorney General and the Secretary of Commerce:",
                        "PLEASE TAKE NOTICE that a civil action has been commenced pursuant to "
                        "28 U.S.C. § 1581(c) to contest the determination described below.",
                        f"    Name and Standing of Plaintiff: {THANH_LONG}, a foreign producer "
                        "and exporter of the subject merchandise and an interested party "
                        "under 19 U.S.C. § 1677(9)(A) that participated in the proceeding.",
                        f"    Brief Description of Contested Determination: {REVIEW}.",
                        "    Date of Determination: January 13, 2026. Date of Publication in "
                        "the Federal Register: January 20, 2026.",
                        "Clerk of the Court.",
                    ],
                )
            ],
        ),
        Entry(
            date(2026, 2, 18),
            "form5",
            f"FORM 5 INFORMATION STATEMENT filed by {THANH_LONG}. (Hartley, Daniel)",
            "dhartley",
            [
                Doc(
                    "Main Document",
                    "INFORMATION STATEMENT (FORM 5)",
                    [
                        "Jurisdiction: 28 U.S.C. § 1581(c). Category: Antidumping, 19 U.S.C. "
                        "§ 1516a(a)(2)(B)(iii). Agency: U.S. Department of Commerce, "
                        "International Trade Administration. Case number before the agency: "
                        "A-552-818.",
                        "Product: certain steel nails. Country of export: Vietnam.",
                        "Does this action raise an issue of constitutionality? Yes: plaintiff "
                        "contends that 19 U.S.C. § 1677b(c)(4), as applied, delegates "
                        "legislative power without an intelligible principle.",
                    ],
                )
            ],
        ),
        Entry(
            date(2026, 2, 18),
            "form13",
            f"FORM 13 CORPORATE DISCLOSURE STATEMENT filed by {THANH_LONG}. (Hartley, Daniel)",
            "dhartley",
            [
                Doc(
                    "Main Document",
                    "DISCLOSURE STATEMENT (FORM 13)",
                    [
                        f"{THANH_LONG} states that it is wholly owned by Thanh Long Industrial "
                        "Group Joint Stock Company, which is not publicly traded, and that no "
                        "publicly held corporation owns 10 percent or more of its stock.",
                    ],
                )
            ],
        ),
        Entry(
            date(2026, 3, 19),
            "complaint",
            f"COMPLAINT against United States. Filed by {THANH_LONG}. (Hartley, Daniel)",
            "dhartley",
            [
                Doc(
                    "Main Document",
                    "COMPLAINT",
                    [
                        f"Plaintiff {THANH_LONG}, by its counsel, alleges as follows:",
                        "## Determination under review",
                        *_numbered(NAILS_BACKGROUND),
                        "## Jurisdiction and standing",
                        "4. The Court has jurisdiction under 28 U.S.C. § 1581(c). Plaintiff is "
                        "an interested party that participated in the review and has standing "
                        "under 28 U.S.C. § 2631(c). This action was commenced by a summons "
                        "filed within 30 days after publication, and this complaint within 30 "
                        "days thereafter.",
                        "## Counts",
                        "5. COUNT ONE: Commerce's selection of Indonesia rather than Malaysia "
                        "as the primary surrogate country is unsupported by substantial "
                        "evidence, because Malaysian data were of superior quality and "
                        "specificity.",
                        "6. COUNT TWO: Commerce's valuation of steel wire rod with import data "
                        "under HTS 7213.91 is unsupported by substantial evidence, because "
                        "that category includes wire rod of grades plaintiff did not consume.",
                        "7. COUNT THREE: 19 U.S.C. § 1677b(c)(4), as Commerce applied it, "
                        "delegates legislative power without an intelligible principle, in "
                        "violation of Article I, section 1 of the Constitution.",
                        "WHEREFORE, plaintiff requests that the Court hold the final results "
                        "unsupported by substantial evidence and not in accordance with law, "
                        "and remand them to Commerce.",
                    ],
                )
            ],
        ),
        Entry(
            date(2026, 3, 20),
            "order",
            "ORDER of the Chief Judge assigning action to a three-judge panel consisting of "
            "Judge Jane A. Restani, Judge Claire R. Kelly and Judge M. Miller Baker, pursuant to "
            "28 U.S.C. § 255. Signed by Chief Judge Mark A. Barnett on 3/20/2026. (Clerk, Casey)",
            None,
            [
                Doc(
                    "Main Document",
                    "ORDER",
                    [
                        "Upon the Chief Judge's determination that this action raises an "
                        "issue of the constitutionality of an Act of Congress, and pursuant "
                        "to 28 U.S.C. § 255(a), it is hereby",
                        "ORDERED that this action is assigned to a three-judge panel "
                        "consisting of Senior Judge Jane A. Restani, presiding, Judge Claire "
                        "R. Kelly and Judge M. Miller Baker.",
                        "/s/ Mark A. Barnett, Chief Judge. Dated: March 20, 2026.",
                    ],
                )
            ],
        ),
        Entry(
            date(2026, 3, 24),
            "form11",
            "NOTICE OF APPEARANCE by Elena R. Kowalski on behalf of United States. "
            "(Kowalski, Elena)",
            "ekowalski",
            [
                Doc(
                    "Main Document",
                    "NOTICE OF APPEARANCE (FORM 11)",
                    [
                        "PLEASE TAKE NOTICE that the undersigned appears as attorney for the "
                        "defendant, the United States, in this action. Of counsel: Office of "
                        "the Chief Counsel for Trade Enforcement and Compliance, U.S. "
                        "Department of Commerce.",
                    ],
                )
            ],
        ),
        Entry(
            date(2026, 3, 27),
            "motion",
            f"MOTION to Intervene as Defendant-Intervenor by {COALITION}. Responses due by "
            "4/17/2026. (Moreno, Robert)",
            "ramoreno",
            [
                Doc(
                    "Main Document",
                    "CONSENT MOTION TO INTERVENE AS DEFENDANT-INTERVENOR",
                    [
                        f"Pursuant to 28 U.S.C. § 2631(j) and USCIT Rule 24, the {COALITION}, "
                        "an association whose members produce steel nails in the United "
                        "States and the petitioner in the underlying proceeding, moves to "
                        "intervene as of right as a defendant-intervenor.",
                        "The Coalition participated in the administrative review by filing "
                        "comments and case briefs, and is an interested party under 19 U.S.C. "
                        "§ 1677(9)(C) and (E). The motion is timely: it is filed within 30 "
                        "days of service of the complaint.",
                        "Counsel for plaintiff and for defendant consent to this motion.",
                    ],
                ),
                Doc(
                    "Proposed Order",
                    "[PROPOSED] ORDER",
                    [
                        f"Upon consideration of the consent motion of the {COALITION} to "
                        "intervene, it is hereby ORDERED that the motion is GRANTED and the "
                        "Coalition is made a defendant-intervenor in this action.",
                    ],
                    "proposed-order.pdf",
                ),
            ],
        ),
        Entry(
            date(2026, 4, 6),
            "order",
            f"ORDER granting Motion to Intervene (Related Doc # 7). {COALITION} added as "
            "Defendant-Intervenor. Signed by Judge Jane A. Restani on 4/6/2026. (Clerk, Casey)",
            None,
            [
                Doc(
                    "Main Document",
                    "ORDER",
                    [
                        f"Upon consideration of the consent motion of the {COALITION} to "
                        "intervene as a defendant-intervenor, it is hereby ORDERED that the "
                        "motion is GRANTED.",
                        "/s/ Jane A. Restani, Judge, for the panel. Dated: April 6, 2026.",
                    ],
                )
            ],
        ),
        Entry(
            date(2026, 4, 27),
            "admin-record",
            "ADMINISTRATIVE RECORD: Public and Confidential Indices to the Administrative Record "
            "filed by United States. (Kowalski, Elena)",
            "ekowalski",
            [
                Doc(
                    "Main Document",
                    "NOTICE OF FILING OF THE ADMINISTRATIVE RECORD",
                    [
                        "Pursuant to USCIT Rule 73.2(a), defendant gives notice that it is "
                        "filing the public and confidential indices to the administrative "
                        "record of the determination under review. Copies of the record "
                        "documents will be provided to the parties upon request.",
                    ],
                ),
                Doc(
                    "Public Index",
                    "INDEX TO THE PUBLIC ADMINISTRATIVE RECORD",
                    [
                        "PR 1 - Initiation of Antidumping and Countervailing Duty "
                        "Administrative Reviews, 89 Fed. Reg. 61,022 (July 30, 2024).",
                        "PR 14 - Thanh Long Section A Questionnaire Response (public version).",
                        "PR 37 - Memorandum: Surrogate Country List.",
                        "PR 52 - Coalition Surrogate Value Comments and Data.",
                        "PR 88 - Preliminary Decision Memorandum.",
                        "PR 121 - Issues and Decision Memorandum for the Final Results.",
                    ],
                    "public-index.pdf",
                ),
            ],
        ),
        Entry(
            date(2026, 5, 26),
            "motion",
            f"MOTION for Judgment on the Agency Record (USCIT Rule 56.2) by {THANH_LONG}. "
            "Responses due by 7/27/2026. (Nakamura, Sarah)",
            "snakamura",
            [
                Doc(
                    "Main Document",
                    "PLAINTIFF'S RULE 56.2 MOTION FOR JUDGMENT ON THE AGENCY RECORD",
                    [
                        "Pursuant to USCIT Rule 56.2, plaintiff moves for judgment on the "
                        "agency record holding that Commerce's final results are unsupported "
                        "by substantial evidence and otherwise not in accordance with law.",
                    ],
                ),
                Doc(
                    "Memorandum in Support",
                    "MEMORANDUM IN SUPPORT OF PLAINTIFF'S RULE 56.2 MOTION (PUBLIC VERSION)",
                    [
                        "## Statement pursuant to Rule 56.2(c)",
                        "The administrative determination under review is the final results "
                        "of the 2023-2024 administrative review. The issues presented are (1) "
                        "the selection of the primary surrogate country, (2) the surrogate "
                        "value for steel wire rod, and (3) the constitutionality of 19 U.S.C. "
                        "§ 1677b(c)(4) as applied.",
                        "## Statement of facts",
                        *NAILS_BACKGROUND,
                        "## Standard of review",
                        "The Court holds unlawful any determination unsupported by substantial "
                        "evidence on the record or otherwise not in accordance with law. 19 "
                        "U.S.C. § 1516a(b)(1)(B)(i).",
                        "## Argument",
                        "I. Commerce failed to explain why Indonesian import data, which "
                        "include alloyed and high-carbon wire rod, are more specific to "
                        "plaintiff's low-carbon input than the Malaysian data on the record.",
                        "II. Commerce's reasoning on data quality addressed the wrong "
                        "question: the statute requires the best available information for "
                        "valuing the factors of production, not the most convenient source.",
                        "III. Section 1677b(c)(4) supplies no standard for weighing economic "
                        "comparability against significant production; as applied, it leaves "
                        "the choice wholly to the agency.",
                        "## Conclusion",
                        "The Court should remand the final results to Commerce.",
                    ],
                    "memorandum-public.pdf",
                ),
                Doc(
                    "Proposed Order",
                    "[PROPOSED] ORDER",
                    [
                        "Upon consideration of plaintiff's Rule 56.2 motion, it is hereby "
                        "ORDERED that the motion is GRANTED and the final results are "
                        "REMANDED to Commerce for reconsideration consistent with the Court's "
                        "opinion.",
                    ],
                    "proposed-order.pdf",
                ),
            ],
        ),
        Entry(
            date(2026, 7, 10),
            "motion",
            f"MOTION to Withdraw as Defendant-Intervenor by {COALITION}. (Moreno, Robert)",
            "ramoreno",
            [
                Doc(
                    "Main Document",
                    "MOTION TO WITHDRAW AS DEFENDANT-INTERVENOR",
                    [
                        f"The {COALITION} respectfully moves to withdraw as a "
                        "defendant-intervenor. The Coalition's members have decided not to "
                        "participate further in this litigation. No party opposes.",
                    ],
                )
            ],
        ),
        Entry(
            date(2026, 7, 14),
            "order",
            f"ORDER granting Motion to Withdraw (Related Doc # 11). {COALITION} terminated as "
            "Defendant-Intervenor. Signed by Judge Jane A. Restani on 7/14/2026. (Clerk, Casey)",
            None,
            [
                Doc(
                    "Main Document",
                    "ORDER",
                    [
                        f"Upon consideration of the unopposed motion of the {COALITION} to "
                        "withdraw as defendant-intervenor, it is hereby ORDERED that the "
                        "motion is GRANTED and the Coalition is terminated as a party.",
                        "/s/ Jane A. Restani, Judge, for the panel. Dated: July 14, 2026.",
                    ],
                )
            ],
        ),
        Entry(
            date(2026, 7, 27),
            "response",
            "RESPONSE to Motion for Judgment on the Agency Record by United States. "
            "(Kowalski, Elena)",
            "ekowalski",
            [
                Doc(
                    "Main Document",
                    "DEFENDANT'S RESPONSE TO PLAINTIFF'S RULE 56.2 MOTION",
                    [
                        "Commerce reasonably selected Indonesia, which was at the same level "
                        "of economic development as Vietnam and a significant producer of "
                        "comparable merchandise, and whose data were complete, publicly "
                        "available and contemporaneous with the period of review.",
                        "Plaintiff's specificity argument asks the Court to reweigh the "
                        "evidence, which it may not do. The record does not show that the "
                        "Indonesian data were distorted by grades plaintiff did not use.",
                        "Plaintiff's constitutional claim fails: the statute directs Commerce "
                        "to use the best available information from comparable market "
                        "economies, an intelligible principle under settled precedent.",
                    ],
                ),
                Doc(
                    "Proposed Order",
                    "[PROPOSED] ORDER",
                    [
                        "Upon consideration of plaintiff's Rule 56.2 motion and all other "
                        "papers, it is hereby ORDERED that the motion is DENIED and the final "
                        "results are SUSTAINED; judgment will enter accordingly.",
                    ],
                    "proposed-order.pdf",
                ),
            ],
        ),
        Entry(
            date(2026, 8, 24),
            "reply",
            f"REPLY to Response to Motion for Judgment on the Agency Record by {THANH_LONG}. "
            "(Hartley, Daniel)",
            "dhartley",
            [
                Doc(
                    "Main Document",
                    "PLAINTIFF'S REPLY BRIEF",
                    [
                        "Defendant recasts plaintiff's argument as a request to reweigh the "
                        "evidence. It is not: Commerce never addressed the record evidence "
                        "that the Indonesian category is dominated by high-carbon grades, and "
                        "an agency must address evidence that fairly detracts from its "
                        "conclusion.",
                        "The Court should remand.",
                    ],
                )
            ],
        ),
        Entry(
            date(2026, 10, 29),
            "opinion",
            "OPINION and ORDER: Slip Op. 26-131. Commerce's Final Results are sustained in part "
            "and remanded in part. Remand results due by 12/28/2026. Signed by Judge Jane A. "
            "Restani, Judge Claire R. Kelly and Judge M. Miller Baker on 10/29/2026. "
            "(Clerk, Casey)",
            None,
            [
                Doc(
                    "Main Document",
                    "OPINION AND ORDER",
                    [
                        "Slip Op. 26-131",
                        "Before: Jane A. Restani, Claire R. Kelly and M. Miller Baker, Judges",
                        "[Sustaining in part and remanding in part the final results of the "
                        "2023-2024 administrative review of the antidumping duty order on "
                        "certain steel nails from Vietnam.]",
                        "Dated: October 29, 2026",
                        "Daniel P. Hartley and Sarah K. Nakamura, Harbor & Tariff LLP, of "
                        "Washington, DC, for plaintiff. Elena R. Kowalski, Trial Attorney, "
                        "Commercial Litigation Branch, Civil Division, U.S. Department of "
                        "Justice, of Washington, DC, for defendant.",
                        "Restani, Judge: Plaintiff Thanh Long Fastener Co., Ltd. challenges "
                        "the final results of the Department of Commerce's administrative "
                        "review of the antidumping duty order on certain steel nails from "
                        "Vietnam. For the reasons below, the court sustains Commerce's "
                        "selection of Indonesia as the primary surrogate country, remands "
                        "Commerce's valuation of steel wire rod, and rejects plaintiff's "
                        "constitutional challenge.",
                        "## Background",
                        *NAILS_BACKGROUND,
                        "## Jurisdiction and standard of review",
                        "The court has jurisdiction under 28 U.S.C. § 1581(c) and will hold "
                        "unlawful any determination unsupported by substantial evidence on "
                        "the record or otherwise not in accordance with law. 19 U.S.C. "
                        "§ 1516a(b)(1)(B)(i).",
                        "## Discussion",
                        "I. Primary surrogate country. Commerce considered both Indonesia and "
                        "Malaysia to be economically comparable to Vietnam and significant "
                        "producers of comparable merchandise. It then compared the quality of "
                        "the data and explained why it preferred the Indonesian data, which "
                        "covered every factor of production. That explanation is reasonable "
                        "and supported by the record; the court sustains it.",
                        "II. Steel wire rod. Plaintiff placed on the record mill certificates "
                        "and trade data indicating that a large share of the imports under "
                        "the Indonesian subheading were of high-carbon grades that plaintiff "
                        "did not consume. Commerce did not address that evidence. Because an "
                        "agency must consider evidence that fairly detracts from its "
                        "conclusion, the court remands for Commerce to address it and, if "
                        "appropriate, to revalue the input.",
                        "III. Constitutional challenge. Section 1677b(c)(4) directs Commerce "
                        "to use, to the extent possible, prices or costs in market economy "
                        "countries at a comparable level of economic development that are "
                        "significant producers of comparable merchandise. Those criteria "
                        "supply an intelligible principle. The challenge fails.",
                        "## Conclusion",
                        "Upon consideration of all papers and proceedings, it is hereby "
                        "ORDERED that Commerce's final results are SUSTAINED as to the "
                        "selection of the primary surrogate country; and it is further",
                        "ORDERED that the final results are REMANDED for Commerce to "
                        "reconsider the surrogate value for steel wire rod consistent with "
                        "this opinion; and it is further",
                        "ORDERED that Commerce shall file its remand results by December 28, "
                        "2026; the parties may file comments within 30 days thereafter, and "
                        "replies within 15 days after the comments are filed.",
                        "/s/ Jane A. Restani, Judge",
                        "/s/ Claire R. Kelly, Judge",
                        "/s/ M. Miller Baker, Judge",
                    ],
                )
            ],
        ),
    ],
)

CASES = [MERIDIAN_CASE, NAILS_CASE]


# --- loading ---------------------------------------------------------------------------------


@dataclass
class DemoResult:
    cases: list[Case]
    created_entries: int
    stored_documents: int


def _docket_text(spec: Entry) -> str:
    """The text as the docket stores it: attachments listed before the filer's name, as
    the filing flow writes them."""
    attachments = spec.docs[1:]
    if not attachments:
        return spec.text
    listed = ", ".join(f"# {n} {d.description}" for n, d in enumerate(attachments, start=1))
    head, _, name = spec.text.rpartition(" (")
    return f"{head} (Attachments: {listed}) ({name}"


def _entered_at(day: date, seq: int) -> datetime:
    naive = datetime.combine(day, time(9, 30)) + timedelta(minutes=7 * seq)
    return timezone.make_aware(naive)


def _attorney_accounts(court: Court, password: str) -> dict[str, FilerAccount]:
    filers: dict[str, FilerAccount] = {}
    for spec in ATTORNEYS:
        filer = FilerAccount.objects.filter(court=court, login=spec.login).first()
        if filer is None:
            filer = FilerAccount(
                court=court,
                login=spec.login,
                # Never usable: demo attorneys do not link; the one with PACER is linked.
                password=make_password(None),
                first_name=spec.first,
                middle_name=spec.middle,
                last_name=spec.last,
                email=spec.email,
                role=FilerAccount.Role.ATTORNEY,
                bar_status=spec.bar_status,
                firm=spec.office[0],
                address="\n".join(spec.office[1:]),
                phone=spec.phone,
                fax=spec.fax,
            )
            if spec.pacer:
                account = Account.objects.filter(username=spec.pacer).first()
                if account is None:
                    account = Account.objects.create_user(
                        spec.pacer,
                        password,
                        first_name=spec.first,
                        middle_name=spec.middle,
                        last_name=spec.last,
                        email=spec.email,
                    )
                if not FilerAccount.objects.filter(court=court, account=account).exists():
                    filer.account = account
                    filer.linked_at = timezone.now()
            filer.save()
        filers[spec.login] = filer
    doej = FilerAccount.objects.filter(court=court, login="doej").first()
    if doej is not None:
        filers["doej"] = doej  # an attorney of record; its link is the seed's to make
    return filers


def _events(court: Court) -> dict[str, EventType]:
    catalogue_install(court=court)
    for position, (code, name, category, text) in enumerate(EXTRA_EVENTS, start=100):
        EventType.objects.get_or_create(
            court=court,
            code=code,
            defaults={
                "name": name,
                "category": category,
                "docket_text": text,
                "position": position,
            },
        )
    return {e.code: e for e in EventType.objects.filter(court=court)}


def _attorney_spec(login: str | None) -> Attorney | None:
    if login is None:
        return None
    if login == "doej":
        return DOEJ
    return next(a for a in ATTORNEYS if a.login == login)


def _ensure_stored(spec: CaseSpec, case: Case) -> int:
    """Write again any document whose PDF is missing from storage; returns how many."""
    store = document_store()
    written = 0
    documents = Document.objects.filter(entry__case=case).select_related("entry")
    for document in documents:
        seq, attachment = document.entry.seq, document.attachment_number
        if store.exists(document.storage_key) or seq > len(spec.entries):
            continue  # present, or filed later (not the loader's to regenerate)
        entry = spec.entries[seq - 1]
        if attachment >= len(entry.docs):
            continue
        data, _ = render_pdf(spec, entry, entry.docs[attachment], _attorney_spec(entry.by))
        if hashlib.sha256(data).hexdigest() == document.storage_key:
            store.put(data)
            written += 1
    return written


def _case(
    spec: CaseSpec,
    court: Court,
    judges: dict[str, Judge],
    filers: dict[str, FilerAccount],
    events: dict[str, EventType],
    clerk: Account | None,
) -> tuple[Case, int, int]:
    case = Case.objects.filter(court=court, number=spec.number).first()
    if case is not None:
        return case, 0, _ensure_stored(spec, case)
    sequence, _ = CaseSequence.objects.get_or_create(court=court, year=spec.year)
    if sequence.last < spec.sequence:
        sequence.last = spec.sequence
        sequence.save(update_fields=["last"])
    case = Case.objects.create(
        court=court,
        number=spec.number,
        year=spec.year,
        sequence=spec.sequence,
        title=spec.title,
        jurisdiction=spec.jurisdiction,
        category=spec.category,
        agency=spec.agency,
        product_description=spec.product,
        export_country=spec.export_country,
        date_filed=spec.date_filed,
        constitutional_question=spec.constitutional,
        judge=judges[spec.judge] if spec.judge else None,
        created_at=_entered_at(spec.date_filed, 0),
        opened_by=filers.get(spec.entries[0].by or ""),
    )
    case.panel.set([judges[i] for i in spec.panel])
    for position, party_spec in enumerate(spec.parties):
        party = Party.objects.create(
            case=case,
            name=party_spec.name,
            role=party_spec.role,
            terminated_on=party_spec.terminated_on,
            position=position,
        )
        for login, lead in party_spec.attorneys:
            if login in filers:
                Appearance.objects.create(
                    party=party,
                    filer=filers[login],
                    lead=lead,
                    to_be_noticed=True,
                    terminated_on=party_spec.terminated_on,
                )
    store = document_store()
    stored = 0
    for seq, entry_spec in enumerate(spec.entries, start=1):
        filer = filers.get(entry_spec.by) if entry_spec.by else None
        entry = DocketEntry.objects.create(
            case=case,
            number=seq,
            seq=seq,
            date_filed=entry_spec.day,
            entered_at=_entered_at(entry_spec.day, seq),
            event=events.get(entry_spec.event) if entry_spec.event else None,
            text=_docket_text(entry_spec),
            filer=filer,
            entered_by=(filer.account if filer is not None else clerk),
        )
        author = _attorney_spec(entry_spec.by)
        for attachment_number, doc in enumerate(entry_spec.docs):
            data, pages = render_pdf(spec, entry_spec, doc, author)
            key = store.put(data)
            stored += 1
            slug = doc.title.split(" (")[0].lower().replace(" ", "-").replace("'", "")
            Document.objects.create(
                entry=entry,
                attachment_number=attachment_number,
                description=doc.description,
                sha256=key,
                storage_key=key,
                pages=pages,
                size_bytes=len(data),
                original_filename=doc.filename or f"{slug[:60]}.pdf",
                created_at=entry.entered_at,
            )
    return case, len(spec.entries), stored


def load_demo_cases(court: Court, *, password: str, clerk: Account | None) -> DemoResult:
    """Judges, events, attorneys and the demo cases of the court (call in a transaction)."""
    judges: dict[str, Judge] = {}
    for name, initials, title in JUDGES:
        judges[initials], _ = Judge.objects.get_or_create(
            court=court, initials=initials, defaults={"name": name, "title": title}
        )
    events = _events(court)
    filers = _attorney_accounts(court, password)
    cases: list[Case] = []
    created = stored = 0
    for spec in CASES:
        case, entries, documents = _case(spec, court, judges, filers, events, clerk)
        cases.append(case)
        created += entries
        stored += documents
    return DemoResult(cases=cases, created_entries=created, stored_documents=stored)


def docket_number(case: Case) -> str:
    """The number with the judges' initials, as the docket header shows it."""
    return full_case_number(case, panel_of(case))
