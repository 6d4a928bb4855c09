package io.ovnmesos.executorhook.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The executor hook's metrics in Prometheus format: latency of each stage of an ADD (getting the
 * port, plumbing the container, plugging into br-int, waiting for ovn-controller) and of whole
 * calls, calls by command and outcome, errors by CNI code, and ports the agent had to make itself.
 */
public final class HookMetrics implements AutoCloseable {
  /** The stages of an ADD. */
  public enum Stage { PORT, PLUMB, PLUG, INSTALL }

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private HttpServer http;

  /** Times {@code work} as {@code stage} of an ADD. */
  public <T> T time(Stage stage, Supplier<T> work) {
    return timer("ovn_mesos_cni_add_stage", "stage", stage.name().toLowerCase()).record(work);
  }

  /** Times {@code work} as {@code stage} of an ADD. */
  public void time(Stage stage, Runnable work) {
    timer("ovn_mesos_cni_add_stage", "stage", stage.name().toLowerCase()).record(work);
  }

  /** Records a finished call. */
  public void call(String command, boolean ok, int errorCode, Duration took) {
    timer("ovn_mesos_cni_call", "command", command, "result", ok ? "ok" : "error").record(took);
    if (!ok) {
      Counter.builder("ovn_mesos_cni_errors").tag("code", Integer.toString(errorCode))
          .description("CNI calls that failed, by CNI error code").register(registry).increment();
    }
  }

  /** Counts a port the agent made because none was provided for the interface. */
  public void agentCreatedPort() {
    Counter.builder("ovn_mesos_agent_created_ports").description("logical ports the agent made itself")
        .register(registry).increment();
  }

  /** Counts what reconciliation removed. */
  public void reconciled(int switchPorts, int logicalPorts) {
    Counter.builder("ovn_mesos_reconcile_removed").tag("kind", "switch_port").register(registry).increment(switchPorts);
    Counter.builder("ovn_mesos_reconcile_removed").tag("kind", "logical_port").register(registry).increment(logicalPorts);
  }

  private Timer timer(String name, String... tags) {
    return Timer.builder(name).tags(tags).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
  }

  /** The metrics in Prometheus' text format. */
  public String scrape() {
    return registry.scrape();
  }

  /** Serves {@code /metrics} on {@code address} (host:port). */
  public void serve(String address) throws IOException {
    int colon = address.lastIndexOf(':');
    http = HttpServer.create(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), 0);
    http.createContext("/metrics", exchange -> {
      byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    http.start();
  }

  /** The port the endpoint listens on (for tests that asked for port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    if (http != null) {
      http.stop(0);
    }
    registry.close();
  }
}
