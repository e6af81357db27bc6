"""A minimal shared record, used only to test the access policy in isolation."""

from django.db import models

from opencen.core.models import ShareableModel


class Note(ShareableModel):
    text = models.CharField(max_length=200)
