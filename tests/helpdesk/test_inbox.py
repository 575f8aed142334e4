"""The Help Desk inbox: a case's whole lifecycle, bulk actions, the dashboard, export and the permission boundary."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from helpdesk.factories import ExpertFactory, HelpDeskRequestFactory, SavedReplyFactory
from helpdesk.inbox import help_desk_admin
from helpdesk.models import HelpDeskRequest, RequestActivity
from helpdesk.privacy import due_for_purge
from home import roles
from inbox.models import OutboundEmail
from library.models import ResourcePage
from tests.html import soup

from .conftest import intake, make_user

pytestmark = pytest.mark.django_db
Status = HelpDeskRequest.Status
LIST = "/admin/helpdesk/helpdeskrequest/"


def inspect_url(obj):
    return f"{LIST}inspect/{obj.pk}/"


def action_url(obj):
    return help_desk_admin.action_url(obj)


def act(client, obj, action, **data):
    return client.post(action_url(obj), {"action": action, **data})


def kinds(obj):
    return list(obj.thread().values_list("kind", flat=True))


def test_the_whole_lifecycle_with_its_emails_and_thread(
    client, help_desk, staff, colleague, eviction_resource, housing, settings
):
    # Submit
    client.post("/help-desk/", intake(issue_area=str(housing.pk)))
    case = HelpDeskRequest.objects.get()
    member_url = re.search(r"https?://\S+/helpdesk/request/\S+/", mail.outbox[0].body).group()
    mail.outbox.clear()
    client.force_login(staff)

    # The list and the detail
    listing = client.get(LIST)
    assert listing.status_code == 200
    assert case.reference in listing.text
    detail = client.get(inspect_url(case))
    assert detail.status_code == 200
    assert "Examples of just-cause eviction ordinances?" in detail.text
    assert "Just-Cause Eviction Ordinance" in detail.text  # offered as an attachment

    # Assign to me, then to a colleague (who is emailed)
    assert act(client, case, "assign_to_me").status_code == 302
    case.refresh_from_db()
    assert case.assignee == staff
    assert mail.outbox == []  # nobody emails themself
    act(client, case, "assign", assignee=str(colleague.pk))
    case.refresh_from_db()
    assert case.assignee == colleague
    [assigned] = mail.outbox
    assert assigned.to == [colleague.email] and case.reference in assigned.subject
    act(client, case, "assign_to_me")
    mail.outbox.clear()

    # Internal note: in the thread, never on the member's page, no email
    act(client, case, "note", message="Check the Durham ordinance first.")
    assert mail.outbox == []

    # Reply with a saved reply (edited) and a library resource
    saved = SavedReplyFactory(title="Ordinance examples")
    prefilled = client.get(inspect_url(case), {"saved_reply": saved.pk})
    assert f"Hello Jenn Weaver,\n\nThanks for your question ({case.reference})" in prefilled.text
    reply_text = f"Hello Jenn Weaver,\n\nThanks for your question ({case.reference}). Two cities passed one in 2024."
    act(
        client,
        case,
        "reply",
        message=reply_text,
        saved_reply=str(saved.pk),
        resources=[str(eviction_resource.pk)],
        then="waiting_on_member",
    )
    case.refresh_from_db()
    assert case.status == Status.WAITING_ON_MEMBER
    [reply] = mail.outbox
    assert reply.to == ["jenn@example.org"]
    assert "Two cities passed one in 2024." in reply.body
    assert "Just-Cause Eviction Ordinance: http://testserver/resources/just-cause-eviction/" in reply.body
    assert "/helpdesk/request/" in reply.body
    mail.outbox.clear()

    # The member adds details through the link: back in progress, the assignee is told
    client.logout()
    page = client.get(member_url)
    assert "Two cities passed one in 2024." in page.text
    assert "Check the Durham ordinance first." not in page.text
    client.post(member_url, {"text": "Our vote is on March 30."})
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert [m.to for m in mail.outbox] == [[staff.email]]
    mail.outbox.clear()
    client.force_login(staff)

    # Connect with two experts: one introduction email to all of them
    dana = ExpertFactory(name="Dana Whitfield", email="dana@partner.example")
    lin = ExpertFactory(name="Lin Okafor", email="lin@member.example", kind="member")
    act(client, case, "connect", experts=[str(dana.pk), str(lin.pk)], message="Dana drafted two of these.")
    case.refresh_from_db()
    assert case.status == Status.CONNECTED
    [intro] = mail.outbox
    assert sorted(intro.to) == sorted(["jenn@example.org", "dana@partner.example", "lin@member.example"])
    assert "Dana drafted two of these." in intro.body
    assert intro.reply_to == ["jenn@example.org"]  # the experts' answers reach the member
    mail.outbox.clear()

    # Resolve, answer to library, close
    act(client, case, "resolve")
    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.closed_at is not None
    act(client, case, "to_library")
    case.refresh_from_db()
    draft = ResourcePage.objects.get(pk=case.library_page_id)
    assert not draft.live
    assert draft.title == "Examples of just-cause eviction ordinances?"
    assert list(draft.issue_areas.all()) == [housing]
    body = str(draft.body)
    assert "Two cities passed one in 2024." in body
    for personal in ("Jenn", "Weaver", "jenn@example.org", case.reference):
        assert personal not in body
    assert draft.get_workflow().name == roles.REVIEW_WORKFLOW
    assert "Library draft" in client.get(inspect_url(case)).text
    mail.outbox.clear()
    act(client, case, "close", message="Good luck with the vote.")
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    [closed] = [m for m in mail.outbox if m.to == ["jenn@example.org"]]  # the member is told, once
    assert closed.subject.startswith("Closed:") and "Good luck with the vote." in closed.body
    assert "/helpdesk/request/" in closed.body

    # The thread holds the whole story, in time order, with who did what
    assert kinds(case) == [
        "submitted",
        "assignment",
        "assignment",
        "assignment",
        "note",
        "reply",
        "status",
        "member_update",
        "status",
        "referral",
        "status",
        "status",
        "library",
        "status",
    ]
    statuses = [a.status_label for a in case.thread().filter(kind="status")]
    assert statuses == ["Waiting on member", "In progress", "Connected", "Resolved", "Closed"]
    assert all(a.author == staff for a in case.thread().exclude(kind__in=["submitted", "member_update", "status"]))
    logged = set(ModelLogEntry.objects.for_instance(case).values_list("action", flat=True))
    assert {"lpsite.helpdesk.replied", "lpsite.helpdesk.connected", "lpsite.helpdesk.closed"} <= logged
    assert ModelLogEntry.objects.for_instance(case).filter(user=staff).count() >= 8
    detail = client.get(inspect_url(case))
    assert "Check the Durham ordinance first." in detail.text and "Our vote is on March 30." in detail.text


def test_wrong_starting_status_and_missing_input_are_refused_with_a_message(client, help_desk, staff):
    case = HelpDeskRequestFactory(page=help_desk, status=Status.CLOSED)
    client.force_login(staff)
    response = act(client, case, "connect", experts=[])
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("isn't possible" in m for m in messages)
    open_case = HelpDeskRequestFactory(page=help_desk)
    response = act(client, open_case, "connect", experts=[])
    assert any("Choose at least one expert" in str(m) for m in response.wsgi_request._messages)
    response = act(client, open_case, "reply", message="")
    assert any("needs a message" in str(m) for m in response.wsgi_request._messages)
    response = act(client, open_case, "reply", message="x" * 10001)
    assert any("too long" in str(m) for m in response.wsgi_request._messages)
    response = act(client, open_case, "assign", assignee="999999")
    assert any("isn't Help Desk staff" in str(m) for m in response.wsgi_request._messages)
    assert mail.outbox == []
    assert open_case.activities.count() == 0


def test_spam_is_kept_and_restorable_then_the_member_hears_from_us(client, help_desk, staff):
    client.post("/help-desk/", intake(website="http://bot.example"))
    case = HelpDeskRequest.objects.get()
    assert case.status == Status.SPAM and mail.outbox == []
    client.force_login(staff)
    assert "Suspected spam" in client.get(LIST, {"status__exact": "spam"}).text
    act(client, case, "not_spam")
    case.refresh_from_db()
    assert case.status == Status.NEW and case.spam_reason == ""
    assert [m for m in mail.outbox if m.to == ["jenn@example.org"]]
    act(client, case, "mark_spam")
    case.refresh_from_db()
    assert case.status == Status.SPAM and case.spam_reason


def test_bulk_assign_and_bulk_close(client, help_desk, staff, colleague):
    cases = [HelpDeskRequestFactory(page=help_desk) for _ in range(3)]
    done = HelpDeskRequestFactory(page=help_desk, status=Status.CLOSED)
    client.force_login(staff)
    bulk = help_desk_admin.bulk_url()
    ids = [str(c.pk) for c in cases]
    client.post(bulk, {"action": "assign_to", "assignee": str(colleague.pk), "selected": ids, "next": LIST})
    assert set(HelpDeskRequest.objects.filter(pk__in=ids).values_list("assignee", flat=True)) == {colleague.pk}
    assert len([m for m in mail.outbox if m.to == [colleague.email]]) == 3
    response = client.post(bulk, {"action": "close", "selected": [*ids, str(done.pk)], "next": LIST})
    assert response.status_code == 302
    assert set(HelpDeskRequest.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"closed"}
    assert all(c.activities.filter(kind="status").exists() for c in HelpDeskRequest.objects.filter(pk__in=ids))


def test_bulk_assign_needs_a_choice_and_says_what_it_did(client, help_desk, staff, colleague):
    """Nothing chosen is not "nobody": it changes nothing and says so; "Nobody" unassigns and says that."""
    from django.contrib.messages import get_messages

    cases = [HelpDeskRequestFactory(page=help_desk, assignee=staff) for _ in range(2)]
    ids = [str(c.pk) for c in cases]
    client.force_login(staff)
    bulk = help_desk_admin.bulk_url()

    def said(response):
        return [str(m) for m in get_messages(response.wsgi_request)][-1:]

    index = soup(client.get(LIST))
    assert index.find("select", id="inbox-bulk-action").find("option", selected=True)["value"] == ""
    assert index.find("select", id="inbox-bulk-assignee").find("option", selected=True)["value"] == ""
    response = client.post(bulk, {"action": "assign_to", "assignee": "", "selected": ids, "next": LIST})
    assert said(response) == ["Choose who to assign them to (or “Nobody” to unassign them)."]
    assert set(HelpDeskRequest.objects.values_list("assignee", flat=True)) == {staff.pk}
    response = client.post(bulk, {"action": "assign_to", "assignee": str(colleague.pk), "selected": ids, "next": LIST})
    assert said(response) == [f"Assigned 2 requests to {colleague.get_full_name() or colleague.username}."]
    response = client.post(bulk, {"action": "assign_to", "assignee": "none", "selected": ids, "next": LIST})
    assert said(response) == ["Unassigned 2 requests."]
    assert set(HelpDeskRequest.objects.values_list("assignee", flat=True)) == {None}


def test_triage_columns_order_and_overdue_paused_while_waiting(client, help_desk, staff):
    """The list shows each question and its last activity, open cases on staff's side first by due date, and a
    case waiting on the member is not overdue; the case page lists the member's other requests."""
    today = timezone.localdate()
    later = HelpDeskRequestFactory(page=help_desk, question="Later one?", due_date=today + datetime.timedelta(days=9))
    soon = HelpDeskRequestFactory(page=help_desk, question="Urgent one?", due_date=today + datetime.timedelta(days=1))
    waiting = HelpDeskRequestFactory(
        page=help_desk,
        question="Waiting one?",
        status=Status.WAITING_ON_MEMBER,
        due_date=today - datetime.timedelta(days=3),
        email=soon.email,
    )
    done = HelpDeskRequestFactory(page=help_desk, question="Done one?", status=Status.RESOLVED, email=soon.email)
    RequestActivity.objects.create(request=later, kind="member_update", text="More details")
    client.force_login(staff)
    html = client.get(LIST).text
    order = [c.reference for c in sorted((later, soon, waiting, done), key=lambda c: html.index(c.reference))]
    assert order == [soon.reference, later.reference, waiting.reference, done.reference]
    assert "Urgent one?" in html and re.search(r"Member replied \d+\xa0minutes ago", html)
    assert not waiting.is_overdue and "lp-overdue-badge" not in html
    counts = {item["label"]: item["count"] for item in help_desk_admin.dashboard_counts(staff)}
    assert counts["Overdue"] == 0
    page = soup(client.get(inspect_url(soon)))
    others = page.select(".lp-other-requests li")
    assert [li.a.get_text() for li in others] == [done.reference, waiting.reference]
    assert later.reference not in page.get_text()


