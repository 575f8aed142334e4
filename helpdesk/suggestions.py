"""The library answers first: resources matching a member's question, through the library's own search."""

import re

from django.conf import settings

from home.shell import find_page
from library.models import ResourceLibraryPage
from library.search import LibrarySearch

MAX_SUGGESTIONS = 3
MAX_WORDS = 12
_STOP = """a about above after again all also am an and any are as at be because been before being below between both
    but by can could did do does doing down during each few for from further get had has have having he her here
    hers him his how i if in into is it its just me more most my no nor not now of off on once only or other our
    ours out over own same she should so some such than that the their theirs them then there these they this
    those through to too under until up very was we were what when where which while who whom why will with would
    you your yours help need needs looking question questions please thanks thank know like want any anyone
    council city county office local members member"""
STOP_WORDS = frozenset(_STOP.split())
WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)


def keywords(text):
    """The distinctive words of a question, in order, without repeats or common words."""
    seen, words = set(), []
    for word in WORD.findall((text or "").lower()):
        if word in STOP_WORDS or word.isdigit() or word in seen:
            continue
        seen.add(word)
        words.append(word)
        if len(words) >= MAX_WORDS:
            break
    return words


def _card(resource, absolute):
    url = resource.get_url()
    if absolute and url and url.startswith("/"):
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    elif absolute:
        url = resource.full_url
    return {"id": resource.pk, "title": resource.title, "url": url, "summary": resource.summary}


def suggest_resources(text, issue_area=None, *, limit=MAX_SUGGESTIONS, absolute=False):
    """Up to ``limit`` live library resources for ``text``: those in ``issue_area`` first, then any."""
    words = keywords(text)
    if not words:
        return []
    library = find_page(ResourceLibraryPage)
    if library is None:
        return []
    query = " ".join(words)
    found, seen = [], set()
    searches = [{"q": query, "issue": issue_area.slug}] if issue_area else []
    searches.append({"q": query})
    for params in searches:
        for resource in LibrarySearch(library, params, operator="or").results(limit * 2):
            if resource.pk not in seen:
                seen.add(resource.pk)
                found.append(resource)
            if len(found) >= limit:
                break
        if len(found) >= limit:
            break
    return [_card(resource, absolute) for resource in found[:limit]]
