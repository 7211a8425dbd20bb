"""Keeps Schemathesis's *valid* requests within the rules of the API that an OpenAPI document
cannot state as schemas, so that its positive_data_acceptance check tests what the document
promises; invalid (negative) requests are left as generated.

Each rule is part of the API contract, and the document says it in words:
- `If-Match` holds an ETag the server issued: a made-up one is 412 (absent, the last writer wins);
- an `Idempotency-Key` sent again with another body is 422: each request gets a key of its own;
- `after` is a cursor the server issued (opaque; a forged one is 400): valid requests start at
  the first page;
- a list pages by cursor (`limit`, `after`) or by page (`page`, `per_page`), not both (400);
- `expires_at` is in the future (422 otherwise);
- text refuses control and invisible characters (422);
- a member is named by `user_id` or by `email`: one of them, once, and not the caller, who
  becomes owner anyway (422); a user_id names a user (422): the members of a new organization
  are named by email;
- a role is a built-in one or one the organization has (422): valid requests use `member`;
- an owner's membership has no end (422): a valid request making an owner clears
  `expires_at`; an invitation (a member added by `email`) carries a role only (422);
- permission tags are the application's own: none lies in, or as a wildcard reaches into, a
  catalogue area (`members:`, `m*`), and a catalogue name that the catalogue lacks is asked
  about nowhere (422): valid requests prefix such names with `app-`; a custom role may list
  catalogue permissions but `organization:delete`;
- with `expand=members` a page holds at most 100 organizations (400);
- query text holds no NUL byte (400);
- a number fits a double (RFC 8259 §6; a larger one is refused as malformed JSON, 400);
- a webhook endpoint's `url` is `https` on a public address (422 otherwise; a name would also be
  looked up in DNS): valid requests use a public address literal, and create endpoints switched
  off, so that the run sends nothing anywhere; its `event_types` name types of the catalogue
  (the document's `webhooks`; 422 for a pattern that names none): valid requests use real ones,
  and an `organization_id` names an existing organization: valid requests send none;
- an integer is written without a fraction (`14827`, not `14827.0`, which JSON Schema counts as
  an integer too and Roster refuses with 422).
"""

import os
import re
import unicodedata
import uuid
from datetime import datetime, timedelta, timezone

import schemathesis

CURSOR_MODE = ("limit", "after")
PAGE_MODE = ("page", "per_page")
INVISIBLE = {"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"}
BUILTIN_ROLES = {"owner", "admin", "member", "viewer"}
CATALOGUE_AREAS = ("organization:", "members:", "roles:", "invitations:", "api_keys:", "teams:",
                   "projects:", "events:")
CATALOGUE = (
    {f"{area}{action}" for area in CATALOGUE_AREAS for action in ("read", "write")}
    | {"organization:update", "organization:delete"}
) - {"organization:write", "events:write"}
# Who the run signs in as (schemathesis.sh sets these).
CALLER = {os.environ.get("ROSTER_SCHEMATHESIS_USER_ID"), os.environ.get("ROSTER_SCHEMATHESIS_EMAIL")}


def visible(text):
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in INVISIBLE)


def application_permission(name, catalogue_allowed):
    """`name` as a valid request uses it: the application's own, or (where allowed) a catalogue
    permission."""
    if catalogue_allowed and name in CATALOGUE - {"organization:delete"}:
        return name
    reaches = name.endswith("*") and any(area.startswith(name[:-1]) for area in CATALOGUE_AREAS)
    if reaches or any(name.startswith(area) for area in CATALOGUE_AREAS):
        return f"app-{name}"[:62]
    return name


def permissions_of(path, body):
    """A body's `permissions` as a valid request has them, by what the path takes there."""
    permissions = body.get("permissions")
    if not isinstance(permissions, list):
        return
    asking = path.endswith("/authorize")
    roles = "/roles" in path
    body["permissions"] = [
        name if not isinstance(name, str)
        else name if asking and not any(name.startswith(a) for a in CATALOGUE_AREAS)
        else application_permission(name, catalogue_allowed=roles or asking)
        for name in permissions
    ]


