# Two commands do all set-up on a fresh machine:
#   make run   - virtualenv + install + build the cache + start the dashboard on the bundled corpus
#   make test  - virtualenv + install test deps and the optional Dask route (+ chromium when root)
#                + the whole test suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test install install-dev install-dask browser cache bench bench-quick bench-dashboard clean-cache

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The optional Dask route (analytics.distributed) has its own pins: the default install stays
# lean, while tests and benchmarks (and so CI) exercise it.
$(VENV)/.installed-dask: requirements-dask.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dask.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(VENV)/.installed-dask
install-dask: $(VENV)/.installed-dask

# Static chart export and the browser tests need Debian's Chromium.  Installed when we
# are root; otherwise the tests that need it skip and say how to install it.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null; \
	else echo "note: chromium not installed; image export and browser tests will be skipped (sudo apt-get install -y chromium)"; fi

cache: $(VENV)/.installed
	$(PY) -m analytics documents

run: $(VENV)/.installed browser cache
	$(PY) -m streamlit run dashboard.py --server.port $(PORT) --browser.gatherUsageStats false

test: $(VENV)/.installed-dev $(VENV)/.installed-dask browser
	$(PY) -m pytest -q

# the dashboard rows need chromium, the Dask row the optional route: a clean clone gets both
bench: $(VENV)/.installed-dev $(VENV)/.installed-dask browser
	$(PY) -m benchmarks.bench

bench-quick: $(VENV)/.installed-dev $(VENV)/.installed-dask browser
	$(PY) -m benchmarks.bench --quick

bench-dashboard: $(VENV)/.installed-dev browser
	$(PY) -m benchmarks.bench_dashboard

clean-cache:
	rm -rf cache/records-v* cache/*.pkl
