from submissions.models import Submission


def submission_for_key(*, key: str) -> Submission:
    return Submission.objects.only("result_url", "session_key", "created_at").get(key=key)
