"""Federation between national Dastan nodes: the node's identity and keys, peering that
people approve, and the signed exchange of full-state title documents (catalogue and
licence facts) over a pull feed and a push inbox. Signing is :mod:`dastan.signing`'s.
"""
