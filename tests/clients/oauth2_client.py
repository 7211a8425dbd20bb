#!/usr/bin/env python3
"""Roster's token endpoint through a standard OAuth2 client library (Authlib): the password
grant, a refresh, and a wrong password, which the library must report as the OAuth2 error it is
(`invalid_grant`, with its description), not crash on.

Usage: oauth2_client.py BASE_URL
"""

import sys
import uuid

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session


def check(condition, message):
    if not condition:
        sys.exit(f"FAILED: {message}")


def main():
    base = sys.argv[1]
    token_url = f"{base}/v1/auth/token"
    email = f"grace-{uuid.uuid4().hex[:8]}@example.test"
    password = "correct horse battery"
    signed_up = requests.post(f"{base}/v1/users", json={"email": email, "password": password}, timeout=30)
    check(signed_up.status_code == 201, f"sign-up: {signed_up.text}")

    session = OAuth2Session()
    token = session.fetch_token(token_url, username=email, password=password, grant_type="password")
    check(token.get("token_type") == "Bearer" and token.get("refresh_token"), f"token: {token}")
    me = session.get(f"{base}/v1/users/me", timeout=30)
    check(me.status_code == 200 and me.json()["email"] == email, f"me: {me.text}")

    refreshed = session.refresh_token(token_url, refresh_token=token["refresh_token"])
    check(refreshed["refresh_token"] != token["refresh_token"], "refresh tokens rotate")

    try:
        OAuth2Session().fetch_token(token_url, username=email, password="wrong password", grant_type="password")
    except OAuthError as error:
        check(error.error == "invalid_grant", f"the OAuth2 error: {error.error!r}")
        check("invalid email or password" in (error.description or ""), f"its description: {error.description!r}")
    else:
        sys.exit("FAILED: a wrong password was accepted")
    print("Authlib: password grant, refresh, invalid_grant reported: ok")


if __name__ == "__main__":
    main()