def test_list_columns_filters_search_and_overdue(client, help_desk, staff, colleague, housing):
    today = timezone.localdate()
    late = HelpDeskRequestFactory(
        page=help_desk, due_date=today - datetime.timedelta(days=2), assignee=staff, issue_area=housing
    )
    other = HelpDeskRequestFactory(page=help_desk, category="communications", name="Marcus Lee", assignee=colleague)
    free = HelpDeskRequestFactory(page=help_desk, question="Power mapping for a budget fight?")
    client.force_login(staff)
    html = client.get(LIST).text
    assert 'class="lp-overdue ' in html
    assert "Overdue" in html

    def refs(**params):
        text = client.get(LIST, params).text
        return {c.reference for c in (late, other, free) if c.reference in text}

    assert refs(due="overdue") == {late.reference}
    assert refs(who="me") == {late.reference}
    assert refs(who="none") == {free.reference}
    assert refs(who=str(colleague.pk)) == {other.reference}
    assert refs(category__exact="communications") == {other.reference}
    assert refs(issue_area__id__exact=str(housing.pk)) == {late.reference}
    assert refs(q="Marcus") == {other.reference}
    assert refs(q=free.reference) == {free.reference}
    assert refs(q="power mapping") == {free.reference}


def test_dashboard_panel_for_help_desk_staff(client, help_desk, staff):
    today = timezone.localdate()
    HelpDeskRequestFactory(page=help_desk)
    HelpDeskRequestFactory(page=help_desk, due_date=today - datetime.timedelta(days=1), assignee=staff)
    HelpDeskRequestFactory(page=help_desk, status=Status.WAITING_ON_MEMBER)
    counts = {item["label"]: item["count"] for item in help_desk_admin.dashboard_counts(staff)}
    assert counts == {"New": 2, "Overdue": 1, "Assigned to me": 1, "Member replied": 0, "Waiting on member": 1}
    client.force_login(staff)
    home = client.get("/admin/")
    assert "assigned to me" in home.text and "waiting on member" in home.text


