"""Where the trainings pages may live in the tree."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from events.models import EventPage, EventSeriesPage, TrainingIndexPage
from home.models import HomePage, StandardPage
from library.models import ResourceLibraryPage


class TrainingsPageTreeTests(WagtailPageTestCase):
    def test_the_trainings_index_sits_under_the_home_page_only(self):
        self.assertCanCreateAt(HomePage, TrainingIndexPage)
        self.assertCanNotCreateAt(Page, TrainingIndexPage)
        self.assertCanNotCreateAt(StandardPage, TrainingIndexPage)
        self.assertCanNotCreateAt(ResourceLibraryPage, TrainingIndexPage)
        self.assertAllowedParentPageTypes(TrainingIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(TrainingIndexPage, {EventSeriesPage, EventPage})
        self.assertEqual(TrainingIndexPage.max_count, 1)

    def test_series_live_under_the_index_and_hold_only_events(self):
        self.assertCanCreateAt(TrainingIndexPage, EventSeriesPage)
        self.assertCanNotCreateAt(HomePage, EventSeriesPage)
        self.assertCanNotCreateAt(EventSeriesPage, EventSeriesPage)
        self.assertAllowedParentPageTypes(EventSeriesPage, {TrainingIndexPage})
        self.assertAllowedSubpageTypes(EventSeriesPage, {EventPage})

    def test_events_live_in_a_series_or_standalone_under_the_index(self):
        self.assertCanCreateAt(EventSeriesPage, EventPage)
        self.assertCanCreateAt(TrainingIndexPage, EventPage)
        self.assertCanNotCreateAt(HomePage, EventPage)
        self.assertCanNotCreateAt(StandardPage, EventPage)
        self.assertCanNotCreateAt(EventPage, EventPage)
        self.assertAllowedParentPageTypes(EventPage, {TrainingIndexPage, EventSeriesPage})
        self.assertAllowedSubpageTypes(EventPage, set())
