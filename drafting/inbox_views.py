"""The inbox: the user's notifications, newest first; opening one marks it read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from drafting.models import Notification
from reports.text import short_date

PER_PAGE = 50


def inbox(request):
    notifications = Notification.objects.for_user(request.user)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "pk": notification.pk,
            "title": notification.title,
            "body": notification.body,
            "kind": notification.get_kind_display(),
            "unread": notification.read_at is None,
            "at": f"{short_date(notification.created_at)} {timezone.localtime(notification.created_at):%H:%M}",
        }
        for notification in page.object_list
    ]
    context = {"page": page, "rows": rows, "any_unread": any(row["unread"] for row in rows)}
    return render(request, "drafting/inbox.html", context)


@require_POST
def inbox_open(request):
    """Mark one notification read and go where it points (the inbox if it points nowhere safe)."""
    pk = request.POST.get("notification", "")
    if not pk.isdigit():
        messages.error(request, _("No such notification."))
        return redirect("drafting:inbox")
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=int(pk))
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    url = notification.url
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return redirect(url)
    return redirect("drafting:inbox")


@require_POST
def inbox_read_all(request):
    count = Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect(reverse("drafting:inbox"))
