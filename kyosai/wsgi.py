"""WSGI entry point (gunicorn kyosai.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyosai.settings")
application = get_wsgi_application()
