"""The Civil menu and its filing screens.

Open a case: case data, then the Summons. File into a case: case number, party, then
documents, docket text and (when the event carries a fee) payment; Submit files it and
shows the Notice of Electronic Filing as the receipt. The state between the screens is a
server-side draft (filing.models.FilingDraft); every POST redirects, so back and refresh
are harmless, and a second Submit gets the first one's receipt.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from nextecf.access import Action, decide
from nextecf.accounts.request import SignedOnRequest
from nextecf.billing.gateways import SandboxGateway, configured_gateway
from nextecf.cases.models import AccessLevel, Case, EventType
from nextecf.cases.selectors import confidential_entries
from nextecf.courts.decorators import court_page
from nextecf.courts.models import Court, FilerAccount
from nextecf.courts.views.court import menu_context
from nextecf.filing.forms import (
    CardForm,
    CaseNumberForm,
    DocketTextForm,
    OpenCaseForm,
    PartiesForm,
    UploadForm,
)
from nextecf.filing.models import FailedPost, Filing, FilingDraft, StagedUpload
from nextecf.filing.services import (
    FilingRefused,
    default_docket_text,
    docket_text_problem,
    draft_cancel,
    draft_choose_members,
    draft_choose_parties,
    draft_choose_public_version,
    draft_get,
    draft_remove_upload,
    draft_resume_step,
    draft_save,
    draft_stage_upload,
    draft_start,
    drafts_of,
    filing_party_names,
    filing_submit,
    final_docket_text,
    member_case_choices,
    normalize_text,
)
from nextecf.lib.actor import Actor
from nextecf.lib.middleware import accepts_upload
from nextecf.lib.storage import staging_store
from nextecf.notices.nef import nef_context, nef_render

BAD_EVENT = "Event: no such event in this court's Civil menu. Choose one from the list."

F = TypeVar("F", bound=BaseForm)

# The query parameter that names a refused POST's stash on the page it redirects to.
RETRY = "failed"
# Typed again, never kept: the card (sensitive_post_parameters on submit) and the token.
NEVER_KEPT = frozenset({"card_number", "cvv", "exp_month", "exp_year", "csrfmiddlewaretoken"})


def _refused(
    request: SignedOnRequest,
    *,
    form: BaseForm | None = None,
    error: str = "",
    status: int = 400,
    path: str = "",
    query: dict[str, str] | None = None,
) -> HttpResponseRedirect:
    """Answer a refused POST with a redirect to the page's GET, which shows the same
    errors and the entered values (post/redirect/get): Back never offers to resubmit."""
    target = path or request.path
    # PostgreSQL's text holds no NUL; a value refused for one is shown again without it.
    data = {
        _kept(key): [_kept(value) for value in request.POST.getlist(key)]
        for key in request.POST
        if key not in NEVER_KEPT
    }
    errors = {
        _kept(field): [{"message": _kept(str(item["message"]))} for item in items]
        for field, items in (
            form.errors.get_json_data() if form is not None and form.is_bound else {}
        ).items()
    }
    error = _kept(error)
    stash = FailedPost.objects.stash(
        account=request.user, path=target, data=data, errors=errors, error=error, status=status
    )
    params = QueryDict(mutable=True)
    params.update(query or {})
    params[RETRY] = stash.token
    return HttpResponseRedirect(f"{target}?{params.urlencode()}")


def _kept(text: str) -> str:
    return text.replace("\x00", "")


def _recalled(request: SignedOnRequest) -> FailedPost | None:
    if request.method != "GET":
        return None
    return FailedPost.objects.recall(
        token=request.GET.get(RETRY, ""), account=request.user, path=request.path
    )


def _values(stash: FailedPost) -> QueryDict:
    values = QueryDict(mutable=True)
    for key, items in stash.data.items():
        values.setlist(key, [str(item) for item in items])
    return values


def _with_errors(form: F, stash: FailedPost) -> F:
    """The form bound to the kept values, carrying the errors the POST was refused with
    (some were found by the service after the form's own checks, so they are not re-run)."""
    errors = form.errors  # the kept values' own check, replaced by the POST's answer
    errors.clear()
    for field, items in stash.errors.items():
        errors[field] = form.error_class(
            [item["message"] for item in items], renderer=form.renderer
        )
    return form


def _filer(request: SignedOnRequest, court: Court) -> FilerAccount:
    # Action.FILE has admitted the request, so the court account exists.
    return FilerAccount.objects.filing_for(request.user).get(court=court)


def _events(court: Court) -> list[EventType]:
    return list(
        EventType.objects.filter(court=court, is_active=True).exclude(
            category=EventType.Category.COURT
        )
    )


def _event(court: Court, raw: str, category: str) -> EventType | None:
    if not raw.isdigit() or len(raw) > 18:
        return None
    return EventType.objects.filter(
        pk=int(raw), court=court, is_active=True, category=category
    ).first()


def _menu(
    request: SignedOnRequest, court: Court, *, error: str = "", status: int = 200
) -> HttpResponse:
    events = _events(court)
    return render(
        request,
        "filing/civil.html",
        menu_context(
            request,
            court,
            open_events=[e for e in events if e.category == EventType.Category.OPEN_CASE],
            other_events=[e for e in events if e.category == EventType.Category.OTHER],
            error=error,
        ),
        status=status,
    )


@never_cache
@court_page(Action.FILE)
def civil(request: SignedOnRequest, court: Court) -> HttpResponse:
    stash = _recalled(request)
    if stash is not None:
        return _menu(request, court, error=stash.error, status=stash.status)
    return _menu(request, court)


def _bad_event(request: SignedOnRequest, court: Court) -> HttpResponse:
    if request.method == "POST":
        return _refused(request, error=BAD_EVENT, path=reverse("courts:civil", args=[court.pk]))
    return _menu(request, court, error=BAD_EVENT, status=400)


# --- Starting a filing -----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.FILE)
def open_case(request: SignedOnRequest, court: Court) -> HttpResponse:
    """Open a New Case: the case data; the case number is assigned when it is filed."""
    raw = (request.POST if request.method == "POST" else request.GET).get("event", "")
    event = _event(court, raw, EventType.Category.OPEN_CASE)
    if event is None:
        return _bad_event(request, court)
    stash = _recalled(request)
    if request.method == "POST":
        form = OpenCaseForm(request.POST)
        if not form.is_valid():
            return _refused(request, form=form, query={"event": str(event.pk)})
        draft = draft_start(
            signon=request.signon,
            filer=_filer(request, court),
            event=event,
            case_data=form.case_data(),
            lead=form.cleaned_data["lead"],
            to_be_noticed=form.cleaned_data["to_be_noticed"],
        )
        return _step(court, draft, "filing_documents")
    form = _with_errors(OpenCaseForm(_values(stash)), stash) if stash else OpenCaseForm()
    return render(
        request,
        "filing/open_case.html",
        menu_context(request, court, event=event, form=form),
        status=stash.status if stash else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.FILE)
def file_in_case(request: SignedOnRequest, court: Court) -> HttpResponse:
    """Other Filings: which case."""
    raw = (request.POST if request.method == "POST" else request.GET).get("event", "")
    event = _event(court, raw, EventType.Category.OTHER)
    if event is None:
        return _bad_event(request, court)
    stash = _recalled(request)
    if request.method == "POST":
        form = CaseNumberForm(request.POST, court=court)
        error = ""
        status = 400
        if form.is_valid():
            number = form.cleaned_data["case_number"]
            case = Case.objects.filter(court=court, number=number).first()
            decision = decide(user=request.user, court=court, action=Action.FILE_IN_CASE, case=case)
            if case is not None and decision:
                draft = draft_start(
                    signon=request.signon, filer=_filer(request, court), event=event, case=case
                )
                return _step(court, draft, "filing_parties")
            # A sealed case the filer is not on is answered like one that does not exist.
            error = f"Case number: there is no case {number} in this court that you may file in."
            status = 404
        return _refused(
            request, form=form, error=error, status=status, query={"event": str(event.pk)}
        )
    form = (
        _with_errors(CaseNumberForm(_values(stash), court=court), stash)
        if stash
        else CaseNumberForm(court=court)
    )
    return render(
        request,
        "filing/case_number.html",
        menu_context(request, court, event=event, form=form, error=stash.error if stash else ""),
        status=stash.status if stash else 200,
    )


# --- The draft's screens ---------------------------------------------------------------------


def _step(court: Court, draft: FilingDraft, name: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(f"courts:{name}", args=[court.pk, draft.pk]))


def _draft(request: SignedOnRequest, court: Court, draft_id: str) -> FilingDraft | HttpResponse:
    """The sign-on's draft, or the page to show instead (gone, or already filed)."""
    draft = draft_get(draft_id=draft_id, signon=request.signon, court=court)
    if draft is None:
        filing = Filing.objects.filter(draft_id=draft_id, account=request.user, court=court)
        if filing.exists():
            return HttpResponseRedirect(reverse("courts:filing_receipt", args=[court.pk, draft_id]))
        return render(request, "filing/draft_gone.html", menu_context(request, court), status=404)
    if draft.submitted_at is not None:
        return HttpResponseRedirect(reverse("courts:filing_receipt", args=[court.pk, draft.pk]))
    return draft


def _draft_context(
    request: SignedOnRequest, court: Court, draft: FilingDraft, step: str, **extra: Any
) -> dict[str, object]:
    steps = [("case", "Case")]
    if not draft.opens_case:
        steps.append(("parties", "Party"))
    steps += [("documents", "Documents"), ("docket_text", "Docket text"), ("submit", "Submit")]
    return menu_context(
        request,
        court,
        draft=draft,
        event=draft.event,
        steps=steps,
        step=step,
        party_names=filing_party_names(draft),
        uploads=list(draft.uploads.all()),
        **extra,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.FILE)
def parties(request: SignedOnRequest, court: Court, draft: str) -> HttpResponse:
    loaded = _draft(request, court, draft)
    if isinstance(loaded, HttpResponse):
        return loaded
    if loaded.opens_case or loaded.case is None:
        return _step(court, loaded, "filing_documents")
    case = loaded.case
    choices = case.parties.filter(terminated_on=None)
    mine = set(
        case.parties.filter(
            appearances__filer=loaded.filer, appearances__terminated_on=None
        ).values_list("pk", flat=True)
    )
    if request.method == "POST":
        form = PartiesForm(request.POST, parties=choices)
        if form.is_valid():
            draft_choose_parties(
                draft=loaded,
                parties=list(form.cleaned_data["parties"]),
                lead=form.cleaned_data["lead"],
                to_be_noticed=form.cleaned_data["to_be_noticed"],
            )
            return _step(court, loaded, "filing_documents")
        return _refused(request, form=form)
    stash = _recalled(request)
    if stash is not None:
        form = _with_errors(PartiesForm(_values(stash), parties=choices), stash)
    else:
        initial: dict[str, Any] = {"lead": loaded.lead, "to_be_noticed": loaded.to_be_noticed}
        if loaded.parties_chosen:
            initial["parties"] = list(loaded.parties.all())
        form = PartiesForm(initial=initial, parties=choices)
    return render(
        request,
        "filing/parties.html",
        _draft_context(request, court, loaded, "parties", form=form, mine=mine, case=case),
        status=stash.status if stash else 200,
    )


@accepts_upload(files=2)  # a main document and an attachment in one request
@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.FILE)
def documents(request: SignedOnRequest, court: Court, draft: str) -> HttpResponse:
    loaded = _draft(request, court, draft)
    if isinstance(loaded, HttpResponse):
        return loaded
    if not loaded.parties_chosen:
        return _step(court, loaded, "filing_parties")
    levels = [(lvl, AccessLevel(lvl).label) for lvl in loaded.event.allowed_levels()]
    form = UploadForm(levels=levels)
    error = ""
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove.isdigit() and len(remove) < 4 and "confirm" not in request.POST:
            # Asked, not yet confirmed: the question, on a page of its own (a GET).
            url = reverse("courts:filing_documents", args=[court.pk, loaded.pk])
            return HttpResponseRedirect(f"{url}?remove={int(remove)}")
        if remove.isdigit() and len(remove) < 4:
            try:
                draft_remove_upload(draft=loaded, position=int(remove))
            except FilingRefused as refusal:
                error = refusal.message
            else:
                return _step(court, loaded, "filing_documents")
        form = UploadForm(request.POST, request.FILES, levels=levels)
        if not error and form.is_valid():
            try:
                if form.cleaned_data["main_document"]:
                    draft_stage_upload(
                        draft=loaded,
                        upload=form.cleaned_data["main_document"],
                        description="Main Document",
                        main=True,
                        level=form.cleaned_data["main_level"] or AccessLevel.PUBLIC,
                    )
                if form.cleaned_data["attachment"]:
                    draft_stage_upload(
                        draft=loaded,
                        upload=form.cleaned_data["attachment"],
                        description=form.cleaned_data["attachment_description"],
                        main=False,
                        level=form.cleaned_data["attachment_level"] or AccessLevel.PUBLIC,
                    )
            except FilingRefused as refusal:
                error = refusal.message
            else:
                has_main = loaded.uploads.filter(position=StagedUpload.MAIN).exists()
                if "next" not in request.POST:
                    return _step(court, loaded, "filing_documents")
                if has_main or not loaded.event.requires_document:
                    return _step(court, loaded, "filing_docket_text")
                error = "Main document: upload the main document (a PDF) before going on."
        return _refused(request, form=form, error=error)
    stash = _recalled(request)
    if stash is not None:
        form = _with_errors(UploadForm(_values(stash), levels=levels), stash)
        error = stash.error
    asked = request.GET.get("remove", "") if request.method == "GET" else ""
    removing = (
        loaded.uploads.filter(position=int(asked)).first()
        if asked.isdigit() and len(asked) < 4
        else None
    )
    return render(
        request,
        "filing/documents.html",
        _draft_context(
            request, court, loaded, "documents", form=form, error=error, removing=removing
        ),
        status=stash.status if stash else 200,
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
@court_page(Action.FILE)
def preview(request: SignedOnRequest, court: Court, draft: str, position: int) -> HttpResponse:
    """An uploaded PDF of the draft, inline: the browser's own viewer shows it before the
    filer submits (no PDF script of ours)."""
    loaded = _draft(request, court, draft)
    if isinstance(loaded, HttpResponse):
        return loaded
    upload = loaded.uploads.filter(position=position).first()
    if upload is None:
        raise Http404("no such upload")
    try:
        handle = staging_store().open(upload.sha256)
    except (OSError, ValueError) as missing:
        raise Http404("the staged file is gone") from missing
    response = FileResponse(
        handle, content_type="application/pdf", filename=upload.original_filename
    )
    # Shown, not downloaded: "inline" (FileResponse says attachment only when asked to).
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline"
    )
    # court_page is typed for HttpResponse; Django serves the streamed FileResponse alike.
    return cast(HttpResponse, response)


