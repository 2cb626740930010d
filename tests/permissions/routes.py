"""Every route of the project, read from the URL resolver (so a new app's routes are found too)."""

from django.urls import URLPattern, URLResolver, get_resolver

__all__ = ["all_routes"]


def all_routes() -> dict[str, str]:
    """URL name ("app:name") → its pattern ("plans/items/<int:pk>/"); unnamed patterns get "".

    The admin site is one entry ("admin:index"): its many pages are Django's own and are
    checked by a smoke row, not one by one.
    """
    found: dict[str, str] = {}

    def walk(patterns, namespace: str, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                space = pattern.namespace or namespace
                if space == "admin":
                    found["admin:index"] = prefix + str(pattern.pattern)
                    continue
                walk(pattern.url_patterns, space, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if pattern.name else ""
                found.setdefault(name, prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "", "")
    return found
