"""Rule sources: each kind of deadline ig watches, as a query the reminder engine runs.

Each feature offers its own sources (its ``reminders.py``) through its Feature, by
name; policies/reminders.toml's rules name the source they watch.

A source is a function ``(session, rule, now) -> Select`` whose rows are the open
items that have a deadline, one row per item, with these labelled columns:

    record_type    text, the kind of record ("privacy_notice")
    record_id      text, its id
    due            the deadline: a date (date rules) or a UTC instant (after_hours rules)
    due_key        text that changes when the deadline moves (a new review date)
    title          text naming the record for the person reminded (no case detail)
    link           the path of the record's page in ig
    owner_user_id  the user who owns the item, or NULL
    owner_email    the address to use when the owner is not a user (staff), or NULL
    team_id        the team whose managers are told ("manager" recipients), or NULL

An item that is done (the training completed, the notice reviewed) is simply no longer
in the query, and the engine cancels whatever was still waiting to be sent about it.
"""
