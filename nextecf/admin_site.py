from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field, ForeignKey, Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, reverse

from nextecf.audit.models import AuditEvent, Event
from nextecf.audit.services import audit_record
from nextecf.cases.models import Case
from nextecf.courts.models import CourtStaff
from nextecf.lib.actor import Actor
from nextecf.lib.guards import public


class NextECFAdminSite(admin.AdminSite):
    """Staff tools. Staff sign on like everyone else (central login); each court's staff
    see only their court's records (enforced in each ModelAdmin's queryset)."""

    site_header = "NextECF staff tools"
    site_title = "NextECF staff"
    index_title = "Court administration"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_authenticated and user.is_active and user.is_staff)

    @staticmethod
    def _passkey_missing(request: HttpRequest) -> bool:
        """Staff of a court that requires passkeys, signed on without one."""
        user: Any = request.user
        signon = getattr(request, "signon", None)
        if not (user.is_authenticated and user.is_staff and signon is not None):
            return False
        if signon.mfa_method == "passkey":
            return False
        return bool(CourtStaff.objects.passkey_required(user))

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Any:
        """Django's guard, and an audited refusal for someone signed on who is not staff
        (the signed-off are only sent to the login, as everywhere)."""
        guarded = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if self._passkey_missing(request):
                audit_record(
                    event=Event.ACCESS_DENIED,
                    success=False,
                    actor=Actor.from_request(request).in_court(None),
                    reason="passkey_required",
                    detail={"action": "staff_tools"},
                )
                return render(request, "admin/passkey_required.html", status=403)
            if request.user.is_authenticated and not self.has_permission(request):
                audit_record(
                    event=Event.ACCESS_DENIED,
                    success=False,
                    actor=Actor.from_request(request).in_court(None),
                    reason="not_staff",
                    detail={"action": "staff_tools"},
                )
            return guarded(request, *args, **kwargs)

        return inner

    def get_urls(self) -> list[URLResolver | URLPattern]:
        for model_admin in self._registry.values():
            _audit_object_reads(model_admin)
            _checked_initial_ids(model_admin)
            for inline in model_admin.inlines:
                _checked_autocomplete(inline)
            _checked_autocomplete(type(model_admin))
        return super().get_urls()

    @public  # to the central login, which every staff member signs on through
    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        target = request.GET.get("next") or reverse("admin:index")
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")

    def logout(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return HttpResponseRedirect(reverse("accounts:logout"))


def _audit_object_reads(model_admin: admin.ModelAdmin[Any]) -> None:
    """Every object page of the staff tools (change, delete, history) finds its object
    through get_object, within the staff member's own courts (each ModelAdmin's queryset).
    Audited here: an object that exists but is another court's (a refused cross-court
    action), and reading a sealed case or an audit event."""
    if getattr(model_admin.get_object, "audited", False):
        return
    original = model_admin.get_object

    def get_object(request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = original(request, object_id, from_field)
        model = model_admin.model
        actor = Actor.from_request(request).in_court(None)
        label = model._meta.label_lower
        if obj is None:
            if _exists(model, object_id, from_field):
                audit_record(
                    event=Event.ACCESS_DENIED,
                    success=False,
                    actor=actor,
                    reason="other_court_object",
                    detail={"model": label, "id": str(object_id)[:40]},
                )
        elif (isinstance(obj, Case) and obj.is_sealed) or isinstance(obj, AuditEvent):
            audit_record(
                event=Event.STAFF_VIEW,
                success=True,
                actor=actor,
                court=getattr(obj, "court", None),
                reason="sealed_case" if isinstance(obj, Case) else "audit_log",
                detail={"model": label, "id": obj.pk, "path": request.path[:200]},
            )
        return obj

    get_object.audited = True  # type: ignore[attr-defined]
    model_admin.get_object = get_object  # type: ignore[method-assign]


# The largest id a database column holds (PostgreSQL's and SQLite's 64-bit integers).
_LARGEST_ID = 2**63 - 1


def _checked_initial_ids(model_admin: admin.ModelAdmin[Any]) -> None:
    """An add form's initial values from the query (?case=12) are ids the related-object
    widgets (autocomplete) look up as given: one that is not an id at all ("abc", "1,2",
    or too large for the column) would be a 500. Such a value is dropped, so the form
    opens empty, as for an id that matches nothing."""
    if getattr(model_admin.get_changeform_initial_data, "checked", False):
        return
    original = model_admin.get_changeform_initial_data

    def get_changeform_initial_data(request: HttpRequest) -> dict[str, Any]:
        initial = dict(original(request))
        for name, value in list(initial.items()):
            try:
                field = model_admin.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not isinstance(field, ForeignKey):  # OneToOneField included
                continue
            if not _is_id(field.target_field, value):
                del initial[name]
        return initial

    get_changeform_initial_data.checked = True  # type: ignore[attr-defined]
    model_admin.get_changeform_initial_data = get_changeform_initial_data  # type: ignore[method-assign]


class CheckedAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete select, which shows the chosen object by looking its id
    up: a submitted value that is not an id at all (a form sent back with errors) is left
    out of the lookup instead of making a 500."""

    def optgroups(self, name: str, value: Any, attr: Any = None) -> Any:
        remote = self.field.remote_field
        target = remote.model._meta.get_field(remote.field_name)
        if isinstance(target, Field):
            value = [v for v in value if v in (None, "") or _is_id(target, v)]
        return super().optgroups(name, value, attr)


def _checked_autocomplete(admin_class: type[Any]) -> None:
    """Every foreign key an admin (or inline) shows as an autocomplete uses the checked
    select above."""
    if getattr(admin_class.formfield_for_foreignkey, "checked", False):
        return
    original = admin_class.formfield_for_foreignkey

    def formfield_for_foreignkey(self: Any, db_field: Any, request: Any, **kwargs: Any) -> Any:
        formfield = original(self, db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        inner = getattr(widget, "widget", None)  # inside the related-object wrapper
        for candidate in (widget, inner):
            if type(candidate) is AutocompleteSelect:
                candidate.__class__ = CheckedAutocompleteSelect
        return formfield

    formfield_for_foreignkey.checked = True  # type: ignore[attr-defined]
    admin_class.formfield_for_foreignkey = formfield_for_foreignkey


def _is_id(target: Field[Any, Any], value: object) -> bool:
    try:
        parsed = target.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    return not isinstance(parsed, int) or -_LARGEST_ID <= parsed <= _LARGEST_ID


def _exists(model: type[Model], object_id: str, from_field: str | None) -> bool:
    field = model._meta.get_field(from_field) if from_field else model._meta.pk
    if not isinstance(field, Field):
        return False
    try:
        value = field.to_python(object_id)
    except (ValidationError, ValueError):
        return False
    return model._default_manager.filter(**{field.attname: value}).exists()
