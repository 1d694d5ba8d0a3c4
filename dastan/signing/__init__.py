"""Signed requests between machines that do not share a database: node ↔ node
(federation) and node ↔ a partner's worker (compute). One implementation of RFC 9421
HTTP Message Signatures (through the ``http-message-signatures`` library) with an
RFC 9530 ``Content-Digest``, a ``created`` time checked to ±5 minutes and a nonce
remembered for the window, so a captured request cannot be replayed.
"""
