package io.ovnmesos.testcluster.master;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ovnmesos.testcluster.http.MesosHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * A master's HTTP endpoint, as one Mesos master process serves it: the operator API at
 * {@code /api/v1} and the scheduler API at {@code /api/v1/scheduler} on one address. A master that
 * does not lead answers as Mesos does: 307 with a protocol-relative Location naming the leader, or
 * 503 "No leader elected".
 */
public final class MasterServer implements AutoCloseable {
  private final Master master;
  private final HttpServer http;
  private final ExecutorService handlers = MesosHttp.handlers("master-http");
  private final OperatorApi operator;
  private final SchedulerApi scheduler;

  private MasterServer(Master master, InetSocketAddress bind, Duration heartbeat) throws IOException {
    this.master = master;
    this.http = HttpServer.create(bind, 0);
    http.setExecutor(handlers);
    this.operator = new OperatorApi(master, http, heartbeat);
    this.scheduler = new SchedulerApi(master, http, heartbeat);
    Filter leading = new Filter() {
      @Override
      public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        Leader l = leader;
        if (l.leads()) {
          chain.doFilter(ex);
          return;
        }
        notLeading.incrementAndGet();
        if (l.other() == null) {
          MesosHttp.reply(ex, 503, "No leader elected");
        } else {
          // As a non-leading Mesos master: protocol-relative, the leader's hostname and port, the same path.
          ex.getResponseHeaders().set("Location", "//" + l.other().http.getAddress().getHostString() + ":"
              + l.other().port() + ex.getRequestURI());
          MesosHttp.reply(ex, 307, "");
        }
      }

      @Override
      public String description() {
        return "leading master";
      }
    };
    operator.context().getFilters().add(leading);
    scheduler.context().getFilters().add(leading);
    operator.context().getFilters().add(authentication("mesos-master-readwrite"));
    scheduler.context().getFilters().add(authentication("mesos-master-scheduler"));
    http.start();
    master.advertise(http.getAddress().getHostString(), http.getAddress().getPort());
  }

  private volatile String credentials;
  private final java.util.concurrent.atomic.AtomicInteger unauthenticated = new java.util.concurrent.atomic.AtomicInteger();

  /** Calls refused with 401 for lack of the right credentials. */
  public int unauthenticatedAnswers() {
    return unauthenticated.get();
  }

  /**
   * Requires HTTP Basic authentication with {@code principal} and {@code secret}, as a master started
   * with {@code --authenticate_http_readwrite}, {@code --authenticate_http_frameworks} and
   * {@code --credentials} does: 401 with the API's realm otherwise.
   */
  public void requireCredentials(String principal, String secret) {
    credentials = "Basic " + java.util.Base64.getEncoder().encodeToString((principal + ":" + secret)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private Filter authentication(String realm) {
    return new Filter() {
      @Override
      public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        String wanted = credentials;
        if (wanted == null || wanted.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
          chain.doFilter(ex);
          return;
        }
        unauthenticated.incrementAndGet();
        ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
        MesosHttp.reply(ex, 401, "");
      }

      @Override
      public String description() {
        return "HTTP Basic authentication, realm " + realm;
      }
    };
  }

  /** Who leads, as this master sees it: itself, another master, or nobody. */
  private record Leader(boolean leads, MasterServer other) {}

  private volatile Leader leader = new Leader(true, null);
  private final java.util.concurrent.atomic.AtomicInteger notLeading = new java.util.concurrent.atomic.AtomicInteger();

  /** Calls this master answered with 307 or 503 because it did not lead. */
  public int notLeadingAnswers() {
    return notLeading.get();
  }

  /** This master leads (the default). */
  public void lead() {
    leader = new Leader(true, null);
  }

  /** Another master leads: calls here are redirected there (307). */
  public void follow(MasterServer leading) {
    leader = new Leader(false, leading);
  }

  /** No master leads yet: calls here get 503. */
  public void noLeader() {
    leader = new Leader(false, null);
  }

  /** Serves {@code master} on {@code bind} (port 0 for any), with heartbeats every {@code heartbeat}. */
  public static MasterServer start(Master master, InetSocketAddress bind, Duration heartbeat) throws IOException {
    return new MasterServer(master, bind, heartbeat);
  }

  /** Serves {@code master} on a free port of 127.0.0.1. */
  public static MasterServer start(Master master, Duration heartbeat) throws IOException {
    return start(master, new InetSocketAddress("127.0.0.1", 0), heartbeat);
  }

  /** The scheduler API, for what frameworks told it. */
  public SchedulerApi scheduler() {
    return scheduler;
  }

  public Master master() {
    return master;
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /** {@code host:port}, as a framework is given a master. */
  public String address() {
    return http.getAddress().getHostString() + ":" + port();
  }

  /** Stops serving: every event stream ends, as when a master process stops. */
  @Override
  public void close() {
    operator.close();
    scheduler.close();
    http.stop(0);
    handlers.shutdownNow();
  }
}
