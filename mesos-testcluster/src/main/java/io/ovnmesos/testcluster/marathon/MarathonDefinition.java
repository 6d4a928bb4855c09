package io.ovnmesos.testcluster.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Marathon app or pod definition, reduced to what decides its tasks' networks and discovery: the
 * fields are those of Marathon 1.5+ ({@code networks} with {@code mode}, {@code name} and
 * {@code labels}; an app's {@code container.portMappings}, a pod container's {@code endpoints}).
 * Reading one checks it as Marathon would and names the field at fault.
 */
public sealed interface MarathonDefinition permits MarathonDefinition.App, MarathonDefinition.Pod {

  /** The definition's id, a path such as {@code /coke/web}. */
  String id();

  int instances();

  List<Network> networks();

  /** One entry of {@code networks}. {@code name} is the CNI network for {@code container} mode, else empty. */
  record Network(String mode, String name, Map<String, String> labels) {}

  /** An app: {@code instances} copies of one command. */
  record App(String id, String cmd, int instances, double cpus, double mem, List<Network> networks, Map<String, String> labels,
      List<PortMapping> portMappings) implements MarathonDefinition {}

  /**
   * An app's port mapping or a pod container's endpoint.
   *
   * @param name empty if none
   * @param protocols tcp, udp or both
   */
  record PortMapping(String name, int containerPort, Optional<Integer> hostPort, List<String> protocols,
      Map<String, String> labels) {}

  /** A pod: {@code instances} copies of a group of containers that share the pod's networks. */
  record Pod(String id, List<Container> containers, int instances, List<Network> networks, Map<String, String> labels)
      implements MarathonDefinition {}

  /** One container of a pod. */
  record Container(String name, String shell, double cpus, double mem, List<PortMapping> endpoints) {}

  /** A definition Marathon would refuse. */
  final class InvalidDefinition extends IllegalArgumentException {
    InvalidDefinition(String message) {
      super(message);
    }
  }

  // Marathon's rule for a path segment (PathId): lower-case letters, digits, '-' and '.', not at the ends.
  Pattern SEGMENT = Pattern.compile("^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])$");

