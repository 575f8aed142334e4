"""Event registration, in one place, with dependencies that run one way.

    statuses  <- seats  <- emails  <- workflow  <- models  <- rules, attendance  <- forms, views  <- pages (the mixin)
                                                          <- admin (the inbox, on inbox), demo

``events.models`` imports ``pages.RegistrationPageMixin`` (what EventPage and
EventSeriesPage need) and ``models`` (so Django finds the models); nothing
here imports ``events.models``: the rules reach the event through the
registration's own foreign key and lock it through the event's own model.
"""
