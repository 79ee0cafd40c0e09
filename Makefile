# Two commands on a fresh clone: `make demo` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PACKAGE_STAMP := $(VENV)/.installed-package
# The .ts files are the translations' sources (in git); the .qm files are built from them here,
# whenever a .ts is newer, so `make demo` and `make test` always run with current translations.
TRANSLATIONS := $(wildcard resources/translations/linkoptima_*.ts)
COMPILED := $(TRANSLATIONS:.ts=.qm)
I18N := $(BIN)/python -m linkoptima_gui.ui.i18n.build

.PHONY: demo test test-multiprocess package test-package bench lint install screenshots clean translations contract \
	contract-carrier

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,sqlserver]'
	touch $(STAMP)

$(COMPILED): %.qm: %.ts | $(STAMP)
	$(I18N) compile $<

install: $(STAMP) $(COMPILED)

# after changing texts in the code: new strings into the .ts (translate them), then compile
translations: $(STAMP)
	$(I18N) update
	$(I18N) compile

# Qt's window needs the desktop's X11 libraries: the check names the Debian packages missing.
demo: $(STAMP) $(COMPILED)
	$(BIN)/python -m linkoptima_gui.ui.platform_check
	$(BIN)/linkoptima --demo

test: $(STAMP) $(COMPILED)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# Several linkoptima processes (engines, packing stations, the shop) on one PostgreSQL store:
# kill -9 and SIGSTOP of the active engine. Needs LINKOPTIMA_TEST_PG_URL (.ci/run sets it).
# Also the label step's kill -9 for every carrier against its emulator (SQLite, no server needed).
test-multiprocess: $(STAMP) $(COMPILED)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m multiprocess tests/multiprocess

# The one-folder program for this machine (PyInstaller): dist/LinkOptima/ with LinkOptima (the
# console) and linkoptima-cli (the commands). The Windows build and installer: docs/installer.md.
$(PACKAGE_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,sqlserver,package]'
	touch $@

package: $(PACKAGE_STAMP) $(COMPILED)
	@if [ "$$(uname)" = Linux ] && ! command -v objcopy >/dev/null; then \
		echo "make package: PyInstaller needs objcopy and objdump: apt-get install binutils"; exit 1; fi
	$(BIN)/python -m PyInstaller packaging/linkoptima.spec --noconfirm --log-level WARN \
		--distpath dist --workpath build/pyinstaller

# Starts the program make package built: --version, demo-run, the console opening and closing.
test-package: package
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m package tests/packaging

bench: $(STAMP) $(COMPILED)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m linkoptima_gui.bench

lint: $(STAMP)
	$(BIN)/ruff check linkoptima_gui tests

screenshots: $(STAMP) $(COMPILED)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m linkoptima_gui.ui.screenshots docs/screenshots

clean:
	rm -rf $(VENV) build dist *.egg-info $(COMPILED)

# The shop contract on a real WooCommerce (a staging copy: the tests make and delete their data):
#   make contract URL=https://staging.sklep.pl KEY=ck_... SECRET=cs_...
contract: $(STAMP)
	LINKOPTIMA_CONTRACT_URL=$(URL) LINKOPTIMA_CONTRACT_KEY=$(KEY) LINKOPTIMA_CONTRACT_SECRET=$(SECRET) \
		$(BIN)/python -m pytest -q tests/contract

# The carrier contract on a carrier's sandbox (default: its emulator on loopback):
#   make contract-carrier CARRIER=furgonetka URL=https://api.sandbox.furgonetka.pl CLIENT_ID=... \
#        CLIENT_SECRET=... USERNAME=... PASSWORD=...
#   make contract-carrier CARRIER=dpd URL=https://dpdservicesdemo.dpd.com.pl LOGIN=... PASSWORD=... \
#        MASTER_FID=... PUDO_KEY=...   (MyPudo is asked at URL/api/pudo)
comma := ,
contract-carrier: $(STAMP)
	LINKOPTIMA_CARRIER=$(or $(CARRIER),furgonetka$(comma)dpd) LINKOPTIMA_CARRIER_URL=$(URL) \
		LINKOPTIMA_CARRIER_CLIENT_ID=$(CLIENT_ID) LINKOPTIMA_CARRIER_CLIENT_SECRET=$(CLIENT_SECRET) \
		LINKOPTIMA_CARRIER_USERNAME=$(USERNAME) LINKOPTIMA_CARRIER_PASSWORD=$(PASSWORD) \
		LINKOPTIMA_CARRIER_LOGIN=$(LOGIN) LINKOPTIMA_CARRIER_MASTER_FID=$(MASTER_FID) \
		LINKOPTIMA_CARRIER_PUDO_KEY=$(PUDO_KEY) \
		$(BIN)/python -m pytest -q tests/carrier_contract
