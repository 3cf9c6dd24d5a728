"""Steps 1 and 2 of every flow: the client authenticates with keystone and gets a token."""

from __future__ import annotations

import base64
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bootwalk.cloud import (
    CLIENT_ADDRESS,
    PROJECT_NAME,
    USER_NAME,
    project_id,
    short_token,
    time_at,
    usage_time,
    user_id,
)
from bootwalk.engine.state import StepResult, WalkState, fail
from bootwalk.handoffs import rest_reply, rest_request
from bootwalk.scenarios import FaultPoint
from bootwalk.trace import Handoff, Service, Work

if TYPE_CHECKING:
    from bootwalk.engine.deletion import DeleteState


class Authenticate:
    """Step 1: the client sends the user's credentials to keystone."""

    name = "authenticate"
    title = "The client sends the user's credentials to keystone"
    service = Service.KEYSTONE
    source = "keystoneauth1 identity/v3/password.py (used by python-novaclient)"
    note = (
        "Real clients authenticate through keystoneauth1, which also reads the service "
        "catalog in keystone's reply to find nova's endpoint. The Icehouse-era novaclient "
        "(2.17) still used keystone v2.0 (POST /v2.0/tokens)."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        return state, StepResult((password_request(state.endpoint("identity")),))


def password_request(identity: str) -> Handoff:
    """The client's ``POST /v3/auth/tokens``: user demo's password, scoped to project demo."""
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {"name": USER_NAME, "domain": {"id": "default"}, "password": "******"}},
            },
            "scope": {"project": {"name": PROJECT_NAME, "domain": {"id": "default"}}},
        }
    }
    return rest_request(
        Service.CLIENT,
        Service.KEYSTONE,
        "POST /v3/auth/tokens",
        f"user {USER_NAME}'s password, scoped to project {PROJECT_NAME}",
        url=f"{identity}/auth/tokens",
        headers={"Content-Type": "application/json"},
        body=body,
        work=Work.AUTHENTICATE,
    )


class IssueToken:
    """Step 2: keystone returns a token that every later call carries."""

    name = "token"
    title = "keystone returns a token that every later call carries"
    service = Service.KEYSTONE
    source = "keystone api-ref/source/v3/authenticate-v3.inc (POST /v3/auth/tokens)"
    note = (
        "The token comes back in the X-Subject-Token header, not in the body, and later "
        "requests send it as X-Auth-Token. Icehouse's keystone issued PKI tokens by default (a "
        "signed blob that starts MII…, kilobytes long); fernet tokens (gAAAAAB…) came in Kilo and "
        "are today's default. The body's catalog lists the services this walk calls, as DevStack "
        "registered them at the release (a real catalog has more). Each service checks it with keystone "
        "(keystonemiddleware's auth_token, GET /v3/auth/tokens), which this walk does not show."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        if state.fault_strikes(FaultPoint.CREDENTIALS):
            return _refuse_credentials(state)
        token, handoff = token_reply(state)
        return replace(state, token=token), StepResult((handoff,))


def token_reply(state: WalkState | DeleteState) -> tuple[str, Handoff]:
    """keystone's 201: a token of the release's provider in X-Subject-Token, and the token's body."""
    token = state.ids.token(state.flow.facts.default("token_format"))
    handoff = rest_reply(
        Service.KEYSTONE,
        Service.CLIENT,
        201,
        f"token {short_token(token)} in X-Subject-Token, and the service catalog",
        headers={"X-Subject-Token": token},
        body={"token": token_body(state)},
    )
    return token, handoff


def token_body(state: WalkState | DeleteState) -> dict[str, Any]:
    """The body of keystone's 201 as the flow's release writes it, for user demo in project demo.

    The catalog lists the services this walk calls (a real one has more:
    ec2, s3, compute_legacy, volumev2…), each as DevStack registered it then.
    """
    shape = state.flow.facts.default("token_body")
    ids = state.ids
    domain = {"id": "default", "name": "Default"}
    user: dict[str, Any] = {"domain": domain, "id": user_id(ids), "name": USER_NAME}
    if shape["password_expires_at"]:
        user["password_expires_at"] = None
    body: dict[str, Any] = {"methods": ["password"], "user": user}
    if shape["audit_ids"]:
        body["audit_ids"] = [base64.urlsafe_b64encode(bytes.fromhex(ids.hex("audit"))).decode().rstrip("=")]
    body["expires_at"] = usage_time(time_at(state.clock_ms + 3_600_000)) + "Z"  # keystone's default: an hour
    body["issued_at"] = usage_time(time_at(state.clock_ms)) + "Z"
    if shape["extras"]:
        body["extras"] = {}
    body["project"] = {"domain": domain, "id": project_id(ids), "name": PROJECT_NAME}
    if shape["is_domain"]:
        body["is_domain"] = False
    body["roles"] = [{"id": ids.cloud.hex(f"role:{name}"), "name": name} for name in shape["roles"]]
    catalog = []
    for kind, name, url in shape["catalog"]:
        endpoint = {"id": ids.cloud.hex(f"endpoint:{kind}"), "interface": "public", "region": "RegionOne"}
        if shape["region_id"]:
            endpoint["region_id"] = "RegionOne"
        endpoint["url"] = url.replace("{project_id}", project_id(ids))
        service: dict[str, Any] = {"endpoints": [endpoint], "id": ids.cloud.hex(f"service:{kind}")}
        if shape["service_names"]:
            service["name"] = name
        service["type"] = kind
        catalog.append(service)
    body["catalog"] = catalog
    return body


def _refuse_credentials(state: WalkState) -> tuple[WalkState, StepResult]:
    """Scenario bad-credentials: keystone answers 401 and the walk ends before nova."""
    facts = state.flow.facts
    error = facts.error("keystone_unauthorized").api_error({})
    message = error.message
    handoff = rest_reply(
        Service.KEYSTONE,
        Service.CLIENT,
        401,
        f"no token: {message}",
        headers={"WWW-Authenticate": f'Keystone uri="{state.endpoint("identity")}"'},
        body={"error": {"code": 401, "message": message, "title": "Unauthorized"}},
        work=Work.REFUSE_CREDENTIALS,
    )
    failed, status = fail(state, error)
    return failed, StepResult(
        (handoff,),
        status,
        "keystone refused the password. Without a token the client cannot call nova, so no "
        f"server exists: {state.dialect.command} prints the 401 and nothing reaches nova-api.",
        logs=facts.logs("keystone_refused", exception=message, remote_addr=CLIENT_ADDRESS),
    )
