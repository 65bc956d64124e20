"""The WSGI entry point gunicorn serves: `service.wsgi:app`."""
from service.app import create_app
from service.config import Settings
from service.logs import configure_logging

_settings = Settings.from_environ()
configure_logging(_settings.log_level)
app = create_app(_settings)
