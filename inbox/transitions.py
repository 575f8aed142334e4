"""Transitions declared as data, and the one function that applies them.

    class Registration(InboxSubmission):
        transitions = (
            Transition("approve", "Approve", sources=("pending",), target="confirmed",
                       email=send_approved, log_action="lpsite.registration.approved", bulk=True),
            ...
        )

    apply_transition(registration, "approve", actor=request.user)

``apply_transition`` runs in one transaction: it calls the model's
``lock_for_transition()`` (to lock related rows first, e.g. an event for its
seats), locks the submission's row (``SELECT ... FOR UPDATE``), refuses a
wrong starting status with a ``TransitionError`` whose message staff read,
sets the target status, runs the optional handler (side effects; it may set a
different status, e.g. "waitlisted" when the session is full), saves, writes a
Wagtail ``ModelLogEntry`` (who, when, previous status, message) and calls the
``email`` callable. Emails go through ``inbox.emails.queue_email``: the email
row is saved in the same transaction (so nothing is lost if the process dies)
and delivery is enqueued only after the transaction commits.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from wagtail.log_actions import log


class TransitionError(Exception):
    """A transition that cannot run; ``str(error)`` is a message for staff."""

    @property
    def message(self):
        return str(self)


@dataclass(frozen=True)
class Transition:
    """One move of an inbox's state machine.

    - ``name``: the identifier posted by the admin ("approve").
    - ``label``: the button text ("Approve").
    - ``sources``: the statuses it may start from.
    - ``target``: the status it moves to, or None when the status stays (e.g. "resend email").
    - ``needs_message``: staff must write a message (sent to the member or logged);
      ``takes_message``: an optional one (``message_label`` is the field's label).
    - ``email``: ``email(obj, message=..., data=...)`` queues the email(s) through
      ``inbox.emails.queue_email``, or None.
    - ``log_action``: the Wagtail log action name ("lpsite.registration.approved");
      ``register_inbox`` registers it with ``label`` as its description.
    - ``bulk``: offered as a bulk action on ticked rows of the list.
    - ``handler``: ``handler(obj, actor=..., message=..., data=...)`` for side effects, called
      with the row locked and the target status already saved (so counts see it); it may change
      ``obj`` (e.g. its status: saved after it) and may return another log action name to record
      instead of ``log_action`` (e.g. "waitlisted" when an approval finds the session full).
    - ``permission``: an extra permission codename (on top of the inbox's own) needed to run it.
    - ``style``: "primary", "secondary" or "danger" for the button.
    - ``confirm``: text of a confirmation question shown before it runs, or "".
    - ``guard``: ``guard(obj)`` returns why the transition can't run yet ("" when it can), for rules
      beyond the status (attendance only once the session has started); it is asked under the row lock.
    """

    name: str
    label: str
    sources: tuple = ()
    target: str | None = None
    needs_message: bool = False
    email: Callable[..., Any] | None = None
    log_action: str = ""
    bulk: bool = False
    handler: Callable[..., Any] | None = None
    permission: str | None = None
    style: str = "secondary"
    confirm: str = ""
    takes_message: bool = False
    message_label: str = "Message to the member"
    log_label: str = field(default="")
    guard: Callable[[Any], str] | None = None

    def allowed_from(self, status):
        return status in self.sources

    def refusal(self, obj):
        """Why the transition can't run on ``obj`` now ("" when it can): its status, then its guard."""
        if not self.allowed_from(obj.status):
            return (
                f"“{self.label.rstrip('…')}” isn't possible for this {obj._meta.verbose_name} any more: "
                f"it is {obj.get_status_display_safe().lower()}."
            )
        return self.guard(obj) if self.guard is not None else ""

    def user_may(self, user):
        return self.permission is None or user.is_superuser or user.has_perm(self.permission)

    @property
    def past_label(self):
        """How the history shows it ("Approved")."""
        return self.log_label or self.label.rstrip("…").strip()


def get_transition_or_error(model, name):
    transition = model.get_transition(name)
    if transition is None:
        raise TransitionError(f"“{name}” is not an action of this {model._meta.verbose_name}.")
    return transition


def apply_transition(obj, name, *, actor, message="", data=None):
    """Apply the transition ``name`` to ``obj``; returns the saved, up-to-date object.

    Raises ``TransitionError`` (nothing changed) when the transition is unknown,
    the actor may not run it, it needs a message and got none, or the
    submission's status (read under the row lock) is not one it starts from.
    """
    model = type(obj)
    transition = get_transition_or_error(model, name)
    message = (message or "").strip()
    if actor is not None and not transition.user_may(actor):
        raise TransitionError(f"You don't have permission to “{transition.label.rstrip('…')}”.")
    if transition.needs_message and not message:
        raise TransitionError(f"“{transition.label.rstrip('…')}” needs a message.")
    with transaction.atomic():
        obj.lock_for_transition()
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        refusal = transition.refusal(locked)
        if refusal:
            raise TransitionError(refusal)
        previous = locked.status
        log_action = transition.log_action
        if transition.target is not None:
            locked.status = transition.target
        locked.save()
        if transition.handler is not None:
            other_action = transition.handler(locked, actor=actor, message=message, data=data)
            log_action = other_action or log_action
            locked.save()
        entry_data = {"previous": previous, "status": locked.status}
        if message:
            entry_data["message"] = message
        if data:
            entry_data.update({k: v for k, v in data.items() if isinstance(v, str | int | float | bool | None)})
        if log_action:
            log(instance=locked, action=log_action, user=actor, data=entry_data)
        if transition.email is not None:
            transition.email(locked, message=message, data=data)
    return locked


def apply_bulk(model, pks, name, *, actor, message="", data=None):
    """Apply ``name`` to every submission in ``pks`` in one transaction.

    Rows whose status does not allow it are skipped and reported, never half-done:
    returns ``(changed, skipped)`` lists of objects. Any other error undoes every row.
    Rows are taken in the model's ``lock_order`` (the order of the locks each one takes),
    so two bulk actions over the same rows never wait on each other in a circle.
    ``message`` goes to transitions that take or need one, never to others; ``data`` (a chosen assignee) to
    every row's handler.
    """
    transition = get_transition_or_error(model, name)
    label = transition.label.rstrip("…")
    if not transition.bulk:
        raise TransitionError(f"“{label}” can't be applied to several at once.")
    message = (message or "").strip() if (transition.needs_message or transition.takes_message) else ""
    if transition.needs_message and not message:
        raise TransitionError(f"“{label}” needs a message.")
    changed, skipped = [], []
    # Handed to each transition as ``data["batch"]``: a side effect of one row (a freed seat going to the
    # next person waiting) must not reach a row that the same act changes next.
    ids = tuple(pks)
    with transaction.atomic():
        for obj in model._default_manager.filter(pk__in=list(ids)).order_by(*model.lock_order):
            try:
                with transaction.atomic():
                    row_data = {**(data or {}), "batch": ids}
                    changed.append(apply_transition(obj, name, actor=actor, message=message, data=row_data))
            except TransitionError as error:
                # A refusal beyond the status (a guard's) is told as it is; the caller words the rest.
                obj.skip_reason = str(error) if transition.allowed_from(obj.status) else ""
                skipped.append(obj)
    return changed, skipped