@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.FILE)
def docket_text(request: SignedOnRequest, court: Court, draft: str) -> HttpResponse:
    loaded = _draft(request, court, draft)
    if isinstance(loaded, HttpResponse):
        return loaded
    confidential = (
        [
            (entry.pk, f"No. {entry.number}: {entry.text[:80]}")
            for entry in confidential_entries(loaded.case)
        ]
        if loaded.case is not None
        else []
    )
    members = [
        (case.pk, f"{case.number} {case.title}")
        for case in member_case_choices(draft=loaded, account=request.signon.account)
    ]
    if request.method == "POST":
        form = DocketTextForm(request.POST, confidential=confidential, members=members)
        if form.is_valid():
            text = form.cleaned_data["docket_text"]
            problem = docket_text_problem(text, loaded.event)
            if problem:
                form.add_error("docket_text", f"The docket text {problem}.")
            else:
                try:
                    draft_choose_public_version(
                        draft=loaded, entry_id=form.cleaned_data["public_version_of"]
                    )
                    draft_choose_members(
                        draft=loaded,
                        account=request.signon.account,
                        case_ids=form.cleaned_data["member_cases"],
                    )
                except FilingRefused as refusal:
                    form.add_error(refusal.field or None, refusal.message)
                else:
                    loaded.docket_text = normalize_text(text)
                    draft_save(loaded, "docket_text")
                    return _step(court, loaded, "filing_submit")
        return _refused(request, form=form)
    stash = _recalled(request)
    if stash is not None:
        form = _with_errors(DocketTextForm(_values(stash), confidential=confidential), stash)
    else:
        form = DocketTextForm(
            initial={
                "docket_text": loaded.docket_text or default_docket_text(loaded),
                "public_version_of": loaded.public_version_of_id,
                "member_cases": list(loaded.member_cases.values_list("pk", flat=True)),
            },
            confidential=confidential,
            members=members,
        )
    return render(
        request,
        "filing/docket_text.html",
        _draft_context(request, court, loaded, "docket_text", form=form),
        status=stash.status if stash else 200,
    )


