"""People and the organisations they act for: memberships, roles, operators, tokens."""
