package io.ovnmesos.executorhook.port;

import io.ovnmesos.topology.access.TenantAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework's tenant rules as this agent last heard them, for the ports it makes itself when no
 * replica answers a claim: asked of the framework every second until known, then every
 * {@link #REFRESH}, and kept in a file so that an agent restarted while the framework is down still
 * has them. Until it has heard them once, it has none, and makes no port itself.
 */
public final class FrameworkTenantRules implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FrameworkTenantRules.class);
  static final Duration REFRESH = Duration.ofSeconds(30);
  private static final Duration UNTIL_KNOWN = Duration.ofSeconds(1);

  private final Supplier<Optional<List<String>>> fetch;
  private final Optional<Path> cache;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tenant-rules");
    t.setDaemon(true);
    return t;
  });
  private volatile Optional<TenantAccess> current = Optional.empty();

  /**
   * @param fetch asks the framework for its rules; empty if no replica answered
   * @param cache the file the rules are kept in, if any
   */
  public FrameworkTenantRules(Supplier<Optional<List<String>>> fetch, Optional<Path> cache) {
    this.fetch = fetch;
    this.cache = cache;
    cache.filter(Files::isRegularFile).ifPresent(this::load);
  }

  /** Starts asking the framework. */
  public FrameworkTenantRules start() {
    thread.execute(this::refresh);
    return this;
  }

  /** The rules, if this agent has heard them (now or before a restart). */
  public Optional<TenantAccess> current() {
    return current;
  }

  private void load(Path file) {
    try {
      List<String> rules = Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
      current = Optional.of(TenantAccess.parse(rules));
      LOG.info("Tenant rules from {} until the framework answers: {}", file, rules.isEmpty() ? "none (all allowed)" : rules);
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("Ignoring the tenant rules kept in {}: {}", file, e.getMessage());
    }
  }

  private void refresh() {
    Duration next = current.isPresent() ? REFRESH : UNTIL_KNOWN;
    try {
      Optional<List<String>> rules = fetch.get();
      if (rules.isPresent()) {
        next = REFRESH;
        if (!current.map(TenantAccess::rules).equals(rules)) {
          TenantAccess access = TenantAccess.parse(rules.get());
          keep(rules.get());
          current = Optional.of(access);
          LOG.info("The framework's tenant rules: {}", rules.get().isEmpty() ? "none (all allowed)" : rules.get());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not take the framework's tenant rules: {}", e.getMessage());
    } finally {
      try {
        thread.schedule(this::refresh, next.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        // closed
      }
    }
  }

  /** Writes the rules to the cache file, whole or not at all. */
  private void keep(List<String> rules) {
    if (cache.isEmpty()) {
      return;
    }
    Path file = cache.get();
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, rules, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("Could not keep the tenant rules in {}: {}", file, e.getMessage());
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
