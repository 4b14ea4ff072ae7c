"""The filing API, /api/v1: JSON over HTTPS for filers' software, with a scoped API token
(`Authorization: Bearer necf_...`, made under Manage My Account > API tokens).

    GET  /api/v1/courts/{court}/events                    the court's events and fees
    GET  /api/v1/courts/{court}/fees?event=CODE           GetFeesCalculation
    GET  /api/v1/courts/{court}/cases/{number}            GetCase
    GET  /api/v1/courts/{court}/cases/{number}/docket     the docket, a page at a time
    POST /api/v1/courts/{court}/filings                   ReviewFiling: file (multipart)
    GET  /api/v1/courts/{court}/filings/{id}              GetFilingStatus, with the NEF
    GET  /api/v1/subscriptions, POST (JSON)               the cases followed; follow one
    DELETE /api/v1/subscriptions/{id}                     stop following

Filing goes through the same services as the web flow (a draft, its staged PDFs,
filing_submit), so a filing made here is the same docket entry, payment, audit event and
NEFs as one made on the court's pages. Every read goes through access.decide_token: a
token reads public material only. No token: 401; a token without the scope, or a case it
may not read: 403 or 404 (a case a token may not see is answered as one that does not
exist). Bad input: 422 {"error", "message", "field"}, and nothing is left behind.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from pydantic import BaseModel, ValidationError

from nextecf.access import (
    PUBLIC_ONLY,
    TOKEN_READ_SCOPES,
    Action,
    decide_token,
    is_public_case,
    is_public_document,
    may_read_document,
    public_entries,
)
from nextecf.accounts.models import ApiToken
from nextecf.accounts.services.apitokens import api_token_authenticate, token_actor
from nextecf.alerts.models import Subscription
from nextecf.alerts.services import AlertRefused, alert_follow, alert_unfollow
from nextecf.api.models import IdempotencyKey
from nextecf.api.v1.schemas import (
    ApiError,
    CaseOut,
    DocketPage,
    DocumentOut,
    DraftOut,
    DraftRequest,
    EntryOut,
    EventFee,
    EventList,
    FeesCalculation,
    FilingRequest,
    FilingStatus,
    PartyOut,
    StagedOut,
    SubmitRequest,
    SubscriptionIn,
    SubscriptionList,
    SubscriptionOut,
)
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.billing.gateways import Card, card_problem
from nextecf.billing.services import Free, document_view_charge
from nextecf.cases.models import Case, DocketEntry, Document, EventType, Party
from nextecf.cases.numbers import normalize_case_number
from nextecf.courts.models import Court, FilerAccount
from nextecf.filing.forms import OpenCaseForm
from nextecf.filing.models import Filing, FilingDraft
from nextecf.filing.services import (
    FilingRefused,
    docket_text_problem,
    draft_cancel,
    draft_choose_parties,
    draft_get,
    draft_save,
    draft_stage_upload,
    draft_start,
    filing_submit,
)
from nextecf.lib.actor import Actor
from nextecf.lib.guards import public_api
from nextecf.lib.middleware import accepts_upload
from nextecf.lib.storage import document_store
from nextecf.notices.nef import nef_context, nef_render

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_FILES = 31  # a main document and up to 30 attachments
IDEMPOTENCY_HEADER = "Idempotency-Key"
CARD_REFUSALS = frozenset({"card_declined", "card_invalid", "card_required"})

TokenView = Callable[..., HttpResponseBase]


def _json(model: BaseModel, status: int = 200) -> JsonResponse:
    response = JsonResponse(model.model_dump(mode="json"), status=status)
    response["Cache-Control"] = "no-store"
    return response


def api_error(status: int, error: str, message: str, field: str | None = None) -> JsonResponse:
    response = _json(ApiError(error=error, message=message, field=field), status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="nextecf"'
    return response


def _field_of(error: ValidationError, default: str = "metadata") -> tuple[str, str]:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or default
    return where, f"{where}: {first['msg']}."


def with_token(view: TokenView) -> TokenView:
    """Admits a request with a live token (401 otherwise); the view gets the token and the
    actor (its owner, under the token's sign-on); every call is audited under the token's
    name with its outcome."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        actor = Actor.from_request(request)
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            audit_record(
                event=Event.API_TOKEN_REFUSED, success=False, actor=actor, reason="no_token"
            )
            return api_error(401, "no_token", "Send an API token: Authorization: Bearer <token>.")
        check = api_token_authenticate(secret=secret.strip(), actor=actor)
        if check.token is None:
            return api_error(401, check.reason, "The API token is not valid.")
        token = check.token
        acting = token_actor(actor, token)
        response = view(request, *args, token=token, actor=acting, **kwargs)
        audit_record(
            event=Event.API_CALL,
            success=response.status_code < 400,
            actor=acting,
            reason="" if response.status_code < 400 else f"http_{response.status_code}",
            detail={
                "token": token.name,
                "token_id": token.pk,
                "method": request.method or "",
                "status": response.status_code,
            },
        )
        return response

    return wrapper


def _court(court: str) -> Court | None:
    return Court.objects.filter(pk=court).first()


def _methods(*allowed: str) -> Callable[[TokenView], TokenView]:
    def decorator(view: TokenView) -> TokenView:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in allowed:
                response = api_error(405, "method_not_allowed", f"Use {' or '.join(allowed)} here.")
                response["Allow"] = ", ".join(allowed)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# --- The catalogue and fees ---------------------------------------------------------------


def _fileable(court: Court) -> list[EventType]:
    return list(
        EventType.objects.filter(
            court=court,
            is_active=True,
            category__in=[EventType.Category.OPEN_CASE, EventType.Category.OTHER],
        )
    )


def _event_out(event: EventType) -> EventFee:
    return EventFee(
        code=event.code,
        name=event.name,
        category="open_case" if event.category == EventType.Category.OPEN_CASE else "other",
        docket_text=event.docket_text,
        fee_cents=event.fee_cents,
        requires_document=event.requires_document,
    )


@public_api
@csrf_exempt
@_methods("GET")
@with_token
def events(request: HttpRequest, court: str, *, token: ApiToken, actor: Actor) -> HttpResponse:
    found = _court(court)
    if found is None:
        return api_error(404, "no_court", f"There is no court {court[:20]!r}.", "court")
    decision = decide_token(token=token, court=found, action=Action.USE_CMECF)
    if not decision:
        return api_error(403, decision.reason, "This token may not use this court.")
    return _json(EventList(court=found.pk, events=[_event_out(e) for e in _fileable(found)]))


@public_api
@csrf_exempt
@_methods("GET")
@with_token
def fees(request: HttpRequest, court: str, *, token: ApiToken, actor: Actor) -> HttpResponse:
    """GetFeesCalculation: the fee of one event (what ReviewFiling will charge)."""
    found = _court(court)
    if found is None:
        return api_error(404, "no_court", f"There is no court {court[:20]!r}.", "court")
    decision = decide_token(token=token, court=found, action=Action.USE_CMECF)
    if not decision:
        return api_error(403, decision.reason, "This token may not use this court.")
    code = request.GET.get("event", "")
    event = next((e for e in _fileable(found) if e.code == code), None)
    if event is None:
        return api_error(422, "no_event", "event: no such event in this court.", "event")
    return _json(FeesCalculation(court=found.pk, event=event.code, fee_cents=event.fee_cents))


# --- Cases and dockets --------------------------------------------------------------------


def _readable_case(
    court: Court, number: str, token: ApiToken
) -> tuple[Case | None, HttpResponse | None]:
    if not TOKEN_READ_SCOPES & set(token.scopes):
        return None, api_error(403, "token_scope", "This token may not read cases.")
    normal = normalize_case_number(number)
    case = Case.objects.filter(court=court, number=normal).first() if normal else None
    if case is None or not decide_token(
        token=token, court=court, action=Action.VIEW_CASE, case=case
    ):
        # Sealed, restricted or not this token's: answered as a case that does not exist.
        return None, api_error(404, "no_case", "case_number: no such case.", "case_number")
    return case, None


def _case_out(case: Case) -> CaseOut:
    parties = Party.objects.filter(case=case).order_by("position", "pk")
    return CaseOut(
        court=case.court_id,
        number=case.number,
        title=case.title,
        jurisdiction=case.jurisdiction,
        date_filed=case.date_filed,
        date_terminated=case.date_terminated,
        parties=[PartyOut(name=p.name, role=p.role) for p in parties],
    )


@public_api
@csrf_exempt
@_methods("GET")
@with_token
def case_detail(
    request: HttpRequest, court: str, number: str, *, token: ApiToken, actor: Actor
) -> HttpResponse:
    """GetCase."""
    found = _court(court)
    if found is None:
        return api_error(404, "no_court", f"There is no court {court[:20]!r}.", "court")
    case, refused = _readable_case(found, number, token)
    if refused is not None:
        return refused
    assert case is not None
    return _json(_case_out(case))


def _int_param(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValueError(f"{name}: a whole number from {low} to {high}.")
    return int(raw)


def _entry_out(entry: DocketEntry) -> EntryOut:
    return EntryOut(
        number=entry.number,
        seq=entry.seq,
        date_filed=entry.date_filed,
        entered_at=entry.entered_at,
        event=entry.event.code if entry.event is not None else None,
        text=entry.text,
        # A token reads public documents only, whoever its owner is; a stricken entry's
        # documents are the court staff's alone.
        documents=[
            _document_out(d)
            for d in entry.documents.all()
            if is_public_document(d) and entry.stricken_at is None
        ],
    )


def _document_out(document: Any) -> DocumentOut:
    return DocumentOut(
        doc_id=document.doc_id,
        attachment_number=document.attachment_number,
        description=document.description,
        pages=document.pages,
    )


@public_api
@csrf_exempt
@_methods("GET")
@with_token
def docket(
    request: HttpRequest, court: str, number: str, *, token: ApiToken, actor: Actor
) -> HttpResponse:
    """The docket as JSON, oldest entry first, `page_size` entries a page (from 1)."""
    found = _court(court)
    if found is None:
        return api_error(404, "no_court", f"There is no court {court[:20]!r}.", "court")
    try:
        page = _int_param(request, "page", 1, 1, 100_000)
        size = _int_param(request, "page_size", PAGE_SIZE, 1, MAX_PAGE_SIZE)
    except ValueError as bad:
        name = str(bad).split(":", 1)[0]
        return api_error(422, "bad_parameter", str(bad), name)
    case, refused = _readable_case(found, number, token)
    if refused is not None:
        return refused
    assert case is not None
    entries = public_entries(case).select_related("event").prefetch_related("documents")
    total = entries.count()
    rows = list(entries.order_by("seq")[(page - 1) * size : page * size])
    return _json(
        DocketPage(
            case=_case_out(case),
            page=page,
            page_size=size,
            total=total,
            entries=[_entry_out(e) for e in rows],
            next_page=page + 1 if page * size < total else None,
        )
    )


NO_DOCUMENT = "doc_id: no such document."


@public_api
@csrf_exempt
@_methods("GET")
@with_token
def document_download(
    request: HttpRequest, court: str, doc_id: str, *, token: ApiToken, actor: Actor
) -> HttpResponseBase:
    """A public document's PDF (its doc_id from the docket), charged as PACER charges a
    document (View Document on doc1: a page fee, capped; written opinions free). A
    document the token may not read (sealed, restricted, confidential, stricken, or in a
    case it may not read) is answered as one that does not exist, and the refusal audited."""
    found = _court(court)
    if found is None:
        return api_error(404, "no_court", f"There is no court {court[:20]!r}.", "court")
    document = (
        Document.objects.select_related("entry__case__court", "entry__event")
        .filter(doc_id=doc_id[:12], entry__case__court=found)
        .first()
    )
    if document is None:
        return api_error(404, "no_document", NO_DOCUMENT, "doc_id")
    _case, refused = _readable_case(found, document.entry.case.number, token)
    if refused is not None:
        if refused.status_code == 403:
            return refused
        return api_error(404, "no_document", NO_DOCUMENT, "doc_id")
    decision = may_read_document(PUBLIC_ONLY, document)
    if not decision:
        # A token reads public material only, whatever its owner may see on the web.
        audit_record(
            event=Event.ACCESS_DENIED,
            success=False,
            actor=actor,
            court=found,
            reason=decision.reason,
            detail={"doc_id": document.doc_id, "token": token.name},
        )
        return api_error(404, "no_document", NO_DOCUMENT, "doc_id")
    try:
        handle = document_store().open(document.storage_key)
    except (OSError, ValueError):
        return api_error(404, "document_unavailable", "doc_id: the document is not available.")
    event = document.entry.event
    document_view_charge(
        actor=actor,
        court=found,
        document=document,
        free_reason=Free.OPINION if event is not None and event.is_opinion else "",
    )
    return FileResponse(handle, content_type="application/pdf", filename=f"{document.doc_id}.pdf")


# --- Filing -------------------------------------------------------------------------------


def _status(filing: Filing, *, replayed: bool = False) -> FilingStatus:
    entry = filing.entry
    payment = filing.payment
    return FilingStatus(
        filing_id=filing.draft_id,
        court=filing.court_id,
        case_number=filing.case.number,
        opened_case=filing.opened_case,
        entry_number=entry.number,
        docket_text=entry.text,
        fee_cents=payment.amount_cents if payment is not None else 0,
        receipt=payment.receipt_number if payment is not None else None,
        filed_at=filing.created_at,
        documents=[_document_out(d) for d in entry.documents.all()],
        nef_html=nef_render(nef_context(entry=entry)),
        replayed=replayed,
    )


class Refusal(Exception):
    def __init__(self, status: int, error: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.response = api_error(status, error, message, field)


def _request_digest(raw: str, files: list[Upload]) -> str:
    digest = hashlib.sha256(raw.encode())
    for upload, _main in files:
        digest.update(b"\0" + (upload.name or "").encode())
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
    return digest.hexdigest()


Upload = tuple[UploadedFile, bool]  # a PDF and whether it is the main document


def _parse(request: HttpRequest) -> tuple[FilingRequest, str, list[Upload]]:
    if not (request.content_type or "").startswith("multipart/form-data"):
        raise Refusal(
            415,
            "multipart_required",
            "Send the filing as multipart/form-data: a `metadata` part (JSON) and the PDFs.",
            "metadata",
        )
    raw = request.POST.get("metadata", "")
    if not raw:
        raise Refusal(422, "missing", "metadata: is required (a JSON object).", "metadata")
    try:
        meta = FilingRequest.model_validate(json.loads(raw))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Refusal(422, "bad_json", "metadata: is not valid JSON.", "metadata") from None
    except ValidationError as invalid:
        where, message = _field_of(invalid)
        raise Refusal(422, "invalid", message, where) from None
    unknown = set(request.FILES) - {"main_document", "attachment"}
    if unknown:
        name = sorted(unknown)[0][:40]
        raise Refusal(422, "unknown_part", f"{name}: no such part.", name)
    mains = request.FILES.getlist("main_document")
    if len(mains) > 1:
        raise Refusal(422, "invalid", "main_document: send one.", "main_document")
    files = [(f, True) for f in mains] + [(f, False) for f in request.FILES.getlist("attachment")]
    if len(files) > MAX_FILES:
        raise Refusal(422, "invalid", "attachment: at most 30.", "attachment")
    return meta, raw, files


def _card(meta: SubmitRequest) -> Card | None:
    if meta.payment is None:
        return None
    pay = meta.payment
    card = Card(
        number="".join(ch for ch in pay.card_number if ch not in " -"),
        exp_month=pay.exp_month,
        exp_year=pay.exp_year + 2000 if pay.exp_year < 100 else pay.exp_year,
        cvv=pay.cvv,
        name=pay.name,
    )
    problem = card_problem(card)
    if problem:
        raise Refusal(422, "card_invalid", f"payment.{problem[0]}: {problem[1]}.", problem[0])
    return card


def _open_case_data(meta: DraftRequest) -> tuple[dict[str, Any], bool, bool]:
    """The new case, checked by the web flow's own form."""
    assert meta.new_case is not None
    new = meta.new_case
    form = OpenCaseForm(
        {
            "plaintiffs": "\n".join(new.plaintiffs),
            "defendant": new.defendant,
            "title": new.title,
            "jurisdiction": new.jurisdiction,
            "category": new.category,
            "agency": new.agency,
            "product_description": new.product_description,
            "export_country": new.export_country,
            "constitutional_question": "Y" if new.constitutional_question else "N",
            "lead": "on" if meta.lead else "",
            "to_be_noticed": "on" if meta.to_be_noticed else "",
        }
    )
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        raise Refusal(422, "invalid", f"new_case.{name}: {errors[0]}", f"new_case.{name}")
    return form.case_data(), meta.lead, meta.to_be_noticed


def _start_draft(
    meta: DraftRequest, court: Court, token: ApiToken, filer: FilerAccount
) -> FilingDraft:
    categories = {EventType.Category.OPEN_CASE, EventType.Category.OTHER}
    event = EventType.objects.filter(
        court=court, code=meta.event, is_active=True, category__in=categories
    ).first()
    if event is None:
        raise Refusal(422, "no_event", "event: no such event in this court.", "event")
    assert token.signon is not None
    if event.category == EventType.Category.OPEN_CASE:
        if meta.new_case is None or meta.case_number is not None:
            raise Refusal(
                422, "invalid", "new_case: this event opens a case; describe it.", "new_case"
            )
        data, lead, noticed = _open_case_data(meta)
        return draft_start(
            signon=token.signon,
            filer=filer,
            event=event,
            case_data=data,
            lead=lead,
            to_be_noticed=noticed,
        )
    if meta.case_number is None or meta.new_case is not None:
        raise Refusal(422, "invalid", "case_number: this event files into a case.", "case_number")
    normal = normalize_case_number(meta.case_number)
    case = Case.objects.filter(court=court, number=normal).first() if normal else None
    if case is None or not decide_token(
        token=token, court=court, action=Action.FILE_IN_CASE, case=case
    ):
        raise Refusal(404, "no_case", "case_number: no such case you may file in.", "case_number")
    parties = list(Party.objects.filter(case=case, name__in=meta.parties))
    if not meta.parties or len(parties) != len(set(meta.parties)):
        missing = sorted(set(meta.parties) - {p.name for p in parties})
        which = f" (not in the case: {missing[0][:80]})" if missing else ""
        raise Refusal(422, "no_party", f"parties: name the parties you file for{which}.", "parties")
    draft = draft_start(signon=token.signon, filer=filer, event=event, case=case)
    draft_choose_parties(
        draft=draft, parties=parties, lead=meta.lead, to_be_noticed=meta.to_be_noticed
    )
    return draft


def _set_text(draft: FilingDraft, meta: DraftRequest) -> None:
    if meta.docket_text is not None:
        problem = docket_text_problem(meta.docket_text, draft.event)
        if problem:
            raise Refusal(422, "docket_text", f"docket_text: {problem}.", "docket_text")
        draft.docket_text = meta.docket_text
        draft_save(draft, "docket_text")


def _fill_draft(draft: FilingDraft, meta: FilingRequest, files: list[Upload]) -> None:
    _set_text(draft, meta)
    descriptions = list(meta.attachment_descriptions)
    attachments = [upload for upload, main in files if not main]
    if len(descriptions) != len(attachments) or not all(d.strip() for d in descriptions):
        raise Refusal(
            422,
            "invalid",
            "attachment_descriptions: describe each attachment, one description each.",
            "attachment_descriptions",
        )
    number = 0
    for upload, main in files:
        description = "" if main else descriptions[number]
        number += 0 if main else 1
        draft_stage_upload(draft=draft, upload=upload, description=description, main=main)


@public_api
@csrf_exempt
@accepts_upload(files=MAX_FILES)
@_methods("POST")
@with_token
def filings(request: HttpRequest, court: str, *, token: ApiToken, actor: Actor) -> HttpResponse:
    """ReviewFiling: file a document (opening a case, or into one), pay its fee, docket it.
    With an Idempotency-Key, a retry of the same request answers with the first filing."""
    found = _court(court)
    if found is None:
        return api_error(404, "no_court", f"There is no court {court[:20]!r}.", "court")
    actor = actor.in_court(found)
    decision = decide_token(token=token, court=found, action=Action.FILE)
    if not decision:
        return api_error(403, decision.reason, "This token may not file in this court.")
    try:
        meta, raw, files = _parse(request)
    except Refusal as refusal:
        return refusal.response
    key = request.headers.get(IDEMPOTENCY_HEADER, "")
    if len(key) > IdempotencyKey.MAX_LENGTH or (key and not key.isprintable()):
        return api_error(
            422, "invalid", f"{IDEMPOTENCY_HEADER}: at most 80 printable characters.", "key"
        )
    digest = _request_digest(raw, files) if key else ""
    if key:
        earlier = IdempotencyKey.objects.filter(token=token, key=key).first()
        if earlier is not None:
            return _replay(earlier, digest, found)
    filer = FilerAccount.objects.filing_for(token.account).filter(court=found).first()
    if filer is None:
        return api_error(403, "not_a_filer", "The token's account may not file in this court.")
    draft: FilingDraft | None = None
    claim: IdempotencyKey | None = None
    try:
        card = _card(meta)
        draft = _start_draft(meta, found, token, filer)
        if key:
            try:
                with transaction.atomic():
                    claim = IdempotencyKey.objects.create(
                        token=token, key=key, request_digest=digest, draft_id=draft.pk
                    )
            except IntegrityError:
                draft_cancel(draft=draft)
                draft = None
                earlier = IdempotencyKey.objects.get(token=token, key=key)
                return _replay(earlier, digest, found)
        _fill_draft(draft, meta, files)
        assert token.signon is not None
        outcome = filing_submit(
            draft_id=draft.pk,
            signon=token.signon,
            card=card,
            fee_cents_shown=meta.fee_cents,
            actor=actor,
        )
    except Refusal as refusal:
        _discard(draft, claim)
        return refusal.response
    except FilingRefused as refused:
        _discard(draft, claim)
        field = refused.field or None
        status = (
            402 if refused.reason in {"card_declined", "card_invalid", "card_required"} else 422
        )
        return api_error(status, refused.reason, refused.message, field)
    return _json(
        _status(outcome.filing, replayed=outcome.replayed), 200 if outcome.replayed else 201
    )


def _discard(draft: FilingDraft | None, claim: IdempotencyKey | None) -> None:
    """A refused filing leaves nothing: its draft and staged PDFs go, and its key is free
    for a corrected retry."""
    if claim is not None:
        claim.delete()
    if draft is not None and not Filing.objects.filter(draft_id=draft.pk).exists():
        draft_cancel(draft=draft)


def _replay(earlier: IdempotencyKey, digest: str, court: Court) -> HttpResponse:
    if earlier.request_digest != digest:
        return api_error(
            422,
            "idempotency_key_reused",
            f"{IDEMPOTENCY_HEADER}: this key was used for a different request.",
            "key",
        )
    filing = Filing.objects.filter(draft_id=earlier.draft_id, court=court).first()
    if filing is None:
        return api_error(
            409, "in_progress", "A request with this key is being filed; retry in a moment."
        )
    return _json(_status(filing, replayed=True))


@public_api
@csrf_exempt
@_methods("GET")
@with_token
def filing_status(
    request: HttpRequest, court: str, filing_id: str, *, token: ApiToken, actor: Actor
) -> HttpResponse:
    """GetFilingStatus: one of the token owner's filings in this court, with its NEF."""
    found = _court(court)
    if found is None:
        return api_error(404, "no_court", f"There is no court {court[:20]!r}.", "court")
    decision = decide_token(token=token, court=found, action=Action.FILE)
    if not decision:
        return api_error(403, decision.reason, "This token may not file in this court.")
    filing = None
    if FilingDraft.is_well_formed(filing_id):
        filing = (
            Filing.objects.select_related("entry", "case", "payment")
            .filter(draft_id=filing_id, court=found, account=token.account)
            .first()
        )
    if filing is None or not is_public_case(filing.case):
        return api_error(404, "no_filing", "filing_id: no such filing.", "filing_id")
    return _json(_status(filing))


@public_api
@csrf_exempt
def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    return api_error(404, "not_found", "No such operation; see /api/v1/openapi.json.")


# --- Alert subscriptions --------------------------------------------------------------------

MAX_JSON_BYTES = 16 * 1024


def _subscription_out(subscription: Subscription) -> SubscriptionOut:
    return SubscriptionOut(
        id=subscription.pk,
        court=subscription.case.court_id,
        case_number=subscription.case.number,
        email=subscription.email,  # type: ignore[arg-type]
        feed_url=f"{settings.SITE_URL}{reverse('alert_feed', args=[subscription.feed_key])}",
    )


@public_api
@csrf_exempt
@_methods("GET", "POST")
@with_token
def subscriptions(request: HttpRequest, *, token: ApiToken, actor: Actor) -> HttpResponse:
    """The cases the token's account follows (GET), or follow one (POST, JSON)."""
    if not TOKEN_READ_SCOPES & set(token.scopes):
        return api_error(403, "token_scope", "This token may not read cases.")
    if request.method == "GET":
        mine = (
            Subscription.objects.filter(account=token.account, case__is_sealed=False)
            .select_related("case")
            .order_by("pk")
        )
        return _json(SubscriptionList(subscriptions=[_subscription_out(s) for s in mine]))
    if len(request.body) > MAX_JSON_BYTES:
        return api_error(413, "too_large", "The body is too large.")
    try:
        wanted = SubscriptionIn.model_validate_json(request.body or b"{}")
    except ValidationError as invalid:
        where, message = _field_of(invalid, "body")
        return api_error(422, "invalid", message, where)
    court = _court(wanted.court)
    if court is None:
        return api_error(422, "no_court", "court: no such court.", "court")
    case, refused = _readable_case(court, wanted.case_number, token)
    if refused is not None:
        return refused
    assert case is not None
    try:
        subscription = alert_follow(
            account=token.account,
            case=case,
            email=Subscription.Email(wanted.email),
            actor=actor.in_court(court),
        )
    except AlertRefused as refused_follow:
        return api_error(422, refused_follow.reason, refused_follow.message, "case_number")
    return _json(_subscription_out(subscription), 201)


@public_api
@csrf_exempt
@_methods("DELETE")
@with_token
def subscription(
    request: HttpRequest, subscription_id: int, *, token: ApiToken, actor: Actor
) -> HttpResponse:
    if not TOKEN_READ_SCOPES & set(token.scopes):
        return api_error(403, "token_scope", "This token may not read cases.")
    if subscription_id > 2**62 or not alert_unfollow(
        account=token.account, subscription_id=subscription_id, actor=actor
    ):
        return api_error(404, "no_subscription", "No such subscription.", "subscription_id")
    return HttpResponse(status=204)


# --- Staged filings: a draft, its PDFs one request at a time, then submit -------------------


def _draft_out(draft: FilingDraft) -> DraftOut:
    return DraftOut(
        draft_id=draft.pk,
        event=draft.event.code,
        case_number=draft.case.number if draft.case is not None else None,
        expires_at=draft.expires_at,
        documents=[
            StagedOut(
                position=u.position,
                description=u.description,
                filename=u.original_filename,
                pages=u.pages,
                size_bytes=u.size_bytes,
            )
            for u in draft.uploads.order_by("position")
        ],
        fee_cents=draft.event.fee_cents,
    )


def _json_body(request: HttpRequest, model: type[BaseModel]) -> Any:
    if len(request.body) > MAX_JSON_BYTES:
        raise Refusal(413, "too_large", "The body is too large.")
    try:
        return model.model_validate_json(request.body or b"{}")
    except ValidationError as invalid:
        where, message = _field_of(invalid, "body")
        raise Refusal(422, "invalid", message, where) from None


def _filing_court(court: str, token: ApiToken) -> tuple[Court, FilerAccount]:
    found = _court(court)
    if found is None:
        raise Refusal(404, "no_court", f"There is no court {court[:20]!r}.", "court")
    decision = decide_token(token=token, court=found, action=Action.FILE)
    if not decision:
        raise Refusal(403, decision.reason, "This token may not file in this court.")
    filer = FilerAccount.objects.filing_for(token.account).filter(court=found).first()
    if filer is None:
        raise Refusal(403, "not_a_filer", "The token's account may not file in this court.")
    return found, filer


def _token_draft(court: Court, token: ApiToken, draft_id: str) -> FilingDraft:
    assert token.signon is not None
    draft = draft_get(draft_id=draft_id, signon=token.signon, court=court)
    if draft is None or draft.submitted_at is not None:
        raise Refusal(404, "no_draft", "draft_id: no such draft (or it expired).", "draft_id")
    return draft


@public_api
@csrf_exempt
@_methods("POST")
@with_token
def drafts(request: HttpRequest, court: str, *, token: ApiToken, actor: Actor) -> HttpResponse:
    """Stage a filing (JSON): checked as ReviewFiling checks it; its PDFs come next."""
    draft: FilingDraft | None = None
    try:
        found, filer = _filing_court(court, token)
        meta = _json_body(request, DraftRequest)
        draft = _start_draft(meta, found, token, filer)
        _set_text(draft, meta)
    except Refusal as refusal:
        _discard(draft, None)
        return refusal.response
    return _json(_draft_out(draft), 201)


@public_api
@csrf_exempt
@accepts_upload(files=1)
@_methods("POST", "DELETE")
@with_token
def draft_documents(
    request: HttpRequest, court: str, draft_id: str, *, token: ApiToken, actor: Actor
) -> HttpResponse:
    """POST: add one PDF (multipart: `main_document`, or `attachment` with `description`),
    checked as the web flow checks it. DELETE: drop the whole draft and its PDFs."""
    try:
        found, _filer = _filing_court(court, token)
        draft = _token_draft(found, token, draft_id)
        if request.method == "DELETE":
            draft_cancel(draft=draft)
            return HttpResponse(status=204)
        if not (request.content_type or "").startswith("multipart/form-data"):
            raise Refusal(415, "multipart_required", "Send the PDF as multipart/form-data.", "file")
        mains = request.FILES.getlist("main_document")
        attachments = request.FILES.getlist("attachment")
        if len(mains) + len(attachments) != 1:
            raise Refusal(
                422, "invalid", "main_document: send one PDF, or one attachment.", "main_document"
            )
        description = request.POST.get("description", "").strip()
        if attachments and not (0 < len(description) <= 200 and description.isprintable()):
            raise Refusal(
                422,
                "invalid",
                "description: describe the attachment (200 characters).",
                "description",
            )
        draft_stage_upload(
            draft=draft,
            upload=(mains or attachments)[0],
            description=description,
            main=bool(mains),
        )
    except Refusal as refusal:
        return refusal.response
    except FilingRefused as refused:
        return api_error(422, refused.reason, refused.message, refused.field or None)
    return _json(_draft_out(draft), 201)


@public_api
@csrf_exempt
@_methods("POST")
@with_token
def draft_submit(
    request: HttpRequest, court: str, draft_id: str, *, token: ApiToken, actor: Actor
) -> HttpResponse:
    """Pay and file a staged draft. Submitting the same draft again answers with its
    filing (the draft's id is its idempotency key: it files and charges at most once)."""
    try:
        found, _filer = _filing_court(court, token)
        meta = _json_body(request, SubmitRequest)
        card = _card(meta)
        assert token.signon is not None
        if FilingDraft.is_well_formed(draft_id):
            done = Filing.objects.filter(draft_id=draft_id, account=token.account, court=found)
            if done.exists():
                return _json(_status(done.get(), replayed=True))
        draft = _token_draft(found, token, draft_id)
        if draft.case is not None and not decide_token(
            token=token, court=found, action=Action.FILE_IN_CASE, case=draft.case
        ):
            raise Refusal(
                404, "no_case", "case_number: no such case you may file in.", "case_number"
            )
        outcome = filing_submit(
            draft_id=draft.pk,
            signon=token.signon,
            card=card,
            fee_cents_shown=meta.fee_cents,
            actor=actor.in_court(found),
        )
    except Refusal as refusal:
        return refusal.response
    except FilingRefused as refused:
        # A staged draft stays, with its PDFs, for a corrected submit (until it expires).
        status = 402 if refused.reason in CARD_REFUSALS else 422
        return api_error(status, refused.reason, refused.message, refused.field or None)
    code = 200 if outcome.replayed else 201
    return _json(_status(outcome.filing, replayed=outcome.replayed), code)
