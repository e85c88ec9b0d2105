package dev.chorus.bench.scenario;

import dev.chorus.scoring.consensus.RoundAnswer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/** Asks the simulated miners directly: each answers at once and reports the latency it would have taken. */
public record InProcessAnswers(List<SimulatedMiner> miners, long seed) implements AnswerSource {

    public InProcessAnswers {
        miners = List.copyOf(miners);
    }

    @Override
    public List<Asked> ask(int validator, int round, QaPair question, IntToDoubleFunction trust) {
        List<Asked> answers = new ArrayList<>(miners.size());
        for (int uid = 0; uid < miners.size(); uid++) {
            SimulatedMiner.Reply reply = miners.get(uid).reply(question, Scenario.random(seed, validator, round, uid));
            answers.add(new Asked(RoundAnswer.answered(uid, reply.text(), Duration.ofMillis(reply.latencyMs()),
                    trust.applyAsDouble(uid)), null, null));
        }
        return answers;
    }

    @Override
    public void close() {
    }
}
