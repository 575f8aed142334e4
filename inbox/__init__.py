"""The inbox kit: one way to moderate what members send through public forms.

An inbox is three short pieces (see docs/architecture.md, "Adding an inbox"):

- a model subclassing ``inbox.models.InboxSubmission`` with its own
  ``Status`` choices and a ``transitions`` tuple of ``Transition``;
- nothing else for the state machine: ``inbox.transitions.apply_transition``
  locks, checks, saves, logs and queues the email;
- a short ``inbox.admin.InboxModelAdmin`` subclass registered with
  ``inbox.admin.register_inbox``: list with status tabs and counts, bulk
  actions, CSV/XLSX export, inspect view with history, action endpoints, its
  item in the "Inbox" menu and its dashboard panel.

The app also holds what every public form and inbox relies on: the spam defence
(``spam``), the form fields (``validators``) and the outbox (``emails``,
``OutboundEmail``, Settings › Outgoing emails).
"""
