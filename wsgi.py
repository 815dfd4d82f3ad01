"""The production entry point: `gunicorn wsgi:app`."""

from ig import create_app

app = create_app()
