"""The durable outbox: every message the service sends, and every background task, is a row first."""
