"""The service as gunicorn serves it (service.wsgi), plus the meetings routes when the app factory does not
install them yet. Used only by the browser test's server (tests/meetings/conftest.py)."""
from channels.meetings.routes import install_once
from service.wsgi import app

install_once(app, app.services)