def test_export_of_the_filtered_list(client, help_desk, staff):
    HelpDeskRequestFactory(page=help_desk, name="=HYPERLINK(evil)", category="strategy")
    HelpDeskRequestFactory(page=help_desk, category="policy")
    client.force_login(staff)
    response = client.get(LIST, {"export": "csv", "category__exact": "strategy"})
    assert response.status_code == 200
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(response.streaming_content).decode()
                if hasattr(response, "streaming_content")
                else response.content.decode()
            )
        )
    )
    assert len(rows) == 2
    assert "Strategy" in rows[1]
    assert rows[1][2].startswith("'")  # formula neutralised


# The permission boundary ---------------------------------------------------------------


@pytest.fixture
def outsiders(db):
    return {
        "editor": make_user("edna", roles.EDITORS),
        "lead": make_user("leo", roles.COMMUNICATIONS_LEADS),
        "events": make_user("eve", roles.EVENTS_STAFF),
    }


def test_nobody_outside_the_help_desk_reads_requests(client, help_desk, outsiders, staff):
    case = HelpDeskRequestFactory(page=help_desk, name="Zelda Secretname", question="Confidential budget question")
    urls = [LIST, inspect_url(case), LIST + "?export=csv", LIST + "?export=xlsx"]
    # Anonymous: to the login page
    for url in urls:
        assert client.get(url).status_code == 302
    assert client.post(action_url(case), {"action": "close"}).status_code == 302
    for action in ("close", "assign_to", "mark_spam"):
        response = client.post(help_desk_admin.bulk_url(), {"action": action, "selected": [str(case.pk)], "next": LIST})
        assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))
    case.refresh_from_db()
    assert case.status == Status.NEW and case.assignee is None
    for who, user in outsiders.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (302, 403), (who, url)
            assert "Zelda" not in response.text
        for action in ("close", "reply", "assign_to_me"):
            assert act(client, case, action, message="x").status_code in (302, 403)
        bulk = client.post(help_desk_admin.bulk_url(), {"action": "close", "selected": [str(case.pk)]})
        assert bulk.status_code in (302, 403)
        case.refresh_from_db()
        assert case.status == Status.NEW and case.assignee is None
        # Wagtail's admin search and the form submissions listing
        search = client.get(reverse("wagtailadmin_pages:search"), {"q": "Zelda Secretname Confidential"})
        assert search.status_code in (200, 302)  # Events staff have no pages to search
        assert "Confidential budget question" not in search.text and case.reference not in search.text
        forms = client.get(reverse("wagtailforms:index"))
        assert f"/admin/forms/submissions/{help_desk.pk}/" not in forms.text
        submissions = client.get(reverse("wagtailforms:list_submissions", args=[help_desk.pk]))
        assert submissions.status_code in (302, 403, 404)
        assert "Zelda" not in submissions.text
        # Nor the menu item
        assert "/admin/helpdesk/helpdeskrequest/" not in client.get("/admin/").text
    assert case.activities.count() == 0


