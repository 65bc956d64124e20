"""Easy-read paper forms: layout (mm, JSON), rendering (WeasyPrint), OMR scanning, storage protocol.

- ``layout.build_layout(form_id, version, language)``: every box's position, the data scan reads.
- ``render.render_pdf(language, count=..., store=..., return_address=..., safeguarding_phone=...)``.
- ``scan.scan_files(paths, store)`` / ``scan.read_page(image)``: read returned forms.
- ``store.PaperStore``: what the service implements; ``store.InMemoryPaperStore`` for tests and CLI.
- ``cli.paper``: the ``msp-feedback paper`` click group (``render``, ``scan``).
"""
