"""The build: articles through the pipeline into the store and the exports.

``run`` orchestrates; ``extractor`` is the unit of work (articles -> graphs) that
``backends`` runs here, in local processes or on a dask cluster; ``writer`` is the single
writer of the store; ``progress`` reports."""
from kg.build.run import BuildOptions, BuildReport, build, link, remove

__all__ = ["BuildOptions", "BuildReport", "build", "link", "remove"]