def test_help_desk_staff_and_superusers_do_see_them(client, help_desk, staff, superuser):
    case = HelpDeskRequestFactory(page=help_desk, name="Zelda Secretname")
    for user in (staff, superuser):
        client.force_login(user)
        assert "Zelda" in client.get(LIST).text
        assert client.get(inspect_url(case)).status_code == 200
        assert "/admin/helpdesk/helpdeskrequest/" in client.get("/admin/").text
        # Wagtail's Forms screens send them to the inbox instead
        submissions = client.get(reverse("wagtailforms:list_submissions", args=[help_desk.pk]))
        assert submissions.status_code == 302 and submissions["Location"] == LIST


def test_wagtail_forms_screens_can_neither_list_nor_delete_requests(client, help_desk, staff, superuser):
    """Nothing a member sends is dropped: Wagtail's delete view for form submissions refuses requests, to anyone."""
    case = HelpDeskRequestFactory(page=help_desk, name="Zelda Secretname")
    case.activities.create(kind="submitted", text=case.details)
    delete = reverse("wagtailforms:delete_submissions", args=[help_desk.pk])
    for user in (staff, superuser):
        client.force_login(user)
        for response in (
            client.get(delete, {"selected-submissions": [case.pk]}),
            client.post(f"{delete}?selected-submissions={case.pk}"),
        ):
            # Wagtail's admin answers PermissionDenied with a redirect home and a message
            assert response.status_code == 302 and response["Location"] == "/admin/"
            assert any("permission" in str(m) for m in response.wsgi_request._messages)
        index = client.get(reverse("wagtailforms:index"))
        assert f"/admin/forms/submissions/{help_desk.pk}/" not in index.text
        export = client.get(reverse("wagtailforms:list_submissions", args=[help_desk.pk]), {"export": "csv"})
        assert export.status_code == 302 and export["Location"] == LIST
    assert HelpDeskRequest.objects.filter(pk=case.pk).exists()
    assert case.activities.count() == 1


