#!/usr/bin/env bash
# Tests install.sh and uninstall.sh as an operator runs them, into scratch roots: every layout puts
# the plugin and its config where the agent looks; a second run changes nothing; an edited settings
# file survives; uninstall leaves the root exactly as it was. Usage: install-test.sh DIST-DIR
set -euo pipefail
dist="$(readlink -f "${1:?usage: install-test.sh DIST-DIR}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
check_file() { [ -f "$1" ] || fail "missing $1"; }
snapshot() { (cd "$1" && find . -printf '%p %m %s\n' | sort && find . -type f -exec sha256sum {} + | sort); }

for layout in cni prototype dcos; do
  root="$work/$layout"
  mkdir -p "$root/etc/keep-me"
  echo "an operator's file" > "$root/etc/keep-me/note"
  before="$(snapshot "$root")"
  "$dist/install.sh" --root "$root" --layout "$layout" > "$work/out" || fail "$layout: install.sh exited $?"
  case "$layout" in
    cni) plugins=/opt/cni/bin configs=/etc/cni/net.d ;;
    prototype) plugins=/var/lib/mesos/cni/plugins configs=/var/lib/mesos/cni/config ;;
    dcos) plugins=/opt/mesosphere/active/cni configs=/opt/mesosphere/etc/dcos/network/cni ;;
  esac
  check_file "$root$plugins/ovn-mesos-plugin"
  [ -x "$root$plugins/ovn-mesos-plugin" ] || fail "$layout: the plugin is not executable"
  check_file "$root$configs/10-ovn.conf"
  grep -q '"cniVersion": "0.2.0"' "$root$configs/10-ovn.conf" || fail "$layout: 10-ovn.conf is not cniVersion 0.2.0"
  grep -q '"name": "ovn"' "$root$configs/10-ovn.conf" || fail "$layout: 10-ovn.conf is not named ovn"
  for f in bin/ovn-mesos bin/ovn-mesos-init bin/ovn-mesos-framework bin/ovn-mesos-executor-hook libexec/ovn-mesos-java \
      install.sh uninstall.sh; do
    [ -x "$root/opt/ovn-mesos/$f" ] || fail "$layout: $f missing or not executable"
  done
  [ "$(find "$root/opt/ovn-mesos/lib" -name '*.jar' | wc -l)" -gt 10 ] || fail "$layout: lib/ has too few jars"
  check_file "$root/etc/ovn-mesos/framework.env"
  check_file "$root/etc/ovn-mesos/executor-hook.env"
  grep -q "^ExecStart=/opt/ovn-mesos/bin/ovn-mesos-framework$" "$root/etc/systemd/system/ovn-mesos-framework.service" \
    || fail "$layout: the framework unit does not start the installed program"
  grep -q "^EnvironmentFile=/etc/ovn-mesos/executor-hook.env$" "$root/etc/systemd/system/ovn-mesos-executor-hook.service" \
    || fail "$layout: the hook unit does not read its settings"
  grep -q -- "--network_cni_plugins_dir=$plugins --network_cni_config_dir=$configs" "$work/out" \
    || fail "$layout: the agent flags are not printed"
  grep -q -- "--http_command_executor=false needs nothing more" "$work/out" \
    || fail "$layout: what the executor mode means is not printed"

  installed="$(snapshot "$root")"
  "$dist/install.sh" --root "$root" --layout "$layout" > /dev/null || fail "$layout: second install.sh exited $?"
  [ "$(snapshot "$root")" = "$installed" ] || fail "$layout: a second install changed the tree"

  # The installed copy reinstalls onto itself, too.
  "$root/opt/ovn-mesos/install.sh" --root "$root" --layout "$layout" > /dev/null || fail "$layout: installed install.sh failed"
  [ "$(snapshot "$root")" = "$installed" ] || fail "$layout: reinstalling from the installed copy changed the tree"

  "$root/opt/ovn-mesos/uninstall.sh" --root "$root" > /dev/null || fail "$layout: uninstall.sh exited $?"
  [ "$(snapshot "$root")" = "$before" ] || { fail "$layout: uninstall did not restore the root"; diff <(echo "$before") <(snapshot "$root") >&2 || true; }
done

# An operator's edit to a settings file is kept by a re-install and by uninstall, and said so.
root="$work/edited"
"$dist/install.sh" --root "$root" > /dev/null
echo "OVN_NB_DB=tcp:10.0.0.10:6641" >> "$root/etc/ovn-mesos/framework.env"
edited="$(sha256sum < "$root/etc/ovn-mesos/framework.env")"
"$dist/install.sh" --root "$root" > /dev/null 2> "$work/err"
grep -q "kept /etc/ovn-mesos/framework.env" "$work/err" || fail "re-install did not say it kept the edited file"
[ "$(sha256sum < "$root/etc/ovn-mesos/framework.env")" = "$edited" ] || fail "re-install overwrote the edited file"
"$dist/uninstall.sh" --root "$root" > /dev/null
[ -f "$root/etc/ovn-mesos/framework.env" ] || fail "uninstall removed the edited settings file"
[ "$(find "$root" -type f | wc -l)" -eq 1 ] || fail "uninstall left more than the edited file: $(find "$root" -type f)"

# Bad input changes nothing and names the option.
root="$work/bad"
mkdir -p "$root"
if "$dist/install.sh" --root "$root" --layout mesos 2> "$work/err"; then fail "an unknown layout was accepted"; fi
grep -q -- "--layout: expected cni, prototype or dcos, got 'mesos'" "$work/err" || fail "the layout error does not say what was expected"
if "$dist/install.sh" --root "$root" --prefix opt/x 2> /dev/null; then fail "a relative prefix was accepted"; fi
[ -z "$(ls -A "$root")" ] || fail "a refused install left files"

if [ "$failures" -gt 0 ]; then
  echo "install-test: $failures failure(s)" >&2
  exit 1
fi
echo "install-test: install.sh and uninstall.sh passed (3 layouts, re-runs, an edited file, bad input)"
