from django.urls import path

from dastan.rights import views

app_name = "rights"

urlpatterns = [
    path("rights/titles/<slug:slug>/", views.title_rights, name="title"),
    path("rights/titles/<slug:slug>/chart.svg", views.title_chart_svg, name="title-chart"),
]