def test_snippets_are_for_help_desk_staff(client, db, outsiders, staff):
    expert = ExpertFactory(name="Dana Whitfield")
    client.force_login(outsiders["editor"])
    assert client.get(reverse("wagtailsnippets_helpdesk_expert:list")).status_code in (302, 403)
    client.force_login(staff)
    assert "Dana Whitfield" in client.get(reverse("wagtailsnippets_helpdesk_expert:list")).text
    assert client.get(reverse("wagtailsnippets_helpdesk_expert:edit", args=[expert.pk])).status_code == 200
    assert Group.objects.get(name=roles.HELP_DESK_STAFF).permissions.filter(codename="add_savedreply").exists()
    assert RequestActivity.objects.count() == 0


def test_superusers_can_be_assigned_wherever_help_desk_staff_can(client, help_desk, staff, superuser):
    """One list of who can be assigned (Help Desk staff and superusers): dropdowns, actions, bulk and filter."""
    mine, theirs, *bulk_cases = [HelpDeskRequestFactory(page=help_desk) for _ in range(4)]
    bulk = help_desk_admin.bulk_url()

    # A superuser takes a case with "Assign to me"
    client.force_login(superuser)
    act(client, mine, "assign_to_me")
    mine.refresh_from_db()
    assert mine.assignee == superuser

    # A colleague picks the superuser in the inspect view's "Assigned to" dropdown
    client.force_login(staff)
    assert f'<option value="{superuser.pk}">Root</option>' in client.get(inspect_url(theirs)).text
    response = act(client, theirs, "assign", assignee=str(superuser.pk))
    theirs.refresh_from_db()
    assert theirs.assignee == superuser, [str(m) for m in response.wsgi_request._messages]
    assert [m.to for m in mail.outbox] == [[superuser.email]]

    # Bulk: the dropdown offers them, assigning to them works, and their own "Assign to me" does too
    listing = client.get(LIST).text
    assert f'<option value="{superuser.pk}">Root</option>' in listing
    ids = [str(c.pk) for c in bulk_cases]
    client.post(bulk, {"action": "assign_to", "assignee": str(superuser.pk), "selected": ids[:1], "next": LIST})
    client.force_login(superuser)
    client.post(bulk, {"action": "assign_to_me", "selected": ids[1:], "next": LIST})
    assert set(HelpDeskRequest.objects.filter(pk__in=ids).values_list("assignee", flat=True)) == {superuser.pk}

    # The assignee filter lists them and finds their cases
    listing = client.get(LIST).text
    assert f"?who={superuser.pk}" in listing
    found = client.get(LIST, {"who": str(superuser.pk)}).text
    assert all(c.reference in found for c in (mine, theirs, *bulk_cases))


