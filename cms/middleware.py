"""Vietnamese unless the user asks otherwise.

Django's LocaleMiddleware would follow the browser's Accept-Language header, so an official whose
browser is set to English would get English pages. Here the language changes only by an explicit
choice (the language cookie set by /i18n/setlang/, or a Wagtail user's preferred language).
"""


class IgnoreBrowserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
