"""Understanding the free text: language, translation, redaction, themes, sentiment, disclosure.

Plain Python (no web or database imports). Entry point: ``service.text.pipeline.TextPipeline``;
click commands in ``service.text.cli``; see the README, "Understanding the free text".
"""
