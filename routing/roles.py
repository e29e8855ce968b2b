"""Roles in the staff directory, as the policy names them."""

from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "Staff"
    TEACHER = "teacher", "Teacher"
    BUILDING_ADMINISTRATOR = "building_administrator", "Building administrator"
    PRINCIPAL = "principal", "Principal"
    DISTRICT_OFFICE = "district_office", "District office"
    SUPERINTENDENT = "superintendent", "Superintendent"
    TECHNICIAN = "technician", "Technician"


# "Building administrators" in the policy are assistant administrators and principals alike.
BUILDING_ADMINISTRATOR_ROLES = (Role.BUILDING_ADMINISTRATOR, Role.PRINCIPAL)
