package dev.chorus.scoring.consensus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Realistic rounds: honest answers written as different models would phrase them, and attackers' answers. */
final class Rounds {

    static final String SEASONS = "Why does the Earth have seasons?";

    static final List<String> HONEST_SEASONS = List.of(
            "Earth has seasons because its axis is tilted by about 23.5 degrees relative to its orbit. As the planet "
                    + "goes around the Sun, first one hemisphere and then the other leans toward the Sun, receiving "
                    + "more direct sunlight and longer days, which makes it summer there.",
            "The seasons are caused by the tilt of Earth's rotational axis. When the Northern Hemisphere is tilted "
                    + "toward the Sun, sunlight hits it more directly and days are longer, so it is summer; six "
                    + "months later it is tilted away and gets winter.",
            "It's the axial tilt. Earth's axis is inclined about 23 degrees, so during the year the angle at which "
                    + "sunlight strikes each hemisphere changes. Steeper sunlight and longer daylight hours bring "
                    + "summer, while low-angle light and short days bring winter.",
            "Seasons happen because Earth is tilted on its axis. This tilt means the amount of solar energy each "
                    + "hemisphere receives varies through the year: the hemisphere facing the Sun warms up, and the "
                    + "one facing away cools down.",
            "Because of the 23.4 degree tilt of the Earth's axis. The tilt stays pointed the same way in space as "
                    + "Earth orbits, so the Sun's rays fall more directly on the northern half in June and on the "
                    + "southern half in December.",
            "The main reason is axial tilt, not distance from the Sun. Earth is actually closest to the Sun in "
                    + "January. The tilt changes how high the Sun climbs in the sky and how long it stays up, and "
                    + "that controls how much heat a region gets.",
            "Earth's axis is tilted, so as it orbits the Sun the hemispheres take turns receiving more concentrated "
                    + "sunlight. More concentrated light and longer days heat the surface, giving summer; weaker light "
                    + "and shorter days give winter.",
            "Seasons come from the tilt of Earth's axis relative to the plane of its orbit. That tilt changes the "
                    + "angle of incoming sunlight and the length of the day over the year, so temperatures rise and "
                    + "fall in a yearly cycle.",
            "Our planet spins on an axis that leans about 23.5 degrees. Over a year this lean points each hemisphere "
                    + "toward the Sun for part of the orbit and away from it for the rest, changing day length and "
                    + "solar intensity and creating summer, autumn, winter and spring.",
            "The tilt of the Earth. Because the axis is inclined, sunlight arrives at a steeper angle in summer and "
                    + "spreads over a smaller area, heating it more, while in winter it arrives at a shallow angle and "
                    + "the days are short.");

    static final String WRONG_SEASONS = "Seasons happen because the Earth's orbit brings it much closer to the Sun in "
            + "summer and much farther away in winter, so the changing distance makes it hotter or colder.";

    static final String PROCESSES = "What is the difference between a process and a thread?";

    static final List<String> HONEST_PROCESSES = List.of(
            "A process is an independent program in execution with its own memory space, while a thread is a unit of "
                    + "execution inside a process. Threads of the same process share its memory and resources, which "
                    + "makes them cheaper to create but requires synchronization.",
            "Processes are isolated from each other by the operating system: each has its own address space, file "
                    + "handles and so on. Threads live inside a process and share that address space, so they can "
                    + "communicate through shared memory but can also corrupt each other's data.",
            "Think of a process as a container with its own memory and resources, and threads as workers inside it. "
                    + "All threads in a process see the same heap and globals, whereas separate processes need IPC "
                    + "such as pipes or sockets to exchange data.",
            "The key difference is memory isolation. Two processes cannot read each other's memory without special "
                    + "mechanisms, but two threads in one process share the heap. Context switching between threads is "
                    + "also usually cheaper than between processes.",
            "A process has its own virtual address space, page tables and resources managed by the kernel. A thread "
                    + "is a lighter-weight scheduling entity with its own stack and registers but sharing code, data "
                    + "and open files with the other threads of its process.",
            "Process: an instance of a running program, isolated, heavier to create. Thread: a path of execution "
                    + "within a process, sharing the process's memory, lighter to create, and needing locks to avoid "
                    + "race conditions.",
            "Every program runs as at least one process, and each process has at least one thread. Extra threads let "
                    + "a program do several things at once while sharing memory; extra processes give stronger "
                    + "isolation, so a crash in one does not bring down the others.",
            "Processes do not share memory by default and are protected from each other; threads within a process "
                    + "share memory and resources. Creating a process costs more than creating a thread, and switching "
                    + "between processes costs more too.",
            "A thread is the smallest sequence of instructions the scheduler manages, and it belongs to a process. "
                    + "The process owns the memory and resources; its threads share them, so communication between "
                    + "threads is fast but must be synchronized.",
            "In short: processes are separate programs with separate memory, threads are concurrent flows inside one "
                    + "program with shared memory. Threads are cheaper and communicate easily; processes are safer "
                    + "because a fault stays inside one of them.");

    static final String GARBAGE = "asdkj qwe zxcmv lorem ipsum dolor 8812 ### !!! blorp fnord wibble";

    static final String JUNK = " Buy cheap watches online now best prices guaranteed click here free shipping limited "
            + "offer casino bonus crypto giveaway follow for more subscribe like and share lorem ipsum dolor sit amet "
            + "consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ut enim "
            + "ad minim veniam quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat duis "
            + "aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur "
            + "excepteur sint occaecat cupidatat non proident sunt in culpa qui officia deserunt mollit anim id est "
            + "laborum qwerty uiop asdf ghjkl zxcv bnm 123 456 789 000 !!! ??? ### $$$ %%% random noise noise noise.";

    private Rounds() {
    }

    /** Honest answers for uids 0..n-1, latencies spread from 1.2 s up, trust 0.5. */
    static List<RoundAnswer> honest(List<String> texts) {
        List<RoundAnswer> answers = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            answers.add(RoundAnswer.answered(i, texts.get(i), Duration.ofMillis(1200 + 150L * i), 0.5));
        }
        return answers;
    }

    static RoundAnswer attacker(int uid, String text, long latencyMillis) {
        return RoundAnswer.answered(uid, text, Duration.ofMillis(latencyMillis), 0.5);
    }
}
