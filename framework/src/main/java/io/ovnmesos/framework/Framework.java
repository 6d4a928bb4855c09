package io.ovnmesos.framework;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.framework.claim.ClaimBoard;
import io.ovnmesos.framework.claim.PortClaimService;
import io.ovnmesos.framework.ha.FencingEpoch;
import io.ovnmesos.framework.ha.Leadership;
import io.ovnmesos.framework.inventory.InventoryService;
import io.ovnmesos.framework.mesos.MasterClient;
import io.ovnmesos.framework.mesos.MasterDetector;
import io.ovnmesos.framework.mesos.Subscriber;
import io.ovnmesos.framework.metrics.FrameworkMetrics;
import io.ovnmesos.framework.metrics.StatusEndpoint;
import io.ovnmesos.framework.port.PortWriter;
import io.ovnmesos.framework.reconcile.GracePeriods;
import io.ovnmesos.framework.reconcile.Reconciler;
import io.ovnmesos.framework.scheduler.FrameworkRegistration;
import io.ovnmesos.framework.task.TaskEvents;
import io.ovnmesos.framework.task.TaskNetworks;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.proto.tls.GrpcTls;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.dns.DnsNames;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.mesos.v1.Protos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One framework replica: always serves gRPC and its status endpoint; while it leads, it holds the
 * fencing epoch, is registered with the master, follows the operator event stream and writes task
 * ports. Losing leadership (or being fenced) stops all of that until it leads again.
 */
