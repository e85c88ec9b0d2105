package dev.chorus.cli;

import dev.chorus.chain.ChainException;
import dev.chorus.chain.SubnetChain;
import dev.chorus.config.ChainSettings;
import dev.chorus.config.IpLiteral;
import dev.chorus.config.MinerConfig;
import dev.chorus.miner.corpus.CorpusException;
import dev.chorus.miner.examples.ConfiguredMiner;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.server.MetagraphSource;
import dev.chorus.miner.server.MinerServer;
import dev.chorus.miner.server.Registration;
import dev.chorus.miner.server.StopOnSignal;
import dev.chorus.validator.ChainClients;
import dev.chorus.validator.ValidatorKey;
import io.vertx.core.Vertx;
import org.web3j.crypto.Credentials;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code chorus miner}: runs an example miner from config until SIGTERM or Ctrl-C. With
 * {@code --register} it also registers the hotkey (when it has no uid yet) and announces the axon at
 * {@code server.external_host} and the bound port, so one command puts a miner on the subnet.
 */
@Command(name = "miner", mixinStandardHelpOptions = true,
        description = {"Run a miner: answer validators' signed queries with an example model (model.kind).",
                "Settings: defaults < --config FILE < CHORUS_* environment variables < --set KEY=VALUE."})
public final class MinerCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--register",
            description = "Register the hotkey on the subnet if it has no uid, then announce the axon (server.external_host and the bound port).")
    boolean register;

    @Option(names = "--print-config", description = "Print the effective settings and exit. Keys and tokens"
            + " are not among them (only the names of the variables holding them), but chain.rpc_url is printed in full.")
    boolean printConfig;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where the hotkey and API key variables are read; tests in this package substitute their own. */
    Map<String, String> env = System.getenv();

    public MinerCommand() {
    }

    @Override
    public Integer call() throws Exception {
        if (printConfig) {
            return config.print(MinerConfig.defaults(), spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        MinerConfig settings = config.load(MinerConfig.defaults());
        PrintWriter out = spec.commandLine().getOut();
        Credentials key;
        try {
            key = ValidatorKey.load(settings.key(), env);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        int netuid = settings.chain().netuid();
        SubnetChain chain = ChainClients.connect(settings.chain(), key);
        Vertx vertx = Vertx.vertx();
        ConfiguredMiner miner = null;
        MinerServer server = null;
        try {
            miner = ConfiguredMiner.from(settings, vertx, env);
            // Listening comes before registering, so a port already taken costs no registration burn.
            server = miner.applyTo(MinerServer.builder().vertx(vertx).hotkey(Hotkey.of(key)).netuid(netuid)
                            .metagraph(sayingWhatToCheck(MetagraphSource.fromChain(chain, netuid), settings.chain())).options(settings.server())
                            .metagraphRefresh(settings.chain().metagraphRefresh()))
                    .start().await();
            if (register) {
                Registration registration = server.joinSubnet(chain, settings.server().externalHost());
                out.println((registration.registeredNow() ? "registered" : "already registered") + " as uid "
                        + registration.uid() + " on subnet " + netuid);
                out.println((registration.axonAnnouncedNow() ? "axon announced at " : "axon already announced at ")
                        + IpLiteral.withPort(settings.server().externalHost(), server.port()));
            }
            out.println("miner " + chain.signer() + " (" + miner.description() + ") serving subnet " + netuid
                    + " on " + IpLiteral.withPort(settings.server().host(), server.port()));
            out.flush();
        } catch (CorpusException | IllegalArgumentException e) {
            shutDown(server, miner, vertx, chain);
            throw new UserInputException(e.getMessage(), e);
        } catch (RuntimeException e) {
            shutDown(server, miner, vertx, chain);
            throw e;
        }
        awaitShutdown(server, miner, vertx, chain);
        return 0;
    }

    /**
     * Blocks until SIGTERM or Ctrl-C, whose stop runs before the JVM shuts down, while ONNX Runtime still answers the
     * queries in flight; an interrupt (an embedding caller stopping it) also shuts down.
     */
    private static void awaitShutdown(MinerServer server, ConfiguredMiner miner, Vertx vertx, SubnetChain chain) {
        CountDownLatch stopped = new CountDownLatch(1);
        StopOnSignal stop = StopOnSignal.install("chorus-miner-shutdown", () -> {
            shutDown(server, miner, vertx, chain);
            stopped.countDown();
        });
        try {
            stopped.await();
        } catch (InterruptedException e) {
            stop.stopNow();
            Thread.currentThread().interrupt();
        }
    }

    private static void shutDown(MinerServer server, ConfiguredMiner miner, Vertx vertx, SubnetChain chain) {
        try {
            if (server != null) {
                server.close().await();
            }
            if (miner != null) {
                miner.close();
            }
        } catch (Exception e) {
            System.err.println("miner shutdown did not finish cleanly: " + e);
        } finally {
            vertx.close();
            chain.close();
        }
    }

    /**
     * The miner logs why a metagraph read failed; a chain that does not answer is said as the validator says it, with
     * the node's address (its credentials masked) and what to check.
     */
    static MetagraphSource sayingWhatToCheck(MetagraphSource source, ChainSettings chain) {
        return () -> {
            try {
                return source.fetch();
            } catch (ChainException e) {
                throw new ChainException(ChainClients.chainProblem(chain, e), e);
            }
        };
    }
}
