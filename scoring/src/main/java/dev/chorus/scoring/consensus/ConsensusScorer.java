package dev.chorus.scoring.consensus;

import dev.chorus.scoring.embedding.CosineSimilarity;
import dev.chorus.scoring.embedding.DotProducts;
import dev.chorus.scoring.embedding.JavaDotProducts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Rewards each answer of a round by its closeness to a robust consensus of all answers. A pure function of the
 * embeddings and texts: it holds no state and is safe to share between threads.
 *
 * <h2>Consensus point</h2>
 * The consensus is the trust-weighted <em>geometric median</em> of the distinct answers' embeddings (Weiszfeld's
 * iteration), normalised back to unit length. Unlike the mean, which one loud cluster drags along with it, the
 * geometric median has a breakdown point of 1/2 by weight: answers holding less than half of the total weight
 * cannot move it arbitrarily far, however extreme they are, and its shift toward them stays bounded by the spread
 * of the rest. Each answer's weight is its author's trust plus {@link ScoringOptions#trustFloor()}.
 *
 * <h2>Copies and collusion</h2>
 * Answers with the same {@link TextFingerprint} or whose embeddings have a cosine of at least
 * {@link ScoringOptions#duplicateCosine()} form a duplicate group. A group is one point of the median,
 * weighted by its <em>most</em> trusted member rather than by the sum: a block of identical answers votes once,
 * so a colluding block cannot concentrate its weight on one wrong answer. A group pays its answer's reward once
 * ({@link ScoringOptions.DuplicateReward}): to the member that answered first (split only between exact ties),
 * or shared by all k members; either way duplicating an answer across uids never pays, a copier that answers
 * later than the original earns nothing, and the original loses nothing to one copier. A group of
 * {@link ScoringOptions#blockSize()} or more is taken for a coordinated block, not an original with its copies (a
 * block's members may even answer first): its first member is paid only a k-th, as if it had shared its answer k
 * ways, and the others nothing. So copiers never earn; a block earns in total what one member sharing its answer
 * would, and its fastest uid does not out-earn an honest miner whose answer is merely phrased unlike the rest; and
 * sybil uids running one model earn no more together than one uid alone, a block of them less. One that only repeats
 * the query earns nothing.
 *
 * <h2>Answers that open with others' answers</h2>
 * An answer that opens with another miner's whole answer, given no later than it, is judged on what it adds: the
 * openings are peeled off ({@link CopiedOpenings}), the rest is embedded on its own
 * ({@link #additionsToEmbed}) and scored against the consensus ({@link Penalty#COPIED_OPENING}). When nothing is
 * left, or only the query, it is a padded copy and earns nothing ({@link Penalty#PADDED_COPY}). An addition
 * near-identical to another answer, or to another addition, joins that duplicate group, which is paid once, and a
 * set-aside member never earns more than its own addition would. So padding another's answer never earns more than
 * sending the padding alone. Such answers stay out of the consensus point, which their copied part would pull toward
 * the copied answer. The price falls on honest answers whose opening words someone guessed and sent first: each is
 * judged without those words, loses its vote in the consensus point, and is not returned by the organic API.
 *
 * <h2>Answers that quote the query</h2>
 * An answer that contains the whole query (of at least {@link ScoringOptions#minQuotedQueryWords()} words) is judged
 * without it: the rest is embedded on its own ({@link QuotedQueries}, listed by {@link #additionsToEmbed}) and stands
 * for the answer everywhere, consensus point and duplicate groups included ({@link Penalty#QUOTED_QUERY}). The
 * query's words were given to every miner, yet an embedding of "You asked: &lt;query&gt;" sits as close to the
 * consensus as an honest answer, since it carries the query's topic. Nothing but the query left: {@link Penalty#ECHO}.
 * An answer that opens with another's is judged on its addition instead, which the same rule takes the query out of.
 *
 * <h2>Limits</h2>
 * Embeddings measure topic and phrasing, not truth: a single wrong answer on the right topic sits as close to
 * the consensus as an honest one phrased unusually, and no location estimate can tell them apart. Only the
 * reference answer, when there is one, adds a notion of correctness. Colluders who paraphrase one wrong answer
 * just enough to escape the duplicate test are ordinary distinct answers that the median resists only while the
 * honest answers outweigh them. Junk appended to an original answer lowers its similarity but is not detected
 * as such. Only copies that open an answer are found: a copy behind a few words of its own is judged whole, and a
 * leading "Sure!" moves an answer's embedding to a cosine of about 0.84 with the copied one, below any useful
 * duplicate threshold (a copy of an honest answer so prefixed earned 0.78 where the original earned 0.93).
 * Only the whole query is taken out of an answer: reworded ("process vs thread", "Processes and threads differ.")
 * it earned 0.875 and 0.884 in a round whose median honest answer earned 0.87, since the query's topic is most of
 * what the model reads (the query itself had a cosine of 0.87 with that round's consensus).
 * Parts of other answers are found only by the duplicate test: with ten honest answers whose median earned 0.87 to
 * 0.89, the answer nearest the consensus cut to its first two thirds earned 0.91 to 0.93, and its sentences reversed
 * or every fifth word dropped 0.92 to 0.93 where the cosine stayed under the duplicate threshold; the first
 * sentences of five answers strung together earned 0.91, and "Sure! " before all ten answers 0.94, level with the
 * best of them, since the mean of the answers sits near their consensus; one answer repeated to about 2,400 words
 * behind "Sure! " earned 0.90 to 0.91, its repeats drowning the opening. Honest answers lose under 0.02 to these.
 * Nothing in text, timing or trust tells an original copied by {@code blockSize - 1} later uids from a block's
 * fastest member: two later copies of an honest answer earned nothing but cut the original's 0.90 to 0.30, and honest
 * miners sending byte-identical answers (one deterministic model) share a k-th paid to the fastest of them.
 *
 * <h2>Calibration</h2>
 * Raw cosine is not a reward: an empty answer already sits at some cosine from any text. Each similarity
 * {@code s} is rescaled against the empty answer's similarity {@code b} to the same target as
 * {@code (s - b) / (1 - b)}, clipped to [0, 1], so an empty answer earns 0 and an answer equal to the consensus
 * earns 1. With all-MiniLM-L6-v2 the empty answer's cosine to a real answer is already about 0, so this rescaling
 * moves little: an off-topic answer keeps its raw cosine (0.1 or so in the tests), and an answer that rewords the
 * question (below the echo test's cosine) is an ordinary on-topic answer. With a reference answer, the calibrated similarity to the reference is blended in
 * with {@link ScoringOptions#referenceWeight()}. Finally the reward is scaled by a latency factor in
 * {@code [1 - latencyWeight, 1]}.
 */
public final class ConsensusScorer {

    /** Weiszfeld converges linearly; on real rounds it settles in 10 to 20 iterations. */
    private static final int MEDIAN_MAX_ITERATIONS = 100;
    private static final double MEDIAN_TOLERANCE = 1e-7;

    private final ScoringOptions options;
    private final DotProducts products;

    /** A scorer that computes the answers' pairwise products in Java. */
    public ConsensusScorer(ScoringOptions options) {
        this(options, JavaDotProducts.INSTANCE);
    }

    /**
     * @param products how the answers' pairwise products, the bulk of a round's arithmetic, are computed (an
     *                 {@link dev.chorus.scoring.embedding.EmbeddingModel#dotProducts() embedding model's} own are
     *                 the fastest)
     */
    public ConsensusScorer(ScoringOptions options, DotProducts products) {
        this.options = options.validate();
        this.products = products;
    }

    /** This scorer with the same options, computing its products with {@code products}. */
    public ConsensusScorer withDotProducts(DotProducts products) {
        return new ConsensusScorer(options, products);
    }

    public ScoringOptions options() {
        return options;
    }

    /**
     * The texts to embed, besides the query, the reference and the answers, before {@link #score}: what each answer
     * adds after other miners' whole answers it opens with. Usually none.
     */
    public List<String> additionsToEmbed(Round round) {
        return additions(read(round));
    }

    /**
     * @throws IllegalArgumentException when {@code embedded} lacks the embedding of a text {@link #additionsToEmbed}
     *                                  lists for its round
     */
    public RoundScores score(EmbeddedRound embedded) {
        return score(embedded, read(embedded.round()));
    }

    /**
     * Embeds what the round needs in one call of {@code embed} (the query, the reference, every answer, and what
     * answers add after others' answers they open with) and scores it, reading the texts once for both.
     *
     * @param emptyText the embedding of the empty string (see {@link EmbeddedRound#emptyText()})
     */
    public RoundScores score(Round round, float[] emptyText, Function<List<String>, List<float[]>> embed) {
        TextReading reading = read(round);
        List<String> texts = new ArrayList<>(round.answers().size() + 2);
        texts.add(round.query());
        boolean hasReference = round.referenceAnswer() != null;
        if (hasReference) {
            texts.add(round.referenceAnswer());
        }
        int firstAnswer = texts.size();
        for (RoundAnswer answer : round.answers()) {
            if (answer.hasAnswer()) {
                texts.add(answer.text());
            }
        }
        int firstAddition = texts.size();
        List<String> additionTexts = additions(reading);
        texts.addAll(additionTexts);
        List<float[]> vectors = embed.apply(texts);
        List<float[]> answers = new ArrayList<>(round.answers().size());
        int next = firstAnswer;
        for (RoundAnswer answer : round.answers()) {
            answers.add(answer.hasAnswer() ? vectors.get(next++) : null);
        }
        Map<String, float[]> additions = new HashMap<>();
        for (int k = 0; k < additionTexts.size(); k++) {
            additions.put(additionTexts.get(k), vectors.get(firstAddition + k));
        }
        return score(new EmbeddedRound(round, answers, emptyText, vectors.get(0), hasReference ? vectors.get(1) : null,
                additions), reading);
    }

    /**
     * What scoring reads from a round's texts before any embedding: each answer's fingerprint and the query's, the
     * other answers it opens with and what it adds after them, and what it says besides the query when it quotes it
     * (read even where it opens with another answer, since that opening counts only if its source is usable).
     */
    private record TextReading(TextFingerprint[] fingerprints, TextFingerprint query,
                               CopiedOpenings.Opening[] openings, boolean[] additionQuotesQuery,
                               String[] withoutQuery) {
    }

    private TextReading read(Round round) {
        TextFingerprint[] fingerprints = fingerprints(round.answers());
        TextFingerprint query = TextFingerprint.of(round.query());
        CopiedOpenings.Opening[] openings = CopiedOpenings.find(round.answers(), fingerprints, query,
                options.minCopyWords());
        String[] withoutQuery = QuotedQueries.remainders(round.answers(), fingerprints, query,
                options.minQuotedQueryWords());
        boolean[] additionQuotesQuery = new boolean[openings.length];
        for (int i = 0; i < openings.length; i++) {
            // Only an answer that quotes the query can have an addition that does: the others are not read again.
            if (openings[i] != null && withoutQuery[i] != null) {
                // Judged with the query it quotes, an addition would carry the query's topic behind a copied opening,
                // and padding another's answer would pay more than sending the padding alone.
                String rest = QuotedQueries.remainder(openings[i].addition(), query, options.minQuotedQueryWords());
                if (rest != null) {
                    openings[i] = new CopiedOpenings.Opening(openings[i].sources(), rest);
                    additionQuotesQuery[i] = true;
                }
            }
        }
        return new TextReading(fingerprints, query, openings, additionQuotesQuery, withoutQuery);
    }

    private static List<String> additions(TextReading reading) {
        Set<String> texts = new LinkedHashSet<>();
        for (CopiedOpenings.Opening opening : reading.openings()) {
            if (opening != null && !opening.addition().isEmpty()) {
                texts.add(opening.addition());
            }
        }
        for (String rest : reading.withoutQuery()) {
            if (rest != null && !rest.isEmpty()) {
                texts.add(rest);
            }
        }
        return List.copyOf(texts);
    }

    private RoundScores score(EmbeddedRound embedded, TextReading reading) {
        List<RoundAnswer> answers = embedded.round().answers();
        int n = answers.size();
        Entry[] entries = new Entry[n];
        TextFingerprint query = reading.query();
        boolean[] isUsable = new boolean[n];
        for (int i : shortestFirst(reading.fingerprints())) {
            RoundAnswer answer = answers.get(i);
            // An opening with no usable source is set aside by nothing, so the answer is judged as one that opens
            // with no other: else an echo sent first would keep the query in the answer that goes on from it. Every
            // source is shorter than the answers it opens, so its usability is known here.
            CopiedOpenings.Opening opening = reading.openings()[i];
            boolean opensWithUsable = opening != null && opening.sources().stream().anyMatch(j -> isUsable[j]);
            String rest = answer.hasAnswer() && !opensWithUsable ? reading.withoutQuery()[i] : null;
            float[] judged = rest == null || rest.isEmpty() ? embedded.answers().get(i)
                    : embeddingOf(embedded, rest, answer, "quotes the query");
            Entry e = entries[i] = new Entry(answer, judged, latencyFactor(answer));
            if (!answer.hasAnswer()) {
                e.penalties.add(Penalty.NO_ANSWER);
                continue;
            }
            e.fingerprint = reading.fingerprints()[i];
            if (e.fingerprint.isEmpty()) {
                e.penalties.add(Penalty.EMPTY);
            } else if (!finite(e.embedding)) {
                // One non-finite point would make the median, and with it every reward of the round, NaN.
                e.penalties.add(Penalty.NOT_EMBEDDED);
            } else if (e.fingerprint.equals(query) || (rest != null && rest.isEmpty())
                    || CosineSimilarity.dot(e.embedding, embedded.query()) >= options.duplicateCosine()) {
                e.penalties.add(Penalty.ECHO);
            } else {
                if (rest != null) {
                    e.penalties.add(Penalty.QUOTED_QUERY);
                }
                isUsable[i] = true;
            }
        }
        List<Integer> usable = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (isUsable[i]) {
                usable.add(i);
            }
        }
        if (usable.isEmpty()) {
            return unscored(entries);
        }

        int m = usable.size();
        float[][] vectors = new float[m][];
        for (int a = 0; a < m; a++) {
            vectors[a] = entries[usable.get(a)].embedding;
        }
        double[][] gram = products.gram(vectors);
        int[] group = duplicateGroups(entries, usable, gram);
        markCopiedOpenings(embedded, entries, usable, group, reading);

        Map<Integer, Integer> representativeOf = new HashMap<>();
        for (int a = 0; a < m; a++) {
            Entry e = entries[usable.get(a)];
            Integer current = representativeOf.get(group[a]);
            if (!e.opensWithCopy
                    && (current == null || e.answeredBefore(entries[usable.get(current)]))) {
                representativeOf.put(group[a], a);
            }
        }
        int[] reps = representativeOf.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        Map<Integer, Integer> slotOfGroup = new HashMap<>();
        for (int r = 0; r < reps.length; r++) {
            slotOfGroup.put(group[reps[r]], r);
        }
        double[] weights = new double[reps.length];
        for (int a = 0; a < m; a++) {
            Entry e = entries[usable.get(a)];
            if (!e.opensWithCopy) {
                int r = slotOfGroup.get(group[a]);
                weights[r] = Math.max(weights[r], weightOf(e.answer));
            }
        }
        double[][] repGram = new double[reps.length][reps.length];
        for (int r = 0; r < reps.length; r++) {
            for (int s = 0; s < reps.length; s++) {
                repGram[r][s] = gram[reps[r]][reps[s]];
            }
        }
        GeometricMedian.Solution median = GeometricMedian.solve(repGram, weights, MEDIAN_MAX_ITERATIONS,
                MEDIAN_TOLERANCE);

        double[] c = median.coefficients();
        double[] toConsensus = new double[m];
        for (int r = 0; r < reps.length; r++) {
            double[] row = gram[reps[r]];
            for (int a = 0; a < m; a++) {
                toConsensus[a] += c[r] * row[a];
            }
        }
        double xx = 0;
        for (int r = 0; r < reps.length; r++) {
            xx += c[r] * toConsensus[reps[r]];
        }
        double norm = Math.sqrt(Math.max(xx, 1e-24));
        float[] consensus = combination(entries, usable, reps, c, norm);
        double baseline = CosineSimilarity.dot(embedded.emptyText(), consensus);
        double referenceBaseline = embedded.reference() == null ? Double.NaN
                : CosineSimilarity.dot(embedded.emptyText(), embedded.reference());

        for (int a = 0; a < m; a++) {
            Entry e = entries[usable.get(a)];
            if (e.opensWithCopy && e.addition == null) {
                continue;
            }
            float[] judged = e.addition == null ? e.embedding : e.addition;
            e.similarity = e.addition == null ? toConsensus[a] / norm : CosineSimilarity.dot(e.addition, consensus);
            double calibrated = calibrate(e.similarity, baseline);
            if (embedded.reference() != null) {
                e.referenceSimilarity = CosineSimilarity.dot(judged, embedded.reference());
                calibrated = (1 - options.referenceWeight()) * calibrated
                        + options.referenceWeight() * calibrate(e.referenceSimilarity, referenceBaseline);
            }
            e.calibrated = calibrated;
        }
        payGroups(entries, usable, paymentGroups(entries, usable, group, vectors));
        return new RoundScores(scoresOf(entries), consensus, baseline, median.iterations());
    }

    /**
     * The duplicate groups widened to what the set-aside answers add: an addition near-identical to an answer that
     * is not set aside, or to another addition, joins its group, so that content is paid once however many uids
     * send it, with copied openings or without. A set-aside answer also stays in the group of answers near-identical
     * to it whole, so one that copies it later is still the later member.
     */
    private int[] paymentGroups(Entry[] entries, List<Integer> usable, int[] group, float[][] vectors) {
        int m = usable.size();
        int[] parent = new int[m];
        Map<Integer, Integer> firstOfGroup = new HashMap<>();
        List<Integer> withAddition = new ArrayList<>();
        for (int a = 0; a < m; a++) {
            parent[a] = a;
            Integer first = firstOfGroup.putIfAbsent(group[a], a);
            if (first != null) {
                union(parent, first, a);
            }
            if (entries[usable.get(a)].addition != null) {
                withAddition.add(a);
            }
        }
        if (withAddition.isEmpty()) {
            return group;
        }
        float[][] additions = new float[withAddition.size()][];
        for (int k = 0; k < additions.length; k++) {
            additions[k] = entries[usable.get(withAddition.get(k))].addition;
        }
        double[][] toAnswers = products.between(additions, vectors);
        double[][] toAdditions = products.gram(additions);
        for (int k = 0; k < additions.length; k++) {
            int a = withAddition.get(k);
            for (int b = 0; b < m; b++) {
                if (toAnswers[k][b] >= options.duplicateCosine() && !entries[usable.get(b)].opensWithCopy) {
                    union(parent, a, b);
                }
            }
            for (int l = k + 1; l < additions.length; l++) {
                if (toAdditions[k][l] >= options.duplicateCosine()) {
                    union(parent, a, withAddition.get(l));
                }
            }
        }
        int[] payment = new int[m];
        for (int a = 0; a < m; a++) {
            payment[a] = entries[usable.get(find(parent, a))].answer.uid();
        }
        return payment;
    }

    /** Set-aside answers with nothing of their own to judge earn nothing and take no part in any group. */
    private static boolean paid(Entry e) {
        return !e.opensWithCopy || e.addition != null;
    }

    /**
     * Pays each group once. Its reward is what its earliest whole, not set-aside member earns; a set-aside member is
     * worth at most what its own addition earns, so joining a group never pays for a copied opening.
     */
    private void payGroups(Entry[] entries, List<Integer> usable, int[] payment) {
        Map<Integer, List<Entry>> members = new HashMap<>();
        for (int a = 0; a < usable.size(); a++) {
            Entry e = entries[usable.get(a)];
            if (paid(e)) {
                members.computeIfAbsent(payment[a], g -> new ArrayList<>()).add(e);
            }
        }
        for (Map.Entry<Integer, List<Entry>> g : members.entrySet()) {
            List<Entry> list = g.getValue();
            double wholeReward = list.stream().filter(e -> !e.opensWithCopy)
                    .reduce((x, y) -> x.answeredBefore(y) ? x : y).map(e -> e.calibrated).orElse(Double.POSITIVE_INFINITY);
            ToDoubleFunction<Entry> worth = e -> e.opensWithCopy ? Math.min(e.calibrated, wholeReward) : wholeReward;
            if (list.size() == 1) {
                Entry only = list.get(0);
                only.reward = worth.applyAsDouble(only) * only.latencyFactor;
                continue;
            }
            int groupId = g.getKey();
            list.forEach(e -> e.duplicateGroup = groupId);
            if (options.duplicateReward() == ScoringOptions.DuplicateReward.SHARED) {
                for (Entry e : list) {
                    e.penalties.add(Penalty.DUPLICATE);
                    e.reward = worth.applyAsDouble(e) / list.size() * e.latencyFactor;
                }
                continue;
            }
            // A block's first member is paid a k-th, as if it shared its answer k ways: copiers still earn nothing,
            // and the block as a whole earns what one member sharing would, so its fastest uid stays below honest ones.
            boolean block = list.size() >= options.blockSize();
            int shareOfFirst = block ? list.size() : 1;
            long fastest = list.stream().mapToLong(e -> e.answer.latency().toNanos()).min().orElseThrow();
            long firsts = list.stream().filter(e -> e.answer.latency().toNanos() == fastest).count();
            for (Entry e : list) {
                boolean first = e.answer.latency().toNanos() == fastest;
                if (first) {
                    e.reward = worth.applyAsDouble(e) / shareOfFirst / firsts * e.latencyFactor;
                }
                if (block || !first) {
                    e.penalties.add(Penalty.DUPLICATE);
                }
            }
        }
    }

    /** The answers' indexes, those with the shortest fingerprint text first (failed answers last). */
    private static int[] shortestFirst(TextFingerprint[] fingerprints) {
        return IntStream.range(0, fingerprints.length).boxed()
                .sorted(Comparator.comparingInt(i -> fingerprints[i] == null ? Integer.MAX_VALUE
                        : fingerprints[i].text().length()))
                .mapToInt(Integer::intValue).toArray();
    }

    private static boolean finite(float[] embedding) {
        for (float x : embedding) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private static double calibrate(double similarity, double baseline) {
        if (baseline >= 1 - 1e-9) {
            return 0;
        }
        double calibrated = (similarity - baseline) / (1 - baseline);
        // A non-finite embedding must cost its miner the round, not give every later step a NaN.
        return Double.isNaN(calibrated) ? 0 : Math.max(0, Math.min(1, calibrated));
    }

    private double latencyFactor(RoundAnswer answer) {
        double fraction = (double) answer.latency().toNanos() / options.latencyBudget().toNanos();
        return 1 - options.latencyWeight() * Math.max(0, Math.min(1, fraction));
    }

    private double weightOf(RoundAnswer answer) {
        double trust = Double.isNaN(answer.trust()) ? 0 : Math.max(0, Math.min(1, answer.trust()));
        return trust + options.trustFloor();
    }

    /** Union-find over equal fingerprints and near-identical embeddings; returns a group id per usable answer. */
    private int[] duplicateGroups(Entry[] entries, List<Integer> usable, double[][] gram) {
        int m = usable.size();
        int[] parent = new int[m];
        for (int a = 0; a < m; a++) {
            parent[a] = a;
        }
        Map<String, Integer> byText = new HashMap<>();
        for (int a = 0; a < m; a++) {
            Integer first = byText.putIfAbsent(entries[usable.get(a)].fingerprint.text(), a);
            if (first != null) {
                union(parent, first, a);
            }
            for (int b = 0; b < a; b++) {
                if (gram[a][b] >= options.duplicateCosine()) {
                    union(parent, a, b);
                }
            }
        }
        int[] group = new int[m];
        for (int a = 0; a < m; a++) {
            group[a] = entries[usable.get(find(parent, a))].answer.uid();
        }
        return group;
    }

    private TextFingerprint[] fingerprints(List<RoundAnswer> answers) {
        TextFingerprint[] fingerprints = new TextFingerprint[answers.size()];
        for (int i = 0; i < fingerprints.length; i++) {
            if (answers.get(i).hasAnswer()) {
                fingerprints[i] = TextFingerprint.of(answers.get(i).text());
            }
        }
        return fingerprints;
    }

    /**
     * Sets aside the usable answers that open with others' whole answers, and finds what each adds. Only a usable
     * opening counts, and one near-identical to the answer is left to the duplicate groups, which already pay such
     * answers once. So the shortest answer set aside opens with one that is not, and the consensus always has a
     * point.
     */
    private void markCopiedOpenings(EmbeddedRound embedded, Entry[] entries, List<Integer> usable, int[] group,
                                    TextReading reading) {
        CopiedOpenings.Opening[] openings = reading.openings();
        Map<Integer, Integer> usableAt = new HashMap<>();
        for (int a = 0; a < usable.size(); a++) {
            usableAt.put(usable.get(a), a);
        }
        for (int a = 0; a < usable.size(); a++) {
            int i = usable.get(a);
            int mineGroup = group[a];
            CopiedOpenings.Opening opening = openings[i];
            if (opening == null || opening.sources().stream()
                    .noneMatch(j -> usableAt.containsKey(j) && group[usableAt.get(j)] != mineGroup)) {
                continue;
            }
            Entry mine = entries[i];
            mine.opensWithCopy = true;
            if (opening.addition().isEmpty()) {
                mine.penalties.add(Penalty.PADDED_COPY);
                continue;
            }
            float[] addition = embeddingOf(embedded, opening.addition(), mine.answer, "opens with another miner's answer");
            if (!finite(addition)) {
                mine.penalties.addAll(List.of(Penalty.COPIED_OPENING, Penalty.NOT_EMBEDDED));
            } else if (CosineSimilarity.dot(addition, embedded.query()) >= options.duplicateCosine()) {
                mine.penalties.add(Penalty.PADDED_COPY);
            } else {
                mine.penalties.add(Penalty.COPIED_OPENING);
                if (reading.additionQuotesQuery()[i]) {
                    mine.penalties.add(Penalty.QUOTED_QUERY);
                }
                mine.addition = addition;
            }
        }
    }

    private static float[] embeddingOf(EmbeddedRound embedded, String addition, RoundAnswer answer, String why) {
        float[] embedding = embedded.additions().get(addition);
        if (embedding == null) {
            throw new IllegalArgumentException("uid " + answer.uid() + " " + why + ", but the round carries no"
                    + " embedding of the rest of its answer; embed every text additionsToEmbed lists (RoundScorer does)"
                    + " and pass them as EmbeddedRound.additions");
        }
        return embedding;
    }

    private static float[] combination(Entry[] entries, List<Integer> usable, int[] reps, double[] c, double norm) {
        int dim = entries[usable.get(reps[0])].embedding.length;
        double[] x = new double[dim];
        for (int r = 0; r < reps.length; r++) {
            float[] p = entries[usable.get(reps[r])].embedding;
            for (int d = 0; d < dim; d++) {
                x[d] += c[r] * p[d];
            }
        }
        float[] out = new float[dim];
        for (int d = 0; d < dim; d++) {
            out[d] = (float) (x[d] / norm);
        }
        return out;
    }

    private static RoundScores unscored(Entry[] entries) {
        return new RoundScores(scoresOf(entries), null, Double.NaN, 0);
    }

    private static List<MinerScore> scoresOf(Entry[] entries) {
        List<MinerScore> scores = new ArrayList<>(entries.length);
        for (Entry e : entries) {
            scores.add(new MinerScore(e.answer.uid(), e.reward, e.similarity, e.calibrated, e.referenceSimilarity,
                    e.latencyFactor, e.duplicateGroup, e.penalties));
        }
        return scores;
    }

    private static int find(int[] parent, int a) {
        while (parent[a] != a) {
            parent[a] = parent[parent[a]];
            a = parent[a];
        }
        return a;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

    /** Working state for one answer while the round is scored. */
    private static final class Entry {
        final RoundAnswer answer;
        final float[] embedding;
        final double latencyFactor;
        final Set<Penalty> penalties = EnumSet.noneOf(Penalty.class);
        TextFingerprint fingerprint;
        /** Opens with other miners' answers: kept out of the consensus, and paid at most what its addition earns. */
        boolean opensWithCopy;
        /** The embedding of what it adds after them, when there is something of its own to judge. */
        float[] addition;
        double similarity = Double.NaN;
        double calibrated = Double.NaN;
        double referenceSimilarity = Double.NaN;
        double reward;
        int duplicateGroup = -1;

        Entry(RoundAnswer answer, float[] embedding, double latencyFactor) {
            this.answer = answer;
            this.embedding = embedding;
            this.latencyFactor = latencyFactor;
        }

        boolean answeredBefore(Entry other) {
            int byLatency = answer.latency().compareTo(other.answer.latency());
            return byLatency < 0 || (byLatency == 0 && answer.uid() < other.answer.uid());
        }
    }
}
