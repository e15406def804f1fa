from allauth.account.adapter import DefaultAccountAdapter


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: people join by an invitation from a beheerder."""

    def is_open_for_signup(self, request) -> bool:
        return False
