"""Every product URL, plus /floor/ beside them in the same processes."""

from django.urls import path

from bench.floor.views import floor
from marketplace.urls import urlpatterns as product_urlpatterns

urlpatterns = [path("floor/", floor), *product_urlpatterns]
