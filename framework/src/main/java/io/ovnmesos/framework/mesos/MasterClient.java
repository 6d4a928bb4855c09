package io.ovnmesos.framework.mesos;

import com.google.protobuf.Message;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the leading Mesos master over its v1 HTTP APIs in JSON, as Mesos requires them: POST,
 * {@code Content-Type: application/json} exactly, and {@code Accept: application/json} (or, for
 * event streams, {@code application/x-protobuf}). It finds the
 * leader among the detector's candidates: a non-leader's 307 (whose Location is protocol-relative,
 * {@code //host:port/path}) is followed, and a 503 (no leader yet, or recovering) moves on to the next
 * candidate. The last leader found is tried first next time.
 */
public final class MasterClient {
  private static final Logger LOG = LoggerFactory.getLogger(MasterClient.class);
  private static final int MAX_REDIRECTS = 3;

  private final MasterDetector detector;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Optional<String> authorization;
  private volatile URI leader;

  /**
   * @param credentials {@code principal:secret} for HTTP Basic authentication, or empty
   * @param requestTimeout how long a non-streaming call may take
   */
  public MasterClient(MasterDetector detector, Optional<String> credentials, Duration requestTimeout) {
    this.detector = detector;
    this.requestTimeout = requestTimeout;
    this.authorization = credentials.map(c -> "Basic " + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8)));
    // Redirects are followed by hand: Mesos' Location has no scheme, and POST must stay POST.
    this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5))
        .version(HttpClient.Version.HTTP_1_1).build();
  }

  /** An answer from the leading master. */
  public record Answer<T>(URI master, int status, HttpResponse<T> response) {}

  /** Sends {@code call} to {@code path} on the leader and reads the whole answer. */
  public Answer<byte[]> call(String path, Message call, Optional<String> streamId) {
    return send(path, call, streamId, HttpResponse.BodyHandlers.ofByteArray(), true);
  }

  /**
   * Sends {@code call} to {@code path} on the leader and answers the streaming body (RecordIO), for
   * SUBSCRIBE, whose records come in {@code accept} ({@link #JSON} or {@link #PROTOBUF}). The caller
   * reads it and closes it; the body has no read timeout of its own.
   */
  public Answer<InputStream> stream(String path, Message call, String accept) {
    return send(path, call, Optional.empty(), HttpResponse.BodyHandlers.ofInputStream(), false, accept);
  }

  /** Mesos' two encodings. */
  public static final String JSON = "application/json";
  public static final String PROTOBUF = "application/x-protobuf";

  private <T> Answer<T> send(String path, Message call, Optional<String> streamId, HttpResponse.BodyHandler<T> body,
      boolean timed) {
    return send(path, call, streamId, body, timed, JSON);
  }

  private <T> Answer<T> send(String path, Message call, Optional<String> streamId, HttpResponse.BodyHandler<T> body,
      boolean timed, String accept) {
    List<URI> tries = new ArrayList<>();
    URI last = leader;
    if (last != null) {
      tries.add(last);
    }
    detector.candidates().stream().filter(u -> !u.equals(last)).forEach(tries::add);
    if (tries.isEmpty()) {
      throw new MesosException("no Mesos master is known yet");
    }
    byte[] json = MesosJson.print(call);
    List<String> failures = new ArrayList<>();
    for (URI base : tries) {
      URI target = base;
      for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
        HttpRequest.Builder req = HttpRequest.newBuilder(target.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(json))
            .header("Content-Type", JSON).header("Accept", accept);
        streamId.ifPresent(id -> req.header("Mesos-Stream-Id", id));
        authorization.ifPresent(a -> req.header("Authorization", a));
        if (timed) {
          req.timeout(requestTimeout);
        }
        HttpResponse<T> r;
        try {
          r = http.send(req.build(), body);
        } catch (IOException e) {
          failures.add(target + ": " + e);
          break;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new MesosException("interrupted while calling the master", e);
        }
        if (r.statusCode() == 307) {
          Optional<String> location = r.headers().firstValue("Location");
          closeQuietly(r);
          if (location.isEmpty()) {
            failures.add(target + ": 307 without a Location");
            break;
          }
          target = leaderBase(target, location.get());
          LOG.debug("{} is not the leading master; it points at {}", base, target);
          continue;
        }
        if (r.statusCode() == 503) {
          closeQuietly(r);
          failures.add(target + ": 503 (no leading master yet)");
          break;
        }
        leader = target;
        return new Answer<>(target, r.statusCode(), r);
      }
    }
    throw new MesosException("no leading Mesos master answered: " + String.join("; ", failures));
  }

  /** The base URI of the leader named by a 307 Location, which Mesos sends as {@code //host:port/path}. */
  static URI leaderBase(URI from, String location) {
    URI loc = location.startsWith("//") ? URI.create(from.getScheme() + ":" + location) : from.resolve(location);
    return URI.create(loc.getScheme() + "://" + loc.getHost() + ":" + (loc.getPort() < 0 ? from.getPort() : loc.getPort()));
  }

  private static void closeQuietly(HttpResponse<?> r) {
    if (r.body() instanceof InputStream in) {
      try {
        in.close();
      } catch (IOException ignored) {
        // nothing more to read
      }
    }
  }

  /** Throws unless the answer has {@code expected} status, quoting what the master said. */
  public static void expect(Answer<byte[]> a, int... expected) {
    for (int e : expected) {
      if (a.status() == e) {
        return;
      }
    }
    throw new MesosException("the master at " + a.master() + " answered " + a.status() + ": "
        + new String(a.response().body(), StandardCharsets.UTF_8).strip());
  }
}
