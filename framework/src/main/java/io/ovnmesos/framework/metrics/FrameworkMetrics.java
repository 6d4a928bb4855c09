package io.ovnmesos.framework.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The framework's metrics in Prometheus format: ports provisioned, deleted and reconciled, refusals
 * by reason, errors by kind, the latency from TASK_ADDED to the port committed, transaction latency
 * and batch sizes, claims by outcome, and whether this replica leads.
 */
public final class FrameworkMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger leader = new AtomicInteger();
  private final AtomicInteger subscribed = new AtomicInteger();
  private final Timer eventToReady;
  private final Timer nameToReady;
  private final Timer transaction;
  private final DistributionSummary batch;

  public FrameworkMetrics() {
    Gauge.builder("ovn_mesos_framework_leader", leader, AtomicInteger::get).description("1 while this replica leads")
        .register(registry);
    Gauge.builder("ovn_mesos_framework_subscribed", subscribed, AtomicInteger::get)
        .description("master subscriptions up (scheduler and operator), 0 to 2").register(registry);
    eventToReady = timer("ovn_mesos_port_ready_latency", "from TASK_ADDED received to its port committed to OVN");
    nameToReady = timer("ovn_mesos_name_ready_latency",
        "from the task event that changed a name's serving tasks received to the name's records committed to OVN");
    transaction = timer("ovn_mesos_nb_transaction_latency", "Northbound transactions the framework commits");
    batch = DistributionSummary.builder("ovn_mesos_nb_batch_operations").description("port changes per transaction")
        .publishPercentileHistogram().register(registry);
  }

  private Timer timer(String name, String description) {
    return Timer.builder(name).description(description).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
  }

  public void leader(boolean leads) {
    leader.set(leads ? 1 : 0);
  }

  public void subscribed(int streams) {
    subscribed.set(streams);
  }

  public void provisioned(int n) {
    Counter.builder("ovn_mesos_ports_provisioned").description("ports created for tasks").register(registry).increment(n);
  }

  public void deleted(int n) {
    Counter.builder("ovn_mesos_ports_deleted").description("ports deleted for tasks that ended").register(registry).increment(n);
  }

  /** Ports created or deleted by reconciliation (action "created" or "deleted"). */
  public void reconciled(String action, int n) {
    Counter.builder("ovn_mesos_ports_reconciled").tag("action", action).register(registry).increment(n);
  }

  public void refused(String reason) {
    Counter.builder("ovn_mesos_ports_refused").tag("reason", reason.toLowerCase(Locale.ROOT))
        .description("interfaces given no port, by reason").register(registry).increment();
  }

  public void error(String kind) {
    Counter.builder("ovn_mesos_framework_errors").tag("kind", kind).register(registry).increment();
  }

  public void claim(String outcome) {
    Counter.builder("ovn_mesos_claims").tag("outcome", outcome).register(registry).increment();
  }

  /** A name's records committed, {@code d} after the event that changed them was received. */
  public void nameReadyAfter(Duration d) {
    nameToReady.record(d);
  }

  public void readyAfter(Duration d) {
    eventToReady.record(d);
  }

  public void committed(int operations, Duration took) {
    batch.record(operations);
    transaction.record(took);
  }

  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    registry.close();
  }
}
