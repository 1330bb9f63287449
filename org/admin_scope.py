"""Wagtail snippet viewsets that ask the one permission layer (``org.access``) at every door.

Wagtail filters only the listing with ``SnippetViewSet.get_queryset`` (wagtail#10746): the
edit, delete, inspect, history, usage and copy URLs open any row, the add view accepts any
foreign key, and the chooser (``/admin/snippets/choose/…``) lists ``model.objects`` to every
signed-in user. :class:`ScopedSnippetViewSet` closes all of them:

* listing and export: ``org.access.visible`` rows;
* single-object views: the row must pass ``org.access.may`` for the view's action;
* add and edit forms: every model choice (foreign keys, many-to-many, inline child forms) is
  narrowed to ``org.access.pickable`` rows plus the value the row already has, fields only Sở
  Nội vụ may set are disabled for others, provenance fields are disabled for everyone, and the
  row as it would be saved must pass ``org.access.may`` — so a posted id of another agency's
  person is refused even when a widget posts raw ids;
* choosers: ``pickable`` rows only, and only for users with a permission on the model.

Every snippet viewset of the project derives from it; ``tests/test_access_matrix.py`` checks
that none is left out.
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.forms import ModelChoiceField
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from wagtail.admin import messages
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.generic.chooser import ChosenMultipleView, ChosenView
from wagtail.search import index
from wagtail.snippets.views import chooser as chooser_views
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from cms import seen
from cms.listing import ShownInspectMixin, ShownValuesMixin
from cms.listing_exports import SafeSpreadsheetExportMixin
from cms.read_audit import AuditedExportMixin, AuditedInspectMixin
from cms.widgets import snippet_chooser_class
from org import access, pickers, write_gate
from org.access import ADD, CHANGE, DELETE, VIEW
from org.models import Agency
from org.people_writes import posting_refusals

# --- forms ---------------------------------------------------------------------------------


def _current_pks(form, name, field) -> list:
    """The value(s) a bound row already has for ``name`` (kept choosable when unchanged)."""
    instance = getattr(form, "instance", None)
    if instance is None or instance.pk is None:
        return []
    value = form.initial.get(name)
    if value is None:
        return []
    if hasattr(value, "values_list"):  # a many-to-many's initial value is a queryset
        return list(value.values_list("pk", flat=True))
    if isinstance(value, (list, tuple, set)):
        return [getattr(v, "pk", v) for v in value]
    return [getattr(value, "pk", value)]


def restrict_form(form, user) -> None:
    """Narrow every model choice of ``form`` (and its inline child forms) to what ``user`` may
    pick, and disable the fields ``user`` may not set."""
    model = form._meta.model
    scope = access.scope_of(model)
    home_affairs = access.is_home_affairs(user)
    for name, field in form.fields.items():
        if isinstance(field, ModelChoiceField):
            base = field.queryset
            allowed = access.pickable(user, base)
            current = _current_pks(form, name, field)
            field.queryset = (allowed | base.filter(pk__in=current)) if current else allowed
        if name in scope.read_only_fields or (
            name in scope.home_affairs_fields and not home_affairs
        ):
            field.disabled = True
    for formset in getattr(form, "formsets", {}).values():
        _restrict_formset(formset, user)


def _restrict_formset(formset, user) -> None:
    """Inline child forms: those already built, and every one built later (the formset builds
    a new ``empty_form`` each time it is read)."""
    if "forms" in formset.__dict__:
        for child in formset.forms:
            restrict_form(child, user)
    base = formset.form

    def __init__(self, *args, **kwargs):
        base.__init__(self, *args, **kwargs)
        restrict_form(self, user)

    formset.form = type(base.__name__, (base,), {"__init__": __init__})


def _posting_refusals(user, child) -> list[str]:
    """A person's posting written from their record's form: the people's write service's rule
    (``org.people_writes.posting_refusals``, the same as the personnel import's
    ``org.postings.check_posting_change``: a former agency does not re-open, extend or turn
    "kiêm nhiệm" the posting of someone who moved)."""

    return posting_refusals(user, child.instance)


def _attach_to_parent(formset, child, parent) -> None:
    """A new child of a row being added does not point at it yet: its reach follows the
    parent's (an inspection's files, added with the inspection by a bloc's lead body)."""
    fk = getattr(formset, "fk", None)
    if fk is not None and getattr(child.instance, fk.attname, None) is None:
        setattr(child.instance, fk.name, parent)


