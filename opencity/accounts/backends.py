"""Sign-in with an e-mail or a phone number inside the request's municipality."""

from django.contrib.auth.backends import ModelBackend

from opencity.accounts.models import User


class MunicipalityLoginBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        municipality = getattr(request, "municipality", None)
        user = user_find_for_login(municipality=municipality, login=username)
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def normalise_phone(value: str) -> str:
    """Turn '8 (917) 123-45-67' or '+7 917 1234567' into '+79171234567'; '' if not a phone."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) == 11 and digits[0] in "78":
        return "+7" + digits[1:]
    if len(digits) == 10 and digits[0] == "9":
        return "+7" + digits
    if value.strip().startswith("+") and 10 <= len(digits) <= 15:
        return "+" + digits
    return ""


def user_find_for_login(*, municipality, login: str) -> User | None:
    login = login.strip()
    # The superuser signs in by username anywhere.
    superuser = User.objects.filter(username=login, is_superuser=True).first()
    if superuser:
        return superuser
    if municipality is None:
        return None
    users = User.objects.filter(municipality=municipality)
    if "@" in login:
        return users.filter(email__iexact=login).first()
    phone = normalise_phone(login)
    if phone:
        return users.filter(phone=phone).first()
    return users.filter(username=login).first()
