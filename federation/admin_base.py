"""What every model admin of the ledger shares: scoping through federation.scoping, masked identifiers,
history without revert, and a "federation and below" list filter.

The admin is where administrators keep accounts and reference data, but federation staff with
`is_staff` may open it too (the annual summary's drill-down links into changelists). So nothing here
filters by hand: querysets come from `scoping.visible()`, writes are allowed by `scoping.can_change()`,
and the choices of every foreign key are the records the user keeps (`scoping.owned()`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from federation import scoping
from federation.models import Federation
from federation.scope import within_path
from federation.service_errors import add_service_errors

# Changelists of the big tables (members, changes, cases, aid) skip the unfiltered COUNT(*) and page
# in steps a browser renders quickly.
BIG_TABLE_PAGE = 50

TIMESTAMPS = (_("记录"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)})


# --- Masked identifiers ---------------------------------------------------------------------------


def masked_name(field_name: str) -> str:
    return f"{field_name}_masked"


def _masked_display(model, field_name: str, mask: Callable[[str], str]):
    @admin.display(description=model._meta.get_field(field_name).verbose_name, ordering=field_name)
    def display(obj) -> str:
        return mask(getattr(obj, field_name) or "")

    display.__name__ = masked_name(field_name)
    return display


def _replace_names(names: Iterable, replacements: dict[str, str]) -> list:
    """Replace field names, also inside the (a, b) tuples a fieldset row may hold."""
    replaced = []
    for name in names:
        if isinstance(name, (list, tuple)):
            replaced.append(type(name)(replacements.get(n, n) for n in name))
        else:
            replaced.append(replacements.get(name, name))
    return replaced


class _MaskingHistoryHelper(HistoricalRecordContextHelper):
    def __init__(self, model, record, *, masks: dict[str, Callable[[str], str]]):
        super().__init__(model, record)
        self.masks = masks

    def prepare_delta_change_value(self, change, value):
        if change.field in self.masks:
            return self.masks[change.field](value or "")
        return super().prepare_delta_change_value(change, value)


class IdentifierMaskingMixin:
    """Show ID numbers and phones masked (110105********1234, 138****5678) to users who may not see
    them in full (`scoping.can_see_full_identifiers`): in the changelist, on the change page (where
    the field becomes read-only) and in the history's list of changes.

    `masked_fields` maps a model field to its mask function.
    """

    masked_fields: dict[str, Callable[[str], str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field_name, mask in self.masked_fields.items():
            setattr(self, masked_name(field_name), _masked_display(self.model, field_name, mask))

    def hides_identifiers(self, request) -> bool:
        return bool(self.masked_fields) and not scoping.can_see_full_identifiers(request.user)

    def _masked_names(self) -> dict[str, str]:
        return {name: masked_name(name) for name in self.masked_fields}

    def get_list_display(self, request):
        list_display = super().get_list_display(request)
        if not self.hides_identifiers(request):
            return list_display
        return _replace_names(list_display, self._masked_names())

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # On the add page the user types the number; afterwards it is shown masked and read-only.
        if obj is None or not self.hides_identifiers(request):
            return fieldsets
        names = self._masked_names()
        return [
            (title, {**options, "fields": _replace_names(options["fields"], names)})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and self.hides_identifiers(request):
            readonly += [masked_name(name) for name in self.masked_fields]
        return readonly

    def get_historical_record_context_helper(self, request, historical_record):
        if self.hides_identifiers(request):
            return _MaskingHistoryHelper(self.model, historical_record, masks=self.masked_fields)
        return super().get_historical_record_context_helper(request, historical_record)


# --- History --------------------------------------------------------------------------------------


class HistoryAdmin(SimpleHistoryAdmin):
    """Every change kept and shown, with who and when. Reverting is switched off: a historical
    version carries fields that only services may set (a member's status, a case's reviews), and
    restoring one would bypass them."""

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


# --- Scoping --------------------------------------------------------------------------------------


def _scoped_field_queryset(request, db_field, queryset):
    """The records a user may pick for a foreign key or many-to-many field: those it keeps."""
    related = db_field.remote_field.model
    if related._meta.label not in scoping.VISIBILITY:
        return queryset
    if queryset is None:
        queryset = related._default_manager.all()
    if not scoping.may_write(request.user):
        return queryset.none()
    return scoping.owned(request.user, related, queryset)


class _DryRun(Exception):
    pass


def _refusal(call: Callable[[], object]) -> ValidationError | None:
    """Run `call` in a savepoint that is always rolled back; the ValidationError it raised, if any."""
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        return None
    except ValidationError as exc:
        return exc


def _adopt(obj, saved) -> None:
    """Turn the form's unsaved instance into the record a service saved, so that the admin's
    messages, log entry, inlines and redirect all refer to it."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj.refresh_from_db()


