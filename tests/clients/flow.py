#!/usr/bin/env python3
"""A short flow through the Python client that openapi-python-client generates from
openapi/openapi.json: sign up, get a token, create organizations, list them a page at a time
with a cursor, and read a 422, a 404 and a refused grant as typed problems.

Usage: flow.py BASE_URL   (the generated package `roster_client` on PYTHONPATH)
"""

import sys
import uuid

from roster_client import AuthenticatedClient, Client
from roster_client.api.auth import create_token
from roster_client.api.organizations import (
    create_organization,
    get_organization,
    list_organizations,
)
from roster_client.api.users import create_user, get_me
from roster_client.models import (
    CreateOrganization,
    CreateUser,
    GrantType,
    OrganizationList,
    SortKey,
    Problem,
    TokenRequest,
    TokenResponse,
    User,
)


def check(condition, message):
    if not condition:
        sys.exit(f"FAILED: {message}")


def main():
    base = sys.argv[1]
    anonymous = Client(base_url=base, raise_on_unexpected_status=True)
    email = f"ada-{uuid.uuid4().hex[:8]}@example.test"
    password = "correct horse battery"

    signed_up = create_user.sync(client=anonymous, body=CreateUser(email=email, password=password, name="Ada"))
    check(isinstance(signed_up, User) and signed_up.email == email, f"sign-up: {signed_up!r}")

    tokens = create_token.sync(
        client=anonymous,
        body=TokenRequest(grant_type=GrantType.PASSWORD, username=email, password=password),
    )
    check(isinstance(tokens, TokenResponse), f"token: {tokens!r}")
    client = AuthenticatedClient(base_url=base, token=tokens.access_token, raise_on_unexpected_status=True)
    me = get_me.sync(client=client)
    check(isinstance(me, User) and me.id == signed_up.id, f"me: {me!r}")

    suffix = uuid.uuid4().hex[:6]
    names = [f"acme-{suffix}-{i}" for i in range(3)]
    for name in names:
        created = create_organization.sync(client=client, body=CreateOrganization(name=name))
        check(getattr(created, "name", None) == name, f"create {name}: {created!r}")

    first = list_organizations.sync(client=client, limit=2, sort=SortKey.NAME)
    check(isinstance(first, OrganizationList), f"first page: {first!r}")
    check(first.meta.has_more and isinstance(first.meta.next_cursor, str), f"first page meta: {first.meta!r}")
    second = list_organizations.sync(client=client, limit=2, sort=SortKey.NAME, after=first.meta.next_cursor)
    listed = [o.name for o in first.data] + [o.name for o in second.data]
    check(listed == names and not second.meta.has_more, f"the cursor walk: {listed}")

    invalid = create_organization.sync_detailed(client=client, body=CreateOrganization(name="Not A Slug"))
    check(invalid.status_code == 422 and isinstance(invalid.parsed, Problem), f"422: {invalid!r}")
    check(invalid.parsed.errors[0].field == "name", f"422 names the field: {invalid.parsed!r}")

    missing = get_organization.sync_detailed(client=client, org=f"nope-{suffix}")
    check(missing.status_code == 404 and isinstance(missing.parsed, Problem), f"404: {missing!r}")
    check(missing.parsed.type_ == "https://roster.dev/problems/not-found", f"404 type: {missing.parsed!r}")

    refused = create_token.sync_detailed(
        client=anonymous,
        body=TokenRequest(grant_type=GrantType.PASSWORD, username=email, password="wrong password"),
    )
    check(refused.status_code == 400 and isinstance(refused.parsed, Problem), f"refused grant: {refused!r}")
    check(refused.parsed.error == "invalid_grant", f"the OAuth2 error: {refused.parsed!r}")
    print("generated Python client: sign-up, token, create, cursor pages, 422, 404, invalid_grant: ok")


if __name__ == "__main__":
    main()
