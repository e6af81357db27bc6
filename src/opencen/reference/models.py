"""Reference tables.  Not shareable records: everyone logged in may read them.

They are loaded from files shipped in the package (``opencen reference load``) or from official
releases (``opencen reference import-unlocode``, ``import-cites``); only the WCO regions are edited
by hand, by the secretariat.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from opencen.core.models import BaseModel


class WcoRegion(BaseModel):
    """One of the WCO's six regions, with the RILO that covers it."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    rilo_name = models.CharField(_("RILO"), max_length=100, blank=True, default="")

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class Country(models.Model):
    """An ISO 3166-1 country or territory, and the WCO region it belongs to (if a member)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    alpha3 = models.CharField(max_length=3, unique=True)
    numeric = models.CharField(max_length=3, blank=True, default="")
    name = models.CharField(_("name"), max_length=100)
    wco_region = models.ForeignKey(
        WcoRegion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="countries",
        verbose_name=_("WCO region"),
    )

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Currency(models.Model):
    """An ISO 4217 currency."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    numeric = models.CharField(max_length=3, blank=True, default="")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering: ClassVar = ["code"]
        verbose_name_plural = "currencies"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class HsLevel(models.TextChoices):
    SECTION = "section", _("Section")
    CHAPTER = "chapter", _("Chapter")
    HEADING = "heading", _("Heading")
    SUBHEADING = "subheading", _("Subheading")


class HsCode(models.Model):
    """A node of the HS 2022 nomenclature.

    Sections are keyed by their Roman numeral (``XVI``), chapters by two digits, headings by four
    and subheadings by six.  ``parent`` links each node to the one above it.
    """

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    level = models.CharField(_("level"), max_length=12, choices=HsLevel.choices, db_index=True)
    description = models.TextField(_("description"))
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    section = models.CharField(_("section"), max_length=5, db_index=True)

    class Meta:
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.description[:60]}"


class Place(models.Model):
    """A UN/LOCODE location: country + three characters, its functions and coordinates.

    ``functions`` keeps the raw 8-character UNECE function classifier (``1234----``); the
    ``is_*`` booleans are derived from it when a release is loaded.  ``other_names`` holds the
    extra names of a code listed more than once (bilingual places such as ``BEBRU``), one per
    line.  ``edition`` is the UN/LOCODE release the row comes from (``2024-2``).
    """

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="places")
    name = models.CharField(_("name"), max_length=150)
    name_ascii = models.CharField(max_length=150, db_index=True)
    subdivision = models.CharField(max_length=6, blank=True, default="")
    status = models.CharField(max_length=2, blank=True, default="")
    iata = models.CharField(max_length=3, blank=True, default="")
    is_seaport = models.BooleanField(default=False)
    is_rail = models.BooleanField(default=False)
    is_road = models.BooleanField(default=False)
    is_airport = models.BooleanField(default=False)
    is_postal = models.BooleanField(default=False)
    is_inland_port = models.BooleanField(default=False)
    is_fixed_transport = models.BooleanField(default=False)
    is_border_crossing = models.BooleanField(default=False)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    is_multimodal = models.BooleanField(default=False)
    functions = models.CharField(_("function code"), max_length=8, blank=True, default="")
    other_names = models.TextField(_("other names"), blank=True, default="")
    edition = models.CharField(_("UN/LOCODE edition"), max_length=10, blank=True, default="")

    class Meta:
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CitesAppendix(models.TextChoices):
    I = "I", _("Appendix I")  # noqa: E741
    II = "II", _("Appendix II")
    III = "III", _("Appendix III")


class CitesSpecies(models.Model):
    """A CITES-listed taxon and its appendix, loaded from a CITES checklist export.

    ``appendix`` is the current listing as exported (``I``, ``II``, ``III``, ``I/II`` for split
    listings, ``NC`` for a taxon named in the checklist but not itself listed).  ``synonyms`` and
    ``common_names`` are kept one per line, so a lookup by any of them finds the taxon.
    """

    taxon_id = models.CharField(max_length=20, unique=True)
    scientific_name = models.CharField(_("scientific name"), max_length=200, db_index=True)
    rank = models.CharField(max_length=20, blank=True, default="")
    kingdom = models.CharField(max_length=40, blank=True, default="")
    family = models.CharField(max_length=80, blank=True, default="")
    appendix = models.CharField(_("appendix"), max_length=16, blank=True, default="")
    common_names = models.TextField(_("common names"), blank=True, default="")
    synonyms = models.TextField(_("synonyms"), blank=True, default="")

    class Meta:
        ordering: ClassVar = ["scientific_name"]
        verbose_name_plural = "CITES species"

    def __str__(self) -> str:
        return f"{self.scientific_name} ({self.appendix or '-'})"


class Unit(models.Model):
    """A unit of measure from UN/ECE Recommendation 20 (e.g. KGM kilogram, GRM gram, H87 piece).

    ``is_common`` marks the units customs declarations use most (the WCO standard units of
    quantity and their usual companions); autocomplete lists them first.
    """

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=150)
    symbol = models.CharField(_("symbol"), max_length=20, blank=True, default="")
    quantity = models.CharField(_("quantity"), max_length=60, blank=True, default="")
    is_common = models.BooleanField(_("common in customs"), default=False)

    class Meta:
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DatasetOrigin(models.TextChoices):
    SHIPPED = "shipped", _("Shipped with opencen")
    IMPORTED = "imported", _("Imported from an official release")


class ReferenceDataset(models.Model):
    """Which edition of each reference table is loaded, where it came from, and when.

    One row per table (``key``: ``hs``, ``countries``, ``currencies``, ``wco``, ``unlocode``,
    ``units``, ``cites``).  ``checksum`` lets ``load_all`` skip a table whose shipped file is
    already loaded; a table an administration has ``imported`` is never overwritten by the
    shipped data unless forced.
    """

    key = models.CharField(max_length=20, unique=True)
    edition = models.CharField(_("edition"), max_length=40, blank=True, default="")
    source = models.CharField(_("source"), max_length=300, blank=True, default="")
    licence = models.CharField(_("licence"), max_length=120, blank=True, default="")
    origin = models.CharField(
        _("origin"), max_length=10, choices=DatasetOrigin.choices, default=DatasetOrigin.SHIPPED
    )
    checksum = models.CharField(max_length=64, blank=True, default="")
    rows = models.PositiveIntegerField(_("rows"), default=0)
    loaded_at = models.DateTimeField(_("loaded"))

    class Meta:
        ordering: ClassVar = ["key"]

    def __str__(self) -> str:
        return f"{self.key} {self.edition}"
