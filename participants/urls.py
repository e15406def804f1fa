from django.urls import path

from . import funding_views, list_views, privacy_views, views

app_name = "participants"
urlpatterns = [
    path("", list_views.participant_list, name="participant_list"),
    path("export/", list_views.participant_export, name="participant_export"),
    path("import/", list_views.participant_import, name="participant_import"),
    path(
        "import/template/",
        list_views.participant_import_template,
        name="participant_import_template",
    ),
    path("<uuid:pk>/", views.participant_detail, name="participant_detail"),
    # The participant record (participants.views).
    path("nieuw/", views.participant_create, name="participant_create"),
    path("nazorg/", views.follow_ups_due, name="follow_ups_due"),
    path("<uuid:pk>/bewerken/", views.participant_edit, name="participant_edit"),
    path("<uuid:pk>/geschiedenis/", views.participant_history, name="participant_history"),
    path("<uuid:pk>/netwerk/", views.participant_network, name="participant_network"),
    path("<uuid:pk>/toestemming/", views.participant_consents, name="participant_consents"),
    path("<uuid:pk>/zorg/", views.participant_care_notes, name="participant_care_notes"),
    path("<uuid:pk>/zorg/nieuw/", views.care_note_add, name="care_note_add"),
    path("<uuid:pk>/traject/nieuw/", views.route_add, name="route_add"),
    path("<uuid:pk>/intake/", views.route_intake, name="route_intake"),
    path("<uuid:pk>/start/", views.route_start, name="route_start"),
    path("<uuid:pk>/proefperiode/", views.route_trial, name="route_trial"),
    path("<uuid:pk>/contract/", views.route_contract, name="route_contract"),
    path("<uuid:pk>/afronden/", views.route_complete, name="route_complete"),
    path("<uuid:pk>/uitval/", views.route_drop_out, name="route_drop_out"),
    path("<uuid:pk>/ongedaan-maken/", views.route_undo, name="route_undo"),
    path("<uuid:pk>/overdracht/", views.handover_add, name="handover_add"),
    path("<uuid:pk>/netwerk/nieuw/", views.network_contact_add, name="network_contact_add"),
    path(
        "<uuid:pk>/netwerk/<int:contact_pk>/",
        views.network_contact_edit,
        name="network_contact_edit",
    ),
    path(
        "<uuid:pk>/netwerk/<int:contact_pk>/verwijderen/",
        views.network_contact_remove,
        name="network_contact_remove",
    ),
    path("<uuid:pk>/toestemming/nieuw/", views.consent_add, name="consent_add"),
    path("<uuid:pk>/toestemming/vragen/", views.consent_request_ask, name="consent_request_ask"),
    path(
        "<uuid:pk>/toestemming/vragen/<int:request_pk>/intrekken/",
        views.consent_request_withdraw,
        name="consent_request_withdraw",
    ),
    path(
        "<uuid:pk>/toestemming/<int:consent_pk>/intrekken/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "<uuid:pk>/nazorg/<int:follow_up_pk>/",
        views.follow_up_record,
        name="follow_up_record",
    ),
    path(
        "<uuid:pk>/financiering/<uuid:route>/",
        funding_views.route_funding,
        name="route_funding",
    ),
    # End of the participant record.
    path(
        "<uuid:pk>/inzage/",
        privacy_views.participant_data_export,
        name="participant_data_export",
    ),
    path(
        "<uuid:pk>/anonimiseren/",
        privacy_views.participant_anonymise,
        name="participant_anonymise",
    ),
]
