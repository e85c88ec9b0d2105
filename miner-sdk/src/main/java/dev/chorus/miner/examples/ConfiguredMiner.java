package dev.chorus.miner.examples;

import dev.chorus.config.MinerConfig;
import dev.chorus.config.MinerModelSettings;
import dev.chorus.miner.corpus.CorpusException;
import dev.chorus.miner.corpus.QaCorpus;
import dev.chorus.miner.server.AsyncMiner;
import dev.chorus.miner.server.Miner;
import dev.chorus.miner.server.MinerServer;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The example miner that {@link MinerModelSettings} names, with whatever it holds open (the
 * embedding model, the upstream HTTP client), which {@link #close()} releases.
 */
public final class ConfiguredMiner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.chorus.miner");

    private final String description;
    private final Miner miner;
    private final AsyncMiner asyncMiner;
    private final AutoCloseable resources;

    private ConfiguredMiner(String description, Miner miner, AsyncMiner asyncMiner, AutoCloseable resources) {
        this.description = description;
        this.miner = miner;
        this.asyncMiner = asyncMiner;
        this.resources = resources;
    }

    /**
     * Builds the miner; loading the embedding model and embedding the corpus can take seconds.
     *
     * @param env the process environment, read only for {@code model.api_key_env}
     */
    public static ConfiguredMiner from(MinerConfig config, Vertx vertx, Map<String, String> env) {
        MinerModelSettings model = config.model();
        return switch (model.kind()) {
            case "openai" -> {
                OpenAiCompatibleMiner forwarder = new OpenAiCompatibleMiner(vertx, model.endpoint(), model.modelName(),
                        env.get(model.apiKeyEnv()), model.timeout(), model.maxTokens(), model.systemPrompt(),
                        config.server().maxConcurrency());
                // A warning, not a refusal to start: the model server may come up after the miner does.
                forwarder.unreachable().onSuccess(problem -> problem.ifPresent(why -> LOG.warn("model.endpoint {} is"
                        + " unreachable ({}); validators' queries fail with MINER_FAILED until it answers: start the"
                        + " model server or correct model.endpoint", model.endpoint(), why)));
                yield new ConfiguredMiner("openai-compatible " + model.endpoint() + " model " + model.modelName(),
                        null, forwarder, forwarder);
            }
            case "constant" -> new ConfiguredMiner("constant", new ConstantMiner(model.constantAnswer()), null, () -> { });
            case "knowledge-base", "noisy", "slow" -> {
                QaCorpus corpus;
                try {
                    corpus = QaCorpus.loadOrBuiltIn(model.corpus());
                } catch (CorpusException e) {
                    throw new IllegalArgumentException("model.corpus: " + e.getMessage(), e);
                }
                OnnxEmbeddingModel embedder = OnnxEmbeddingModel.open(EmbeddingOptions.from(config.embedding()));
                try {
                    Miner knowledge = new KnowledgeBaseMiner(corpus, embedder);
                    Miner chosen = switch (model.kind()) {
                        case "noisy" -> new NoisyMiner(knowledge, corpus, model.errorRate(), model.seed());
                        case "slow" -> new SlowMiner(knowledge, model.delay());
                        default -> knowledge;
                    };
                    yield new ConfiguredMiner(model.kind() + " over " + corpus.size() + " Q&A pairs ("
                            + corpus.source() + ")", chosen, null, embedder);
                } catch (RuntimeException | Error e) {
                    // No ConfiguredMiner holds the session yet, so nobody else would close it.
                    embedder.close();
                    throw e;
                }
            }
            default -> throw new IllegalArgumentException("model.kind '" + model.kind() + "' is not one of "
                    + MinerModelSettings.KINDS);
        };
    }

    /** Puts this miner into the server builder. */
    public MinerServer.Builder applyTo(MinerServer.Builder builder) {
        return miner != null ? builder.miner(miner) : builder.asyncMiner(asyncMiner);
    }

    public String description() {
        return description;
    }

    @Override
    public void close() throws Exception {
        resources.close();
    }
}
