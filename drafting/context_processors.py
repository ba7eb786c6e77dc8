"""The unread count in the navigation: one COUNT query, only on pages that show it."""

from django.utils.functional import SimpleLazyObject

from drafting.models import Notification


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: Notification.objects.for_user(user).unread().count())}
