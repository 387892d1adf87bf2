from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("engagements/<int:pk>/sessions/", views.session_add, name="session_add"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_id>/notes/", views.session_note, name="session_note"),
    path("sessions/<int:session_id>/attendance/", views.session_mark, name="session_mark"),
    path("sessions/<int:session_id>/calendar.ics", views.session_ics, name="session_ics"),
    path("engagements/<int:pk>/evaluation/", views.evaluate_student, name="evaluate_student"),
    path("engagements/<int:pk>/employer-review/", views.review_employer, name="review_employer"),
]