def test_inactive_people_and_outsiders_cannot_be_assigned(client, help_desk, staff, outsiders):
    case = HelpDeskRequestFactory(page=help_desk)
    gone = make_user("gone", roles.HELP_DESK_STAFF, is_active=False)
    former_root = make_user("former", is_superuser=True, is_active=False)
    client.force_login(staff)
    detail = client.get(inspect_url(case)).text
    for person in (gone, former_root, *outsiders.values()):
        assert f'<option value="{person.pk}">' not in detail
        response = act(client, case, "assign", assignee=str(person.pk))
        assert any("isn't Help Desk staff" in str(m) for m in response.wsgi_request._messages)
    case.refresh_from_db()
    assert case.assignee is None


def test_a_reply_that_reopens_a_closed_case_clears_closed_at_and_says_so_in_the_thread(
    client, help_desk, staff, settings
):
    settings.HELPDESK_RETENTION_DAYS = 30
    long_ago = timezone.now() - datetime.timedelta(days=90)
    case = HelpDeskRequestFactory(page=help_desk, status=Status.CLOSED, closed_at=long_ago)
    client.force_login(staff)
    act(client, case, "reply", message="One more thing: the county passed it too.", then="waiting_on_member")
    case.refresh_from_db()
    assert case.status == Status.WAITING_ON_MEMBER
    assert case.closed_at is None  # open again: no closing date for the purge or the statistics
    assert kinds(case) == ["reply", "status"]
    assert case.thread().last().status_label == "Waiting on member"
    assert "Now waiting on member." in client.get(inspect_url(case)).text

    # Closed again later: the retention period counts from the new closing
    act(client, case, "close")
    case.refresh_from_db()
    assert case.status == Status.CLOSED and timezone.now() - case.closed_at < datetime.timedelta(minutes=1)
    assert not due_for_purge().filter(pk=case.pk).exists()


def test_a_reply_that_leaves_the_status_alone_adds_no_status_entry(client, help_desk, staff):
    case = HelpDeskRequestFactory(page=help_desk, status=Status.IN_PROGRESS)
    client.force_login(staff)
    act(client, case, "reply", message="Still looking into it.")
    assert kinds(case) == ["reply"]
    act(client, case, "reply", message="Found it.", then="resolved")
    case.refresh_from_db()
    assert kinds(case) == ["reply", "reply", "status"]
    assert case.status == Status.RESOLVED and case.closed_at is not None


