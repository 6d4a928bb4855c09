package io.ovnmesos.framework.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The replica's HTTP status: {@code /metrics} in Prometheus format, {@code /health} (200 while the
 * process serves), and {@code /ready} (200 only on the leader once it is subscribed to the master;
 * 503 on a standby, so a load balancer or check can tell them apart).
 */
public final class StatusEndpoint implements AutoCloseable {
  private final HttpServer http;

  private StatusEndpoint(HttpServer http) {
    this.http = http;
  }

  public static StatusEndpoint start(InetSocketAddress bind, FrameworkMetrics metrics, BooleanSupplier ready) throws IOException {
    HttpServer http = HttpServer.create(bind, 0);
    http.createContext("/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    http.createContext("/health", ex -> send(ex, 200, "text/plain", "ok\n"));
    http.createContext("/ready", ex -> {
      boolean r = ready.getAsBoolean();
      send(ex, r ? 200 : 503, "text/plain", r ? "leading and subscribed\n" : "standby, or not subscribed to the master\n");
    });
    http.start();
    return new StatusEndpoint(http);
  }

  private static void send(HttpExchange ex, int code, String type, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(code, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  public int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