def refuse_out_of_scope(form, user, action) -> bool:
    """Add a form error and return False when the row as it would be saved (or one of its
    inline children) is outside ``user``'s reach."""
    ok = True
    reason = access.refusal(user, action, form.instance)
    if reason is not None:
        form.add_error(None, reason)
        ok = False
    for formset in getattr(form, "formsets", {}).values():
        for child in formset.forms:
            data = getattr(child, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not child.has_changed():
                continue
            _attach_to_parent(formset, child, form.instance)
            if not access.row_in_reach(user, child.instance, write=True):
                child.add_error(None, _("Bạn không có quyền ghi dữ liệu này."))
                form.add_error(None, _("Có dòng nằm ngoài phạm vi bạn quản lý."))
                ok = False
            elif reasons := _posting_refusals(user, child):
                for reason in reasons:
                    child.add_error(None, reason)
                    form.add_error(None, reason)
                ok = False
    return ok


def _children(form) -> list[str]:
    """The inline child relations a form edits (a person's postings)."""
    return list(getattr(form, "formsets", {}).keys())


class ScopedFormViewMixin:
    """Add and edit views: restricted choices, row checked before saving, author recorded."""

    form_action = CHANGE

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        restrict_form(form, self.request.user)
        if self.form_action == CHANGE:
            seen.add_field(form, form.instance, _children(form))
        return form

    def is_valid(self, form):
        if not super().is_valid(form):
            return False
        if refuse_out_of_scope(form, self.request.user, self.form_action) and (
            self.form_action != CHANGE or seen.check(form, form.instance, _children(form))
        ):
            return True
        self.produced_error_code = "validation_error"
        self.produced_error_message = self.get_error_message()
        return False

    def form_valid(self, form):
        """A kind with a write service (``policy.WRITE_SERVICES``) is saved through it: the
        same who-may, lock and state-seen check as its other doors, under the row's lock. Its
        refusal or the differences come back on the form; nothing is written."""
        service = access.write_service(type(form.instance))
        if service is None:
            return super().form_valid(form)
        try:
            return super().form_valid(form)
        except write_gate.Refused as refused:
            form.add_error(None, refused.message)
        except write_gate.Stale as stale:
            form.add_error(None, stale.message)
            seen.refresh(form, stale.now)
        self.produced_error_code = "validation_error"
        self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)

    def save_instance(self):
        instance = self.form.instance
        if (
            self.form_action == ADD
            and hasattr(instance, "created_by_id")
            and instance.created_by_id is None
        ):
            instance.created_by = self.request.user
        service = access.write_service(type(instance))
        if service is None:
            return super().save_instance()
        shown = seen.read(self.form.data.get(seen.FIELD)) if self.form_action == CHANGE else None
        return service.save(
            self.request.user,
            instance,
            action=self.form_action,
            seen=shown,
            write=super().save_instance,
            children=_children(self.form),
        )


# --- single-object views -------------------------------------------------------------------


class ScopedObjectMixin:
    """Every object a view opens must pass ``access.may`` for the view's action."""

    object_action = VIEW

    def delete_action(self):
        """A kind with a write service is deleted through it (its lock and who-may, again under
        the lock); a refusal there is the same 403 as on opening the page."""
        service = access.write_service(type(self.object))
        if service is None:
            return super().delete_action()
        try:
            return service.delete(self.request.user, self.object, write=super().delete_action)
        except write_gate.Refused as refused:
            messages.error(self.request, refused.message)
            raise PermissionDenied from refused

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        reason = access.refusal(self.request.user, self.object_action, obj)
        if reason is not None:
            if reason != access.out_of_reach_message():
                # In reach but guarded (e.g. appraised by Sở Nội vụ): say why.
                messages.error(self.request, reason)
            raise PermissionDenied
        return obj


def _view(base, *mixins, object_action=VIEW, form_action=CHANGE):
    return type(
        f"Scoped{base.__name__}",
        (*mixins, base),
        {"object_action": object_action, "form_action": form_action, "__module__": __name__},
    )


class PersonalReadMixin:
    """Exports and inspect pages are recorded in the read log (``cms.read_audit``) when the
    model's rows are about a person (its scope in ``org.access`` names one)."""

    def reads_personal_data(self) -> bool:
        return access.is_declared(self.model) and access.scope_of(self.model).person is not None


# --- choosers ------------------------------------------------------------------------------


def _may_choose(user, model) -> bool:
    return any(
        access.has_model_permission(user, model, action) for action in (VIEW, ADD, CHANGE)
    ) or (access.scope_of(model).kind == "shared" and user.has_perm("wagtailadmin.access_admin"))


