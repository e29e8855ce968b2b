from submissions.models import Submission


def submission_result_url(*, key: str) -> str:
    return Submission.objects.values_list("result_url", flat=True).get(key=key)
