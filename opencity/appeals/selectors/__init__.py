"""Reads of appeals: queues, public pages, residents' appeals, the timeline, ratings.

Callers write ``from opencity.appeals import selectors`` then ``selectors.appeal_...(...)``.
"""

from opencity.appeals.selectors.categories import (
    appeal_answers_shown,
    category_get,
    category_get_for_filing,
    category_get_leaf,
    category_is_leaf,
    category_list_changed_at,
    category_list_for_filing,
    category_list_grouped,
    category_policies,
    category_questions,
    category_rules,
)
from opencity.appeals.selectors.common import (
    PERSONAL_FIELDS,
    AppealFilters,
    BadCursor,
    Page,
    appeal_get_by_id,
    appeal_open_question,
    appeal_page_newest,
    appeal_scrub,
    appeal_time_left,
    appeal_timeline,
    event_public_copy,
)
from opencity.appeals.selectors.feeds import (
    appeal_feed_extras,
    appeal_feed_public,
    appeal_first_photos_public,
    appeal_timelines_public,
    appeal_updates_public,
)
from opencity.appeals.selectors.photos import (
    appeal_photos_public,
    appeal_photos_ready,
    photos_visible,
)
from opencity.appeals.selectors.public import (
    appeal_count_public,
    appeal_get_public,
    appeal_get_public_page,
    appeal_list_public,
    appeal_map_clusters_public,
    appeal_map_count_public,
    appeal_map_points_public,
)
from opencity.appeals.selectors.queues import (
    appeal_filter,
    appeal_get_for_staff,
    appeal_list_assigned,
    appeal_list_for_dispatcher,
    appeal_list_for_organisation,
)
from opencity.appeals.selectors.ratings import (
    OrganisationRating,
    organisation_ratings,
    organisation_ratings_cached,
)
from opencity.appeals.selectors.residents import (
    appeal_get_for_resident,
    appeal_list_for_resident,
    appeal_page_for_resident,
)
from opencity.appeals.selectors.similar import (
    appeal_similar_open,
    appeal_support_offer,
    appeal_support_offers,
)
from opencity.appeals.selectors.viewer import appeal_as_filed, appeal_get_for_user

__all__ = [
    "appeal_as_filed",
    "appeal_answers_shown",
    "appeal_feed_extras",
    "appeal_feed_public",
    "appeal_first_photos_public",
    "appeal_get_for_user",
    "appeal_page_for_resident",
    "appeal_get_by_id",
    "appeal_open_question",
    "appeal_page_newest",
    "appeal_photos_public",
    "appeal_photos_ready",
    "photos_visible",
    "appeal_timelines_public",
    "appeal_updates_public",
    "category_get",
    "category_get_for_filing",
    "category_list_changed_at",
    "category_list_for_filing",
    "event_public_copy",
    "category_get_leaf",
    "category_is_leaf",
    "category_list_grouped",
    "category_policies",
    "category_questions",
    "category_rules",
    "PERSONAL_FIELDS",
    "AppealFilters",
    "BadCursor",
    "OrganisationRating",
    "Page",
    "appeal_filter",
    "appeal_get_for_resident",
    "appeal_get_for_staff",
    "appeal_get_public",
    "appeal_get_public_page",
    "appeal_list_assigned",
    "appeal_list_for_dispatcher",
    "appeal_list_for_organisation",
    "appeal_list_for_resident",
    "appeal_count_public",
    "appeal_map_clusters_public",
    "appeal_map_count_public",
    "appeal_list_public",
    "appeal_map_points_public",
    "appeal_scrub",
    "appeal_similar_open",
    "appeal_support_offer",
    "appeal_support_offers",
    "appeal_time_left",
    "appeal_timeline",
    "organisation_ratings",
    "organisation_ratings_cached",
]
