"""The leader assigns catalog products to the people they evaluate (one or many, or units)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import FormView

from org.models import CivilServant
from worklog.access import evaluated_person_ids, is_evaluator
from worklog.forms import AssignForm
from worklog.services.assign import Assignment, assign, unit_members
from worklog.views.common import WorklogPageMixin, today


class AssignView(WorklogPageMixin, FormView):
    template_name = "worklog/assign.html"
    form_class = AssignForm
    # Its menu entry's words: "Giao việc" is the listing of assigned lines (issue 44).
    page_title = gettext_lazy("Giao việc mới")

    def dispatch(self, request, *args, **kwargs):
        # The door asks whom the user evaluates, the whole answer (``is_leader``'s, from the
        # people the page offers anyway): the form's choices and the menu's "is a leader" test
        # then answer from it, the rules read once a request (issue 48).
        if not evaluated_person_ids(request.user, today()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "today": today()}

    def get_initial(self):
        initial = super().get_initial()
        person_id = self.request.GET.get("person")
        if person_id:
            person = CivilServant.objects.filter(pk=person_id).first()
            if person is None or not is_evaluator(self.request.user, person, today()):
                raise PermissionDenied
            initial["people"] = [person.pk]
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        day = today()
        people = {p.pk: p for p in data["people"]}
        for unit in data["units"]:
            people.update({p.pk: p for p in unit_members(self.request.user, unit, day)})
        request = Assignment(
            people=list(people.values()),
            item=data["item"],
            quantity=data["quantity"],
            deadline=data["deadline"],
            months=data["months"],
            note=data["note"],
            token=str(data["token"]),
        )
        try:
            result = assign(self.request.user, request, day)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("Đã giao %(n)d dòng việc.") % {"n": len(result.created) + len(result.existing)},
        )
        return redirect("worklog_board")
