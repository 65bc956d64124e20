"""Two-way SMS through Twilio."""
