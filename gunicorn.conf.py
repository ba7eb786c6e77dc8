"""gunicorn's settings for Huigao's app servers, read from the working directory (the checkout)
by `gunicorn reports.wsgi`; command-line options (workers, bind) come on top."""

import gc


def post_worker_init(worker):
    # Everything loaded so far (Django, the URLconf, templates, translations) lives as long as
    # the worker: frozen, the collector stops walking it again in every full collection.
    gc.freeze()
