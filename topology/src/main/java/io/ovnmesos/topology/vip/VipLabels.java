package io.ovnmesos.topology.vip;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.ovnmesos.topology.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a task's {@code VIP_<n>} port labels ask for, as DC/OS's l4lb reads them: {@code "/name:port"}
 * a named VIP (its address chosen from the tenant's VIP range and kept), {@code "address:port"} a
 * fixed one. Each label is read on its own: one that is malformed is refused with a reason naming
 * it, and the others stand. Pure.
 */
public final class VipLabels {
  private static final Pattern KEY = Pattern.compile("VIP_[0-9]+");
  private static final Pattern NAME_SEGMENT = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private VipLabels() {}

  /** A port of the task, as its DiscoveryInfo announces it: the container's port number, protocol and labels. */
  public record TaskPortInfo(int number, String protocol, Map<String, String> labels) {}

  /** What one label asks for, or why it is refused. */
  public sealed interface Reading permits Vip, Refused {}

  /** A well-formed request for a VIP. */
  public record Vip(String label, VipKey key, int containerPort) implements Reading {}

  /** A label that asks for no VIP it could have, and why. */
  public record Refused(String label, String value, String reason) implements Reading {
    /** The refusal as logged: the label, its value and the reason. */
    public String message() {
      return "label " + label + "=\"" + Names.printable(value) + "\": " + reason;
    }
  }

  /**
   * Which VIP: named ({@code name} set, as written without its leading '/', address chosen) or fixed
   * ({@code address} set), on {@code port} over {@code protocol}.
   */
  public record VipKey(Optional<String> name, Optional<String> address, int port, String protocol) {
    /** How the key reads in marks and logs: {@code /web:80/tcp} or {@code 10.10.255.10:80/tcp}. */
    public String text() {
      return name.map(n -> "/" + n).orElseGet(address::orElseThrow) + ":" + port + "/" + protocol;
    }
  }

  /** Every VIP label of every port, in order. */
  public static List<Reading> of(List<TaskPortInfo> ports) {
    List<Reading> out = new ArrayList<>();
    for (TaskPortInfo p : ports) {
      p.labels().entrySet().stream().filter(e -> KEY.matcher(e.getKey()).matches())
          .sorted(Map.Entry.comparingByKey()).forEach(e -> out.add(read(e.getKey(), e.getValue(), p)));
    }
    return out;
  }

  private static Reading read(String label, String value, TaskPortInfo p) {
    String protocol = p.protocol() == null ? "tcp" : p.protocol().toLowerCase(Locale.ROOT);
    if (!protocol.equals("tcp") && !protocol.equals("udp")) {
      return new Refused(label, value, "the port's protocol is " + Names.printable(protocol) + "; a VIP balances tcp or udp");
    }
    if (p.number() < 1 || p.number() > 65_535) {
      return new Refused(label, value, "the port's number " + p.number() + " is not a port from 1 to 65535");
    }
    int colon = value.lastIndexOf(':');
    if (colon < 1) {
      return new Refused(label, value, "expected \"/name:port\" or \"address:port\"");
    }
    String target = value.substring(0, colon);
    Optional<Integer> port = port(value.substring(colon + 1));
    if (port.isEmpty()) {
      return new Refused(label, value, "the VIP's port is not a number from 1 to 65535");
    }
    if (target.startsWith("/")) {
      String name = target.substring(1);
      for (String segment : name.split("/", -1)) {
        if (!NAME_SEGMENT.matcher(segment).matches()) {
          return new Refused(label, value, "the VIP's name is not made of DNS labels (a-z, 0-9 and '-', not at either end) "
              + "separated by '/'");
        }
      }
      return new Vip(label, new VipKey(Optional.of(name), Optional.empty(), port.get(), protocol), p.number());
    }
    IPAddress ip = new IPAddressString(target).getAddress();
    if (ip == null || !ip.isIPv4() || ip.isPrefixed()) {
      return new Refused(label, value, "the VIP's address is not an IPv4 address");
    }
    return new Vip(label, new VipKey(Optional.empty(), Optional.of(ip.toCanonicalString()), port.get(), protocol), p.number());
  }

  private static Optional<Integer> port(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    int n = Integer.parseInt(text);
    return n >= 1 && n <= 65_535 ? Optional.of(n) : Optional.empty();
  }

}