def test_list_headers_status_counts_and_search_by_email(client, help_desk, staff):
    marcus = HelpDeskRequestFactory(page=help_desk, name="Marcus Lee", email="Marcus.Lee@Denver.example")
    others = [
        *HelpDeskRequestFactory.create_batch(2, page=help_desk),
        HelpDeskRequestFactory(page=help_desk, status=Status.WAITING_ON_MEMBER, category="strategy"),
        HelpDeskRequestFactory(page=help_desk, status=Status.SPAM, category="strategy"),
    ]
    client.force_login(staff)
    page = soup(client.get(LIST))
    headers = [th.get_text(" ", strip=True) for th in page.select("table.listing thead th")]
    for heading in ("Reference", "Question", "Member", "Category", "Status", "Assignee", "Due", "Last activity"):
        assert heading in headers, headers

    def tabs(**params):
        nav = soup(client.get(LIST, params)).find("nav", attrs={"aria-label": "Help Desk by status"})
        return {a.contents[0].strip(): int(a.select_one(".lp-count").text) for a in nav.find_all("a")}

    assert tabs() == {
        "All": 5,
        "New": 3,
        "In progress": 0,
        "Waiting on member": 1,
        "Connected": 0,
        "Resolved": 0,
        "Closed": 0,
        "Suspected spam": 1,
    }
    # The counts follow the other filters, whatever status tab is open
    strategy = tabs(category__exact="strategy", status__exact="new")
    assert (strategy["All"], strategy["New"], strategy["Waiting on member"], strategy["Suspected spam"]) == (2, 0, 1, 1)

    # Search by email, whole or in part, whatever its case
    for query in ("marcus.lee@denver.example", "MARCUS.LEE@", "denver.example"):
        text = client.get(LIST, {"q": query}).text
        assert marcus.reference in text
        assert not [o.reference for o in others if o.reference in text]


def test_two_staffers_on_one_request_see_each_other_and_a_stale_reply_is_refused(help_desk, staff, colleague):
    """Alex and Sam open the same request; Sam replies first. Alex's reply, typed on the older page, is refused
    with what changed and kept for Alex; nothing reaches the member twice. Taking over tells the owner."""
    from django.contrib.messages import get_messages
    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    case = HelpDeskRequestFactory(page=help_desk, assignee=staff)
    alex, sam = Client(), Client()
    alex.force_login(staff)
    sam.force_login(colleague)
    alex_page = soup(alex.get(inspect_url(case)))
    sam_page = soup(sam.get(inspect_url(case)))
    assert (staff.get_full_name() or staff.username) in sam_page.select_one(".lp-also-open").get_text()
    seen = alex_page.select_one("form.lp-hd-reply input[name=seen]")["value"]
    mail.outbox.clear()

    sam_seen = sam_page.select_one("form.lp-hd-reply input[name=seen]")["value"]
    assert act(sam, case, "reply", message="Here are three ordinances.", seen=sam_seen).status_code == 302
    response = act(alex, case, "reply", message="Try the NLIHC database.", seen=seen)
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said and said[0].startswith(f"{colleague.get_full_name() or colleague.username} replied ")
    assert "your text is kept below" in said[0]
    replies = OutboundEmail.objects.filter(purpose="reply")
    assert [email.text_body.split("\n")[0] for email in replies] == ["Here are three ordinances."]
    assert case.thread().filter(kind="reply").count() == 1
    kept = soup(alex.get(inspect_url(case)))
    assert kept.select_one("#reply-message").get_text() == "Try the NLIHC database."
    fresh = kept.select_one("form.lp-hd-reply input[name=seen]")["value"]
    assert act(alex, case, "reply", message="Try the NLIHC database.", seen=fresh).status_code == 302
    assert case.thread().filter(kind="reply").count() == 2

    # A stale status change is refused the same way; a note never is.
    assert act(sam, case, "note", message="Checked with legal.", seen=sam_seen).status_code == 302
    assert case.thread().filter(kind="note").count() == 1
    act(sam, case, "resolve", seen=sam_seen)
    case.refresh_from_db()
    assert case.status != Status.RESOLVED

    mail.outbox.clear()
    act(
        sam,
        case,
        "assign_to_me",
        seen=soup(sam.get(inspect_url(case))).select_one("form.lp-hd-assign input[name=seen]")["value"],
    )
    case.refresh_from_db()
    assert case.assignee == colleague
    [told] = OutboundEmail.objects.filter(purpose="taken_over")
    assert told.to == [staff.email]
    assert case.reference in told.subject and "no longer yours" in told.text_body.lower()