  /** Reads an app (it has {@code cmd}) or a pod (it has {@code containers}). */
  static MarathonDefinition parse(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new InvalidDefinition("expected a JSON object (an app or a pod definition)");
    }
    String id = text(json, "id", true);
    String path = id.startsWith("/") ? id.substring(1) : id;
    for (String segment : path.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches()) {
        throw new InvalidDefinition("id: expected a path of segments made of a-z, 0-9, '-' and '.' (not at either end), got \""
            + id + "\"");
      }
    }
    List<Network> networks = networks(json.get("networks"));
    Map<String, String> labels = labels(json.get("labels"), "labels");
    if (json.has("containers")) {
      JsonNode scaling = json.path("scaling");
      int instances = scaling.isMissingNode() ? 1 : count(scaling, "instances");
      List<Container> containers = new ArrayList<>();
      JsonNode list = json.get("containers");
      if (!list.isArray() || list.isEmpty()) {
        throw new InvalidDefinition("containers: expected a non-empty array");
      }
      for (int i = 0; i < list.size(); i++) {
        JsonNode c = list.get(i);
        String where = "containers[" + i + "]";
        String name = text(c, "name", true, where);
        JsonNode shell = c.path("exec").path("command").path("shell");
        if (!shell.isTextual() || shell.asText().isBlank()) {
          throw new InvalidDefinition(where + ".exec.command.shell: expected the command to run");
        }
        containers.add(new Container(name, shell.asText(), number(c.path("resources"), "cpus", 0.1, where + ".resources"),
            number(c.path("resources"), "mem", 32, where + ".resources"), portMappings(c.get("endpoints"), where + ".endpoints", true)));
      }
      return new Pod(id, List.copyOf(containers), instances, networks, labels);
    }
    if (json.path("container").has("type") && !"MESOS".equals(json.path("container").path("type").asText())) {
      throw new InvalidDefinition("container.type: expected MESOS (the test cluster runs commands in Mesos containers), got "
          + json.path("container").path("type"));
    }
    String cmd = text(json, "cmd", true);
    int instances = json.has("instances") ? count(json, "instances") : 1;
    return new App(id, cmd, instances, number(json, "cpus", 1, ""), number(json, "mem", 128, ""), networks, labels,
        portMappings(json.path("container").get("portMappings"), "container.portMappings", false));
  }

  /** An app's portMappings ({@code protocol} "tcp", "udp" or "tcp,udp") or a pod container's endpoints ({@code protocol} an array). */
  private static List<PortMapping> portMappings(JsonNode json, String where, boolean endpoints) {
    if (json == null || json.isNull()) {
      return List.of();
    }
    if (!json.isArray()) {
      throw new InvalidDefinition(where + ": expected an array");
    }
    List<PortMapping> out = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      JsonNode m = json.get(i);
      String at = where + "[" + i + "]";
      if (!m.isObject()) {
        throw new InvalidDefinition(at + ": expected an object");
      }
      String name = endpoints ? text(m, "name", true, at) : text(m, "name", false, at);
      int containerPort = port(m, "containerPort", at).orElse(0);
      Optional<Integer> hostPort = port(m, "hostPort", at);
      List<String> protocols = new ArrayList<>();
      JsonNode p = m.get("protocol");
      if (p == null || p.isNull()) {
        protocols.add("tcp");
      } else if (endpoints && p.isArray()) {
        p.forEach(x -> protocols.add(x.asText()));
      } else if (!endpoints && p.isTextual()) {
        protocols.addAll(List.of(p.asText().split(",", -1)));
      } else {
        throw new InvalidDefinition(at + ".protocol: expected " + (endpoints ? "an array of" : "a comma-separated list of")
            + " tcp and udp, got " + p);
      }
      if (protocols.isEmpty() || !List.of("tcp", "udp").containsAll(protocols)) {
        throw new InvalidDefinition(at + ".protocol: expected tcp, udp or both, got " + p);
      }
      out.add(new PortMapping(name, containerPort, hostPort, List.copyOf(protocols), labels(m.get("labels"), at + ".labels")));
    }
    return List.copyOf(out);
  }

  private static Optional<Integer> port(JsonNode json, String field, String where) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > 65_535) {
      throw new InvalidDefinition(where + "." + field + ": expected a port number from 0 to 65535, got " + v);
    }
    return Optional.of(v.asInt());
  }

  private static List<Network> networks(JsonNode json) {
    if (json == null || json.isNull()) {
      return List.of();
    }
    if (!json.isArray()) {
      throw new InvalidDefinition("networks: expected an array");
    }
    List<Network> out = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      JsonNode n = json.get(i);
      String where = "networks[" + i + "]";
      if (!n.isObject()) {
        throw new InvalidDefinition(where + ": expected an object");
      }
      String mode = n.has("mode") ? text(n, "mode", true, where) : "container";
      if (!List.of("container", "container/bridge", "host").contains(mode)) {
        throw new InvalidDefinition(where + ".mode: expected container, container/bridge or host, got \"" + mode + "\"");
      }
      String name = mode.equals("host") ? "" : text(n, "name", true, where);
      out.add(new Network(mode, name, labels(n.get("labels"), where + ".labels")));
    }
    if (out.stream().anyMatch(n -> n.mode().equals("host")) && out.size() > 1) {
      throw new InvalidDefinition("networks: host mode cannot be combined with other networks");
    }
    return List.copyOf(out);
  }

  private static Map<String, String> labels(JsonNode json, String where) {
    Map<String, String> out = new LinkedHashMap<>();
    if (json == null || json.isNull()) {
      return out;
    }
    if (!json.isObject()) {
      throw new InvalidDefinition(where + ": expected an object of string values");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new InvalidDefinition(where + "." + e.getKey() + ": expected a string, got " + e.getValue());
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static String text(JsonNode json, String field, boolean required) {
    return text(json, field, required, "");
  }

  private static String text(JsonNode json, String field, boolean required, String where) {
    JsonNode v = json.get(field);
    String name = where.isEmpty() ? field : where + "." + field;
    if (v == null || v.isNull()) {
      if (required) {
        throw new InvalidDefinition(name + ": required");
      }
      return "";
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new InvalidDefinition(name + ": expected a non-empty string, got " + v);
    }
    return v.asText();
  }

  private static int count(JsonNode json, String field) {
    JsonNode v = json.get(field);
    if (v == null || !v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > 10_000) {
      throw new InvalidDefinition(field + ": expected a whole number from 0 to 10000, got " + v);
    }
    return v.asInt();
  }

  private static double number(JsonNode json, String field, double otherwise, String where) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) {
      return otherwise;
    }
    if (!v.isNumber() || v.asDouble() < 0) {
      throw new InvalidDefinition((where.isEmpty() ? "" : where + ".") + field + ": expected a number of at least 0, got " + v);
    }
    return v.asDouble();
  }
}
