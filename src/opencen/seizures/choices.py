"""The controlled vocabularies of a case: every list an officer picks from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    SEIZURE = "seizure", _("Seizure")
    OFFENCE = "offence", _("Offence without seizure")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VALIDATED = "validated", _("Validated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Procedure(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")
    TRANSIT = "transit", _("Transit")
    TRANSHIPMENT = "transhipment", _("Transhipment")
    UNKNOWN = "unknown", _("Unknown")


class LocationType(models.TextChoices):
    SEAPORT = "seaport", _("Seaport")
    AIRPORT = "airport", _("Airport")
    LAND_BORDER = "land_border", _("Land border")
    INLAND = "inland", _("Inland")
    POSTAL_CENTRE = "postal_centre", _("Postal centre")
    EXPRESS_HUB = "express_hub", _("Express courier hub")
    UNKNOWN = "unknown", _("Unknown")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")
    IN_TRANSIT = "in_transit", _("In transit")
    DOMESTIC = "domestic", _("Domestic")
    UNKNOWN = "unknown", _("Unknown")


class Detection(models.TextChoices):
    RISK_PROFILE = "risk_profile", _("Risk profile")
    INTELLIGENCE = "intelligence", _("Intelligence")
    RANDOM = "random", _("Random check")
    SCANNER = "scanner", _("Scanner / X-ray")
    DOG = "dog", _("Detector dog")
    ROUTINE = "routine", _("Routine control")
    TIP_OFF = "tip_off", _("Tip-off")
    OTHER = "other", _("Other")


class Transport(models.TextChoices):
    SEA_CONTAINER = "sea_container", _("Sea container")
    SEA_BULK = "sea_bulk", _("Sea bulk / ro-ro")
    AIR_CARGO = "air_cargo", _("Air cargo")
    AIR_PASSENGER = "air_passenger", _("Air passenger")
    EXPRESS_COURIER = "express_courier", _("Express courier")
    POSTAL = "postal", _("Postal")
    ROAD = "road", _("Road")
    RAIL = "rail", _("Rail")
    PEDESTRIAN = "pedestrian", _("Pedestrian")
    UNKNOWN = "unknown", _("Unknown")


class Concealment(models.TextChoices):
    IN_CARGO = "in_cargo", _("In cargo (declared goods)")
    MIXED = "mixed", _("Mixed with legitimate goods")
    FALSE_COMPARTMENT = "false_compartment", _("False compartment / hidden structure")
    CONTAINER_STRUCTURE = "container_structure", _("Container structure (walls, floor, reefer)")
    VEHICLE = "vehicle", _("Vehicle (tank, panels, tyres)")
    BODY = "body", _("On or in the body")
    BAGGAGE = "baggage", _("Baggage")
    MAIL_ITEM = "mail_item", _("Mail or courier item")
    NOT_CONCEALED = "not_concealed", _("Not concealed")
    OTHER = "other", _("Other")


class RouteRole(models.TextChoices):
    DEPARTURE = "departure", _("Departure")
    TRANSIT = "transit", _("Transit")
    DESTINATION = "destination", _("Destination")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    A18_24 = "18_24", _("18-24")
    A25_34 = "25_34", _("25-34")
    A35_44 = "35_44", _("35-44")
    A45_54 = "45_54", _("45-54")
    A55_64 = "55_64", _("55-64")
    A65_PLUS = "65_plus", _("65 and over")
    UNKNOWN = "unknown", _("Unknown")
