#!/usr/bin/env bash
# Installs this ovn-mesos distribution: the programs under a prefix, the CNI plugin and its config
# where the Mesos agent looks (--network_cni_plugins_dir, --network_cni_config_dir), settings files
# and systemd units. Idempotent: running it again gives the same result. uninstall.sh removes
# exactly what it placed (recorded in <prefix>/share/ovn-mesos/installed-files).
set -euo pipefail
usage() {
  cat <<USAGE
usage: install.sh [options]
  --root DIR              install under DIR as if it were / (for packaging and tests; default none)
  --prefix DIR            programs and libraries (default /opt/ovn-mesos)
  --conf-dir DIR          settings files framework.env and executor-hook.env (default /etc/ovn-mesos)
  --layout NAME           CNI directories as a Mesos agent is set up: cni (default: /opt/cni/bin and
                          /etc/cni/net.d), prototype (/var/lib/mesos/cni/plugins and /var/lib/mesos/cni/config,
                          as the 2017 ovn-mesos used) or dcos (/opt/mesosphere/active/cni and
                          /opt/mesosphere/etc/dcos/network/cni)
  --cni-plugins-dir DIR   where the agent finds CNI plugins (overrides the layout)
  --cni-config-dir DIR    where the agent finds CNI network configs (overrides the layout)
  --systemd-dir DIR       where unit files go (default /etc/systemd/system); --no-systemd for none
USAGE
}
root="" prefix=/opt/ovn-mesos conf=/etc/ovn-mesos layout=cni plugins="" configs="" systemd=/etc/systemd/system
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --conf-dir) conf="${2:?--conf-dir needs a directory}"; shift 2 ;;
    --layout) layout="${2:?--layout needs cni, prototype or dcos}"; shift 2 ;;
    --cni-plugins-dir) plugins="${2:?--cni-plugins-dir needs a directory}"; shift 2 ;;
    --cni-config-dir) configs="${2:?--cni-config-dir needs a directory}"; shift 2 ;;
    --systemd-dir) systemd="${2:?--systemd-dir needs a directory}"; shift 2 ;;
    --no-systemd) systemd=""; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case "$layout" in
  cni) : "${plugins:=/opt/cni/bin}" "${configs:=/etc/cni/net.d}" ;;
  prototype) : "${plugins:=/var/lib/mesos/cni/plugins}" "${configs:=/var/lib/mesos/cni/config}" ;;
  dcos) : "${plugins:=/opt/mesosphere/active/cni}" "${configs:=/opt/mesosphere/etc/dcos/network/cni}" ;;
  *) echo "install.sh: --layout: expected cni, prototype or dcos, got '$layout'" >&2; exit 2 ;;
esac
for d in "$prefix" "$conf" "$plugins" "$configs" ${systemd:+"$systemd"}; do
  case "$d" in
    /*) ;;
    *) echo "install.sh: directories must be absolute, got '$d'" >&2; exit 2 ;;
  esac
done
# shellcheck source-path=SCRIPTDIR source=libexec/ovn-mesos-steps.sh
. "$(dirname "$(readlink -f "$0")")/libexec/ovn-mesos-steps.sh"
dist="$OVN_MESOS_DIST"

manifest="$(ovn_mesos_manifest "$root" "$prefix")"
OVN_MESOS_MANIFEST_NEW="$(mktemp)"
trap 'rm -f "$OVN_MESOS_MANIFEST_NEW"' EXIT

for f in "$dist"/bin/* "$dist"/libexec/*; do
  ovn_mesos_place "$root" "$f" "$prefix/${f#"$dist"/}" 0755
done
for f in "$dist"/lib/*.jar; do
  ovn_mesos_place "$root" "$f" "$prefix/lib/$(basename "$f")" 0644
done
# The prefix holds a whole distribution, so that its install.sh can run again from there.
for f in "$dist"/conf/* "$dist"/systemd/*; do
  ovn_mesos_place "$root" "$f" "$prefix/${f#"$dist"/}" 0644
done
ovn_mesos_place "$root" "$dist/install.sh" "$prefix/install.sh" 0755
ovn_mesos_place "$root" "$dist/uninstall.sh" "$prefix/uninstall.sh" 0755
ovn_mesos_place "$root" "$dist/bin/ovn-mesos-plugin" "$plugins/ovn-mesos-plugin" 0755
ovn_mesos_place "$root" "$dist/conf/10-ovn.conf" "$configs/10-ovn.conf" 0644 keep
ovn_mesos_place "$root" "$dist/conf/framework.env" "$conf/framework.env" 0640 keep
ovn_mesos_place "$root" "$dist/conf/executor-hook.env" "$conf/executor-hook.env" 0640 keep
if [ -n "$systemd" ]; then
  for unit in "$dist"/systemd/*.service; do
    ovn_mesos_place_text "$root" "$(sed -e "s|@PREFIX@|$prefix|g" -e "s|@CONF@|$conf|g" "$unit")" \
      "$systemd/$(basename "$unit")" 0644
  done
fi
# What an earlier run placed and this one did not (another layout, an older version) goes.
if [ -f "$manifest" ]; then
  awk 'NR == FNR { placed[$2] = 1; next } !($2 in placed)' "$OVN_MESOS_MANIFEST_NEW" "$manifest" | ovn_mesos_remove_listed "$root"
fi
mkdir -p "$(dirname "$manifest")"
sort -k2 "$OVN_MESOS_MANIFEST_NEW" > "$manifest"
cat <<DONE
ovn-mesos installed under ${root}${prefix} ($(wc -l < "$manifest") files, listed in ${manifest#"$root"}).
Give each Mesos agent --network_cni_plugins_dir=$plugins --network_cni_config_dir=$configs
and set OVN_MESOS_AGENT_ENDPOINT in $conf/executor-hook.env to the agent's advertised ip:port (its --advertise_ip,
or --ip, which must be an address of the agent's host; and --port, default 5051).
Mesos' default --http_command_executor=false needs nothing more: the agent reaches each executor at its task's
address over the container's own path. Two tasks on one agent then never share an address (the framework gives
them different ones; a fixed ip_address label that another tenant's task holds there is refused at ADD). With
--http_command_executor=true they may; the hook learns which from the agent (OVN_MESOS_EXECUTOR_API=auto).
Settings: $conf/framework.env and $conf/executor-hook.env${systemd:+; units in $systemd (systemctl daemon-reload, then enable them)}
DONE
