package dev.chorus.bench.scenario;

import dev.chorus.scoring.consensus.RoundAnswer;

import java.util.List;
import java.util.function.IntToDoubleFunction;

/** How the miners of a simulated subnet are asked: in-process, or over the real protocol on loopback. */
public interface AnswerSource extends AutoCloseable {

    /**
     * Every miner's answer, or failure, to one validator's question in one round, in uid order.
     *
     * @param trust the trust the validator gives each uid this round
     */
    List<Asked> ask(int validator, int round, QaPair question, IntToDoubleFunction trust);

    /**
     * One miner's reply as a validator logs it.
     *
     * @param answer  what the scorer sees
     * @param failure the transport failure ({@code MinerAnswer.Failure} name, as the round log records it), or null
     * @param detail  one line on the failure, or null
     */
    record Asked(RoundAnswer answer, String failure, String detail) {
    }

    @Override
    void close();
}
