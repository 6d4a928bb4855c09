package io.ovnmesos.executorhook.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Reads the Mesos agent's flags from its operator API ({@code GET_FLAGS} on {@code /api/v1}). */
public final class AgentFlags {
  private static final Duration LIMIT = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI api;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(LIMIT).build();

  /** @param endpoint the agent's {@code ip:port} */
  public AgentFlags(String endpoint) {
    this.api = URI.create("http://" + endpoint + "/api/v1");
  }

  /** The value of flag {@code name}; empty if the agent could not be asked or does not have it. */
  public Optional<String> get(String name) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(api).timeout(LIMIT)
          .header("Content-Type", "application/json").header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"GET_FLAGS\"}")).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return Optional.empty();
      }
      return find(JSON.readTree(r.body()), name);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Flag {@code name} in a GET_FLAGS response ({@code get_flags.flags[]} of name and value). */
  static Optional<String> find(JsonNode response, String name) {
    for (JsonNode f : response.path("get_flags").path("flags")) {
      if (name.equals(f.path("name").asText()) && f.path("value").isTextual()) {
        return Optional.of(f.path("value").asText());
      }
    }
    return Optional.empty();
  }
}
