import pytest

from library.factories import ResourceLibraryPageFactory
from taxonomy.factories import IssueAreaFactory, ResourceTypeFactory


@pytest.fixture
def library(home_page):
    return ResourceLibraryPageFactory(parent=home_page)


@pytest.fixture
def areas(db):
    return {
        slug: IssueAreaFactory(slug=slug, name=name)
        for slug, name in [("housing", "Housing"), ("community-safety", "Community safety"), ("workers", "Workers")]
    }


@pytest.fixture
def types(db):
    return {
        slug: ResourceTypeFactory(slug=slug, name=name)
        for slug, name in [("model-ordinance", "Model ordinance"), ("toolkit", "Toolkit")]
    }
