"""Review feedback editors cannot miss.

- After a Communications lead requests changes, the page's edit screen opens
  with their comment and name at the top (the email says "changes requested",
  see ``templates/wagtailadmin/notifications/*_rejected*``).
- Saving a draft does not check required fields inside blocks (Wagtail defers
  them until publishing or submitting for review); so the editor learns of them
  when the draft is saved, not when "Submit for review" fails, each problem is
  listed by block.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail import blocks, hooks
from wagtail.fields import StreamField
from wagtail.models import TaskState, WorkflowState


def requested_changes(page):
    """The latest 'Request changes' of the page's open workflow: (TaskState) or None."""
    workflow_state = (
        WorkflowState.objects.for_instance(page)
        .filter(status=WorkflowState.STATUS_NEEDS_CHANGES)
        .order_by("-created_at")
        .first()
    )
    if workflow_state is None:
        return None
    return (
        TaskState.objects.filter(workflow_state=workflow_state, status=TaskState.STATUS_REJECTED)
        .select_related("finished_by")
        .order_by("-finished_at")
        .first()
    )


def feedback_message(task_state):
    who = task_state.finished_by
    name = (who.get_full_name() or who.get_username()) if who else "A reviewer"
    when = timezone.localtime(task_state.finished_at) if task_state.finished_at else None
    text = f"Changes requested by {name}"
    if when:
        text += f" on {when:%b %-d, %Y at %-I:%M %p}"
    comment = (task_state.get_comment() or "").strip()
    text += f": “{comment}”" if comment else " (no comment left)."
    return text + " Make the changes, then submit for review again."


@hooks.register("before_edit_page")
def show_requested_changes(request, page):
    if request.method != "GET":
        return None
    task_state = requested_changes(page)
    if task_state is not None:
        messages.warning(request, feedback_message(task_state))
    return None


def _error_texts(error):
    """Flat messages from a (possibly nested) block validation error, with where they are."""
    texts = []
    block_errors = getattr(error, "block_errors", None)
    if block_errors:
        items = block_errors.items() if isinstance(block_errors, dict) else enumerate(block_errors)
        for key, child in items:
            if child is None:
                continue
            children = child if isinstance(child, list) else [child]
            for item in children:
                prefix = f"item {key + 1}" if isinstance(key, int) else str(key).replace("_", " ")
                texts.extend(f"{prefix}: {text}" for text in _error_texts(item))
    non_block = getattr(error, "non_block_errors", None)
    if non_block:
        for item in non_block:
            texts.extend(_error_texts(item))
    if not block_errors and not non_block:
        texts.extend(getattr(error, "messages", [str(error)]))
    return texts


def block_problems(page):
    """['Body, block 3 (Button (call to action)): page: Choose a page or enter an address.', ...]."""
    problems = []
    for field in page._meta.get_fields():
        if not isinstance(field, StreamField):
            continue
        value = getattr(page, field.name)
        try:
            field.stream_block.clean(value)
        except ValidationError as error:
            for index, child_error in (getattr(error, "block_errors", None) or {}).items():
                child = value[index]
                label = child.block.label if isinstance(child.block, blocks.Block) else child.block_type
                for text in _error_texts(child_error):
                    problems.append(f"{field.verbose_name.capitalize()}, block {index + 1} ({label}): {text}")
            for item in getattr(error, "non_block_errors", None) or []:
                problems.extend(f"{field.verbose_name.capitalize()}: {text}" for text in _error_texts(item))
    return problems


def warn_about_block_problems(request, page):
    if request.method != "POST" or "action-submit" in request.POST or "action-publish" in request.POST:
        return
    if not request.accepts("text/html"):
        # An autosave (JSON): Wagtail shows no message for it, and one left in the session would show on the
        # next screen, listing what the editor has filled in since.
        return
    revision = page.get_latest_revision()
    draft = revision.as_object() if revision else page
    problems = block_problems(draft)
    if problems:
        messages.warning(
            request,
            "Draft saved, but it cannot be submitted for review or published until these are filled in: "
            + "; ".join(problems),
        )


hooks.register("after_edit_page", warn_about_block_problems)
hooks.register("after_create_page", warn_about_block_problems)
