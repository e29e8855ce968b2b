from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

TOTAL_ANNOTATION = "queue_total_rows"


class QueuePaginator(Paginator):
    """The queue's paginator: no COUNT(*) when the total is known, one query when it must rank every match anyway.

    - `known_count`: a total read elsewhere (Schools to visit's open counts), used instead of COUNT(*).
    - `count_with_rows`: for a search, which ranks every match before it can return the first 50, the page's query
      also counts the matches (`COUNT(*) OVER ()`) instead of a second scan of the full-text index; it ranks ids
      only, and then reads the page's rows with their joins.
    Pages near the end are read in reverse order, so the last page is as cheap as the first.
    """

    def __init__(self, object_list, per_page, *, known_count: int | None = None, count_with_rows: bool = False):
        super().__init__(object_list, per_page)
        if known_count is not None:
            self.count = known_count  # replaces the cached_property before anything reads it
        self.count_with_rows = count_with_rows and known_count is None

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if bottom > self.count // 2 and getattr(self.object_list, "ordered", False):
            # OFFSET from the far end is small here; reverse the rows back into the page's order.
            rows = list(self.object_list.reverse()[self.count - top : self.count - bottom])[::-1]
            return self._get_page(rows, number, self)
        return super().page(number)

    def get_page(self, number):
        if self.count_with_rows and "count" not in self.__dict__:
            try:
                number = int(number)
            except (TypeError, ValueError):
                number = 1  # as Paginator.get_page does
            page = self._page_with_count(number) if number >= 1 else None
            if page is not None:
                return page
        return super().get_page(number)  # past the end: counted, then the last page

    def _page_with_count(self, number: int) -> Page | None:
        """The page's rows and the total in one query; None when the page is past the end."""
        bottom = (number - 1) * self.per_page
        # Rank and count narrow rows (ids), then read the page's 50 tickets with their joins.
        counted = self.object_list.annotate(**{TOTAL_ANNOTATION: Window(Count("pk"))})
        ids_and_total = list(counted.values_list("pk", TOTAL_ANNOTATION)[bottom : bottom + self.per_page])
        if not ids_and_total and number > 1:
            return None
        self.count = ids_and_total[0][1] if ids_and_total else 0
        by_pk = {row.pk: row for row in self.object_list.filter(pk__in=[pk for pk, _ in ids_and_total])}
        return self._get_page([by_pk[pk] for pk, _ in ids_and_total if pk in by_pk], number, self)