def tidy(value):
    """The same JSON value, with text made visible and past times moved to the future."""
    if isinstance(value, dict):
        tidied = {visible(key): tidy(item) for key, item in value.items()}
        if isinstance(tidied.get("role"), str) and tidied["role"] not in BUILTIN_ROLES:
            tidied["role"] = "member"
        if isinstance(tidied.get("expires_at"), str) and is_past(tidied["expires_at"]):
            tidied["expires_at"] = (datetime.now(timezone.utc) + timedelta(days=30)).isoformat()
        if tidied.get("user_id") is not None and tidied.get("email") is not None:
            del tidied["email"]
        if "role" in tidied and "user_id" in tidied and "email" in tidied:
            # A member to add: by user_id or by email, one of them.
            if tidied["user_id"] is None and tidied["email"] is None:
                tidied["email"] = "grace@example.test"
        return tidied
    if isinstance(value, list):
        return [tidy(item) for item in value]
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**63:
        return 2**53
    return value


# Patterns that name types of the catalogue, one per generated item.
KNOWN_PATTERNS = ["organization.*", "membership.created", "user.*", "invitation.expired",
                  "api_key.revoked", "webhook.*", "role.updated", "session.*"]


def webhook_body(method, body):
    """A webhook endpoint's fields as a valid request has them."""
    if "url" in body or method == "POST":
        body["url"] = "https://93.184.215.14/hooks/schemathesis"
    if method == "POST":
        body["enabled"] = False
    elif body.get("enabled") is True:
        body["enabled"] = False
    if isinstance(body.get("event_types"), list):
        count = min(len(body["event_types"]), len(KNOWN_PATTERNS))
        body["event_types"] = KNOWN_PATTERNS[:count]
    if body.get("organization_id") is not None:
        body["organization_id"] = None
    if isinstance(body.get("description"), str):
        body["description"] = body["description"][:500]


def is_past(text):
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when <= datetime.now(timezone.utc) + timedelta(minutes=1)


@schemathesis.hook
def before_call(context, case, kwargs):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return
    if case.headers:
        for name in list(case.headers):
            if name.lower() == "if-match":
                del case.headers[name]
            elif name.lower() == "idempotency-key":
                case.headers[name] = str(uuid.uuid4())
    if case.query:
        case.query.pop("after", None)
        for name, value in list(case.query.items()):
            if isinstance(value, str):
                case.query[name] = value.replace("\x00", "")
        if case.query.get("expand") == "members":
            for name in ("limit", "per_page"):
                if str(case.query.get(name, "")).isdigit() and int(case.query[name]) > 100:
                    case.query[name] = 100
        if any(name in case.query for name in CURSOR_MODE) and any(
            name in case.query for name in PAGE_MODE
        ):
            for name in PAGE_MODE:
                case.query.pop(name, None)
    if isinstance(case.body, (dict, list)):
        body = tidy(case.body)
        if isinstance(body, dict):
            permissions_of(case.path, body)
        if case.method == "POST" and case.path.endswith("/members") and isinstance(body, dict):
            if body.get("user_id") is None and body.get("email") is None:
                body["email"] = "grace@example.test"
            if body.get("user_id") is None:
                body.pop("permissions", None)
                body.pop("expires_at", None)
        if "/members" in case.path and isinstance(body, dict) and body.get("role") == "owner":
            body["expires_at"] = None
        if case.path.startswith("/v1/webhooks") and isinstance(body, dict):
            webhook_body(case.method, body)
        if isinstance(body, dict) and isinstance(body.get("members"), list):
            named = set()
            members = []
            for member in body["members"]:
                if isinstance(member, dict) and not member.get("email"):
                    member.pop("user_id", None)
                    member["email"] = f"member{len(members)}@example.test"
                who = (member.get("user_id"), member.get("email")) if isinstance(member, dict) else None
                if who not in named and not CALLER.intersection(who or ()):
                    named.add(who)
                    members.append(member)
            body["members"] = members
        case.body = body
