#!/usr/bin/env bash
# Provisions one Vagrant node with the steps install.sh shares (dist libexec/ovn-mesos-steps.sh):
#   provision.sh central CENTRAL_IP OWN_IP   OVN central and host, ZooKeeper, ovn-mesos, tenants and gateways
#   provision.sh agent   CENTRAL_IP OWN_IP   OVN host, ovn-mesos with its CNI plugin for the Mesos agent
# Mesos itself is not packaged any more; README.md says how to put it on the nodes.
set -euo pipefail
role="${1:?usage: provision.sh central|agent CENTRAL_IP OWN_IP}"
central="${2:?central IP}"
own="${3:?own IP}"
dist="$(find /ovn-mesos/dist/target -mindepth 2 -maxdepth 2 -type d -name 'ovn-mesos-*' | head -n 1)"
if [ -z "$dist" ]; then
  echo "no distribution under /ovn-mesos/dist/target: run 'mvn -DskipTests package' on the host first" >&2
  exit 1
fi
# shellcheck source-path=SCRIPTDIR source=../dist/src/main/dist/libexec/ovn-mesos-steps.sh
. "$dist/libexec/ovn-mesos-steps.sh"

case "$role" in
  central)
    ovn_mesos_install_ovn central
    ovn_mesos_open_ovn_databases
    ovn_mesos_join_chassis "$central" "$own"
    dpkg-query -W -f='${Status}' zookeeperd 2>/dev/null | grep -q "install ok installed" \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -q zookeeperd
    "$dist/install.sh" --layout prototype
    sed -i -e "s|^OVN_NB_DB=.*|OVN_NB_DB=tcp:$central:6641|" -e "s|^MESOS_MASTER=.*|MESOS_MASTER=zk://$central:2181/mesos|" \
      -e "s|^OVN_MESOS_ZK=.*|OVN_MESOS_ZK=$central:2181|" /etc/ovn-mesos/framework.env
    # The demo's tenants: the same subnet twice, and a gateway each on the provider network
    # 172.16.0.0/24 (the second host-only network, on eth2, which br-ex takes over). Every create is a
    # no-op when what it makes is there already, so provisioning again changes nothing.
    ovn-mesos() { /opt/ovn-mesos/bin/ovn-mesos --nb "tcp:$central:6641" "$@"; }
    ovn-mesos tenant create coke
    ovn-mesos tenant create pepsi
    ovn-mesos network create coke1 --tenant coke --subnet 10.10.0.0/16
    ovn-mesos network create coke2 --tenant coke --subnet 10.20.0.0/16
    ovn-mesos network create pepsi1 --tenant pepsi --subnet 10.10.0.0/16
    ip=2
    for tenant in coke pepsi; do
      ovn-mesos gateway create --tenant "$tenant" --chassis central --physical-ip "172.16.0.$ip/24" \
        --default-gw 172.16.0.1 --snat-subnet 10.0.0.0/8 --bridge br-ex --physical-interface eth2
      ip=$((ip + 1))
    done
    systemctl daemon-reload
    systemctl enable --now ovn-mesos-framework
    ;;
  agent)
    ovn_mesos_install_ovn host
    ovn_mesos_join_chassis "$central" "$own"
    "$dist/install.sh" --layout prototype
    sed -i -e "s|^OVN_NB_DB=.*|OVN_NB_DB=tcp:$central:6641|" -e "s|^OVN_MESOS_FRAMEWORK=.*|OVN_MESOS_FRAMEWORK=$central:9478|" \
      -e "s|^OVN_MESOS_AGENT_ENDPOINT=.*|OVN_MESOS_AGENT_ENDPOINT=$own:5051|" /etc/ovn-mesos/executor-hook.env
    systemctl daemon-reload
    systemctl enable --now ovn-mesos-executor-hook
    ;;
  *)
    echo "provision.sh: expected central or agent, got '$role'" >&2
    exit 2
    ;;
esac
