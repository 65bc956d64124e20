"""The domain: feedback, its vocabulary and rules. No web, database or framework imports here."""
