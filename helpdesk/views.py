"""The Help Desk's public side: the form page, the thank-you page, the member's private link, suggestions."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from home.shell import find_page
from inbox.spam import RATE_LIMIT_MESSAGE, rate_limited
from taxonomy.models import IssueArea

from . import cases
from .forms import MemberUpdateForm
from .models import HelpDeskPage, HelpDeskRequest
from .suggestions import suggest_resources

MAX_SUGGEST_TEXT = 2000


def _page_response(page, request, form, status=200):
    context = page.get_context(request)
    context["form"] = form
    return TemplateResponse(request, page.get_template(request), context, status=status)


def serve_help_desk_page(page, request, *args, **kwargs):
    """GET shows the form; POST saves the request, then redirects to the thank-you page."""
    if request.method != "POST":
        return _page_response(page, request, page.get_form(page=page, user=request.user))
    form = page.get_form(request.POST, request.FILES, page=page, user=request.user)
    if rate_limited(request, scope="helpdesk"):
        form.is_valid()
        form.add_error(None, RATE_LIMIT_MESSAGE)
        return _page_response(page, request, form, status=429)
    if not form.is_valid():
        return _page_response(page, request, form, status=400)
    request_obj = cases.submit(page, core=form.core_data(), form_data=form.answers(), spam_reason=form.spam_reason)
    return redirect(cases.thanks_path(request_obj))


def _link_problem(request, problem):
    return TemplateResponse(
        request,
        "helpdesk/link_problem.html",
        {"problem": problem, "help_desk": _help_desk_page()},
        status=410 if problem == "expired" else 404,
    )


def _help_desk_page():
    return find_page(HelpDeskPage)


@never_cache
@require_safe
def thanks(request, signed):
    """After a submission: the reference, what happens next, and the library's suggestions."""
    request_obj, problem = cases.request_for_signature(signed)
    if request_obj is None:
        # A request kept as suspected spam still gets an honest page.
        request_obj = _spam_for_signature(signed)
        if request_obj is None:
            return _link_problem(request, problem)
    page = request_obj.page.specific if request_obj.page_id else _help_desk_page()
    suggestions = []
    if request_obj.status != HelpDeskRequest.Status.SPAM:
        suggestions = suggest_resources(f"{request_obj.question} {request_obj.details}", request_obj.issue_area)
    return TemplateResponse(
        request,
        "helpdesk/thanks.html",
        {
            "page": page,
            "req": request_obj,
            "suggestions": suggestions,
            "member_path": cases.member_path(request_obj),
            "is_spam": request_obj.status == HelpDeskRequest.Status.SPAM,
        },
    )


def _spam_for_signature(signed):
    from django.core import signing

    try:
        token = signing.TimestampSigner(salt=cases.LINK_SALT).unsign(signed, max_age=3600)
    except signing.BadSignature:
        return None
    return HelpDeskRequest.objects.filter(manage_token=token, status=HelpDeskRequest.Status.SPAM).first()


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def member_request(request, signed):
    """The member's private link: status, the replies staff sent, and a box to add more details."""
    request_obj, problem = cases.request_for_signature(signed)
    if request_obj is None:
        return _link_problem(request, problem)
    form = MemberUpdateForm()
    status = 200
    if request.method == "POST":
        form = MemberUpdateForm(request.POST)
        if rate_limited(request, scope="helpdesk-update"):
            form.is_valid()
            form.add_error(None, RATE_LIMIT_MESSAGE)
            status = 429
        elif form.is_valid():
            cases.add_member_details(request_obj, form.cleaned_data["text"])
            return redirect(request.path + "?added=1#thread")
        else:
            status = 400
    return TemplateResponse(
        request,
        "helpdesk/member_request.html",
        {
            "page": None,
            "help_desk": _help_desk_page(),
            "req": request_obj,
            "thread": request_obj.member_thread(),
            "form": form,
            "added": request.GET.get("added") == "1" and request.method in ("GET", "HEAD"),
            "closed": request_obj.status in HelpDeskRequest.DONE,
        },
        status=status,
    )


@require_POST
def suggestions(request):
    """JSON suggestions for the form's "the library answers first" box (as the member types).

    Asked by POST (with the form's CSRF token), never GET: the member's question would otherwise sit in a URL,
    and so in server and proxy logs. Nothing is kept."""
    text = (request.POST.get("q") or "").replace("\x00", "")[:MAX_SUGGEST_TEXT]
    slug = (request.POST.get("issue") or "").replace("\x00", "")
    issue = IssueArea.objects.filter(slug=slug).first() if slug else None
    issue_id = request.POST.get("issue_id") or ""
    if issue is None and issue_id.isascii() and issue_id.isdecimal():
        issue = IssueArea.objects.filter(pk=int(issue_id)).first()
    response = JsonResponse({"results": suggest_resources(text, issue)})
    response["Cache-Control"] = "no-store"
    return response
