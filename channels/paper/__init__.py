"""Paper channel (service side): the database-backed PaperStore for `msp-feedback paper render/scan`,
the keyed-entry screen, and the staff queues (review, transcription, unreadable pages).

The paper library itself (layout, render, OMR scan) is `easy_read.paper`; this package only stores what
it reads and turns it into feedback through the one intake path (`service.intake.submit_feedback`).
"""
