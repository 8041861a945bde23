"""Annual summary drafts and finalised versions (issue 3)."""
