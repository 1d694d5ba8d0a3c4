"""One module per change to rights, each with ``check()`` (raises a named error, changes
nothing) and ``execute()`` (checks again inside the transaction, changes, keeps a
revision, rebuilds the availability index). API, CLI, avails import and demo call these."""
