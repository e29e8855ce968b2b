import factory

from devices.models import Device


class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Device

    asset_tag = factory.Sequence(lambda n: f"NP-{10000 + n}")
    serial_number = factory.Sequence(lambda n: f"5CD{100000 + n}")
    kind = Device.Kind.CHROMEBOOK
    model = "Dell Chromebook 3110"
    room = "12"
    assigned_to = "jordan.price@northpanolaschools.org"
