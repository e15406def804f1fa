"""Every existing login address becomes a confirmed, primary address in allauth's table.

The academy set these addresses (by invitation or by an operator), so they are the ones the
accounts own. From now on a user changes their address only by confirming it from the new
mailbox (ACCOUNT_CHANGE_EMAIL); an unconfirmed address never becomes a login.
"""

from django.db import migrations


def confirm_login_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    for user in User.objects.all().only("pk", "email").iterator():
        EmailAddress.objects.filter(user=user, primary=True).exclude(
            email__iexact=user.email
        ).update(primary=False)
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_invitation_participant"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(confirm_login_addresses, migrations.RunPython.noop)]
