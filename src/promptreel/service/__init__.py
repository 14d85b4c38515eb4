"""Use-cases: the only layer ``api/`` and ``cli.py`` call (see ``service.core.build_services``)."""

__all__: list[str] = []
