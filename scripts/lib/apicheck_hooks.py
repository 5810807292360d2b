"""schemathesis checks of scripts/apicheck beyond the built-in ones."""
import json

import schemathesis


@schemathesis.check
def problem_has_code(ctx, response, case):
    """Every application/problem+json answer carries a non-empty string `code`,
    whatever its status: clients switch on it."""
    content_type = response.headers.get("content-type", [""])
    if isinstance(content_type, list):
        content_type = content_type[0] if content_type else ""
    if not content_type.startswith("application/problem+json"):
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"{response.status_code} problem+json body is not JSON")
    code = body.get("code") if isinstance(body, dict) else None
    if not isinstance(code, str) or not code:
        raise AssertionError(f"{response.status_code} problem without a code: {response.content[:200]!r}")
    return None
