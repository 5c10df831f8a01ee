"""The review desk: held mail and sweep findings, decided by a person in a browser.

``store`` keeps what the desk knows (SQLite, 0600, WAL); ``auth`` checks who may look;
``notices`` tells senders what happened without a value; ``postfix`` acts on the real
queue; ``app`` is the web application; ``sweeps`` and ``report`` load batch results and
count what reviewers said about them.
"""
