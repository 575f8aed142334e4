"""`deferred_indexing`: the demo seed indexes each page once, at the end, for search and for "usage"."""

import pytest
from wagtail.models import ReferenceIndex

from library.factories import ResourceLibraryPageFactory, ResourcePageFactory
from library.models import ResourcePage
from search.engine import match
from search.indexing import deferred_indexing
from taxonomy.factories import ResourceTypeFactory

pytestmark = pytest.mark.django_db


def references_to(obj):
    return ReferenceIndex.get_references_to(obj).count()


def test_pages_saved_inside_are_indexed_once_the_block_ends(home_page):
    library = ResourceLibraryPageFactory(parent=home_page)
    kind = ResourceTypeFactory(name="Toolkit", slug="toolkit")
    with deferred_indexing():
        resource = ResourcePageFactory(parent=library, title="Tenant protections toolkit", resource_type=kind)
        resource.summary = "Right to counsel for tenants."
        resource.save_revision().publish()
        # Nothing is indexed while the block runs...
        assert match(ResourcePage, "tenant") == []
        assert references_to(kind) == 0
    # ...and everything once it ends, from the pages' final state.
    assert [pk for pk, _score in match(ResourcePage, "counsel")] == [resource.pk]
    assert references_to(kind) == 1


def test_after_the_block_or_an_error_in_it_saves_index_at_once_again(home_page):
    library = ResourceLibraryPageFactory(parent=home_page)
    kind = ResourceTypeFactory(name="Toolkit", slug="toolkit")
    with pytest.raises(RuntimeError), deferred_indexing():
        ResourcePageFactory(parent=library, title="Half-made page", resource_type=kind)
        raise RuntimeError("the seed failed")
    # A failed block indexes nothing of its own...
    assert match(ResourcePage, "half") == []
    # ...and leaves the usual signal handlers in place.
    later = ResourcePageFactory(parent=library, title="Eviction defence guide", resource_type=kind)
    assert [pk for pk, _score in match(ResourcePage, "eviction")] == [later.pk]
    assert references_to(kind) == 1
