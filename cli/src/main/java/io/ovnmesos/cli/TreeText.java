package io.ovnmesos.cli;

import io.ovnmesos.topology.view.TopologyView;
import java.util.ArrayList;
import java.util.List;

/** Renders the topology as an indented tree for people. */
final class TreeText {
  private final TopologyView view;

  private TreeText(TopologyView view) {
    this.view = view;
  }

  static TreeText of(TopologyView view) {
    return new TreeText(view);
  }

  String render() {
    if (view.tenants().isEmpty()) {
      return "no tenants (create one with: ovn-mesos tenant create NAME)";
    }
    List<String> out = new ArrayList<>();
    for (TopologyView.TenantView t : view.tenants()) {
      out.add("tenant " + t.name() + "  (router " + t.router() + ", join " + t.joinSubnet() + ")");
      List<String> children = new ArrayList<>();
      t.networks().forEach(n -> children.add(network(n)));
      t.gateway().ifPresent(g -> children.add(gateway(g)));
      t.names().forEach((name, addresses) -> children.add("name " + name + "  " + String.join(" ", addresses)));
      for (int i = 0; i < children.size(); i++) {
        out.add(indent(children.get(i), i == children.size() - 1));
      }
    }
    return String.join("\n", out);
  }

  String network(TopologyView.NetworkView n) {
    StringBuilder head = new StringBuilder("network " + n.name() + "  " + String.join(" ", n.subnets()) + "  gateway "
        + String.join(" ", n.gateways()));
    n.mtu().ifPresent(m -> head.append("  mtu ").append(m));
    if (!n.dnsServers().isEmpty()) {
      head.append("  dns ").append(String.join(" ", n.dnsServers()));
    }
    List<String> lines = new ArrayList<>(List.of(head.toString()));
    if (n.ports().isEmpty()) {
      lines.add("    (no task ports)");
    }
    for (int i = 0; i < n.ports().size(); i++) {
      TopologyView.PortView p = n.ports().get(i);
      StringBuilder line = new StringBuilder("port " + p.name() + "  " + String.join(" ", p.addresses()));
      p.dynamicAddresses().ifPresent(d -> line.append(" (").append(d).append(")"));
      line.append(p.up().orElse(false) ? "  up" : "  down");
      if (!p.task().isEmpty()) {
        line.append("  task ").append(p.task().getOrDefault("task-id", "?"));
        if (p.task().containsKey("framework-id")) {
          line.append(" (framework ").append(p.task().get("framework-id")).append(")");
        }
      }
      lines.add(indent(line.toString(), i == n.ports().size() - 1));
    }
    return String.join("\n", lines);
  }

  String gateway(TopologyView.GatewayView g) {
    List<String> lines = new ArrayList<>(List.of("gateway " + g.mode() + " " + g.router() + " on " + String.join(", ", g.chassis())
        + "  " + g.physicalIp() + " on " + g.physicalNetwork() + g.defaultGateway().map(d -> " via " + d).orElse("")));
    List<String> items = new ArrayList<>();
    g.nat().forEach(n -> items.add("nat " + n));
    g.routes().forEach(r -> items.add("route " + r));
    for (int i = 0; i < items.size(); i++) {
      lines.add(indent(items.get(i), i == items.size() - 1));
    }
    return String.join("\n", lines);
  }

  private static String indent(String block, boolean last) {
    List<String> lines = block.lines().toList();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      out.add((i == 0 ? (last ? "└── " : "├── ") : (last ? "    " : "│   ")) + lines.get(i));
    }
    return String.join("\n", out);
  }
}