@sensitive_post_parameters("card_number", "cvv", "exp_month", "exp_year")
@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.FILE)
def submit(request: SignedOnRequest, court: Court, draft: str) -> HttpResponse:
    """Review and submit; pay first when the event carries a fee."""
    loaded = _draft(request, court, draft)
    if isinstance(loaded, HttpResponse):
        return loaded  # gone, or filed already: then the receipt
    fee = loaded.event.fee_cents
    card_form = CardForm(
        request.POST if request.method == "POST" and fee else None, initial={"fee_cents": fee}
    )
    error = ""
    if request.method == "POST":
        if not fee or card_form.is_valid():
            try:
                outcome = filing_submit(
                    draft_id=loaded.pk,
                    signon=request.signon,
                    card=card_form.cleaned_data["card"] if fee else None,
                    fee_cents_shown=card_form.cleaned_data["fee_cents"] if fee else None,
                    actor=Actor.from_request(request),
                )
            except FilingRefused as refusal:
                if refusal.reason == "draft_gone":
                    # Its GET answers "gone" (or, filed meanwhile, the receipt).
                    return HttpResponseRedirect(request.path)
                error = refusal.message
            else:
                return HttpResponseRedirect(
                    reverse("courts:filing_receipt", args=[court.pk, outcome.filing.draft_id])
                )
        return _refused(request, form=card_form if fee else None, error=error)
    stash = _recalled(request)
    if stash is not None:
        error = stash.error
        if fee:
            card_form = _with_errors(CardForm(_values(stash)), stash)
    text = loaded.docket_text or default_docket_text(loaded)
    uploads = list(loaded.uploads.all())
    return render(
        request,
        "filing/submit.html",
        _draft_context(
            request,
            court,
            loaded,
            "submit",
            card_form=card_form if fee else None,
            sandbox=configured_gateway().name == SandboxGateway.name,
            fee=f"${fee / 100:,.2f}",
            final_text=final_docket_text(text, uploads, loaded.filer),
            text_problem=docket_text_problem(text, loaded.event),
            error=error,
        ),
        status=stash.status if stash else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.FILE)
