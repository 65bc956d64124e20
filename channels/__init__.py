"""Channels: web forms, SMS, paper, meetings. Each turns its input into the one intake command
(`service.domain.model.SubmitFeedback`) and calls `service.intake.submit_feedback`. Channels depend on the
core; the core never imports a channel (only the app factory and `service.runtime` wire them in)."""
