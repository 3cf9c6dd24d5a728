"""Steps 1 and 2 of every flow: the client authenticates with keystone and gets a token."""

from __future__ import annotations

from dataclasses import replace

from bootwalk.cloud import CLIENT_ADDRESS, PROJECT_NAME, USER_NAME, project_id, short_token, user_id
from bootwalk.engine.state import StepResult, WalkState, fail
from bootwalk.handoffs import rest_reply, rest_request
from bootwalk.scenarios import FaultPoint
from bootwalk.trace import Service, Work


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
        body = {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {"user": {"name": USER_NAME, "domain": {"id": "default"}, "password": "******"}},
                },
                "scope": {"project": {"name": PROJECT_NAME, "domain": {"id": "default"}}},
            }
        }
        handoff = rest_request(
            Service.CLIENT,
            Service.KEYSTONE,
            "POST /v3/auth/tokens",
            f"user {USER_NAME}'s password, scoped to project {PROJECT_NAME}",
            url=f"{state.endpoint('identity')}/auth/tokens",
            headers={"Content-Type": "application/json"},
            body=body,
            work=Work.AUTHENTICATE,
        )
        return state, StepResult((handoff,))


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
        "are today's default. Each service checks it with keystone "
        "(keystonemiddleware's auth_token, GET /v3/auth/tokens), which this walk does not show."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        if state.fault_strikes(FaultPoint.CREDENTIALS):
            return _refuse_credentials(state)
        token = state.ids.token(state.flow.facts.default("token_format"))
        body = {
            "token": {
                "methods": ["password"],
                "expires_at": "2026-01-01T13:00:00.000000Z",
                "user": {"id": user_id(state.ids), "name": USER_NAME, "domain": {"id": "default"}},
                "project": {"id": project_id(state.ids), "name": PROJECT_NAME, "domain": {"id": "default"}},
                "roles": [{"name": "member"}, {"name": "reader"}],
                "catalog": [
                    {"type": kind, "endpoints": [{"interface": "public", "url": state.endpoint(kind)}]}
                    for kind in state.flow.facts.default("endpoints")
                ],
            }
        }
        handoff = rest_reply(
            Service.KEYSTONE,
            Service.CLIENT,
            201,
            f"token {short_token(token)} in X-Subject-Token, and the service catalog",
            headers={"X-Subject-Token": token},
            body=body,
        )
        return replace(state, token=token), StepResult((handoff,))


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
