from django.core.paginator import Paginator


class QueuePaginator(Paginator):
    """A paginator whose pages near the end are read in reverse order, so the last page is as cheap as the first."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if bottom > self.count // 2 and getattr(self.object_list, "ordered", False):
            # OFFSET from the far end is small here; reverse the rows back into the page's order.
            rows = list(self.object_list.reverse()[self.count - top : self.count - bottom])[::-1]
            return self._get_page(rows, number, self)
        return super().page(number)
