from celery import shared_task

from projects import services


@shared_task(name="projects.close_past_apply_by")
def close_past_apply_by() -> int:
    return services.projects_close_past_apply_by()
