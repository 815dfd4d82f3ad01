"""The production entry point: `gunicorn wsgi:app`."""

import gc

from ig import create_app

app = create_app()

# Everything made so far (the app, its routes, templates, policies and the libraries'
# modules) lives as long as the worker. Freezing it takes it out of the garbage
# collector's sweeps, which otherwise walked all of it again and again while a page
# was built: about a tenth of a register page's time.
gc.collect()
gc.freeze()
