"""Who may do what: roles, permissions, and staff API tokens."""
