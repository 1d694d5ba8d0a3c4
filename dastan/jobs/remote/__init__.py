"""Compute across organisations: machines that join a node over HTTPS.

A remote worker never reaches the database or the broker. It enrols once with a
one-time token and its own Ed25519 key (``enrolment``), then signs every request
(``dastan.signing``, channel ``compute``). One schedule call is heartbeat, assignment and
cancel at once (``scheduling``); inputs come through signed, expiring, range-capable
links and outputs go back as resumable uploads (``transfer``; the uploads are the media
app's, reached through ``outputs`` so that jobs imports no app built on it); results are fenced by
the attempt's lease token and published by the same handler code a local worker runs
(``results``); a sample of a worker's output is re-done on a trusted worker
(``verification``), and only accepted output earns credit (``ledger``). ``client`` is the
worker's side.
"""
