"""What happens when a catalog's appraisal workflow is approved (the Wagtail setting
``WAGTAIL_FINISH_WORKFLOW_ACTION``).

Wagtail publishes the approved revision as the approving user, checking that user's page
permission to publish. The lead body of a bloc (Ban Tổ chức Tỉnh ủy, the Front's standing
committee) holds no page permission — it appraises through the workflow only, so that it can
never publish a catalog past the appraisal: its approval, given by the one answer to "who
appraises this agency" (``org.blocs.appraises``, asked by ``BlocAppraisalTask``), is the
permission to publish that catalog. Any other object is published as Wagtail does.
"""

from wagtail.workflows import publish_workflow_state


def publish_approved(workflow_state, user=None):
    # Deferred: Wagtail imports this module while its own models load (the setting
    # WAGTAIL_FINISH_WORKFLOW_ACTION), before the app registry is ready; org's models wait.
    from org import blocs

    obj = workflow_state.content_object
    agency = getattr(getattr(obj, "specific", obj), "agency", None)
    if agency is not None and user is not None and blocs.appraises(user, agency):
        obj.get_latest_revision().publish(user=user, skip_permission_checks=True)
        return
    publish_workflow_state(workflow_state, user=user)
