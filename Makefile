# The two commands of the README. Both set everything up first (scripts/setup).
.PHONY: setup build test lock

setup:
	@scripts/setup

build: setup
	.venv/bin/kg build seeds --out exports

test: setup
	.venv/bin/python -m pytest -q

# Re-pin requirements.lock (exact versions + hashes) after changing dependencies.
lock: setup
	.venv/bin/pip install --quiet pip-tools
	.venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --extra test --strip-extras \
		-o requirements.lock pyproject.toml requirements.in
