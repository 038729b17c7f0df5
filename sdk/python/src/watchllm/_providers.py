"""Which provider served a call: from the client's host, else from the model's name (ids as in the price table; the
tables are generated from contract/providers.ts, which the Worker and the TypeScript SDK use too)."""

from typing import Optional

from ._provider_table import MODEL_PREFIXES, PROVIDER_ALIASES, PROVIDER_HOSTS

HOSTS = PROVIDER_HOSTS
MODELS = MODEL_PREFIXES
# Providers a model's namespace can name (`anthropic/claude-…`): the makers of MODEL_PREFIXES.
MAKERS = frozenset(provider for _, provider in MODEL_PREFIXES)
LOCAL = ("localhost", "127.0.0.1", "::1", "0.0.0.0")


def provider_for(host: str, model: str) -> Optional[str]:
    """A known host wins; then the model (`gpt-4o`, `anthropic/claude-…`); then the host itself unless it is local."""
    host = (host or "").lower()
    for domain, provider in HOSTS:
        if host == domain or host.endswith("." + domain):
            return provider
    name = (model or "").lower()
    if "/" in name:
        namespace, _, name = name.partition("/")
        namespace = PROVIDER_ALIASES.get(namespace, namespace)
        if namespace in MAKERS:
            return namespace
    for prefixes, provider in MODELS:
        if name.startswith(prefixes):
            return provider
    if host and host not in LOCAL and not host.endswith(".local"):
        return host[:64]
    return None
