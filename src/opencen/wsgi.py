"""WSGI entry point (gunicorn, uwsgi, mod_wsgi): ``opencen.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencen.settings")
application = get_wsgi_application()
