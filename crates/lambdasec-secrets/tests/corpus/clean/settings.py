"""Settings of the orders service: every credential comes from the environment or a store."""
import os

import boto3

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DB_PASSWORD = os.environ.get("DB_PASSWORD", "")
API_KEY_HEADER = "x-api-key"
TOKEN_URL = "https://oauth2.googleapis.com/token"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]
SESSION_COOKIE_NAME = "orders_session"
CSRF_HEADER_NAME = "HTTP_X_CSRFTOKEN"

_secrets = boto3.client("secretsmanager")


def get_secret(name: str) -> str:
    """Read a secret by name; never cache it on disk."""
    return _secrets.get_secret_value(SecretId=name)["SecretString"]


def db_url() -> str:
    password = get_secret("prod/orders/db")
    return f"postgres://orders_app:{password}@{os.environ['DB_HOST']}:5432/orders"


def load_private_key(pem: bytes):
    if not pem.startswith(b"-----BEGIN RSA PRIVATE KEY-----") and b"PRIVATE KEY" not in pem:
        raise ValueError("not a private key")
    return pem


def check_password(password: str, token: str = None) -> bool:
    if password == "":
        return False
    token = token or request_token()
    return verify(password, token)


def request_token():
    return os.environ["API_TOKEN"]


def verify(password, token):
    return bool(password) and bool(token)