class ScopedChooserMixin:
    def dispatch(self, request, *args, **kwargs):
        if not _may_choose(request.user, self.model_class):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def pickable(self):
        return access.pickable(self.request.user, self.model_class)

    # A unit is chosen by its name and its agency's (``org.pickers``, review 2026-11-25 ux H3).
    _owners: dict | None = None

    def _title(self, instance) -> str:

        if isinstance(instance, Agency) and not instance.is_agency and self._owners is None:
            self._owners = pickers.owner_names()
        return pickers.chooser_title(instance, self._owners or {})

    def get_display_title(self, instance):
        return self._title(instance)


def searchable(queryset):
    """The scoped rows as ``pk IN (…)``: the search backend translates a queryset's filters into
    its own and knows no correlated ``EXISTS`` (the scope of people), so a search is run on the
    rows of the model filtered by their ids (``index.FilterField("id")``). A model that does
    not index its id (shared or Sở Nội vụ reference data such as the criteria frameworks,
    whose scope is no ``EXISTS``) is searched as it is: asking the backend to filter on an
    unindexed id was a 500 for every user of the chooser's search (issue 27)."""
    model = queryset.model
    fields = model.get_search_fields() if hasattr(model, "get_search_fields") else []
    if not any(isinstance(f, index.FilterField) and f.field_name == "id" for f in fields):
        return queryset
    return model._default_manager.filter(pk__in=queryset.values("pk"))


class ScopedSearchMixin:
    def search_queryset(self, queryset):
        if self.is_searching:
            queryset = searchable(queryset)
        return super().search_queryset(queryset)


class ScopedChooseMixin(ScopedChooserMixin):
    @property
    def title_column(self):
        column = super().title_column
        column.accessor = self._title
        return column

    def get_object_list(self):
        if self.request.GET.get("q"):
            return searchable(self.pickable())
        return self.pickable()


class ScopedChosenView(ScopedChooserMixin, chooser_views.SnippetChosenView):
    def get_object(self, pk):
        try:
            return self.pickable().get(pk=pk)
        except (ObjectDoesNotExist, ValueError) as error:
            raise Http404 from error


