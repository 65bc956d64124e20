"""The service as gunicorn serves it (service.wsgi), plus the paper routes when the app factory does not
install them yet. Used only by the browser test's server (tests/paper_service/conftest.py)."""
from channels.paper.routes import install_once
from service.wsgi import app

install_once(app, app.services)
