"""Where the collaborative and news pages may live in the tree."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from collaborative.models import CollaborativePage, ConveningPage, InterestPage, PillarPage
from events.models import EventPage, EventSeriesPage, TrainingIndexPage
from home.models import HomePage, StandardPage
from news.models import ArticlePage, NewsIndexPage


class CollaborativePageTreeTests(WagtailPageTestCase):
    def test_the_collaborative_sits_under_the_home_page_once(self):
        self.assertCanCreateAt(HomePage, CollaborativePage)
        self.assertCanNotCreateAt(Page, CollaborativePage)
        self.assertCanNotCreateAt(StandardPage, CollaborativePage)
        self.assertAllowedParentPageTypes(CollaborativePage, {HomePage})
        self.assertAllowedSubpageTypes(CollaborativePage, {PillarPage, InterestPage})
        self.assertEqual(CollaborativePage.max_count, 1)

    def test_pillars_hold_convenings_and_convenings_hold_nothing(self):
        self.assertAllowedParentPageTypes(PillarPage, {CollaborativePage})
        self.assertAllowedSubpageTypes(PillarPage, {ConveningPage})
        self.assertAllowedParentPageTypes(ConveningPage, {PillarPage})
        self.assertAllowedSubpageTypes(ConveningPage, set())
        self.assertCanNotCreateAt(CollaborativePage, ConveningPage)

    def test_convenings_are_not_trainings_and_trainings_stay_out_of_pillars(self):
        self.assertCanNotCreateAt(TrainingIndexPage, ConveningPage)
        self.assertCanNotCreateAt(EventSeriesPage, ConveningPage)
        self.assertCanNotCreateAt(PillarPage, EventPage)

    def test_the_interest_form_lives_under_the_collaborative(self):
        self.assertAllowedParentPageTypes(InterestPage, {CollaborativePage})
        self.assertAllowedSubpageTypes(InterestPage, set())
        self.assertCanNotCreateAt(HomePage, InterestPage)

    def test_news_index_under_home_holds_articles(self):
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {ArticlePage})
        self.assertAllowedParentPageTypes(ArticlePage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())
        self.assertCanNotCreateAt(StandardPage, ArticlePage)
        self.assertEqual(NewsIndexPage.max_count, 1)