def cancel(request: SignedOnRequest, court: Court, draft: str) -> HttpResponse:
    """Cancel this filing: asked first (GET, or a POST without `confirm`), then done."""
    if request.method == "POST" and "confirm" in request.POST:
        loaded = draft_get(draft_id=draft, signon=request.signon, court=court)
        if loaded is not None and loaded.submitted_at is None:
            draft_cancel(draft=loaded)
        back = "filing_drafts" if request.POST.get("from") == "drafts" else "civil"
        return HttpResponseRedirect(reverse(f"courts:{back}", args=[court.pk]))
    if request.method == "POST":
        return HttpResponseRedirect(reverse("courts:filing_cancel", args=[court.pk, draft]))
    found = _draft(request, court, draft)
    if isinstance(found, HttpResponse):
        return found
    back = request.GET.get("back", "")
    back_step = back if back in BACK_STEPS else "filing_documents"
    return render(
        request,
        "filing/cancel_confirm.html",
        _draft_context(
            request,
            court,
            found,
            "cancel",
            back_url=reverse(f"courts:{back_step}", args=[court.pk, found.pk]),
        ),
    )


# Where "No, keep it" on the cancel question returns to.
BACK_STEPS = ("filing_parties", "filing_documents", "filing_docket_text", "filing_submit")


