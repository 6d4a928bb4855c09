package io.ovnmesos.testcluster.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What Mesos' HTTP APIs share: POST only (405), exactly {@code application/json} or
 * {@code application/x-protobuf} as Content-Type (415, also with a charset), a Call parsed from either
 * (400), and replies.
 */
public final class MesosHttp {
  public static final String JSON = "application/json";
  public static final String PROTOBUF = "application/x-protobuf";
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames()
      .omittingInsignificantWhitespace();

  private MesosHttp() {}

  /** A parsed call and the content type it came in. */
  public record Request<B extends Message.Builder>(B call, String contentType) {}

  /**
   * Checks the method and content type and parses the body into {@code call}; when the request is
   * refused, the answer has been sent and the result is empty.
   */
  public static <B extends Message.Builder> Optional<Request<B>> read(HttpExchange ex, B call) throws IOException {
    if (!ex.getRequestMethod().equals("POST")) {
      reply(ex, 405, "Expecting 'POST', received '" + ex.getRequestMethod() + "'");
      return Optional.empty();
    }
    String contentType = ex.getRequestHeaders().getFirst("Content-Type");
    if (!JSON.equals(contentType) && !PROTOBUF.equals(contentType)) {
      reply(ex, 415, "Expecting 'Content-Type' of " + JSON + " or " + PROTOBUF);
      return Optional.empty();
    }
    byte[] body = ex.getRequestBody().readAllBytes();
    try {
      if (contentType.equals(JSON)) {
        JsonFormat.parser().ignoringUnknownFields().merge(new String(body, StandardCharsets.UTF_8), call);
      } else {
        call.mergeFrom(body);
      }
    } catch (InvalidProtocolBufferException e) {
      reply(ex, 400, "Failed to parse body into Call: " + e.getMessage());
      return Optional.empty();
    }
    return Optional.of(new Request<>(call, contentType));
  }

  /** A message in the given content type. */
  public static byte[] encode(Message m, String type) throws IOException {
    return type.equals(JSON) ? PRINTER.print(m).getBytes(StandardCharsets.UTF_8) : m.toByteArray();
  }

  /**
   * The response encoding the request's {@code Accept} allows, JSON preferred; if neither, answers
   * 406 as Mesos does and returns empty. Mesos checks this after the method, content type and body.
   */
  public static Optional<String> responseType(HttpExchange ex) throws IOException {
    String accept = ex.getRequestHeaders().getFirst("Accept");
    String type = accept == null || accept.contains("*/*") || accept.contains(JSON) ? JSON
        : accept.contains(PROTOBUF) ? PROTOBUF : null;
    if (type == null) {
      reply(ex, 406, "Expecting 'Accept' to allow '" + JSON + "' or '" + PROTOBUF + "'");
    }
    return Optional.ofNullable(type);
  }

  /** A 200 answer with {@code m} in {@code type}. */
  public static void respond(HttpExchange ex, String type, Message m) throws IOException {
    byte[] body = encode(m, type);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /** A plain-text answer; an empty one is sent without a body. */
  public static void reply(HttpExchange ex, int code, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length == 0) {
      ex.close();
      return;
    }
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /** A pool of daemon threads named {@code name}, for request handlers. */
  public static ExecutorService handlers(String name) {
    return Executors.newCachedThreadPool(r -> daemon(r, name));
  }

  /** A single daemon timer thread named {@code name}. */
  public static ScheduledExecutorService timer(String name) {
    return Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
