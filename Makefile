# Two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo test screens venv messages bench clean

# uv installs the same packages as pip from PyPI in about 10 s where pip takes 45 (fresh
# environment, this 2-core machine); pip does it when uv cannot be had. Both compile the
# packages' bytecode once: where writing it is turned off (PYTHONDONTWRITEBYTECODE, as on this
# machine) each process would otherwise compile Django, NumPy and SciPy again (4.2 s to start
# the application's imports, 1.5 s compiled).
comma := ,
install = $(BIN)/pip install -q uv && $(BIN)/uv pip install -q --compile-bytecode \
	--python $(BIN)/python -e "$(1)" \
	|| { $(BIN)/pip install -q --upgrade pip && $(BIN)/pip install -q -e "$(1)"; }

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(call install,.[dev])
	touch $@

venv: $(VENV)/.installed

demo: venv
	$(BIN)/tremplin demo --port $(PORT)

test: venv
	scripts/test.sh

screens: venv  ## the browser suite again, keeping every page it checks as var/screens/*.png
	TREMPLIN_SCREENS=1 DATABASE_URL="sqlite:///$$(mktemp -d)/screens.sqlite3" \
	  $(BIN)/pytest -q -p no:cacheprovider -n 2 --dist worksteal -m browser

messages: venv  ## refresh the French and English catalogues after changing texts
	cd tremplin && ../$(BIN)/django-admin makemessages -l fr -l en --no-obsolete --no-location \
	  --settings=tremplin.settings --pythonpath=.. --ignore="static/*"
	msgen --no-wrap tremplin/locale/en/LC_MESSAGES/django.po -o tremplin/locale/en/LC_MESSAGES/django.po
	cd tremplin && ../$(BIN)/django-admin compilemessages --settings=tremplin.settings --pythonpath=..

bench: venv  ## every benchmark; each prints its figures as JSON on its last line
	$(call install,.[dev$(comma)bench])
	$(BIN)/python bench/import_people.py
	$(BIN)/python bench/cat.py
	$(BIN)/python bench/calibrate.py
	$(BIN)/python bench/plans.py
	OPENBLAS_NUM_THREADS=1 $(BIN)/python bench/privacy.py
	$(BIN)/python bench/releases_across.py
	$(BIN)/python bench/dashboards.py
	$(BIN)/python bench/sessions.py
	$(BIN)/python bench/surveys.py
	$(BIN)/python bench/network.py
	$(BIN)/python bench/mentoring.py
	$(BIN)/python bench/governance.py
	$(BIN)/python bench/prompt_coach.py

clean:
	rm -rf $(VENV) var build *.egg-info
