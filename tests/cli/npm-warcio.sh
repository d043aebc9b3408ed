# npm-warcio.sh: the npm package warcio for the tests that compare with it
# (sourced; not a test itself).  Sets NPM ($O/npm) and WARCIO (its
# warcio command); installs it there on first use, under a lock on
# $NPM/install.lock, since tests run two at a time and npm installs into
# one prefix do not mix.  Returns 1 (the install's log in $NPM/install.log)
# when it cannot be had.
case "$O" in /*) NPM="$O/npm" ;; *) NPM="$TOP/$O/npm" ;; esac
WARCIO="$NPM/node_modules/.bin/warcio"
if [ ! -x "$WARCIO" ] && command -v npm > /dev/null; then
	mkdir -p "$NPM"
	if command -v flock > /dev/null; then
		flock "$NPM/install.lock" sh -c '[ -x "$1" ] ||
			npm install --prefix "$2" --no-audit --no-fund warcio > "$2/install.log" 2>&1' \
			sh "$WARCIO" "$NPM"
	else
		npm install --prefix "$NPM" --no-audit --no-fund warcio > "$NPM/install.log" 2>&1
	fi
fi
[ -x "$WARCIO" ]
