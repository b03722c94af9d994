"""The catalog's staff URLs; they join the ``office`` namespace (gongkai/office/urls.py)."""

from django.urls import path

from gongkai.catalog import office_views as items

urlpatterns = [
    path("agencies/<int:pk>/items/", items.item_list, name="items"),
    path("agencies/<int:pk>/items/new/", items.item_create, name="item_create"),
    path("agencies/<int:pk>/items/settings/", items.catalog_settings, name="catalog_settings"),
    path("items/<int:pk>/", items.item_detail, name="item"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/steps/<slug:step>/", items.item_step, name="item_step"),
    path(
        "items/<int:pk>/files/<int:attachment_pk>/",
        items.item_attachment,
        name="item_attachment",
    ),
]
