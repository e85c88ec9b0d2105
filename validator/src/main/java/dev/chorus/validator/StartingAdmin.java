package dev.chorus.validator;

import dev.chorus.config.RedactedUrl;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.validator.admin.AdminServer;
import dev.chorus.validator.admin.Readiness;
import dev.chorus.validator.organic.OrganicMetrics;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Map;

/**
 * The admin listener while the validator starts and cannot run its service yet (the chain does not answer, the model
 * loads): the service's own {@link AdminServer}, with its token and Host rules, answering live, not ready with what
 * it waits for, mode {@value #MODE}, and every metric at its start value (the organic ones too, when enabled). Closed
 * just before the service opens its listener on the same address.
 */
final class StartingAdmin implements AutoCloseable {

    static final String MODE = "starting";

    private final AdminServer server;
    private final ValidatorMetrics metrics = new ValidatorMetrics();
    private final String hotkey;
    private final int netuid;
    private volatile String waitingFor;

    /** The /api/status document while starting: the fields the dashboard reads, nothing known yet left empty. */
    record Status(Validator validator, boolean ready, String notReadyReason, Chain chain, Rounds rounds,
                  List<Object> miners, List<Object> history) {
    }

    record Validator(String hotkey, Integer uid, int netuid, String mode) {
    }

    record Chain(Long block) {
    }

    /** {@code count}, the rounds of the state folder, is unknown until the service loads the state. */
    record Rounds(Long count, boolean inFlight, Map<String, Long> sinceStart) {
    }

    private StartingAdmin(Vertx vertx, ValidatorConfig config, String hotkey, String token) {
        this.hotkey = hotkey;
        this.netuid = config.chain().netuid();
        this.waitingFor = "connecting to the chain at " + RedactedUrl.of(config.chain().rpcUrl());
        if (config.organic().enabled()) {
            // Registered at 0 as they will be once the organic listener is up, so that an alert on them sees zeros
            // while the validator waits for the chain, not no data.
            new OrganicMetrics(metrics.registry());
        }
        this.server = new AdminServer(vertx, config.admin(), token, metrics.registry(), this::status,
                () -> Readiness.notReady(waitingFor), router -> { });
    }

    /** Listens on admin.host:admin.port; fails where the service's listener would (a busy port, no token off loopback). */
    static StartingAdmin open(Vertx vertx, ValidatorConfig config, String hotkey, String token) throws Exception {
        StartingAdmin admin = new StartingAdmin(vertx, config, hotkey, token);
        ValidatorLauncher.await(admin.server.start());
        ValidatorLog.adminWhileStarting(admin.server.url());
        return admin;
    }

    /** What /health/ready and /api/status give as the reason the validator is not ready yet. */
    void waitingFor(String reason) {
        waitingFor = reason;
    }

    /**
     * A try to reach the chain failed, {@code reason} saying how: counted as the service counts its chain calls'
     * failures, so that an alert on chorus_chain_rpc_errors_total fires for a node down since the start too.
     */
    void chainUnreachable(String reason) {
        waitingFor(reason);
        metrics.chainRpcError("connect");
    }

    private Status status() {
        return new Status(new Validator(hotkey, null, netuid, MODE), false, waitingFor, new Chain(null),
                new Rounds(null, false, metrics.roundsSinceStart()), List.of(), List.of());
    }

    /** Frees the address for the service's listener. */
    @Override
    public void close() throws Exception {
        try {
            ValidatorLauncher.await(server.stop());
        } finally {
            metrics.close();
        }
    }
}
