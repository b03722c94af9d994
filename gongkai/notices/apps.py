from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "gongkai.notices"
    label = "notices"
    verbose_name = "通知"

    def ready(self):
        # Each step of a case that the applicant must hear of queues its message in the step's
        # own transaction (gongkai.notices.steps).
        from django.db.models.signals import post_save

        from gongkai.history.models import Event
        from gongkai.notices import steps

        post_save.connect(steps.on_event, sender=Event, dispatch_uid="gongkai.notices.steps")