class ScopedAdminMixin:
    """get_queryset through `scoping.visible`, writes through `scoping.can_change`.

    Model permissions (view/add/change/delete, granted in the user admin) still decide which models a
    user may open; scoping decides which records. `deletable = False` keeps a model's records from
    being deleted at all ("nothing is lost").

    A write that carries rules goes through its service: an admin overrides `save_through_service`.
    The form then runs the service once in a savepoint that is rolled back, so that what the service
    refuses shows on the form, field by field, instead of failing the request; `save_model` runs it
    for real (inside the transaction the admin opens for every POST).
    """

    deletable = True

    def save_through_service(self, request, form, change: bool):
        """Save the form's object through its service and return it; None saves it plainly."""
        return None

    def _uses_service(self) -> bool:
        return type(self).save_through_service is not ScopedAdminMixin.save_through_service

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if not self._uses_service():
            return form_class
        model_admin = self

        class ServiceCheckedForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if not self.errors:
                    refusal = _refusal(lambda: model_admin.save_through_service(request, self, change))
                    if refusal is not None:
                        add_service_errors(self, refusal)

        ServiceCheckedForm.__name__ = form_class.__name__
        return ServiceCheckedForm

    def get_queryset(self, request):
        return scoping.visible(request.user, self.model, super().get_queryset(request))

    def get_field_queryset(self, db, db_field, request):
        return _scoped_field_queryset(request, db_field, super().get_field_queryset(db, db_field, request))

    def has_view_permission(self, request, obj=None):
        # History pages fetch the object without get_queryset; the object check keeps them scoped.
        return super().has_view_permission(request, obj) and (
            obj is None or scoping.can_view(request.user, obj)
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and scoping.may_write(request.user)

    def has_change_permission(self, request, obj=None):
        return (
            super().has_change_permission(request, obj)
            and scoping.may_write(request.user)
            and (obj is None or scoping.can_change(request.user, obj))
        )

    def has_delete_permission(self, request, obj=None):
        return (
            self.deletable
            and super().has_delete_permission(request, obj)
            and scoping.may_write(request.user)
            and (obj is None or scoping.can_change(request.user, obj))
        )

    def save_model(self, request, obj, form, change):
        saved = self.save_through_service(request, form, change)
        if saved is None:
            super().save_model(request, obj, form, change)
        elif saved is not obj:
            _adopt(obj, saved)
        # The choices are scoped already; this is the last word on where the record ended up. The
        # admin wraps every save in a transaction, so refusing here rolls the save back.
        if not scoping.can_change(request.user, obj):
            raise PermissionDenied


class ScopedInlineMixin:
    """An inline belongs to its parent: the user may change its rows when it may change the parent."""

    def get_field_queryset(self, db, db_field, request):
        return _scoped_field_queryset(request, db_field, super().get_field_queryset(db, db_field, request))

    def _may_change_parent(self, request, obj) -> bool:
        return scoping.can_change(request.user, obj) if obj is not None else scoping.may_write(request.user)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._may_change_parent(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change_parent(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change_parent(request, obj)


class ReadOnlyInlineMixin:
    """Rows that only services write (a case's reviews): shown, never edited here."""

    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedAdmin(IdentifierMaskingMixin, ScopedAdminMixin, HistoryAdmin):
    """The base of every domain model admin."""


class ScopedTabularInline(ScopedInlineMixin, admin.TabularInline):
    extra = 0


# --- Filters --------------------------------------------------------------------------------------


def federation_subtree_filter(*federation_lookups: str) -> type[admin.SimpleListFilter]:
    """A list filter "所属联合会(含下级)": records of the chosen federation and every federation below
    it, offered from the federations the user sees. A record anchored several ways (a contract by
    its union or by its signing federation) matches through any of them.

    `?federation=<pk>` is the parameter the annual summary's drill-down links use.
    """

    class FederationSubtreeFilter(admin.SimpleListFilter):
        title = _("所属联合会(含下级)")
        parameter_name = "federation"

        def lookups(self, request, model_admin):
            federations = scoping.visible(request.user, Federation).only("pk", "name", "path")
            # Indent by depth (full-width spaces) so that the list reads as the tree.
            return [(str(f.pk), "\u3000" * max(f.depth, 0) + f.name) for f in federations]

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            try:
                federation = scoping.get_visible_or_404(request.user, Federation, pk=self.value())
            except Http404 as exc:
                raise IncorrectLookupParameters(exc) from exc
            q = Q()
            for lookup in federation_lookups:
                q |= within_path(lookup, federation.path)
            return queryset.filter(q)

    FederationSubtreeFilter.federation_lookups = federation_lookups
    return FederationSubtreeFilter
