"""The filing API's JSON (/api/v1), as pydantic models: the views parse requests and write
answers with them, and the OpenAPI description is generated from them. Operation names
follow OASIS ECF 5 where it has one (GetFeesCalculation, ReviewFiling, GetFilingStatus,
GetCase)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Description = Annotated[str, Field(max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ApiError(BaseModel):
    error: str = Field(description="A short machine-readable reason.")
    message: str = Field(description="What is wrong, for a person.")
    field: str | None = Field(default=None, description="The request field at fault.")


class EventFee(BaseModel):
    code: str
    name: str
    category: Literal["open_case", "other"]
    docket_text: str
    fee_cents: int
    requires_document: bool


class EventList(BaseModel):
    court: str
    events: list[EventFee]


class FeesCalculation(BaseModel):
    """GetFeesCalculation: the fee a filing of this event carries."""

    court: str
    event: str
    fee_cents: int
    currency: Literal["USD"] = "USD"


class PartyOut(BaseModel):
    name: str
    role: str


class CaseOut(BaseModel):
    """GetCase: a case's caption."""

    court: str
    number: str
    title: str
    jurisdiction: str
    date_filed: date
    date_terminated: date | None
    parties: list[PartyOut]


class DocumentOut(BaseModel):
    doc_id: str
    attachment_number: int
    description: str
    pages: int


class EntryOut(BaseModel):
    number: int | None
    seq: int
    date_filed: date
    entered_at: datetime
    event: str | None
    text: str
    documents: list[DocumentOut]


class DocketPage(BaseModel):
    case: CaseOut
    page: int
    page_size: int
    total: int
    entries: list[EntryOut]
    next_page: int | None


class NewCase(Strict):
    """The case a filing opens (the web flow's Open a New Case screen)."""

    plaintiffs: list[str] = Field(min_length=1, max_length=50)
    defendant: str = Field(min_length=1, max_length=300)
    title: str = Field(default="", max_length=300)
    jurisdiction: str = Field(min_length=1, max_length=6)
    category: str = Field(default="", max_length=200)
    agency: str = Field(default="", max_length=200)
    product_description: str = Field(default="", max_length=300)
    export_country: str = Field(default="", max_length=100)
    constitutional_question: bool = False


class Payment(Strict):
    card_number: str = Field(min_length=12, max_length=23)
    exp_month: int = Field(ge=1, le=12)
    exp_year: int = Field(ge=0, le=9999)
    cvv: str = Field(min_length=3, max_length=4)
    name: str = Field(default="", max_length=100)


class DraftRequest(Strict):
    """A filing to stage: what it is and where it goes; its PDFs are added one request at a
    time (POST .../drafts/{draft_id}/documents), and it is filed by .../submit."""

    event: str = Field(min_length=1, max_length=40)
    case_number: str | None = Field(default=None, max_length=40)
    new_case: NewCase | None = None
    parties: list[str] = Field(default_factory=list, max_length=100)
    lead: bool = True
    to_be_noticed: bool = True
    docket_text: str | None = Field(default=None, max_length=1000)


class SubmitRequest(Strict):
    """Pay and file a staged draft."""

    payment: Payment | None = None
    fee_cents: int | None = Field(
        default=None, ge=0, description="The fee the client expects (from GetFeesCalculation)."
    )


class FilingRequest(DraftRequest, SubmitRequest):
    """ReviewFiling in one request: the `metadata` part of the multipart request (the PDFs
    are the parts `main_document` and `attachment`, one part per attachment, in order)."""

    attachment_descriptions: list[Description] = Field(default_factory=list, max_length=30)


class StagedOut(BaseModel):
    position: int = Field(description="0 for the main document, then 1, 2 ... attachments.")
    description: str
    filename: str
    pages: int
    size_bytes: int


class DraftOut(BaseModel):
    draft_id: str
    event: str
    case_number: str | None
    expires_at: datetime
    documents: list[StagedOut]
    fee_cents: int


class FilingStatus(BaseModel):
    """GetFilingStatus: a filing made, with its docket entry and its NEF."""

    filing_id: str
    status: Literal["docketed"] = "docketed"
    court: str
    case_number: str
    opened_case: bool
    entry_number: int | None
    docket_text: str
    fee_cents: int
    receipt: str | None
    filed_at: datetime
    documents: list[DocumentOut]
    nef_html: str = Field(description="The Notice of Electronic Filing, as the filer's receipt.")
    replayed: bool = Field(
        default=False, description="True when an earlier request with this key had filed it."
    )


class SubscriptionIn(Strict):
    """Follow a case: its new entries reach the token's account."""

    court: str = Field(min_length=1, max_length=16)
    case_number: str = Field(min_length=1, max_length=40)
    email: Literal["immediate", "digest", "none"] = "immediate"


class SubscriptionOut(BaseModel):
    id: int
    court: str
    case_number: str
    email: Literal["immediate", "digest", "none"]
    feed_url: str = Field(description="The case's private RSS feed.")


class SubscriptionList(BaseModel):
    subscriptions: list[SubscriptionOut]
