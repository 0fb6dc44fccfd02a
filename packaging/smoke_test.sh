#!/usr/bin/env bash
# Smoke test of the built program: does the frozen app answer, headless and in its window?
#
#   packaging/smoke_test.sh [DIST_FOLDER]      (default: dist/assist-desktop)
#
# 1. --version prints the version of pyproject.toml (metadata made it into the bundle);
# 2. `assist-desktop ask` answers on the embedded demo server: exit 0, non-empty text; and
#    `assist-desktop serve` on a free loopback port answers a frozen `ask --url`, then stops;
# 3. the window starts offscreen, answers with --ask/--screenshot/--quit-when-done, exits 0 and
#    writes a PNG;
# 4. on Linux, install.sh from the .tar.gz into a throwaway home, run the installed command,
#    uninstall.sh, and check that nothing is left.
# Every step runs with throwaway XDG directories, so no settings or cache of the user are read
# or written, and the embedded server listens on 127.0.0.1 only. Prints the time of each step.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NAME=assist-desktop
DIST=$(cd "${1:-$ROOT/dist/$NAME}" && pwd)
EXE=$DIST/$NAME
QUESTION=${SMOKE_QUESTION:-How do I reset my password?}
STEP_TIMEOUT=${SMOKE_TIMEOUT:-120}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data XDG_CACHE_HOME=$work/cache
export XDG_RUNTIME_DIR=$work/runtime
mkdir -p "$XDG_RUNTIME_DIR" && chmod 0700 "$XDG_RUNTIME_DIR"

failures=0
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
pass() { printf 'ok    %-44s %6s s\n' "$1" "$2"; }
fail() { printf 'FAIL  %s\n' "$1"; failures=$((failures + 1)); }

[[ -x $EXE ]] || { echo "smoke_test.sh: no program at $EXE (run packaging/build.sh)" >&2; exit 1; }

# 1. version from one place
expected=$(python3 -c "import tomllib; print(tomllib.load(open('$ROOT/pyproject.toml', 'rb'))['project']['version'])")
t=$(now)
version=$(timeout "$STEP_TIMEOUT" "$EXE" --version)
if [[ $version == "$NAME $expected" ]]; then pass "--version is $expected" "$(elapsed "$t")"
else fail "--version printed '$version', expected '$NAME $expected'"; fi

# 2. headless answer on the embedded demo server
t=$(now)
code=0
timeout "$STEP_TIMEOUT" "$EXE" ask "$QUESTION" > "$work/answer.txt" 2> "$work/ask.err" || code=$?
took=$(elapsed "$t")
if [[ $code -eq 0 && -s $work/answer.txt && $(tr -d '[:space:]' < "$work/answer.txt") != "" ]]; then
    pass "ask answers ($(wc -c < "$work/answer.txt") bytes)" "$took"
else
    fail "ask exited $code with $(wc -c < "$work/answer.txt") bytes of answer"
    sed 's/^/      /' "$work/ask.err" | tail -n 20
fi

# 2b. the reference server on its own (uvicorn's signal handling, logging) answering a frozen ask
port=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
t=$(now)
"$EXE" serve --host 127.0.0.1 --port "$port" > "$work/serve.out" 2> "$work/serve.err" &
server=$!
for _ in $(seq 100); do
    (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null && break
    sleep 0.1
done
code=0
timeout "$STEP_TIMEOUT" "$EXE" ask --url "http://127.0.0.1:$port" --no-cache "$QUESTION" \
    > "$work/served.txt" 2> "$work/served.err" || code=$?
kill -TERM "$server"
server_code=0
wait "$server" || server_code=$?
took=$(elapsed "$t")
# uvicorn re-raises the signal after its graceful shutdown, so a clean stop exits 128 + 15.
if [[ $code -eq 0 && -s $work/served.txt && ($server_code -eq 0 || $server_code -eq 143) ]] \
    && grep -q "Finished server process" "$work/serve.err"; then
    pass "serve answers ask --url, stops on SIGTERM" "$took"
else
    fail "ask --url exited $code, serve exited $server_code"
    tail -n 20 "$work/served.err" "$work/serve.err" | sed 's/^/      /'
fi

# 3. the window, offscreen, answering and taking a screenshot
t=$(now)
code=0
QT_QPA_PLATFORM=offscreen timeout "$STEP_TIMEOUT" "$EXE" --ask "$QUESTION" \
    --screenshot "$work/shot.png" --quit-when-done > "$work/window.out" 2> "$work/window.err" || code=$?
took=$(elapsed "$t")
signature=$( (head -c 8 "$work/shot.png" 2> /dev/null || true) | od -An -tx1 | tr -d ' \n')
if [[ $code -eq 0 && $signature == 89504e470d0a1a0a ]]; then
    pass "window answers, PNG of $(wc -c < "$work/shot.png") bytes" "$took"
    if [[ -n ${SMOKE_KEEP_SCREENSHOT:-} ]]; then cp "$work/shot.png" "$SMOKE_KEEP_SCREENSHOT"; fi
else
    fail "window exited $code; screenshot signature '${signature:-none}'"
    sed 's/^/      /' "$work/window.err" | tail -n 20
fi

# 4. install into a home and uninstall again (Linux, when build.sh made the archive)
archive=$(find "$(dirname "$DIST")" -maxdepth 1 -name "$NAME-*-linux-*.tar.gz" -print -quit)
if [[ $(uname -s) == Linux && -n $archive ]]; then
    t=$(now)
    home=$work/home
    mkdir -p "$home"
    env HOME="$home" XDG_DATA_HOME="$home/.local/share" PATH="$home/.local/bin:$PATH" \
        bash "$DIST/install.sh" "$archive" > "$work/install.out" 2>&1 || fail "install.sh failed"
    installed=$(env HOME="$home" "$home/.local/bin/$NAME" --version 2> /dev/null || true)
    entry=$home/.local/share/applications/$NAME.desktop
    if [[ $installed == "$NAME $expected" && -f $entry && -f $home/.local/share/icons/hicolor/48x48/apps/$NAME.png ]] \
        && grep -q "^Exec=$home/.local/opt/$NAME/$NAME$" "$entry"; then
        env HOME="$home" XDG_DATA_HOME="$home/.local/share" \
            bash "$home/.local/opt/$NAME/uninstall.sh" > "$work/uninstall.out" 2>&1 || fail "uninstall.sh failed"
        left=$(find "$home" -name "$NAME*" | head -n 5)
        if [[ -z $left ]]; then pass "install.sh and uninstall.sh round trip" "$(elapsed "$t")"
        else fail "uninstall.sh left: $left"; fi
    else
        fail "installed program or menu entry missing (version '$installed')"
        sed 's/^/      /' "$work/install.out"
    fi
fi

if [[ $failures -eq 0 ]]; then
    echo "smoke test passed"
else
    echo "smoke test: $failures step(s) failed"
    exit 1
fi