public final class Framework implements AutoCloseable, Leadership.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(Framework.class);

  /** Everything a replica is configured with. */
  public record Settings(String master, Optional<String> masterCredentials, OvsdbOptions nb, Optional<String> zk,
      String zkPath, int zkSessionTimeoutMillis, InetSocketAddress grpc, Optional<InetSocketAddress> status,
      Protos.FrameworkInfo frameworkInfo, Set<String> ovnNetworks, TenantAccess access, Duration unreachableGrace,
      Duration orphanGrace, Duration initialBackoff, Optional<GrpcTls> grpcTls, Duration resync, Optional<String> dnsDomain) {

    public Settings {
      if (resync.isNegative()) {
        throw new IllegalArgumentException("--resync-interval must not be negative, got " + resync);
      }
      dnsDomain = dnsDomain.map(d -> DnsNames.checkDomain("--dns-domain", d));
    }

    /** How often the desired ports are reconciled again between snapshots, unless set otherwise. */
    public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(5);

    /** Settings that resync every {@link #DEFAULT_RESYNC}. */
    public Settings(String master, Optional<String> masterCredentials, OvsdbOptions nb, Optional<String> zk,
        String zkPath, int zkSessionTimeoutMillis, InetSocketAddress grpc, Optional<InetSocketAddress> status,
        Protos.FrameworkInfo frameworkInfo, Set<String> ovnNetworks, TenantAccess access, Duration unreachableGrace,
        Duration orphanGrace, Duration initialBackoff, Optional<GrpcTls> grpcTls) {
      this(master, masterCredentials, nb, zk, zkPath, zkSessionTimeoutMillis, grpc, status, frameworkInfo, ovnNetworks, access,
          unreachableGrace, orphanGrace, initialBackoff, grpcTls, DEFAULT_RESYNC, Optional.of(DnsNames.DEFAULT_DOMAIN));
    }

    /** These settings, reconciling again every {@code every} (zero: only on snapshots). */
    public Settings withResync(Duration every) {
      return new Settings(master, masterCredentials, nb, zk, zkPath, zkSessionTimeoutMillis, grpc, status, frameworkInfo,
          ovnNetworks, access, unreachableGrace, orphanGrace, initialBackoff, grpcTls, every, dnsDomain);
    }

    /** These settings, naming tasks under {@code domain} (empty: no names). */
    public Settings withDnsDomain(Optional<String> domain) {
      return new Settings(master, masterCredentials, nb, zk, zkPath, zkSessionTimeoutMillis, grpc, status, frameworkInfo,
          ovnNetworks, access, unreachableGrace, orphanGrace, initialBackoff, grpcTls, resync, domain);
    }

    /** Settings whose gRPC server is plain text. */
    public Settings(String master, Optional<String> masterCredentials, OvsdbOptions nb, Optional<String> zk,
        String zkPath, int zkSessionTimeoutMillis, InetSocketAddress grpc, Optional<InetSocketAddress> status,
        Protos.FrameworkInfo frameworkInfo, Set<String> ovnNetworks, TenantAccess access, Duration unreachableGrace,
        Duration orphanGrace, Duration initialBackoff) {
      this(master, masterCredentials, nb, zk, zkPath, zkSessionTimeoutMillis, grpc, status, frameworkInfo, ovnNetworks, access,
          unreachableGrace, orphanGrace, initialBackoff, Optional.empty(), DEFAULT_RESYNC, Optional.of(DnsNames.DEFAULT_DOMAIN));
    }

    /** Everything but the master credentials' secret, so that the settings can be logged. */
    @Override
    public String toString() {
      return "Settings[master=" + master + ", masterCredentials=" + masterCredentials.map(c -> c.split(":", 2)[0] + ":***")
          .orElse("none") + ", nb=" + nb + ", zk=" + zk + ", zkPath=" + zkPath + ", grpc=" + grpc + ", status=" + status
          + ", ovnNetworks=" + ovnNetworks + ", unreachableGrace=" + unreachableGrace + ", orphanGrace=" + orphanGrace
          + ", resync=" + resync + ", dnsDomain=" + dnsDomain.orElse("none") + ", grpcTls=" + grpcTls.isPresent() + "]";
    }
  }

  private final Settings settings;
  private final FrameworkMetrics metrics = new FrameworkMetrics();
  private final PortClaimService claims;
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "framework-timers");
    t.setDaemon(true);
    return t;
  });
  /** Whether the operator API and the scheduler API streams are subscribed now. */
  private final AtomicBoolean operatorStream = new AtomicBoolean();
  private final AtomicBoolean schedulerStream = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Takes the epoch, which may wait for the Northbound's contents, off the election's thread. */
  private final ExecutorService epochTaker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "fencing-epoch");
    t.setDaemon(true);
    return t;
  });
  private Topology topology;
  private FencingEpoch fencing;
  private OvsdbClient fencingClient;
  private MasterDetector detector;
  private MasterClient client;
  private Server grpc;
  private StatusEndpoint status;
  private volatile Leadership leadership;
  private volatile Active active;

  /** What exists only while leading. */
  private record Active(PortWriter writer, ClaimBoard board, Reconciler reconciler, TaskEvents events,
      FrameworkRegistration registration, Subscriber<?> scheduler, Subscriber<?> operator) {}

  private Framework(Settings settings) {
    this.settings = settings;
    this.claims = new PortClaimService(metrics, settings.access(), settings.dnsDomain());
  }

  /** Starts a replica; it leads at once without ZooKeeper, else when elected. */
  public static Framework start(Settings settings) throws Exception {
    Framework f = new Framework(settings);
    try {
      f.startServing();
      return f;
    } catch (Exception | Error e) {
      f.close();
      throw e;
    }
  }

  private void startServing() throws Exception {
    if (settings.access().isOpen()) {
      LOG.warn("No --allow rules: every role and framework may use every tenant's networks");
    }
    // The epoch has a connection of its own, made first: the Northbound's contents can take seconds
    // to arrive, and taking the lead must not wait behind them.
    fencingClient = OvsdbClient.connect(settings.nb());
    fencing = new FencingEpoch(fencingClient);
    topology = new Topology(Northbound.connectInBackground(settings.nb(), Northbound.TASK_PORT_COLUMNS));
    detector = MasterDetector.parse(settings.master());
    client = new MasterClient(detector, settings.masterCredentials(), Duration.ofSeconds(30));
    NettyServerBuilder server = NettyServerBuilder.forAddress(settings.grpc()).addService(claims)
        .addService(new InventoryService(topology));
    if (settings.grpcTls().isPresent()) {
      server.sslContext(settings.grpcTls().get().serverContext());
    }
    grpc = server.build().start();
    if (settings.status().isPresent()) {
      status = StatusEndpoint.start(settings.status().get(), metrics, this::isReady);
    }
    leadership = Leadership.start(settings.zk(), settings.zkPath(), "grpc://" + settings.grpc().getHostString() + ":"
        + grpc.getPort(), settings.zkSessionTimeoutMillis(), this);
  }

  /** The port gRPC listens on. */
  public int grpcPort() {
    return grpc.getPort();
  }

  /** The port of /metrics, /health and /ready, if served. */
  public Optional<Integer> statusPort() {
    return Optional.ofNullable(status).map(StatusEndpoint::port);
  }

  public FrameworkMetrics metrics() {
    return metrics;
  }

  /** True while this replica leads, both master streams are subscribed and the Northbound's contents are in. */
  public boolean isReady() {
    return active != null && operatorStream.get() && schedulerStream.get() && topology.northbound().synced().isDone();
  }

  /** True while this replica leads. */
  public boolean isLeader() {
    return active != null;
  }

  /** The framework id, once registered. */
  public Optional<String> frameworkId() {
    Active a = active;
    return a == null ? Optional.empty() : a.registration().frameworkId();
  }

  /** The last reconciliation's outcome (while leading). */
  public Optional<Reconciler.Outcome> lastReconcile() {
    return Optional.ofNullable(active).map(a -> a.reconciler().last());
  }

  /** The fencing epoch this replica holds. */
  public long epoch() {
    return fencing.epoch();
  }

  @Override
  public synchronized void lead() {
    if (active != null) {
      return;
    }
    CompletableFuture<Void> writable = new CompletableFuture<>();
    ClaimBoard board = new ClaimBoard(topology);
    PortWriter writer = new PortWriter(topology, fencing, writable, settings.access(), metrics, board,
        () -> timers.execute(this::fenced), settings.dnsDomain().isPresent());
    ScheduledExecutorService eventThread = TaskEvents.eventThread();
    GracePeriods grace = new GracePeriods(eventThread);
    Reconciler reconciler = new Reconciler(topology, writer, settings.access(), metrics, grace, settings.orphanGrace());
    streams(false);
    TaskEvents events = new TaskEvents(new TaskNetworks(settings.ovnNetworks()), writer, reconciler, eventThread, grace,
        new TaskEvents.Timing(settings.unreachableGrace(), settings.resync()), up -> stream(operatorStream, up),
        this::executorsOfMaster, settings.dnsDomain());
    FrameworkRegistration registration = new FrameworkRegistration(settings.frameworkInfo(), fencing::frameworkId,
        fencing::storeFrameworkId, client, up -> stream(schedulerStream, up));
    Subscriber<org.apache.mesos.v1.scheduler.Protos.Event> scheduler = new Subscriber<>("scheduler-api", client,
        "/api/v1/scheduler", org.apache.mesos.v1.scheduler.Protos.Event::newBuilder, registration, settings.initialBackoff(),
        MasterClient.JSON);
    registration.attach(scheduler);
    Subscriber<org.apache.mesos.v1.master.Protos.Event> operator = new Subscriber<>("operator-api", client, "/api/v1",
        org.apache.mesos.v1.master.Protos.Event::newBuilder, events, settings.initialBackoff(),
        // The operator stream carries every task of the cluster: protobuf decodes many times faster than JSON.
        MasterClient.PROTOBUF);
    events.attach(operator);
    Active a = new Active(writer, board, reconciler, events, registration, scheduler, operator);
    active = a;
    claims.activate(board, writer);
    metrics.leader(true);
    // Reading needs no epoch: the master's snapshot comes while the Northbound's contents do. The
    // writer and the reconciler wait for the epoch, the scheduler API (which stores the framework id)
    // too.
    operator.start();
    epochTaker.execute(() -> takeEpoch(a, writable));
  }

  /**
   * Takes the fencing epoch once the Northbound's contents are in, then lets {@code a} write. Not
   * sooner: every new epoch makes ovn-northd recompute everything, which would slow the contents
   * arriving. Then a round trip on the cache's connection: ovsdb-server sends a monitor's pending
   * updates before it answers the next request, so the cache then shows every write made before
   * the epoch, a deposed leader's last ones included.
   */
  private void takeEpoch(Active a, CompletableFuture<Void> writable) {
    try {
      CompletableFuture<Void> synced = topology.northbound().synced();
      while (!synced.isDone()) {
        if (active != a) {
          writable.cancel(false);
          return;
        }
        try {
          synced.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          // still arriving
        }
      }
      OvsdbClient.join(synced);
      fencing.acquire();
      topology.northbound().client().echo();
    } catch (InterruptedException e) {
      writable.cancel(false);
      return;
    } catch (RuntimeException | ExecutionException e) {
      if (closed.get()) {
        writable.cancel(false);
        return; // stopped while taking it
      }
      LOG.error("Could not take the fencing epoch; letting another replica lead", e);
      metrics.error("epoch");
      writable.completeExceptionally(e);
      synchronized (this) {
        if (active == a) {
          follow();
          rejoin();
        }
      }
      return;
    }
    synchronized (this) {
      if (active != a) {
        writable.cancel(false);
        return;
      }
      writable.complete(null);
      a.scheduler().start();
    }
    LOG.info("Leading with fencing epoch {}", fencing.epoch());
  }

  /** GET_EXECUTORS from the leading master. */
  private org.apache.mesos.v1.master.Protos.Response.GetExecutors executorsOfMaster() {
    var answer = client.call("/api/v1", org.apache.mesos.v1.master.Protos.Call.newBuilder()
        .setType(org.apache.mesos.v1.master.Protos.Call.Type.GET_EXECUTORS).build(), Optional.empty());
    MasterClient.expect(answer, 200);
    return io.ovnmesos.framework.mesos.MesosJson.parse(answer.response().body(),
        org.apache.mesos.v1.master.Protos.Response.newBuilder()).build().getGetExecutors();
  }

  /** Another replica took a newer epoch: stop at once, and let the election decide again. */
  private void fenced() {
    follow();
    rejoin();
  }

  private void rejoin() {
    Leadership l = leadership;
    if (l != null) {
      l.rejoin();
    }
  }

  private void stream(AtomicBoolean which, boolean up) {
    which.set(up);
    metrics.subscribed((operatorStream.get() ? 1 : 0) + (schedulerStream.get() ? 1 : 0));
  }

  private void streams(boolean up) {
    operatorStream.set(up);
    schedulerStream.set(up);
    metrics.subscribed(0);
  }

  @Override
  public synchronized void follow() {
    Active a = active;
    if (a == null) {
      return;
    }
    active = null;
    claims.deactivate();
    a.board().abandon();
    metrics.leader(false);
    a.scheduler().close();
    a.operator().close();
    a.events().close();
    a.writer().close();
    streams(false);
    LOG.info("Standing by");
  }

  /** Stops this replica; closing again does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (leadership != null) {
      leadership.close();
    }
    follow();
    if (grpc != null) {
      grpc.shutdownNow();
    }
    if (status != null) {
      status.close();
    }
    timers.shutdownNow();
    epochTaker.shutdownNow();
    if (detector != null) {
      detector.close();
    }
    if (fencing != null) {
      fencing.close();
    }
    if (fencingClient != null) {
      fencingClient.close();
    }
    if (topology != null) {
      topology.close();
    }
    metrics.close();
  }
}