class ScopedChosenMultipleView(ScopedChooserMixin, chooser_views.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return self.pickable().filter(pk__in=pks)


class ScopedChooseView(ScopedChooseMixin, chooser_views.ChooseView):
    pass


class ScopedChooseResultsView(ScopedChooseMixin, chooser_views.ChooseResultsView):
    pass


class ScopedSnippetChooserViewSet(chooser_views.SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView
    # Creating from inside a chooser skips our form checks: not offered.
    create_action_label = None

    @cached_property
    def widget_class(self):

        if self.model is Agency:
            return pickers.agency_snippet_chooser(self.model, self.icon)
        return snippet_chooser_class()(model=self.model, icon=self.icon)

    @property
    def create_view(self):
        def refuse(request, *args, **kwargs):
            raise PermissionDenied

        return refuse


assert issubclass(ScopedChosenView, ChosenView)
assert issubclass(ScopedChosenMultipleView, ChosenMultipleView)


# --- the viewset ---------------------------------------------------------------------------


class ScopedSnippetViewSet(SnippetViewSet):
    """A snippet viewset whose every view asks ``org.access`` (see the module docstring)."""

    #: ``select_related`` for the listing.
    list_select_related: tuple[str, ...] = ()

    index_view_class = type(
        "ScopedIndexView",
        (
            ScopedSearchMixin,
            PersonalReadMixin,
            AuditedExportMixin,
            ShownValuesMixin,
            SafeSpreadsheetExportMixin,
            snippet_views.IndexView,
        ),
        {"__module__": __name__},
    )
    add_view_class = _view(snippet_views.CreateView, ScopedFormViewMixin, form_action=ADD)
    edit_view_class = _view(
        snippet_views.EditView, ScopedObjectMixin, ScopedFormViewMixin, object_action=CHANGE
    )
    delete_view_class = _view(snippet_views.DeleteView, ScopedObjectMixin, object_action=DELETE)
    inspect_view_class = _view(
        snippet_views.InspectView,
        ShownInspectMixin,
        PersonalReadMixin,
        AuditedInspectMixin,
        ScopedObjectMixin,
    )
    history_view_class = _view(snippet_views.HistoryView, ScopedObjectMixin)
    usage_view_class = _view(snippet_views.UsageView, ScopedObjectMixin)
    copy_view_class = _view(
        snippet_views.CopyView, ScopedObjectMixin, ScopedFormViewMixin, form_action=ADD
    )
    chooser_viewset_class = ScopedSnippetChooserViewSet

    def get_queryset(self, request):
        queryset = access.visible(request.user, self.model)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset


# --- bulk actions --------------------------------------------------------------------------
#
# Wagtail serves ``/admin/bulk/<app>/<model>/<action>/?id=…`` (and ``?id=all``) for every
# snippet model and checks only the model permission: the viewset's queryset is not applied
# and the confirmation page prints every chosen row. For the models of this project the same
# URL is answered here instead (``cms/urls.py`` mounts it before Wagtail's admin): the rows are
# the ones ``org.access.editable`` gives the user, each passes ``org.access.may`` (which asks the
# model's write guard: appraised or certified rows an agency cannot remove), and a user without
# the model permission for the action is refused before any row is read.

BULK_ACTIONS = {"delete": DELETE}
#: The most rows one bulk confirmation lists and acts on (security review L4: ``?id=all`` of
#: every assignment line of the province rendered 5,000 rows in 42.6 s). Wagtail's listings
#: page by 20–100; a bulk action over more is refused with what to do instead.
BULK_LIMIT = 500


def _scoped_bulk_class(base):
    action = BULK_ACTIONS.get(base.action_type, CHANGE)

    class ScopedBulkAction(base):
        def dispatch(self, request, *args, **kwargs):
            if not access.has_model_permission(request.user, self.model, action):
                raise PermissionDenied
            chosen = self._chosen_count()
            if chosen > BULK_LIMIT:
                return _too_many(request, self.model, chosen, self.next_url)
            return super().dispatch(request, *args, **kwargs)

        def _chosen_count(self) -> int:
            ids = self.request.GET.getlist("id")
            if "all" in ids:
                return self.get_all_objects_in_listing_query(None).count()
            return len(set(ids))

        def get_queryset(self, model, object_ids):
            rows = list(access.editable(self.request.user, model).filter(pk__in=object_ids))
            if not rows:
                raise Http404
            return rows

        def get_all_objects_in_listing_query(self, parent_id):
            return access.editable(self.request.user, self.model).values_list("pk", flat=True)

        def check_perm(self, obj):
            return access.may(self.request.user, action, obj)

        @classmethod
        def execute_action(cls, objects, **kwargs):
            """A bulk delete of a kind with a write service removes each row through it (its
            lock, its who-may again under the lock)."""
            view = kwargs.get("self")
            service = access.write_service(view.model) if view and action == DELETE else None
            if service is None:
                return super().execute_action(objects, **kwargs)
            try:
                for obj in objects:
                    service.delete(view.request.user, obj)
            except write_gate.Refused as refused:
                raise PermissionDenied(refused.message) from refused
            return len(objects), 0

    ScopedBulkAction.__name__ = f"Scoped{base.__name__}"
    return ScopedBulkAction


def _too_many(request, model, chosen: int, next_url: str):
    from django.shortcuts import render

    message = _(
        "Một lần thao tác hàng loạt được tối đa %(limit)s dòng; bạn đã chọn %(count)s dòng "
        "%(model)s. Hãy lọc danh sách (theo cơ quan, đơn vị, kỳ…) để còn ít dòng hơn rồi chọn "
        "lại."
    ) % {
        "limit": f"{BULK_LIMIT:,}".replace(",", "."),
        "count": f"{chosen:,}".replace(",", "."),
        "model": model._meta.verbose_name_plural,
    }
    back = next_url if next_url != request.path else ""
    return render(
        request,
        "org/bulk_too_many.html",
        {"message": message, "back": back, "page_title": _("Quá nhiều dòng")},
        status=400,
    )


_BULK_CLASSES: dict = {}


@require_admin_access
def bulk_action(request, app_label, model_name, action):
    """Wagtail's bulk-action dispatcher, with the rows of the project's models scoped."""
    from django.apps import apps

    from wagtail.admin.views.bulk_action import dispatcher
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    if not access.is_declared(model):
        return dispatcher.index(request, app_label, model_name, action)
    base = bulk_action_registry.get_bulk_action_class(app_label, model_name, action)
    if base is None:
        raise Http404
    if base not in _BULK_CLASSES:
        _BULK_CLASSES[base] = _scoped_bulk_class(base)
    return _BULK_CLASSES[base](request, model).dispatch(request)
