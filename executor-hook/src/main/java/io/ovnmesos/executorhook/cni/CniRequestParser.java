package io.ovnmesos.executorhook.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.ovnmesos.topology.port.PortMarks;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the CNI environment and stdin into a checked {@link CniRequest}, or a {@link CniException}
 * with the spec's code that names the variable or field at fault. All CNI input checking is here.
 */
public final class CniRequestParser {
  /** Versions whose requests (and results) ovn-mesos handles. */
  public static final List<String> SUPPORTED_VERSIONS = List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0");

  /** One JSON object, nothing after it: a second document on stdin is an error, not ignored. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static {
    JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
        .maxStringLength(1 << 20).build());
  }

  // Mesos' container ids are UUIDs, or "parent.child" for nested containers; other runtimes use hex ids.
  private static final Pattern CONTAINER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");
  private static final Pattern NETNS = Pattern.compile("/[A-Za-z0-9_./:-]{1,4000}");
  private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9_./-]{1,253}");

  private CniRequestParser() {}

  /** Parses a call; {@code env} holds the CNI_* variables, {@code stdin} the network configuration. */
  public static CniRequest parse(Map<String, String> env, byte[] stdin) {
    String cmd = env.get("CNI_COMMAND");
    if (cmd == null || cmd.isEmpty()) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_COMMAND is not set",
          "expected one of ADD, DEL, CHECK, VERSION");
    }
    CniRequest.Command command;
    try {
      command = CniRequest.Command.valueOf(cmd);
    } catch (IllegalArgumentException e) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_COMMAND " + printable(cmd) + " is not supported",
          "expected one of ADD, DEL, CHECK, VERSION");
    }
    JsonNode config = parseConfig(stdin);
    String version = config.path("cniVersion").asText("");
    if (!SUPPORTED_VERSIONS.contains(version)) {
      throw new CniException(CniException.INCOMPATIBLE_VERSION, "cniVersion " + printable(version) + " is not supported",
          "supported: " + String.join(", ", SUPPORTED_VERSIONS));
    }
    String name = text(config, "name");
    if (command == CniRequest.Command.VERSION) {
      return new CniRequest(command, "", Optional.empty(), "", version, name, Map.of(), false, config);
    }
    String containerId = required(env, "CNI_CONTAINERID", id -> CONTAINER_ID.matcher(id).matches(), "a container id of letters, digits, '_', '.', '-'");
    String ifName = required(env, "CNI_IFNAME", PortMarks::isInterfaceName, "an interface name of 1 to 15 of [A-Za-z0-9_.-], starting with a letter or digit");
    Optional<String> netns = Optional.ofNullable(env.get("CNI_NETNS")).filter(s -> !s.isEmpty());
    if (netns.isEmpty() && command != CniRequest.Command.DEL) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_NETNS is not set", "required for " + command);
    }
    if (netns.isPresent() && (!NETNS.matcher(netns.get()).matches() || netns.get().contains(".."))) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_NETNS is not a usable path",
          "expected an absolute path without '..', got " + printable(netns.get()));
    }
    JsonNode mesos = config.path("args").path("org.apache.mesos");
    if (!mesos.isMissingNode() && !mesos.isObject()) {
      throw new CniException(CniException.INVALID_CONFIG, "args[\"org.apache.mesos\"] must be an object",
          "the Mesos agent puts the task's network_info there");
    }
    boolean fromMesos = mesos.isObject();
    Map<String, String> labels = fromMesos ? mesosLabels(mesos.path("network_info")) : cniArgLabels(config, env);
    return new CniRequest(command, containerId, netns, ifName, version, name, labels, fromMesos, config);
  }

  private static JsonNode parseConfig(byte[] stdin) {
    if (stdin == null || stdin.length == 0) {
      throw new CniException(CniException.DECODE_FAILURE, "no network configuration on stdin", "expected a JSON object");
    }
    JsonNode config;
    try {
      config = JSON.readTree(stdin);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new CniException(CniException.DECODE_FAILURE, "the network configuration on stdin is not valid JSON",
          printable(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new CniException(CniException.DECODE_FAILURE, "the network configuration on stdin cannot be read",
          printable(e.getMessage()));
    }
    if (config == null || !config.isObject()) {
      throw new CniException(CniException.DECODE_FAILURE, "the network configuration must be a JSON object", "");
    }
    return config;
  }

  private static String text(JsonNode config, String field) {
    JsonNode v = config.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new CniException(CniException.INVALID_CONFIG, "the network configuration has no \"" + field + "\"",
          "expected a non-empty string");
    }
    return v.asText();
  }

  private static String required(Map<String, String> env, String var, java.util.function.Predicate<String> valid,
      String expected) {
    String v = env.get(var);
    if (v == null || v.isEmpty()) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, var + " is not set", "expected " + expected);
    }
    if (!valid.test(v)) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, var + " is not valid",
          "expected " + expected + ", got " + printable(v));
    }
    return v;
  }

  /** {@code network_info.labels.labels[]} as Mesos' JSON form of NetworkInfo carries them. */
  private static Map<String, String> mesosLabels(JsonNode networkInfo) {
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode list = networkInfo.path("labels").path("labels");
    if (!list.isMissingNode() && !list.isArray()) {
      throw new CniException(CniException.INVALID_CONFIG, "network_info.labels.labels must be a list", "");
    }
    for (JsonNode l : list) {
      JsonNode k = l.get("key");
      JsonNode v = l.get("value");
      if (k == null || !k.isTextual() || !LABEL_KEY.matcher(k.asText()).matches()) {
        throw new CniException(CniException.INVALID_CONFIG, "a network_info label has no usable key",
            "keys are 1 to 253 of [A-Za-z0-9_./-], got " + printable(String.valueOf(k)));
      }
      if (v != null && !v.isTextual()) {
        throw new CniException(CniException.INVALID_CONFIG, "label " + k.asText() + " must have a string value", "");
      }
      if (labels.put(k.asText(), v == null ? "" : v.asText()) != null) {
        throw new CniException(CniException.INVALID_CONFIG, "label " + k.asText() + " is given twice", "");
      }
    }
    return labels;
  }

  /** For runtimes other than Mesos: {@code args.labels} (a key/value object) or CNI_ARGS K=V;K=V. */
  private static Map<String, String> cniArgLabels(JsonNode config, Map<String, String> env) {
    Map<String, String> labels = new LinkedHashMap<>();
    config.path("args").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    String args = env.get("CNI_ARGS");
    if (args != null && !args.isBlank()) {
      for (String kv : args.split(";")) {
        String[] p = kv.split("=", 2);
        if (p.length != 2 || !LABEL_KEY.matcher(p[0]).matches()) {
          throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_ARGS is not K=V;K=V", "got " + printable(kv));
        }
        labels.put(p[0], p[1]);
      }
    }
    return labels;
  }

  /** A value made safe to echo: control characters escaped, length bounded. */
  public static String printable(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length() && b.length() < 100; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return b.append(s.length() > 100 ? "...\"" : "\"").toString();
  }
}