def test_a_library_draft_uses_the_chosen_reply_with_placeholders_for_personal_data(
    client, help_desk, staff, eviction_resource
):
    """Staff pick the reply (the longest by default, not the closing "Thanks"); the member's name, every address
    and phone number (the staffer's signature too) and the reference become placeholders, not holes."""
    from helpdesk.workflow import strip_personal

    case = HelpDeskRequestFactory(page=help_desk, name="Jenn Weaver", email="jenn@example.org", phone="919-555-0100")
    case.status = Status.RESOLVED
    case.save()
    answer = RequestActivity.objects.create(
        request=case,
        kind="reply",
        author=staff,
        text="Hello Jenn,\n\nJenn Weaver asked (HD ref " + case.reference + ") about just-cause eviction. "
        "Durham passed one in 2024; write to durham@city.example.\n\nCall me at (919) 555-0199.",
    )
    RequestActivity.objects.create(request=case, kind="reply", author=staff, text="Thanks!")
    client.force_login(staff)
    page = soup(client.get(inspect_url(case)))
    chosen = page.select_one("#library-reply option[selected]")
    assert chosen["value"] == str(answer.pk)
    act(client, case, "to_library", reply=str(answer.pk))
    case.refresh_from_db()
    body = str(ResourcePage.objects.get(pk=case.library_page_id).body)
    assert "Durham passed one in 2024" in body
    assert "[name] asked" in body and "[reference]" in body and "[email]" in body and "[phone]" in body
    for personal in ("Jenn", "Weaver", "durham@city.example", "555-0199", case.reference):
        assert personal not in body
    assert strip_personal("Call 919.555.0100 or +1 919 555 0100.", case) == "Call [phone] or [phone]."


def test_who_has_a_case_open_is_live_a_closed_page_drops_out(help_desk, staff, colleague, time_machine):
    """The page's heartbeat keeps a staffer listed while their page is open; a page that says it is leaving drops
    out at once, and one that stops beating (a shut laptop) after LIVE_SECONDS."""
    from django.core.cache import cache
    from django.test import Client

    from helpdesk.collisions import LIVE_SECONDS

    cache.clear()
    time_machine.move_to("2026-12-08 10:00:00", tick=False)
    case = HelpDeskRequestFactory(page=help_desk)
    alex, sam = Client(), Client()
    alex.force_login(staff)
    sam.force_login(colleague)
    url = f"/admin/helpdesk/presence/{case.pk}/"
    alex_name, sam_name = staff.get_full_name() or staff.username, colleague.get_full_name() or colleague.username

    alex_page = soup(alex.get(inspect_url(case)))
    line = alex_page.select_one(".lp-also-open")
    assert line.has_attr("hidden") and line["data-presence-url"] == url
    assert alex.post(url).json() == {"others": []}
    assert sam.post(url).json() == {"others": [f"{alex_name} (just now)"]}
    time_machine.move_to("2026-12-08 10:01:00", tick=False)
    sam.post(url)  # Sam's page beats
    time_machine.move_to("2026-12-08 10:02:00", tick=False)
    assert alex.post(url).json() == {"others": [f"{sam_name} (2 min)"]}  # open for two minutes, still open
    assert sam.post(url, {"leave": "1"}).status_code == 200  # Sam closes the tab
    assert alex.post(url).json() == {"others": []}

    sam.post(url)
    time_machine.move_to(f"2026-12-08 10:0{2 + (LIVE_SECONDS // 60) + 1}:00", tick=False)
    assert alex.post(url).json() == {"others": []}  # Sam's page stopped beating

    assert sam.get(url).status_code == 405
    editor = Client()
    editor.force_login(make_user("ed", roles.EDITORS))
    assert editor.post(url).status_code in (302, 403)
