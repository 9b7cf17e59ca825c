"""Schemathesis hooks for `npm run test:fuzz` (scripts/fuzz/run.ts): the credentials of each operation.

The runner writes the tokens of a fresh stack to the file named by FUZZ_CREDENTIALS. Every call gets
the bearer token of the role that operation is for; a water station's calls are signed over the
exact bytes sent (X-Station-Id, X-Timestamp, X-Nonce, X-Signature), as a station does.
"""

import hashlib
import hmac
import json
import os
import re
import secrets
import time

import requests
import schemathesis

with open(os.environ["FUZZ_CREDENTIALS"], encoding="utf-8") as f:
    CREDENTIALS = json.load(f)

# Fleet operations only an admin may call; a dealer's token everywhere else.
FLEET_ADMIN = re.compile(
    r"^/(finance/applications/[^/]+/approve|finance/auto-disable|service/auto-assign|service/tickets/[^/]+/(assign|resolve)"
    r"|nbfc/portfolio|analytics/collection-report|messaging/send-otp)$"
)
# Water operations a station calls (signed), rather than a customer's phone.
WATER_STATION = re.compile(r"^/(otp/generate|stations/.*)$")


class StationSignature(requests.auth.AuthBase):
    """HMAC-SHA256 over timestamp, a fresh nonce, method, path with query and the SHA-256 of the raw body."""

    def __call__(self, r):
        water = CREDENTIALS["water"]
        body = r.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        timestamp = str(int(time.time()))
        nonce = secrets.token_hex(16)
        payload = "\n".join([timestamp, nonce, r.method.upper(), r.path_url, hashlib.sha256(body).hexdigest()])
        signature = hmac.new(water["stationSecret"].encode(), payload.encode(), hashlib.sha256).hexdigest()
        r.headers.update({"X-Station-Id": water["stationId"], "X-Timestamp": timestamp, "X-Nonce": nonce, "X-Signature": signature})
        return r


def mount_of(operation):
    return operation.schema.base_path.rstrip("/")


def takes_totp(operation):
    parameters = operation.definition.raw.get("parameters", [])
    return any(p.get("in") == "header" and p.get("name", "").lower() == "x-totp" for p in parameters)


def bearer_for(operation):
    mount, path = mount_of(operation), operation.path
    # Every product's desk paths for the operations console (`<mount>/admin/...`) are for platform admins.
    if mount != "/api" and path.startswith("/admin/"):
        return CREDENTIALS["platformAdmin"]
    if mount == "/api":
        c = CREDENTIALS["chargeghar"]
        # The fuzzer's wrong X-TOTP codes lock an admin's second factor: the money actions get an admin of their own.
        if takes_totp(operation):
            return c["stepUpAdmin"]
        return c["admin"] if path.startswith("/admin") else c["rider"]
    if mount == "/fleet/api":
        c = CREDENTIALS["fleet"]
        return c["admin"] if FLEET_ADMIN.match(path) else c["dealer"]
    if mount == "/ev/api":
        return CREDENTIALS["ev"]["user"]
    return None


@schemathesis.auth(refresh_interval=None, retry_on=[])
class SurfaceBearer:
    """The bearer token of the role an operation is for (only operations that declare bearerAuth get one)."""

    def get(self, case, context):
        return bearer_for(context.operation)

    def set(self, case, data, context):
        if data is not None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schemathesis.hook
def before_call(context, case, kwargs):
    """A water station's calls are signed over the bytes requests is about to send."""
    if mount_of(case.operation) == "/water/api" and WATER_STATION.match(case.operation.path):
        kwargs["auth"] = StationSignature()
