"""The interface language: Chinese unless the user chose another in the menu.

An office's computers often run an English browser; reading Accept-Language would turn the
whole interface English with no way back, so the browser's wish is not asked. A choice made
through Django's set_language view (the language cookie) still counts.
"""


class ChineseUnlessChosenMiddleware:
    """Placed before LocaleMiddleware: it hides the browser's Accept-Language from it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
