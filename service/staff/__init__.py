"""Staff screens for feedback: the list (urgent first), one submission with what the pipeline made of it,
the human translation queue, and the outbox. People's words are shown verbatim only to the duty team,
the engagement group and admins, and every such view is audited."""
