#!/usr/bin/env bash
# Builds the Debian package from a build tree with CPack and checks what a user gets
# from it: the files and where they go, the conffile, the maintainer scripts, the split
# debug info, binaries that run, and a systemd unit that systemd accepts and rates as
# hardened.
#   tests/packaging/check_deb.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir="$1"
source_dir="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "check_deb: $*" >&2; exit 1; }

(cd "$build_dir" && cpack -G DEB -B "$work/out" >"$work/cpack.log") || { cat "$work/cpack.log"; fail "cpack failed"; }
deb="$(ls "$work"/out/edgegw_*.deb)"
ddeb="$(ls "$work"/out/edgegw-dbgsym_*.ddeb)" || fail "no -dbgsym package of debug info"

contents="$(dpkg-deb -c "$deb")"
for path in ./usr/bin/edgegw ./usr/bin/edgegw-sim ./etc/edgegw/gateway.yaml \
  ./lib/systemd/system/edgegw.service ./usr/share/doc/edgegw/README.md \
  ./usr/share/doc/edgegw/security.md ./usr/share/doc/edgegw/examples/mosquitto.acl.example \
  ./usr/share/doc/edgegw/examples/fleet.sparkplug.yaml \
  ./usr/share/doc/edgegw/chart.js.copyright ./usr/share/doc/edgegw/images/dashboard.png; do
  grep -q " $path\$" <<<"$contents" || fail "$path is not in the package"
done
grep -q -- "-rw-r----- .* ./etc/edgegw/gateway.yaml$" <<<"$contents" \
  || fail "the config must not be readable by other users (it may hold credentials)"
! grep -q "/build\|\.a$\|/include/" <<<"$contents" || fail "build artefacts in the package"

dpkg-deb -x "$deb" "$work/root"
dpkg-deb -e "$deb" "$work/control"
[[ "$(cat "$work/control/conffiles")" == "/etc/edgegw/gateway.yaml" ]] || fail "conffiles"
for script in postinst prerm postrm; do
  [[ -x "$work/control/$script" ]] || fail "no executable $script"
  sh -n "$work/control/$script" || fail "$script does not parse"
done
grep -q "adduser --system" "$work/control/postinst" || fail "postinst creates no system user"
depends="$(dpkg-deb -f "$deb" Depends)"
for dep in adduser librdkafka1 libpaho-mqttpp3; do
  grep -q "$dep" <<<"$depends" || fail "Depends lacks $dep: $depends"
done

# Debug info split off: the binary is stripped, its debug info is in the -dbgsym package
# under its build id.
bin="$work/root/usr/bin/edgegw"
# (Listings go through variables: `grep -q` on a pipe may end it early, and pipefail
# would then report the writer's broken pipe as a failure.)
sections="$(readelf -S "$bin")"
grep -q "\.debug_info" <<<"$sections" && fail "usr/bin/edgegw still carries debug info"
build_id="$(readelf -n "$bin" | awk '/Build ID/ {print $3}')"
[[ -n "$build_id" ]] || fail "usr/bin/edgegw has no build id"
debug_files="$(dpkg-deb -c "$ddeb")"
grep -q "/usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug" <<<"$debug_files" \
  || fail "the -dbgsym package has no debug info for build id $build_id"
echo "check_deb: edgegw $(stat -c %s "$bin") bytes stripped; .deb $(stat -c %s "$deb") bytes"

[[ "$("$bin" --version)" == "edgegw "* ]] || fail "edgegw --version"
[[ "$("$work/root/usr/bin/edgegw-sim" --version)" == "edgegw-sim "* ]] || fail "edgegw-sim --version"
"$bin" check-config "$work/root/etc/edgegw/gateway.yaml" >/dev/null \
  || fail "the packaged config does not pass check-config"

# The unit as systemd reads it (pointed at the extracted binary, which verify requires
# to exist), and its exposure rating: 'OK' or better (at most 2.0 of 10).
mkdir "$work/unit"
sed "s#/usr/bin/edgegw#$bin#g" "$work/root/lib/systemd/system/edgegw.service" >"$work/unit/edgegw.service"
systemd-analyze verify --man=no "$work/unit/edgegw.service" || fail "systemd-analyze verify"
systemd-analyze security --offline=true --threshold=20 "$work/unit/edgegw.service" >"$work/security.txt" \
  || { cat "$work/security.txt"; fail "the unit's exposure is above 2.0"; }
tail -1 "$work/security.txt"
grep -q "^Type=notify" "$source_dir/packaging/edgegw.service" || fail "the unit is not Type=notify"
echo "check_deb: ok"
