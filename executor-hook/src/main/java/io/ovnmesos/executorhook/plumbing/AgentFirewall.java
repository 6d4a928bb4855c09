package io.ovnmesos.executorhook.plumbing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host's nftables rules for the agent paths: from a host end ({@code ova*}) only new TCP
 * connections to the agent's address and port, and what belongs to them, are accepted; into a host
 * end only new TCP connections from the agent's address (the agent reaching an executor), and what
 * belongs to connections already admitted; nothing from or to a host end is forwarded. One table,
 * {@code inet ovn_mesos_agent}, replaced whole and at once.
 */
public final class AgentFirewall {
  static final String TABLE = "ovn_mesos_agent";

  private AgentFirewall() {}

  /** The ruleset, as {@code nft -f} reads it. */
  static String rules(String agentAddress, int agentPort) {
    String ifs = "\"" + AgentPaths.HOST_PREFIX + "*\"";
    return String.join("\n",
        "add table inet " + TABLE,
        "delete table inet " + TABLE,
        "table inet " + TABLE + " {",
        "  chain input {",
        "    type filter hook input priority filter; policy accept;",
        "    iifname " + ifs + " ct state established,related accept",
        "    iifname " + ifs + " ip daddr " + agentAddress + " tcp dport " + agentPort + " ct state new accept",
        "    iifname " + ifs + " drop",
        "  }",
        "  chain output {",
        "    type filter hook output priority filter; policy accept;",
        "    oifname " + ifs + " ct state established,related accept",
        // The agent's own connections to executors: from its address, over TCP, to whichever task
        // address routes through that container's host end.
        "    oifname " + ifs + " ip saddr " + agentAddress + " meta l4proto tcp ct state new accept",
        "    oifname " + ifs + " drop",
        "  }",
        "  chain forward {",
        "    type filter hook forward priority filter; policy accept;",
        "    iifname " + ifs + " drop",
        "    oifname " + ifs + " drop",
        "  }",
        "}", "");
  }

  /** Installs the rules in the host's network namespace ({@code hostNetns}, or this process'). */
  public static void install(Optional<String> hostNetns, String agentAddress, int agentPort) {
    List<String> argv = new ArrayList<>();
    hostNetns.ifPresent(ns -> argv.addAll(List.of("nsenter", "--net=" + ns)));
    argv.addAll(List.of("nft", "-f", "-"));
    Exec.Result r = Exec.run(argv, rules(agentAddress, agentPort), Duration.ofSeconds(10));
    if (!r.ok()) {
      throw new IllegalStateException("cannot install the agent paths' firewall (is nftables installed?): " + r.err().strip());
    }
  }
}
