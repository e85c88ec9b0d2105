package dev.chorus.validator.demo;

import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.local.DevAccount;
import dev.chorus.config.MinerServerSettings;
import dev.chorus.miner.corpus.QaCorpus;
import dev.chorus.miner.examples.AnswerRecorder;
import dev.chorus.miner.examples.ConstantMiner;
import dev.chorus.miner.examples.CopycatMiner;
import dev.chorus.miner.examples.KnowledgeBaseMiner;
import dev.chorus.miner.examples.NoisyMiner;
import dev.chorus.miner.examples.SlowMiner;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.server.Miner;
import dev.chorus.miner.server.MinerServer;
import dev.chorus.scoring.embedding.EmbeddingModel;
import dev.chorus.validator.CorpusQuerySource;
import dev.chorus.validator.QuerySource;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's miners, each an example miner of the SDK with a known quality. Honest miners share one Q&amp;A
 * corpus but each phrases its answer its own way (as different models would), so they are not copies of one
 * another; they differ in how often they pick the wrong entry.
 */
final class DemoMiners {

    /**
     * One seat of the lineup, with what it really is in the bench's terms ({@code chorus-bench}'s truth file): its
     * class, and its true quality, the share of its answers drawn from the right corpus entry. A slow miner answers
     * after every deadline, so none of its answers counts: lazy, like one that says nothing.
     */
    enum Kind {
        KB_BEST("kb-best", "honest", 1.0),
        KB_GOOD("kb-good", "honest", 0.90),
        KB_FAIR("kb-fair", "honest", 0.75),
        KB_WEAK("kb-weak", "honest", 0.60),
        COPYCAT("copycat", "copycat", 0),
        CONSTANT("constant", "lazy", 0),
        SLOW("slow", "lazy", 0),
        OFF_TOPIC("off-topic", "noisy", 0),
        COLLUDER_A("colluder", "colluder", 0),
        COLLUDER_B("colluder", "colluder", 0);

        private final String label;
        private final String minerClass;
        private final double quality;

        Kind(String label, String minerClass, double quality) {
            this.label = label;
            this.minerClass = minerClass;
            this.quality = quality;
        }

        String label() {
            return label;
        }

        boolean honest() {
            return minerClass.equals("honest");
        }

        String minerClass() {
            return minerClass;
        }

        double quality() {
            return quality;
        }

        /** How often a noisy seat answers from a wrong entry: what its quality leaves. */
        double noise() {
            return 1 - quality;
        }
    }

    static final List<Kind> LINEUP = List.of(Kind.values());

    private static final String COLLUDED_ANSWER = "The answer is 42, as every reliable source agrees.";

    /** A miner of the demo, serving on loopback with its own hotkey; {@code miner} keeps what it gave, for the copycat. */
    record Running(Kind kind, AnswerRecorder miner, MinerServer server, SubnetChain chain, String hotkey, AtomicReference<String> last) {
        String lastAnswer() {
            return last.get();
        }
    }

    private DemoMiners() {
    }

    /** What every knowledge-base miner of the demo knows: one corpus, embedded once. */
    record Knowledge(QaCorpus corpus, KnowledgeBaseMiner miner) {
        static Knowledge load(EmbeddingModel model) {
            QaCorpus corpus = QaCorpus.builtIn();
            return new Knowledge(corpus, new KnowledgeBaseMiner(corpus, model));
        }
    }

    static Running start(Vertx vertx, Kind kind, DevAccount account, SubnetChain chain, int netuid, Knowledge shared,
                         List<Running> started, Random random, Duration minerTimeout) throws Exception {
        QaCorpus corpus = shared.corpus();
        KnowledgeBaseMiner knowledge = shared.miner();
        Miner miner = switch (kind) {
            case KB_BEST -> voiced(knowledge, 0);
            case KB_GOOD -> new NoisyMiner(voiced(knowledge, 1), corpus, kind.noise(), random.nextLong());
            case KB_FAIR -> new NoisyMiner(voiced(knowledge, 2), corpus, kind.noise(), random.nextLong());
            case KB_WEAK -> new NoisyMiner(voiced(knowledge, 3), corpus, kind.noise(), random.nextLong());
            // Copies kb-good's very answers, so each copy is an exact duplicate of kb-good's.
            case COPYCAT -> new SlowMiner(new CopycatMiner(started.stream().filter(r -> r.kind() == Kind.KB_GOOD)
                    .findFirst().orElseThrow(() -> new IllegalStateException("the copycat needs kb-good started first"))
                    .miner()), Duration.ofMillis(400));
            case CONSTANT -> new ConstantMiner("I am not sure about that one, please ask me something else.");
            case SLOW -> new SlowMiner(voiced(knowledge, 1), minerTimeout.plusMillis(500));
            case OFF_TOPIC -> new NoisyMiner(knowledge, corpus, kind.noise(), random.nextLong());
            case COLLUDER_A, COLLUDER_B -> new ConstantMiner(COLLUDED_ANSWER);
        };
        AnswerRecorder given = new AnswerRecorder(miner);
        AtomicReference<String> last = new AtomicReference<>();
        Miner recorded = query -> {
            String answer = given.answer(query);
            last.set(answer);
            return answer;
        };
        MinerServerSettings settings = MinerServerSettings.defaults().onLoopback(100);
        MinerServer server = MinerServer.builder().vertx(vertx).hotkey(Hotkey.fromPrivateKey(account.privateKey()))
                .netuid(netuid).metagraph(() -> chain.metagraph(netuid)).options(settings)
                .metagraphRefresh(Duration.ofSeconds(1)).miner(recorded)
                .start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new Running(kind, given, server, chain, account.address(), last);
    }

    /**
     * The same knowledge in another miner's words: the answer as is, framed, with its sentences rotated, or rotated
     * and framed. Each voice is a different text, so only a true copy is a duplicate: on every corpus answer the
     * voices stay below the demo's duplicate threshold of 0.995 from one another. None repeats the question, which a
     * validator leaves out of an answer before judging it.
     */
    static Miner voiced(Miner inner, int voice) {
        return query -> {
            String answer = inner.answer(query);
            String[] sentences = answer.strip().split("(?<=[.!?])\\s+");
            String rotated = sentences.length < 2 ? answer
                    : String.join(" ", java.util.Arrays.copyOfRange(sentences, 1, sentences.length)) + " " + sentences[0];
            return switch (voice) {
                case 0 -> answer;
                case 1 -> "Here is what I know: " + answer;
                case 2 -> rotated;
                default -> "From what I have read, " + rotated;
            };
        };
    }

    /** The validators' questions: the built-in corpus, with its reference answers. */
    static QuerySource querySource(Random random) {
        return new CorpusQuerySource(QaCorpus.builtIn(), random);
    }
}