@never_cache
@court_page(Action.FILE)
def my_drafts(request: SignedOnRequest, court: Court) -> HttpResponse:
    """Civil → My drafts: filings started and not yet submitted, from any sign-on, kept
    for the court's draft lifetime; each to resume where it stopped, or to discard."""
    rows = [
        {
            "draft": draft,
            "resume": reverse(f"courts:{draft_resume_step(draft)}", args=[court.pk, draft.pk]),
            "parties": filing_party_names(draft),
        }
        for draft in drafts_of(account=request.user, court=court)
    ]
    return render(
        request,
        "filing/drafts.html",
        menu_context(request, court, rows=rows, draft_days=court.draft_days),
    )


@never_cache
@court_page(Action.FILE)
def receipt(request: SignedOnRequest, court: Court, draft: str) -> HttpResponse:
    """The Notice of Electronic Filing as the filer's receipt, without free-look links."""
    filing = (
        Filing.objects.select_related("entry", "case", "payment", "event")
        .filter(draft_id=draft, account=request.user, court=court)
        .first()
        if FilingDraft.is_well_formed(draft)
        else None
    )
    if filing is None:
        return render(request, "filing/draft_gone.html", menu_context(request, court), status=404)
    also = list(
        filing.member_entries.select_related("case", "case__court").order_by("case__number")
    )
    nef = nef_render(nef_context(entry=filing.entry, also=also))
    return render(
        request,
        "filing/receipt.html",
        menu_context(request, court, filing=filing, nef=mark_safe(nef)),  # noqa: S308 - rendered with autoescape
    )
